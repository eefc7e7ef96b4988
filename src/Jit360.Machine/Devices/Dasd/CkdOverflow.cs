using Jit360.Machine.Media;

namespace Jit360.Machine.Devices.Dasd;

/// <summary>
/// Track overflow (GA26-3599 2314 "Track Overflow"; Hercules stores the flag as bit 0 of the
/// count's CC): a record segment whose count has that bit on continues, data only, in the first
/// record after R0 of the next track, and so on until a segment without the flag. READ DATA,
/// READ KEY AND DATA, READ COUNT KEY AND DATA and WRITE DATA follow the segments; the device ends
/// oriented after the last one. WRITE SPECIAL COUNT KEY AND DATA (CkdCommands) writes a flagged segment.
/// </summary>
public sealed partial class CkdDevice
{
    bool Overflows => Image.Cylinders < 32768 && track[record] != 0xFF && (track[record] & 0x80) != 0;

    /// <summary>Moves to the next segment of an overflow record: the next head's first record after R0.</summary>
    Outcome? NextSegment()
    {
        if (head + 1 >= Image.Heads) return Check(CkdSense.DataCheck, CkdSense.EndOfCylinder | CkdSense.OverflowIncomplete);
        head++;
        orientation = Orientation.Index;
        if (Load() is { } failed) return failed;
        int r0 = CkdTrack.HomeAddressLength;
        int next = r0 + CkdTrack.CountLength + CkdTrack.KeyLength(track, r0) + CkdTrack.DataLength(track, r0);
        if (CkdTrack.IsEndMarker(track, r0) || CkdTrack.IsEndMarker(track, next))
            return Check(CkdSense.DataCheck, CkdSense.OverflowIncomplete);
        record = next;
        orientation = Orientation.Data;
        return null;
    }

    /// <summary>Appends the data of the following segments of the current record, if it overflows.</summary>
    Outcome? ReadOverflow(List<byte> into)
    {
        while (Overflows)
        {
            if (NextSegment() is { } failed) return failed;
            into.AddRange(track.AsSpan(RecordEnd - DataLength, DataLength));
        }
        return null;
    }

    /// <summary>Writes <paramref name="data"/> from <paramref name="offset"/> over the following segments; returns the bytes they hold.</summary>
    Outcome? WriteOverflow(ReadOnlySpan<byte> data, int offset, out int written)
    {
        written = 0;
        while (Overflows)
        {
            if (NextSegment() is { } failed) return failed;
            int dl = DataLength, at = RecordEnd - dl;
            track.AsSpan(at, dl).Clear();
            int from = Math.Min(offset + written, data.Length);
            data[from..Math.Min(from + dl, data.Length)].CopyTo(track.AsSpan(at));
            written += dl;
            if (Store() is { } bad) return bad;
        }
        return null;
    }
}
