using Jit360.Machine.Media;

namespace Jit360.Cp.Io;

/// <summary>
/// The real DASD volumes CP owns, found by their label (volser): an OS VOL1 label or a CMS
/// minidisk label ("CMS=volid", the label a CMS-formatted full-volume minidisk carries). Each
/// image is opened once for writing and shared by every minidisk on it.
/// </summary>
public sealed class RealVolumes : IDisposable
{
    readonly Dictionary<string, CkdImage> volumes = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<string> Volsers => volumes.Keys.Order();

    /// <summary>Opens an image and files it under its label; returns the volser. Throws <see cref="CkdImageException"/> for an unusable image or label.</summary>
    public string Mount(string path, bool readOnly = false)
    {
        var image = CkdImage.Open(path, readOnly);
        try
        {
            var track = new byte[image.TrackSlot];
            image.ReadTrack(0, track);
            string label = CkdVolumeLabel.Read(track) ?? throw new CkdImageException($"{path}: no VOL1 or CMS label in cylinder 0 head 0 record 3");
            string volser = label.StartsWith("CMS=", StringComparison.Ordinal) ? label[4..].Trim() : label;
            if (volser.Length == 0) throw new CkdImageException($"{path}: the volume label is blank");
            if (!volumes.TryAdd(volser, image)) throw new CkdImageException($"{path}: volume {volser} is already mounted from {volumes[volser].FileName}");
            return volser;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    public CkdImage? Find(string volser) => volumes.GetValueOrDefault(volser);

    public void Dispose()
    {
        foreach (var v in volumes.Values) v.Dispose();
        volumes.Clear();
    }
}
