using System.Buffers.Binary;

namespace Jit360.Machine.Media;

/// <summary>
/// The layout of one track image as Hercules stores it (CKD_P370 slot, or a CCKD track once
/// expanded): a 5-byte home address (flag byte, CC, HH), then records, each an 8-byte count
/// (CC HH R KL DL, big-endian) followed by its key and data, and an end-of-track marker of eight
/// X'FF' bytes. The rest of the slot is unused.
/// </summary>
public static class CkdTrack
{
    public const int HomeAddressLength = 5;
    public const int CountLength = 8;

    public static bool IsEndMarker(ReadOnlySpan<byte> track, int pos) =>
        pos + CountLength <= track.Length && BinaryPrimitives.ReadUInt64BigEndian(track[pos..]) == ulong.MaxValue;

    public static int KeyLength(ReadOnlySpan<byte> track, int pos) => track[pos + 5];
    public static int DataLength(ReadOnlySpan<byte> track, int pos) => BinaryPrimitives.ReadUInt16BigEndian(track[(pos + 6)..]);

    /// <summary>
    /// Checks that the records chain from the home address to an end marker inside the slot.
    /// Returns null when sound, else what is wrong (for a message or a data check).
    /// </summary>
    public static string? Check(ReadOnlySpan<byte> track, out int length)
    {
        length = 0;
        int pos = HomeAddressLength;
        int records = 0;
        while (true)
        {
            if (pos + CountLength > track.Length)
                return $"record {records} count at offset {pos} runs past the {track.Length}-byte track slot (no end-of-track marker)";
            if (IsEndMarker(track, pos)) { length = pos + CountLength; return null; }
            int next = pos + CountLength + KeyLength(track, pos) + DataLength(track, pos);
            if (next > track.Length)
                return $"record {records} (R{track[pos + 4]}) at offset {pos} with key {KeyLength(track, pos)} and data {DataLength(track, pos)} runs past the {track.Length}-byte track slot";
            pos = next;
            records++;
        }
    }

    /// <summary>An empty formatted track: home address, R0 with 8 bytes of zero data, end marker.</summary>
    public static int Format(Span<byte> slot, int cylinder, int head)
    {
        slot.Clear();
        WriteHomeAddress(slot, cylinder, head);
        int pos = WriteRecord(slot, HomeAddressLength, cylinder, head, 0, [], new byte[8]);
        slot.Slice(pos, CountLength).Fill(0xFF);
        return pos + CountLength;
    }

    public static void WriteHomeAddress(Span<byte> slot, int cylinder, int head)
    {
        slot[0] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(slot[1..], (ushort)cylinder);
        BinaryPrimitives.WriteUInt16BigEndian(slot[3..], (ushort)head);
    }

    /// <summary>Writes count, key and data at <paramref name="pos"/>; returns the offset after the data.</summary>
    public static int WriteRecord(Span<byte> slot, int pos, int cylinder, int head, byte record, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteUInt16BigEndian(slot[pos..], (ushort)cylinder);
        BinaryPrimitives.WriteUInt16BigEndian(slot[(pos + 2)..], (ushort)head);
        slot[pos + 4] = record;
        slot[pos + 5] = (byte)key.Length;
        BinaryPrimitives.WriteUInt16BigEndian(slot[(pos + 6)..], (ushort)data.Length);
        key.CopyTo(slot[(pos + CountLength)..]);
        data.CopyTo(slot[(pos + CountLength + key.Length)..]);
        return pos + CountLength + key.Length + data.Length;
    }
}
