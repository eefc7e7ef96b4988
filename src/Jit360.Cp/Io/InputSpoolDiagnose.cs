using System.Buffers.Binary;
using Jit360.Architecture;
using Jit360.Cp.Spool;
using Jit360.Cp.VirtualMachines;
using Jit360.Machine;

namespace Jit360.Cp.Io;

/// <summary>
/// DIAGNOSE X'14', input spool file manipulation (VM/370 R6 System Programmer's Guide GC20-1807-7,
/// "DIAGNOSE Code X'14'"). Ry (even) is the virtual reader's address, or a spoolid for subcode
/// X'0FFF'; Ry+1 the subcode; Rx a buffer address, copy count or spoolid. CC 0 done, 1 end of
/// file, 2 file not found, 3 with Ry+1 = 4 no such device, 8 not a spooled reader. An odd Ry, an
/// unknown subcode, a buffer that is not where the guide says (a page-aligned full page, an SFBLOK
/// not crossing a page) or a copy count not positive is a specification exception; a buffer
/// outside storage an addressing exception.
///
/// A full-page spool buffer (subcodes X'0000', X'0014', X'0018') holds as many whole records as
/// fit, laid out as the VM/370 System Logic ("Spool Data and File Format") describes: two
/// doublewords of links first (word 0 the number of the next buffer of the file, 0 on the last;
/// word 1 the previous buffer's number, 0 on the first; word 2 here the count of records in this
/// buffer), then each record as a CCW (command code, the data's offset in the buffer, flags
/// X'40' chaining to the next record except on the last, the count) followed by its data with
/// trailing blanks suppressed, each CCW on a doubleword boundary. The exact byte layout beyond
/// the links is Jit360's, as no R6 listing was at hand.
/// </summary>
public static class InputSpoolDiagnose
{
    public const int PageSize = 4096, HeaderSize = 16, SfblokSize = 13 * 8, TagBufferSize = 252;

    public static ExitReason? Execute(VirtualMachine vm, DiagnoseCall c, GuestMachine g)
    {
        var cpu = vm.Cpu;
        if (c.Ry % 2 != 0) throw CpuState.Fault(ProgramInterruptCode.Specification);
        uint subcode = cpu.Gpr[c.Ry + 1];
        var store = g.System.Devices?.SpoolFiles;
        if (subcode == 0x0FFF) return NextFileDescriptor(vm, c, g, store);
        if (subcode is not (0x00 or 0x04 or 0x08 or 0x0C or 0x10 or 0x14 or 0x18 or 0x1C or 0x20))
            throw CpuState.Fault(ProgramInterruptCode.Specification);
        uint address = cpu.Gpr[c.Ry];
        var device = address > 0xFFFF ? null : g.Find((ushort)address);
        if (device == null) return Error(cpu, c, 4);
        if (device.Device is not SpoolReader reader || store == null) return Error(cpu, c, 8);
        return subcode switch
        {
            0x00 => ReadBuffer(vm, c, reader, restart: false, backspace: false),
            0x14 => ReadBuffer(vm, c, reader, restart: true, backspace: false),
            0x18 => ReadBuffer(vm, c, reader, restart: false, backspace: true),
            0x04 => NextBlock(vm, c, g, reader, print: true),
            0x08 => NextBlock(vm, c, g, reader, print: false),
            0x0C => Select(vm, c, g, reader, store),
            0x10 => Repeat(vm, c, reader, store),
            // Monitor spool files (X'1C', X'20'): this CP writes none, so there is never one to find.
            _ => Done(cpu, 2),
        };
    }

    static ExitReason? Done(CpuState cpu, int cc) { cpu.Cc = cc; return null; }

    static ExitReason? Error(CpuState cpu, DiagnoseCall c, uint code)
    {
        cpu.Gpr[c.Ry + 1] = code;
        cpu.Cc = 3;
        return null;
    }

    static uint Operand(VirtualMachine vm, uint address, int length, int alignment)
    {
        uint a = address & 0x00FF_FFFF;
        if (a % alignment != 0 || (alignment == 1 && a / PageSize != (a + (uint)length - 1) / PageSize))
            throw CpuState.Fault(ProgramInterruptCode.Specification);
        if ((ulong)a + (ulong)length > vm.Cpu.Storage.Size) throw CpuState.Fault(ProgramInterruptCode.Addressing);
        return a;
    }

    static void Store(VirtualMachine vm, uint at, ReadOnlySpan<byte> data)
    {
        vm.Cpu.Storage.Load(at, data);
        vm.Cpu.Storage.Written(at, data.Length);
    }

    /// <summary>X'0000' (next buffer), X'0014' (restart the active file and give its first buffer), X'0018' (back one record, then as X'0000').</summary>
    static ExitReason? ReadBuffer(VirtualMachine vm, DiagnoseCall c, SpoolReader reader, bool restart, bool backspace)
    {
        var cpu = vm.Cpu;
        uint at = Operand(vm, cpu.Gpr[c.Rx], PageSize, PageSize);
        return reader.Locked<ExitReason?>(() =>
        {
            reader.BlockCursor = null;
            if (restart || backspace)
            {
                if (reader.Active == null) return Done(cpu, 2);
                if (restart) { reader.Restart(); reader.BufferNumber = 0; }
                else reader.Backspace();
            }
            else if (reader.Active == null)
            {
                if (!reader.Open()) return Done(cpu, 2);
                reader.BufferNumber = 0;
            }
            while (reader.Position >= reader.Active!.RecordCount)
            {
                // The end of the active file: CONT goes on into the next file, else end of file (the file stays open until CLOSE).
                if (!reader.Options.Cont) return Done(cpu, 1);
                reader.Close();
                if (!reader.Open()) return Done(cpu, 1);
                reader.BufferNumber = 0;
            }
            var page = Fill(reader);
            Store(vm, at, page);
            return Done(cpu, 0);
        });
    }

    /// <summary>Builds the next buffer of the active file from the reader's position and moves past the records it holds.</summary>
    static byte[] Fill(SpoolReader reader)
    {
        var page = new byte[PageSize];
        var f = reader.Active!;
        int offset = HeaderSize, count = 0, lastCcw = -1;
        const int room = PageSize - 8;      // the last doubleword stays free, as CP leaves room for a SENSE CCW
        while (reader.Position < f.RecordCount)
        {
            var r = f.Records[reader.Position];
            int length = r.Data.Length;
            while (length > 0 && r.Data[length - 1] == Ebcdic.Blank) length--;
            int need = 8 + (length + 7) / 8 * 8;
            if (offset + need > room && count > 0) break;
            if (offset + need > room) length = room - offset - 8;     // a record longer than a page is cut (cannot happen with 80 or 150-byte records)
            page[offset] = r.Command;
            int data = offset + 8;
            page[offset + 1] = (byte)(data >> 16); page[offset + 2] = (byte)(data >> 8); page[offset + 3] = (byte)data;
            page[offset + 4] = 0x40;
            BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(offset + 6), (ushort)length);
            r.Data.AsSpan(0, length).CopyTo(page.AsSpan(data));
            lastCcw = offset;
            offset = data + (length + 7) / 8 * 8;
            count++;
            reader.Position++;
        }
        if (lastCcw >= 0) page[lastCcw + 4] = 0x00;
        int number = ++reader.BufferNumber;
        BinaryPrimitives.WriteInt32BigEndian(page.AsSpan(0), reader.Position < f.RecordCount ? number + 1 : 0);
        BinaryPrimitives.WriteInt32BigEndian(page.AsSpan(4), number - 1);
        BinaryPrimitives.WriteInt32BigEndian(page.AsSpan(8), count);
        return page;
    }

    /// <summary>
    /// X'0004' (print files) and X'0008' (card-image files): the SFBLOK of the next such reader
    /// file. The first call (or the first after other DIAGNOSE X'14' requests) starts at the head
    /// of the queue and gives CC 2 if there is none; repeated calls go on and give CC 1 after the last.
    /// </summary>
    static ExitReason? NextBlock(VirtualMachine vm, DiagnoseCall c, GuestMachine g, SpoolReader reader, bool print)
    {
        var cpu = vm.Cpu;
        uint at = Operand(vm, cpu.Gpr[c.Rx], SfblokSize, 1);
        return reader.Locked<ExitReason?>(() =>
        {
            int kind = print ? 4 : 8;
            bool repeated = reader.BlockCursor is { } cursor && reader.BlockKind == kind;
            var files = reader.Store.Queue(reader.UserId, SpoolQueue.Reader)
                .Where(f => (f.DeviceType is "PRT" or "CON") == print).ToList();
            int start = 0;
            if (repeated) start = files.FindIndex(f => f.Sequence > reader.BlockCursor!.Value) is var i && i >= 0 ? i : files.Count;
            if (start >= files.Count) return Done(cpu, repeated ? 1 : 2);
            var file = files[start];
            reader.BlockCursor = file.Sequence;
            reader.BlockKind = kind;
            Store(vm, at, Sfblok(file, reader.Store.InUse(file)));
            return Done(cpu, 0);
        });
    }

    /// <summary>X'000C': the file whose spoolid is in Rx goes to the head of the reader queue, to be the next one read.</summary>
    static ExitReason? Select(VirtualMachine vm, DiagnoseCall c, GuestMachine g, SpoolReader reader, SpoolStore store)
    {
        var cpu = vm.Cpu;
        uint id = cpu.Gpr[c.Rx];
        reader.BlockCursor = null;
        var file = id is >= 1 and <= SpoolStore.MaxSpoolId ? store.Find((int)id) : null;
        if (file == null || file.Queue != SpoolQueue.Reader || !file.Owner.Equals(reader.UserId, StringComparison.OrdinalIgnoreCase))
            return Done(cpu, 2);
        store.Order([file]);
        return Done(cpu, 0);
    }

    /// <summary>X'0010': Rx is the new copy count of the active file (not positive: specification exception; over 255: modulo 256).</summary>
    static ExitReason? Repeat(VirtualMachine vm, DiagnoseCall c, SpoolReader reader, SpoolStore store)
    {
        var cpu = vm.Cpu;
        int count = (int)cpu.Gpr[c.Rx];
        reader.BlockCursor = null;
        if (reader.Active is not { } f) return Done(cpu, 2);
        if (count <= 0) throw CpuState.Fault(ProgramInterruptCode.Specification);
        count = count > 255 ? count % 256 : count;
        if (count == 0) throw CpuState.Fault(ProgramInterruptCode.Specification);
        store.Change(f, copies: count);
        return Done(cpu, 0);
    }

    /// <summary>
    /// X'0FFF': Ry a spoolid or 0, Rx a 252-byte buffer. A nonzero Ry must be one of the caller's
    /// files (else CC 2); the next of the caller's files after it (or the first, for 0), of any
    /// queue and class, gives its SFBLOK and its tag record (none here: zeros); CC 1 when there is none.
    /// </summary>
    static ExitReason? NextFileDescriptor(VirtualMachine vm, DiagnoseCall c, GuestMachine g, SpoolStore? store)
    {
        var cpu = vm.Cpu;
        uint at = Operand(vm, cpu.Gpr[c.Rx], TagBufferSize, 1);
        if (store == null) return Done(cpu, 2);
        string user = g.Session.UserId!;
        var mine = new[] { SpoolQueue.Reader, SpoolQueue.Printer, SpoolQueue.Punch }
            .SelectMany(q => store.Queue(user, q)).OrderBy(f => f.Id).ToList();
        uint id = cpu.Gpr[c.Ry];
        int from = 0;
        if (id != 0)
        {
            int i = mine.FindIndex(f => f.Id == id);
            if (i < 0) return Done(cpu, 2);
            from = i + 1;
        }
        if (from >= mine.Count) return Done(cpu, 1);
        var buffer = new byte[TagBufferSize];
        Sfblok(mine[from], store.InUse(mine[from])).CopyTo(buffer, 0);
        Store(vm, at, buffer);
        return Done(cpu, 0);
    }

    /// <summary>
    /// The SFBLOK of a file (VM/370 R6 Data Areas and Control Block Logic, SFBLOK): user X'08',
    /// origin X'10', record count X'18', record size X'1C', spoolid X'1E', flags X'20' (X'80' in
    /// use, X'20' user hold), device type X'21', name X'28' and type X'34' (12 each), date X'40'
    /// and time X'48' (EBCDIC MM/DD/YY, HH:MM:SS), copies X'54', class X'56', dist X'58'. Pointers
    /// and DASD locations mean nothing to a guest and are zero.
    /// </summary>
    public static byte[] Sfblok(SpoolFile f, bool inUse)
    {
        var b = new byte[SfblokSize];
        Text(b, 0x08, f.Owner, 8);
        Text(b, 0x10, f.Origin, 8);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(0x18), f.RecordCount);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(0x1C), (ushort)(f.DeviceType is "PRT" or "CON" ? 132 : 80));
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(0x1E), (ushort)f.Id);
        b[0x20] = (byte)((inUse ? 0x80 : 0) | (f.UserHold ? 0x20 : 0));
        b[0x21] = f.DeviceType switch { "PRT" or "CON" => 0x41, _ => 0x82 };   // 1403, 2540 (the VM/370 device-type codes DIAG X'24' reports)
        Text(b, 0x28, f.FileName, 12);
        Text(b, 0x34, f.FileType, 12);
        Text(b, 0x40, $"{f.Created:MM/dd/yy}", 8);
        Text(b, 0x48, $"{f.Created:HH:mm:ss}", 8);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(0x54), (ushort)f.Copies);
        b[0x56] = Ebcdic.FromChar(f.Class);
        Text(b, 0x58, f.Dist, 8);
        return b;
    }

    static void Text(byte[] b, int at, string s, int length)
        => Ebcdic.FromString((s.Length > length ? s[..length] : s).PadRight(length)).CopyTo(b, at);
}
