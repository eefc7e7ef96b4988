using System.Buffers.Binary;
using Jit360.Machine.Channels;
using Jit360.Machine.Media;

namespace Jit360.Machine.Devices.Dasd;

/// <summary>
/// The channel commands of the CKD devices (GA26-1592 IBM 3330-3350 reference; GA26-3599 2314;
/// command semantics checked against Hercules ckddasd.c for facts). Each returns an Outcome;
/// a condition the device cannot satisfy sets sense and ends in unit check.
/// </summary>
public sealed partial class CkdDevice
{
    Outcome Perform(byte command, ReadOnlySpan<byte> data, bool commandChained)
    {
        byte previous = commandChained ? previousOk : (byte)0;
        previousOk = 0;
        var r = Dispatch(command, data, previous);
        bool normal = (r.Status & UnitStatus.UnitCheck) == 0;
        if (normal && (!IsSearch(command) || (r.Status & UnitStatus.StatusModifier) != 0)) previousOk = command;
        return r;
    }

    static bool IsSearch(byte command) => (command & 0x7F) is 0x31 or 0x51 or 0x71 or 0x29 or 0x49 or 0x69 or 0x39;

    Outcome Dispatch(byte command, ReadOnlySpan<byte> data, byte previous)
    {
        switch (command)
        {
            case 0x03: return Took(0);                                   // NO-OP
            case 0x04: { var s = (byte[])sense.Clone(); Array.Clear(sense); return Done(s); } // SENSE
            case 0xE4: return SenseId();
            case 0xB4: case 0x94: return Done((byte[])sense.Clone());    // DEVICE RESERVE / RELEASE: sense bytes, no lock kept
            case 0x07: case 0x0B: case 0x1B: return Seek(command, data);
            case 0x13: return Recalibrate();
            case 0x1F: return SetFileMask(data);
            case 0x23: return Geometry.RotationalPositionSensing ? (data.Length >= 1 ? Took(1) : Reject()) : Reject(); // SET SECTOR
            case 0x22: return Geometry.RotationalPositionSensing ? ReadSector() : Reject();
            case 0x1A: case 0x9A: return ReadHomeAddress();
            case 0x16: case 0x96: return ReadR0();
            case 0x12: case 0x92: return ReadCount(command);
            case 0x06: case 0x86: return ReadData(command);
            case 0x0E: case 0x8E: return ReadKeyAndData(command);
            case 0x1E: case 0x9E: return ReadCountKeyAndData(command);
            case 0x02: return ReadIpl();
            case 0x31: case 0x51: case 0x71: case 0xB1: case 0xD1: case 0xF1: return SearchId(command, data);
            case 0x29: case 0x49: case 0x69: case 0xA9: case 0xC9: case 0xE9: return SearchKey(command, data);
            case 0x39: case 0xB9: return SearchHomeAddress(data);
            case 0x15: return WriteR0(data, previous);
            case 0x1D: return WriteCountKeyAndData(data, previous);
            case 0x01: return WriteSpecialCountKeyAndData(data, previous);
            case 0x11: return Erase(data, previous);
            case 0x05: return WriteData(data, previous);
            case 0x0D: return WriteKeyAndData(data, previous);
            default: return Reject();
        }
    }

    Outcome SenseId()
    {
        // The 2311/2314 control units predate SENSE ID.
        if (Geometry.SenseLength < 24) return Reject();
        return Done(Channels.SenseId.Bytes(Geometry.ControlUnit, Geometry.ControlUnitModel, Geometry.DeviceType, Geometry.Model));
    }

    /// <summary>SEEK (BBCCHH), SEEK CYLINDER, SEEK HEAD (which must stay on the cylinder), subject to the file mask.</summary>
    Outcome Seek(byte command, ReadOnlySpan<byte> data)
    {
        if (data.Length < 6) return Reject();
        byte seek = (byte)(fileMask & FileMaskSeekControl);
        bool allowed = command switch
        {
            0x07 => seek == SeekAllowAll,
            0x0B => seek is SeekAllowAll or SeekCylinderHead,
            _ => seek != SeekInhibitAll,
        };
        if (!allowed) return Reject(CkdSense.FileProtected);
        int bb = BinaryPrimitives.ReadUInt16BigEndian(data);
        int cc = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        int hh = BinaryPrimitives.ReadUInt16BigEndian(data[4..]);
        if (bb != 0 || cc >= Image.Cylinders || hh >= Image.Heads) return Reject();
        if (command == 0x1B && cc != cylinder) return Reject();
        cylinder = cc; head = hh;
        orientation = Orientation.Index;
        indexPassed = false;
        return Took(6);
    }

    Outcome Recalibrate()
    {
        if ((fileMask & FileMaskSeekControl) != SeekAllowAll) return Reject(CkdSense.FileProtected);
        cylinder = 0; head = 0;
        orientation = Orientation.Index;
        indexPassed = false;
        return Took(0);
    }

    /// <summary>SET FILE MASK: once per chain, reserved bit zero.</summary>
    Outcome SetFileMask(ReadOnlySpan<byte> data)
    {
        if (data.Length < 1 || fileMaskSet || (data[0] & FileMaskReserved) != 0) return Reject();
        fileMask = data[0];
        fileMaskSet = true;
        return Took(1);
    }

    /// <summary>READ SECTOR: the angular position, 0-127, proportional to the offset in the track.</summary>
    Outcome ReadSector()
    {
        int offset = orientation is Orientation.Count or Orientation.Key or Orientation.Data ? record : 0;
        return Done([(byte)(offset * 128L / Image.TrackSlot)]);
    }

    Outcome ReadHomeAddress()
    {
        if (Load() is { } failed) return failed;
        orientation = Orientation.Index;
        indexPassed = false;
        return Done(track[..CkdTrack.HomeAddressLength]);
    }

    Outcome ReadR0()
    {
        if (Load() is { } failed) return failed;
        record = CkdTrack.HomeAddressLength;
        if (CkdTrack.IsEndMarker(track, record)) { orientation = Orientation.Index; return Check(0, CkdSense.NoRecordFound); }
        orientation = Orientation.Data;
        indexPassed = false;
        return Done(track[record..RecordEnd]);
    }

    Outcome ReadCount(byte command)
    {
        if (NextCount(command) is { } failed) return failed;
        return Done(track[record..(record + CkdTrack.CountLength)]);
    }

    Outcome ReadData(byte command)
    {
        if (orientation is not (Orientation.Count or Orientation.Key) && NextCount(command) is { } failed) return failed;
        orientation = Orientation.Data;
        indexPassed = false;
        return WithOverflow(track[(RecordEnd - DataLength)..RecordEnd]);
    }

    /// <summary>
    /// The bytes read from the current record, extended by its overflow segments. A record with
    /// data length zero is an end-of-file record: the read ends with unit exception (GA26-1592
    /// "Unit Exception").
    /// </summary>
    Outcome WithOverflow(byte[] first)
    {
        var endOfFile = DataLength == 0 ? UnitStatus.UnitException : UnitStatus.None;
        if (!Overflows) return Done(first, endOfFile);
        var all = new List<byte>(first);
        if (ReadOverflow(all) is { } failed) return failed;
        return Done([.. all], endOfFile);
    }

    Outcome ReadKeyAndData(byte command)
    {
        if (orientation != Orientation.Count && NextCount(command) is { } failed) return failed;
        orientation = Orientation.Data;
        indexPassed = false;
        return WithOverflow(track[(record + CkdTrack.CountLength)..RecordEnd]);
    }

    Outcome ReadCountKeyAndData(byte command)
    {
        if (NextCount(command) is { } failed) return failed;
        orientation = Orientation.Data;
        indexPassed = false;
        var bytes = track[record..RecordEnd];
        // The count as read leaves out the overflow flag of the image (Hercules facts).
        if (Overflows) bytes[0] &= 0x7F;
        return WithOverflow(bytes);
    }

    /// <summary>READ IPL: seek to cylinder 0 head 0, then read the data of the first record after R0.</summary>
    Outcome ReadIpl()
    {
        cylinder = 0; head = 0;
        orientation = Orientation.Index;
        indexPassed = false;
        return ReadData(0x06);
    }

    /// <summary>SEARCH ID EQUAL/HIGH/EQUAL OR HIGH: compares CCHHR with the next count field (R0 included).</summary>
    Outcome SearchId(byte command, ReadOnlySpan<byte> data)
    {
        if (NextCount(command) is { } failed) return failed;
        int n = Math.Min(5, data.Length);
        int cmp = track.AsSpan(record, n).SequenceCompareTo(data[..n]);
        return Took(5, Satisfied(command, cmp));
    }

    /// <summary>SEARCH KEY EQUAL/HIGH/EQUAL OR HIGH: compares with the key of the current (or next) record; a record without key never satisfies.</summary>
    Outcome SearchKey(byte command, ReadOnlySpan<byte> data)
    {
        if (orientation != Orientation.Count && NextCount(command) is { } failed) return failed;
        orientation = Orientation.Key;
        int kl = KeyLength;
        if (kl == 0) return Took(0);
        int n = Math.Min(kl, data.Length);
        int cmp = track.AsSpan(record + CkdTrack.CountLength, n).SequenceCompareTo(data[..n]);
        return Took(kl, Satisfied(command, cmp));
    }

    Outcome SearchHomeAddress(ReadOnlySpan<byte> data)
    {
        if (Load() is { } failed) return failed;
        orientation = Orientation.Index;
        int n = Math.Min(4, data.Length);
        bool equal = track.AsSpan(1, n).SequenceEqual(data[..n]);
        return Took(4, equal ? UnitStatus.StatusModifier : UnitStatus.None);
    }

    /// <summary>The search condition in command bits 1-2 (X'20' equal, X'40' high, X'60' equal or high).</summary>
    static UnitStatus Satisfied(byte command, int cmp)
    {
        bool ok = (command & 0x60) switch
        {
            0x20 => cmp == 0,
            0x40 => cmp > 0,
            _ => cmp >= 0,
        };
        return ok ? UnitStatus.StatusModifier : UnitStatus.None;
    }

    /// <summary>A write is allowed by the attachment and the file mask's write control.</summary>
    Outcome? WriteAllowed(params byte[] permitted)
    {
        if (Image.ReadOnly) return Reject(CkdSense.FileProtected);
        byte control = (byte)(fileMask & FileMaskWriteControl);
        return Array.IndexOf(permitted, control) < 0 ? Reject(CkdSense.FileProtected) : null;
    }

    /// <summary>Builds a record from an 8-byte count and its key and data (zero-padded if short) at <paramref name="at"/>, erasing the rest of the track.</summary>
    Outcome FormatRecord(ReadOnlySpan<byte> data, int at)
    {
        if (data.Length < CkdTrack.CountLength) return Reject();
        int kl = data[5], dl = BinaryPrimitives.ReadUInt16BigEndian(data[6..]);
        int length = CkdTrack.CountLength + kl + dl;
        // Track overflow is not supported: a record must fit the track with the end marker.
        if (at + length + CkdTrack.CountLength > Image.TrackSlot) return Check(0, CkdSense.InvalidTrackFormat);
        var image = new byte[length];
        data[..Math.Min(length, data.Length)].CopyTo(image);
        track.AsSpan(at).Clear();
        image.CopyTo(track, at);
        track.AsSpan(at + length, CkdTrack.CountLength).Fill(0xFF);
        record = at;
        orientation = Orientation.Data;
        if (Store() is { } failed) return failed;
        return Took(length);
    }

    Outcome WriteR0(ReadOnlySpan<byte> data, byte previous)
    {
        if (previous is not (0x39 or 0xB9 or 0x1A or 0x9A)) return Reject(CkdSense.InvalidSequence);
        if (WriteAllowed(WriteAll) is { } no) return no;
        if (Load() is { } failed) return failed;
        return FormatRecord(data, CkdTrack.HomeAddressLength);
    }

    Outcome WriteCountKeyAndData(ReadOnlySpan<byte> data, byte previous)
    {
        if (previous is not (0x31 or 0xB1 or 0x29 or 0xA9 or 0x1D or 0x15 or 0x01)) return Reject(CkdSense.InvalidSequence);
        if (WriteAllowed(WriteAll, WriteInhibitHaR0) is { } no) return no;
        if (Load() is { } failed) return failed;
        return FormatRecord(data, RecordEnd);
    }

    /// <summary>
    /// WRITE SPECIAL COUNT KEY AND DATA (2314 track overflow): writes a record segment like WRITE
    /// COUNT KEY AND DATA and marks it as continued on the next track (bit 0 of CC in the image,
    /// as Hercules stores it); the program writes the following segment on the next track itself.
    /// </summary>
    Outcome WriteSpecialCountKeyAndData(ReadOnlySpan<byte> data, byte previous)
    {
        if (Image.Cylinders >= 32768) return Reject();
        var r = WriteCountKeyAndData(data, previous);
        if ((r.Status & UnitStatus.UnitCheck) != 0) return r;
        track[record] |= 0x80;
        return Store() ?? r;
    }

    /// <summary>ERASE: like WRITE COUNT KEY AND DATA without writing: the track ends after the current record.</summary>
    Outcome Erase(ReadOnlySpan<byte> data, byte previous)
    {
        if (previous is not (0x31 or 0xB1 or 0x29 or 0xA9 or 0x1D or 0x15 or 0x01 or 0x05 or 0x0D)) return Reject(CkdSense.InvalidSequence);
        if (WriteAllowed(WriteAll, WriteInhibitHaR0) is { } no) return no;
        if (Load() is { } failed) return failed;
        int end = RecordEnd;
        track.AsSpan(end).Clear();
        track.AsSpan(end, CkdTrack.CountLength).Fill(0xFF);
        if (Store() is { } bad) return bad;
        int used = data.Length >= CkdTrack.CountLength ? CkdTrack.CountLength + data[5] + BinaryPrimitives.ReadUInt16BigEndian(data[6..]) : data.Length;
        return Took(used);
    }

    /// <summary>WRITE DATA: replaces the data area of the record found by the search (zero-padded if the count is short).</summary>
    Outcome WriteData(ReadOnlySpan<byte> data, byte previous)
    {
        if (previous is not (0x31 or 0xB1 or 0x29 or 0xA9) || orientation is not (Orientation.Count or Orientation.Key))
            return Reject(CkdSense.InvalidSequence);
        if (WriteAllowed(WriteAll, WriteInhibitHaR0, WriteUpdateOnly) is { } no) return no;
        if (record == CkdTrack.HomeAddressLength && (fileMask & FileMaskWriteControl) != WriteAll) return Reject(CkdSense.FileProtected);
        int dl = DataLength, at = RecordEnd - dl;
        track.AsSpan(at, dl).Clear();
        data[..Math.Min(dl, data.Length)].CopyTo(track.AsSpan(at));
        orientation = Orientation.Data;
        if (Store() is { } failed) return failed;
        if (WriteOverflow(data, dl, out int more) is { } bad) return bad;
        return Took(dl + more);
    }

    /// <summary>WRITE KEY AND DATA: replaces key and data of the record found by SEARCH ID EQUAL.</summary>
    Outcome WriteKeyAndData(ReadOnlySpan<byte> data, byte previous)
    {
        if (previous is not (0x31 or 0xB1) || orientation != Orientation.Count) return Reject(CkdSense.InvalidSequence);
        if (WriteAllowed(WriteAll, WriteInhibitHaR0, WriteUpdateOnly) is { } no) return no;
        if (record == CkdTrack.HomeAddressLength && (fileMask & FileMaskWriteControl) != WriteAll) return Reject(CkdSense.FileProtected);
        int length = KeyLength + DataLength, at = record + CkdTrack.CountLength;
        track.AsSpan(at, length).Clear();
        data[..Math.Min(length, data.Length)].CopyTo(track.AsSpan(at));
        orientation = Orientation.Data;
        if (Store() is { } failed) return failed;
        return Took(length);
    }
}
