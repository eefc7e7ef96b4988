using System.Buffers.Binary;
using System.Text;
using Jit360.Machine.Devices.Dasd;

namespace Jit360.Machine.Media;

/// <summary>
/// The Hercules uncompressed CKD image (CKD_P370): a 512-byte device header (magic, heads u32 LE,
/// track size u32 LE, device-type byte, file sequence, high cylinder u16 LE, zeros) followed by
/// cylinders × heads fixed-size track slots. Writes go straight to the file a whole slot at a time
/// and the header is never rewritten, so a killed process leaves a readable image.
/// Only single-file images are supported (file sequence 0, high cylinder 0).
/// </summary>
public sealed class CkdImageFile : CkdImage
{
    public const string Magic = "CKD_P370";

    readonly FileStream file;

    public override string Format => "CKD";

    CkdImageFile(FileStream file) { this.file = file; }

    public static new CkdImageFile Open(string path, bool readOnly)
    {
        FileStream f;
        try
        {
            f = new FileStream(path, FileMode.Open, readOnly ? FileAccess.Read : FileAccess.ReadWrite,
                               readOnly ? FileShare.ReadWrite : FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CkdImageException($"{path}: cannot open{(readOnly ? "" : " for writing (use the ro option to attach it read-only)")}: {e.Message}");
        }
        try
        {
            var h = new byte[DeviceHeaderLength];
            f.ReadExactly(h);
            if (Encoding.ASCII.GetString(h, 0, 8) != Magic) throw new CkdImageException($"{path}: magic is not {Magic}");
            uint heads = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(8));
            uint slot = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(12));
            byte type = h[16], seq = h[17];
            ushort high = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(18));
            if (heads is 0 or > 255) throw new CkdImageException($"{path}: header gives {heads} heads per cylinder (1-255 expected)");
            if (slot is < 40 or > 0x100000) throw new CkdImageException($"{path}: header gives a track size of {slot} bytes (40-1048576 expected)");
            if (seq != 0 || high != 0)
                throw new CkdImageException($"{path}: part of a multi-file image (file sequence {seq}, high cylinder {high}); only single-file CKD images are supported");
            long cylBytes = heads * (long)slot;
            long body = f.Length - DeviceHeaderLength;
            if (body <= 0 || body % cylBytes != 0)
                throw new CkdImageException($"{path}: size {f.Length} is not 512 + a whole number of cylinders of {heads} heads × {slot} bytes (truncated or damaged)");
            long cyls = body / cylBytes;
            if (cyls > 65535) throw new CkdImageException($"{path}: {cyls} cylinders is more than a CKD address can reach");
            var image = new CkdImageFile(f)
            {
                FileName = path, Heads = (int)heads, TrackSlot = (int)slot, ImageType = type, Cylinders = (int)cyls, ReadOnly = readOnly,
            };
            var t0 = new byte[slot];
            image.ReadTrack(0, t0);
            if (CkdTrack.Check(t0, out _) is { } bad) throw new CkdImageException($"{path}: cylinder 0 head 0: {bad}");
            return image;
        }
        catch
        {
            f.Dispose();
            throw;
        }
    }

    public override void ReadTrack(int track, Span<byte> slot)
    {
        lock (file)
        {
            file.Position = DeviceHeaderLength + (long)track * TrackSlot;
            file.ReadExactly(slot[..TrackSlot]);
        }
    }

    public override void WriteTrack(int track, ReadOnlySpan<byte> slot)
    {
        if (ReadOnly) throw new InvalidOperationException($"{FileName} is attached read-only");
        lock (file)
        {
            file.Position = DeviceHeaderLength + (long)track * TrackSlot;
            file.Write(slot[..TrackSlot]);
            file.Flush();
        }
    }

    public override void Flush() { lock (file) file.Flush(true); }

    public override void Dispose()
    {
        lock (file)
        {
            if (!ReadOnly && file.CanWrite) file.Flush(true);
            file.Dispose();
        }
    }

    /// <summary>
    /// Builds a new image as Hercules dasdinit does: every track formatted (HA, R0 of 8 zero bytes,
    /// end marker); unless <paramref name="raw"/>, cylinder 0 head 0 also carries the IPL records
    /// (R1 key 'IPL1' with a wait PSW and a CCW, R2 key 'IPL2' of 144 zero bytes) and the VOL1 label
    /// as R3 (key 'VOL1', 80 bytes, VTOC pointer to cylinder 0 head 1 record 1, owner HERCULES).
    /// <paramref name="progress"/> is told each cylinder written.
    /// </summary>
    public static void Create(string path, DasdGeometry geometry, int cylinders, string volser, bool raw = false, Action<int>? progress = null)
    {
        if (cylinders is < 1 or > 65535) throw new CkdImageException($"{path}: {cylinders} cylinders (1-65535)");
        var header = new byte[DeviceHeaderLength];
        Encoding.ASCII.GetBytes(Magic).CopyTo(header, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)geometry.Heads);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), (uint)geometry.TrackSlot);
        header[16] = geometry.ImageType;
        var cyl = new byte[geometry.Heads * geometry.TrackSlot];
        try
        {
            using var f = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
            f.Write(header);
            for (int c = 0; c < cylinders; c++)
            {
                for (int h = 0; h < geometry.Heads; h++)
                {
                    var slot = cyl.AsSpan(h * geometry.TrackSlot, geometry.TrackSlot);
                    if (c == 0 && h == 0 && !raw) CkdVolumeLabel.FormatTrackZero(slot, volser);
                    else CkdTrack.Format(slot, c, h);
                }
                f.Write(cyl);
                progress?.Invoke(c);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CkdImageException($"{path}: cannot write: {e.Message}");
        }
    }
}
