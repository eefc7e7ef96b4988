using Jit360.Architecture;

namespace Jit360.Machine.Media;

/// <summary>
/// Cylinder 0 head 0 as Hercules dasdinit leaves it, and reading the volume serial back: an OS
/// VOL1 label (R3, key 'VOL1') or a CMS minidisk label (R3 data beginning 'CMS=').
/// </summary>
public static class CkdVolumeLabel
{
    /// <summary>dasdinit's IPL1 data: a disabled wait PSW, then a CCW, then zeros (checked against dasdinit 3.13 output).</summary>
    static readonly byte[] Ipl1Data =
    [
        0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0F,
        0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    public static int FormatTrackZero(Span<byte> slot, string volser)
    {
        slot.Clear();
        CkdTrack.WriteHomeAddress(slot, 0, 0);
        int pos = CkdTrack.WriteRecord(slot, CkdTrack.HomeAddressLength, 0, 0, 0, [], new byte[8]);
        pos = CkdTrack.WriteRecord(slot, pos, 0, 0, 1, Ebcdic.FromString("IPL1"), Ipl1Data);
        pos = CkdTrack.WriteRecord(slot, pos, 0, 0, 2, Ebcdic.FromString("IPL2"), new byte[144]);
        pos = CkdTrack.WriteRecord(slot, pos, 0, 0, 3, Ebcdic.FromString("VOL1"), Vol1(volser));
        slot.Slice(pos, CkdTrack.CountLength).Fill(0xFF);
        return pos + CkdTrack.CountLength;
    }

    /// <summary>The 80-byte VOL1 label: 'VOL1', serial, security byte, VTOC at CCHHR 0/0/1, owner HERCULES.</summary>
    static byte[] Vol1(string volser)
    {
        var label = Ebcdic.FromString(new string(' ', 80));
        Ebcdic.FromString("VOL1").CopyTo(label, 0);
        Ebcdic.FromString(volser.ToUpperInvariant().PadRight(6)[..6]).CopyTo(label, 4);
        label[11] = 0; label[12] = 0; label[13] = 0; label[14] = 1; label[15] = 1;
        Ebcdic.FromString("HERCULES").CopyTo(label, 41);
        return label;
    }

    /// <summary>The volume serial in track 0 R3: "VOL1xxxxxx" gives xxxxxx, "CMS=xxxxxx" gives CMS=xxxxxx; else null.</summary>
    public static string? Read(ReadOnlySpan<byte> track)
    {
        int pos = CkdTrack.HomeAddressLength;
        while (pos + CkdTrack.CountLength <= track.Length && !CkdTrack.IsEndMarker(track, pos))
        {
            int kl = CkdTrack.KeyLength(track, pos), dl = CkdTrack.DataLength(track, pos);
            if (pos + 8 + kl + dl > track.Length) return null;
            if (track[pos + 4] == 3)
            {
                var data = track.Slice(pos + 8 + kl, dl);
                if (dl >= 10)
                {
                    string head = Ebcdic.ToString(data[..10]);
                    if (head.StartsWith("VOL1", StringComparison.Ordinal)) return head[4..].TrimEnd();
                    if (head.StartsWith("CMS=", StringComparison.Ordinal)) return head.TrimEnd();
                }
                return null;
            }
            pos += 8 + kl + dl;
        }
        return null;
    }
}
