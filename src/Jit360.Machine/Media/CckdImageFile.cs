using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Jit360.Machine.Media;

/// <summary>
/// The Hercules compressed CKD image (CKD_C370), read-only. Layout (facts from Hercules cckd.h):
/// the 512-byte device header as in CKD_P370; at 512 the compressed device header (version 3
/// bytes, options byte with bit X'02' = numbers big-endian, L1 table entries s32 at +4, L2 entries
/// per table at +8, file size +12, used +16, free pointers +20..+39, cylinders u32 at +40, null
/// track format at +44, compression at +45); at 1024 the L1 table of u32 file offsets of L2
/// tables (0 or X'FFFFFFFF' = none: every track null); each L2 table 256 entries of
/// {u32 position, u16 length, u16 size}. A track image starts with its 5-byte home address whose
/// first byte is replaced by the compression (0 none, 1 zlib, 2 bzip2); the rest follows,
/// compressed. A track that is not stored (position 0) is a null track: format 0 is HA, R0 and
/// an end-of-file R1; format 1 is HA and R0 (the L2 length says which, or the header's format for
/// a missing L2 table).
/// Writing is not supported: attach a CCKD image with the <c>ro</c> option, or convert it with
/// Hercules cckd2ckd first.
/// </summary>
public sealed class CckdImageFile : CkdImage
{
    public const string Magic = "CKD_C370";
    const int L2Entries = 256;

    readonly FileStream file;
    readonly bool bigEndian;
    readonly uint[] l1;
    readonly byte defaultNullFormat;

    public byte Compression { get; }
    public long FileSize { get; }
    public long UsedBytes { get; }

    public override string Format => "CCKD";

    CckdImageFile(FileStream file, bool bigEndian, uint[] l1, byte nullFormat, byte compression, long size, long used)
    {
        this.file = file; this.bigEndian = bigEndian; this.l1 = l1; defaultNullFormat = nullFormat;
        Compression = compression; FileSize = size; UsedBytes = used;
    }

    public static new CckdImageFile Open(string path, bool readOnly)
    {
        if (!readOnly)
            throw new CkdImageException($"{path}: compressed CKD (CKD_C370) images can only be attached read-only (add the ro option, or convert with cckd2ckd)");
        FileStream f;
        try { f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CkdImageException($"{path}: cannot open: {e.Message}"); }
        try
        {
            if (f.Length < 1024) throw new CkdImageException($"{path}: {f.Length} bytes is too short for the CCKD headers (1024 bytes)");
            var h = new byte[1024];
            f.ReadExactly(h);
            if (Encoding.ASCII.GetString(h, 0, 8) != Magic) throw new CkdImageException($"{path}: magic is not {Magic}");
            uint heads = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(8));
            uint slot = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(12));
            if (heads is 0 or > 255) throw new CkdImageException($"{path}: header gives {heads} heads per cylinder (1-255 expected)");
            if (slot is < 40 or > 0x100000) throw new CkdImageException($"{path}: header gives a track size of {slot} bytes (40-1048576 expected)");
            var c = h[512..];
            bool big = (c[3] & 0x02) != 0;
            uint U32(int o) => big ? BinaryPrimitives.ReadUInt32BigEndian(c.AsSpan(o)) : BinaryPrimitives.ReadUInt32LittleEndian(c.AsSpan(o));
            int numl1 = (int)U32(4), numl2 = (int)U32(8);
            uint cyls = U32(40);
            if (numl2 != L2Entries) throw new CkdImageException($"{path}: compressed device header gives {numl2} entries per L2 table ({L2Entries} expected)");
            if (cyls is 0 or > 65535) throw new CkdImageException($"{path}: compressed device header gives {cyls} cylinders");
            long tracks = cyls * heads;
            if (numl1 < (tracks + L2Entries - 1) / L2Entries || numl1 > 0x10000)
                throw new CkdImageException($"{path}: {numl1} L1 entries cannot address {tracks} tracks");
            if (1024 + 4L * numl1 > f.Length) throw new CkdImageException($"{path}: the L1 table ({numl1} entries) runs past the end of the file (truncated)");
            var raw = new byte[4 * numl1];
            f.ReadExactly(raw);
            var l1 = new uint[numl1];
            for (int i = 0; i < numl1; i++)
            {
                l1[i] = big ? BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(4 * i)) : BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(4 * i));
                if (l1[i] != 0 && l1[i] != uint.MaxValue && l1[i] + 8L * L2Entries > f.Length)
                    throw new CkdImageException($"{path}: L1 entry {i} points to an L2 table at {l1[i]}, past the end of the {f.Length}-byte file (truncated)");
            }
            var image = new CckdImageFile(f, big, l1, c[44], c[45], U32(12), U32(16))
            {
                FileName = path, Heads = (int)heads, TrackSlot = (int)slot, ImageType = h[16], Cylinders = (int)cyls, ReadOnly = true,
            };
            var t0 = new byte[slot];
            try { image.ReadTrack(0, t0); }
            catch (CkdTrackDataException e) { throw new CkdImageException($"{path}: cylinder 0 head 0: {e.Message}"); }
            if (CkdTrack.Check(t0, out _) is { } bad) throw new CkdImageException($"{path}: cylinder 0 head 0: {bad}");
            return image;
        }
        catch
        {
            f.Dispose();
            throw;
        }
    }

    /// <summary>Reads and expands one track. Damage inside the file throws <see cref="CkdTrackDataException"/>.</summary>
    public override void ReadTrack(int track, Span<byte> slot)
    {
        slot = slot[..TrackSlot];
        slot.Clear();
        int cyl = track / Heads, head = track % Heads;
        uint l2pos = l1[track / L2Entries];
        if (l2pos == 0 || l2pos == uint.MaxValue) { NullTrack(slot, cyl, head, defaultNullFormat); return; }
        var entry = new byte[8];
        lock (file)
        {
            file.Position = l2pos + 8L * (track % L2Entries);
            file.ReadExactly(entry);
        }
        uint pos = U32(entry, 0);
        int len = U16(entry, 4);
        if (pos == 0 || pos == uint.MaxValue) { NullTrack(slot, cyl, head, (byte)len); return; }
        if (len < CkdTrack.HomeAddressLength || pos + (long)len > file.Length)
            throw new CkdTrackDataException($"track {track} (cylinder {cyl} head {head}): stored image at {pos} length {len} lies outside the file");
        var stored = new byte[len];
        lock (file)
        {
            file.Position = pos;
            file.ReadExactly(stored);
        }
        if (stored.Length > 0 && BinaryPrimitives.ReadUInt32BigEndian(stored.AsSpan(1)) != (uint)(cyl << 16 | head))
            throw new CkdTrackDataException($"track {track}: stored home address {Convert.ToHexString(stored, 1, 4)} is not cylinder {cyl} head {head}");
        byte compression = stored[0];
        stored.AsSpan(1, 4).CopyTo(slot[1..]);
        var body = slot[CkdTrack.HomeAddressLength..];
        switch (compression)
        {
            case 0:
                if (len > TrackSlot) throw new CkdTrackDataException($"track {track}: {len} stored bytes exceed the {TrackSlot}-byte track");
                stored.AsSpan(CkdTrack.HomeAddressLength).CopyTo(body);
                break;
            case 1:
                try
                {
                    using var z = new ZLibStream(new MemoryStream(stored, CkdTrack.HomeAddressLength, len - CkdTrack.HomeAddressLength), CompressionMode.Decompress);
                    int n = 0, r;
                    while (n < body.Length && (r = z.Read(body[n..])) > 0) n += r;
                    if (n == body.Length && z.ReadByte() >= 0)
                        throw new CkdTrackDataException($"track {track}: expands to more than the {TrackSlot}-byte track");
                }
                catch (InvalidDataException e) { throw new CkdTrackDataException($"track {track}: zlib data is damaged ({e.Message})"); }
                break;
            case 2:
                throw new CkdTrackDataException($"track {track} is bzip2-compressed, which Jit360 cannot expand (no bzip2 decoder in .NET); recompress the image with cckdcomp/cckd2ckd using zlib");
            default:
                throw new CkdTrackDataException($"track {track}: unknown compression {compression}");
        }
    }

    static void NullTrack(Span<byte> slot, int cyl, int head, byte format)
    {
        int end = CkdTrack.Format(slot, cyl, head);
        if (format == 0)
        {
            // Format 0 adds an end-of-file R1 (key and data length zero) after R0.
            int pos = end - CkdTrack.CountLength;
            pos = CkdTrack.WriteRecord(slot, pos, cyl, head, 1, [], []);
            slot.Slice(pos, CkdTrack.CountLength).Fill(0xFF);
        }
    }

    uint U32(byte[] b, int o) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(o)) : BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(o));
    ushort U16(byte[] b, int o) => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(o)) : BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(o));

    public override void WriteTrack(int track, ReadOnlySpan<byte> slot) =>
        throw new InvalidOperationException($"{FileName}: compressed CKD images are read-only");

    /// <summary>How many tracks are stored (not null), for <c>dasd info</c>.</summary>
    public int StoredTracks()
    {
        int n = 0;
        var entry = new byte[8];
        for (int t = 0; t < Tracks; t++)
        {
            uint l2pos = l1[t / L2Entries];
            if (l2pos == 0 || l2pos == uint.MaxValue) continue;
            lock (file) { file.Position = l2pos + 8L * (t % L2Entries); file.ReadExactly(entry); }
            uint pos = U32(entry, 0);
            if (pos != 0 && pos != uint.MaxValue) n++;
        }
        return n;
    }

    public override void Dispose() { lock (file) file.Dispose(); }
}

/// <summary>A track whose stored form is damaged or cannot be expanded (a data check to the channel).</summary>
public sealed class CkdTrackDataException(string message) : Exception(message);
