using System.Buffers.Binary;
using Jit360.Machine.Media;

namespace Jit360.Cp.Io;

/// <summary>
/// A minidisk: cylinders <c>start</c>..<c>start+count-1</c> of a real CKD volume, seen as a
/// volume of its own whose cylinder 0 is the real cylinder <c>start</c> (the MDISK statement's
/// extent). CP's CCW translation (VM/370 DMKTRN) relocates the seek addresses; here the view
/// does it one level down, on whole tracks, so an unmodified <c>CkdDevice</c> runs the guest's
/// channel programs: a track read through the view has the cylinder numbers of its home address
/// and count fields made relative to the minidisk, a track written has them made real again.
/// A seek beyond the extent finds no track (the device's seek check), and a read-only link
/// makes the device refuse every write with the file-protected unit check.
/// The real image is shared by every link to it and is not disposed with the view.
/// </summary>
public sealed class MinidiskImage : CkdImage
{
    readonly CkdImage real;
    public int StartCylinder { get; }

    public MinidiskImage(CkdImage real, int startCylinder, int cylinders, bool readOnly)
    {
        if (startCylinder < 0 || cylinders <= 0 || startCylinder + cylinders > real.Cylinders)
            throw new ArgumentOutOfRangeException(nameof(cylinders),
                $"cylinders {startCylinder}-{startCylinder + cylinders - 1} are outside {real.FileName}'s {real.Cylinders} cylinders");
        this.real = real;
        StartCylinder = startCylinder;
        FileName = real.FileName;
        Heads = real.Heads;
        Cylinders = cylinders;
        TrackSlot = real.TrackSlot;
        ImageType = real.ImageType;
        ReadOnly = readOnly || real.ReadOnly;
    }

    public override string Format => $"{real.Format} cyl {StartCylinder}-{StartCylinder + Cylinders - 1}";

    int RealTrack(int track)
    {
        if ((uint)track >= (uint)Tracks) throw new ArgumentOutOfRangeException(nameof(track), $"track {track} is outside the minidisk's {Tracks} tracks");
        return StartCylinder * Heads + track;
    }

    public override void ReadTrack(int track, Span<byte> slot)
    {
        lock (real) real.ReadTrack(RealTrack(track), slot);
        Relocate(slot, -StartCylinder);
    }

    public override void WriteTrack(int track, ReadOnlySpan<byte> slot)
    {
        if (ReadOnly) throw new InvalidOperationException("the minidisk is linked read-only");
        int at = RealTrack(track);
        var copy = slot.ToArray();
        Relocate(copy, StartCylinder);
        lock (real) real.WriteTrack(at, copy);
    }

    public override void Flush() { lock (real) real.Flush(); }

    /// <summary>Shared real volumes stay open: their owner closes them.</summary>
    public override void Dispose() => Flush();

    /// <summary>Adds <paramref name="delta"/> to the cylinder of the home address and of every count field up to the end marker.</summary>
    static void Relocate(Span<byte> slot, int delta)
    {
        if (delta == 0) return;
        Shift(slot, 1, delta);
        int pos = CkdTrack.HomeAddressLength;
        while (pos + CkdTrack.CountLength <= slot.Length && !CkdTrack.IsEndMarker(slot, pos))
        {
            int next = pos + CkdTrack.CountLength + CkdTrack.KeyLength(slot, pos) + CkdTrack.DataLength(slot, pos);
            if (next > slot.Length) return;   // a broken track: the device reports it as it finds it
            Shift(slot, pos, delta);
            pos = next;
        }
    }

    static void Shift(Span<byte> slot, int at, int delta)
        => BinaryPrimitives.WriteUInt16BigEndian(slot[at..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(slot[at..]) + delta));
}
