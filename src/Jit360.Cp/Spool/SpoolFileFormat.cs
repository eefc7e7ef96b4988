using System.Text;

namespace Jit360.Cp.Spool;

/// <summary>
/// How a spool file is kept on the host: <c>nnnn.spool</c> in the spool folder, little-endian
/// binary: the magic "J360SPL1", the SFBLOK fields (owner, origin, queue, device type, class,
/// name, type, dist, copies, hold, creation time, sequence), the record count, then each record
/// as its command code, a 2-byte length and the data. A file that does not read back cleanly is
/// reported with its name and the reason, never half-loaded.
/// </summary>
static class SpoolFileFormat
{
    static readonly byte[] Magic = "J360SPL1"u8.ToArray();
    const int MaxRecords = 10_000_000, MaxRecord = 65535;

    public static void Write(Stream s, SpoolFile f)
    {
        using var w = new BinaryWriter(s, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(f.Id);
        w.Write(f.Owner); w.Write(f.Origin);
        w.Write((byte)f.Queue);
        w.Write(f.DeviceType);
        w.Write(f.Class);
        w.Write(f.FileName); w.Write(f.FileType); w.Write(f.Dist);
        w.Write(f.Copies);
        w.Write(f.UserHold);
        w.Write(f.Created.UtcTicks);
        w.Write(f.Sequence);
        w.Write(f.Records.Count);
        foreach (var r in f.Records)
        {
            w.Write(r.Command);
            w.Write((ushort)r.Data.Length);
            w.Write(r.Data);
        }
    }

    /// <summary>Reads one file; a <see cref="InvalidDataException"/> says what is wrong.</summary>
    public static SpoolFile Read(Stream s)
    {
        try
        {
            using var r = new BinaryReader(s, Encoding.UTF8, leaveOpen: true);
            if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("not a Jit360 spool file (bad magic)");
            int id = r.ReadInt32();
            if (id < 1 || id > SpoolStore.MaxSpoolId) throw new InvalidDataException($"spoolid {id} out of range");
            string owner = Name(r.ReadString(), "owner"), origin = Name(r.ReadString(), "origin");
            byte queue = r.ReadByte();
            if (queue > (byte)SpoolQueue.Punch) throw new InvalidDataException($"queue {queue} unknown");
            string device = r.ReadString();
            if (device is not ("PUN" or "PRT" or "CON" or "RDR")) throw new InvalidDataException($"device type '{device}' unknown");
            char cls = r.ReadChar();
            if (!SpoolOptions.IsClass(cls)) throw new InvalidDataException($"class '{cls}' invalid");
            string fn = Field(r.ReadString(), 24, "name"), ft = Field(r.ReadString(), 8, "type"), dist = Field(r.ReadString(), 8, "dist");
            int copies = r.ReadInt32();
            if (copies < 1 || copies > 255) throw new InvalidDataException($"copy count {copies} out of range");
            bool hold = r.ReadBoolean();
            long ticks = r.ReadInt64();
            if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks) throw new InvalidDataException("creation time out of range");
            long sequence = r.ReadInt64();
            int count = r.ReadInt32();
            if (count < 0 || count > MaxRecords) throw new InvalidDataException($"record count {count} out of range");
            var records = new List<SpoolRecord>(Math.Min(count, 4096));
            for (int i = 0; i < count; i++)
            {
                byte command = r.ReadByte();
                int length = r.ReadUInt16();
                var data = r.ReadBytes(length);
                if (data.Length != length) throw new InvalidDataException($"record {i + 1} is cut short");
                records.Add(new SpoolRecord(command, data));
            }
            if (s.Position != s.Length) throw new InvalidDataException("data after the last record");
            return new SpoolFile
            {
                Id = id, Owner = owner, Origin = origin, Queue = (SpoolQueue)queue, DeviceType = device, Class = cls,
                FileName = fn, FileType = ft, Dist = dist, Copies = copies, UserHold = hold,
                Created = new DateTimeOffset(ticks, TimeSpan.Zero), Sequence = sequence, Records = records,
            };
        }
        catch (EndOfStreamException) { throw new InvalidDataException("the file ends early"); }
        catch (FormatException e) { throw new InvalidDataException(e.Message); }
        catch (DecoderFallbackException e) { throw new InvalidDataException(e.Message); }
    }

    static string Name(string s, string what)
        => s.Length is >= 1 and <= 8 && s.All(c => c is > ' ' and < (char)127) ? s : throw new InvalidDataException($"{what} '{s}' is not a user id");

    static string Field(string s, int max, string what)
        => s.Length <= max && s.All(c => c is >= ' ' and < (char)127) ? s : throw new InvalidDataException($"{what} '{s}' invalid");

    public static int MaxRecordLength => MaxRecord;
}
