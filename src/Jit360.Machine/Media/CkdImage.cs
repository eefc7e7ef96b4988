using System.Text;

namespace Jit360.Machine.Media;

/// <summary>A disk image that cannot be used, with the file named and what is wrong.</summary>
public sealed class CkdImageException(string message) : Exception(message);

/// <summary>
/// A CKD volume stored in a host file: a fixed number of track slots, read and written a whole
/// track at a time. Subclasses are the Hercules formats (plain CKD_P370, compressed CKD_C370).
/// </summary>
public abstract class CkdImage : IDisposable
{
    public const int DeviceHeaderLength = 512;

    public string FileName { get; protected init; } = "";
    public int Heads { get; protected init; }
    public int Cylinders { get; protected init; }
    /// <summary>Bytes per track slot (the header's track size).</summary>
    public int TrackSlot { get; protected init; }
    /// <summary>The header's device-type byte (X'50' for a 3350).</summary>
    public byte ImageType { get; protected init; }
    public bool ReadOnly { get; protected init; }
    public abstract string Format { get; }

    public int Tracks => Cylinders * Heads;

    /// <summary>Fills <paramref name="slot"/> (TrackSlot bytes) with the track image, zero-padded.</summary>
    public abstract void ReadTrack(int track, Span<byte> slot);

    /// <summary>Stores a whole track slot. Only for images opened for writing.</summary>
    public abstract void WriteTrack(int track, ReadOnlySpan<byte> slot);

    public virtual void Flush() { }

    public abstract void Dispose();

    /// <summary>Opens a Hercules CKD image, recognising the format by its magic.</summary>
    public static CkdImage Open(string path, bool readOnly)
    {
        if (!File.Exists(path)) throw new CkdImageException($"{path}: no such file");
        var magic = new byte[8];
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (f.Length < DeviceHeaderLength)
                throw new CkdImageException($"{path}: {f.Length} bytes is shorter than the {DeviceHeaderLength}-byte CKD device header");
            f.ReadExactly(magic);
        }
        catch (IOException e) { throw new CkdImageException($"{path}: cannot read: {e.Message}"); }
        catch (UnauthorizedAccessException e) { throw new CkdImageException($"{path}: cannot read: {e.Message}"); }
        string m = Encoding.ASCII.GetString(magic);
        return m switch
        {
            CkdImageFile.Magic => CkdImageFile.Open(path, readOnly),
            CckdImageFile.Magic => CckdImageFile.Open(path, readOnly),
            "CKD_S370" => throw new CkdImageException($"{path}: a CCKD shadow file (CKD_S370) is not supported; attach its base image"),
            _ => throw new CkdImageException($"{path}: not a CKD image (magic '{Printable(magic)}', expected CKD_P370 or CKD_C370)"),
        };
    }

    static string Printable(byte[] b) => new(b.Select(c => c is >= 0x20 and < 0x7F ? (char)c : '.').ToArray());
}
