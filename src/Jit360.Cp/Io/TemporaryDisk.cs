using Jit360.Machine.Devices.Dasd;
using Jit360.Machine.Media;

namespace Jit360.Cp.Io;

/// <summary>
/// A temporary disk (DEFINE T3330 ..., CP Command Reference, DEFINE): cylinders that exist only
/// while the virtual machine has the device, kept in host storage and gone at DETACH or LOGOFF.
/// Every track starts formatted and empty (home address and R0), as CP clears T-disk space, so
/// the guest formats it as it would any new minidisk. A track is allocated when first written.
/// </summary>
public sealed class TemporaryDisk : CkdImage
{
    readonly byte[]?[] tracks;
    readonly object gate = new();

    public TemporaryDisk(DasdGeometry geometry, int cylinders)
    {
        if (cylinders < 1 || cylinders > geometry.Cylinders) throw new ArgumentOutOfRangeException(nameof(cylinders), $"{cylinders} cylinders; a {geometry.Name} has 1 to {geometry.Cylinders}");
        FileName = $"T{geometry.Name}";
        Heads = geometry.Heads;
        Cylinders = cylinders;
        TrackSlot = geometry.TrackSlot;
        ImageType = geometry.ImageType;
        tracks = new byte[]?[cylinders * geometry.Heads];
    }

    public override string Format => "temporary";

    public override void ReadTrack(int track, Span<byte> slot)
    {
        lock (gate)
        {
            if (tracks[track] is { } t) { t.CopyTo(slot); return; }
        }
        CkdTrack.Format(slot[..TrackSlot], track / Heads, track % Heads);
        slot[TrackSlot..].Clear();
    }

    public override void WriteTrack(int track, ReadOnlySpan<byte> slot)
    {
        lock (gate) tracks[track] = slot[..TrackSlot].ToArray();
    }

    public override void Dispose() { }
}
