using Jit360.Architecture;
using Jit360.Cp.Commands;
using Jit360.Cp.Messages;
using Jit360.Cp.SavedSystems;
using Jit360.Cp.VirtualMachines;
using Jit360.Machine;
using Jit360.Machine.Channels;

namespace Jit360.Cp.Io;

/// <summary>
/// The DIAGNOSE codes CMS issues, with the register conventions of the VM/370 System
/// Programmer's Guide ("DIAGNOSE Instruction in a Virtual Machine"); where that guide leaves a
/// value open, the values VM/370 R6 CP returns as recorded by emx370 (read for facts). Operand
/// addresses are 24-bit real addresses of the virtual machine; one outside its storage is an
/// addressing exception, a misaligned one a specification exception, reflected to the guest.
/// </summary>
public static class CmsDiagnoses
{
    public static void Register(DiagnoseTable table, GuestMachine g)
    {
        var recorded = new RecordingTable(table, g);
        Register(recorded, g);
    }

    /// <summary>Registers each handler so that every call is noted in the guest's recent events.</summary>
    sealed class RecordingTable(DiagnoseTable table, GuestMachine g)
    {
        public void Register(int code, Func<VirtualMachine, DiagnoseCall, ExitReason?> handler)
            => table.Register(code, (vm, c) =>
            {
                uint rx = vm.Cpu.Gpr[c.Rx], ry = vm.Cpu.Gpr[c.Ry];
                var exit = handler(vm, c);
                g.Record($"DIAG {code:X2} Rx=R{c.Rx}:{rx:X8} Ry=R{c.Ry}:{ry:X8} -> cc {vm.Cpu.Cc} Rx {vm.Cpu.Gpr[c.Rx]:X8} Ry {vm.Cpu.Gpr[c.Ry]:X8} R15 {vm.Cpu.Gpr[15]:X8}{(exit is { } x ? " " + x : "")}");
                return exit;
            });
    }

    static void Register(RecordingTable table, GuestMachine g)
    {
        table.Register(0x00, (vm, c) => StoreExtendedIdentification(vm, c, g));
        table.Register(0x08, (vm, c) => ConsoleFunction(vm, c, g));
        table.Register(0x0C, (vm, c) => PseudoTimer(vm, c, g));
        table.Register(0x10, (vm, c) => ReleasePages(vm, c));
        table.Register(0x14, (vm, c) => InputSpoolDiagnose.Execute(vm, c, g));
        table.Register(0x18, (vm, c) => DasdIo(vm, c, g));
        table.Register(0x20, (vm, c) => GeneralIo(vm, c, g));
        table.Register(0x24, (vm, c) => DeviceType(vm, c, g));
        table.Register(0x58, (vm, c) => DisplayConsole(vm, c, g));
        table.Register(0x5C, (vm, c) => ErrorMessageEditing(vm, c, g));
        table.Register(0x60, (vm, c) => { vm.Cpu.Gpr[c.Rx] = g.StorageSize; return null; });
        table.Register(0x64, (vm, c) => NamedSegment(vm, c, g));
        table.Register(0x68, (vm, c) => Vmcf(vm, c));
    }

    /// <summary>A guest operand: the address (24 bits) must leave <paramref name="length"/> bytes inside storage.</summary>
    static uint Operand(VirtualMachine vm, uint address, int length, int alignment = 1)
    {
        uint a = address & 0x00FF_FFFF;
        if (a % alignment != 0) throw CpuState.Fault(ProgramInterruptCode.Specification);
        if ((ulong)a + (ulong)length > vm.Cpu.Storage.Size) throw CpuState.Fault(ProgramInterruptCode.Addressing);
        return a;
    }

    static void Store(VirtualMachine vm, uint at, ReadOnlySpan<byte> data)
    {
        vm.Cpu.Storage.Load(at, data);
        vm.Cpu.Storage.Written(at, data.Length);
    }

    /// <summary>X'00': Rx = address, Ry = length; the 40-byte identification, cut to the length (system name, version X'6FFAFC', version code X'FD' as SixPack 1.2 returns them, MCEL, CPU address, user id, program-product bit map).</summary>
    static ExitReason? StoreExtendedIdentification(VirtualMachine vm, DiagnoseCall c, GuestMachine g)
    {
        var id = new byte[40];
        Ebcdic.FromString("VM/370  ").CopyTo(id, 0);
        id[8] = 0x6F; id[9] = 0xFA; id[10] = 0xFC; id[11] = 0xFD;
        Ebcdic.FromString((g.Session.UserId ?? "").PadRight(8)).CopyTo(id, 16);
        int n = (int)Math.Min(vm.Cpu.Gpr[c.Ry], (uint)id.Length);
        if (n <= 0) return null;
        uint at = Operand(vm, vm.Cpu.Gpr[c.Rx], n);
        Store(vm, at, id.AsSpan(0, n));
        return null;
    }

    /// <summary>
    /// X'08': Rx = command address, Ry = length (bits 8-31; X'40000000' asks for the response in
    /// the buffer at Rx+1, length Ry+1). Length 0 puts the terminal in CP mode. Ry gets CP's
    /// return code; with a buffer, Ry+1 gets the response length and CC 0, or the bytes that did
    /// not fit and CC 1. An unknown command gives return code 1 without CP's message: CMS then
    /// answers with its own "Unknown CP/CMS command".
    /// </summary>
    static ExitReason? ConsoleFunction(VirtualMachine vm, DiagnoseCall c, GuestMachine g)
    {
        var cpu = vm.Cpu;
        uint word = cpu.Gpr[c.Ry];
        int length = (int)(word & 0x00FF_FFFF);
        bool buffered = (word & 0x4000_0000) != 0;
        if (length == 0)
        {
            g.Session.State = SessionState.CpRead;
            return ExitReason.Stopped;
        }
        if (length > 240 || (buffered && (c.Rx == 15 || c.Ry == 15 || Math.Abs(c.Rx - c.Ry) < 2)))
            throw CpuState.Fault(ProgramInterruptCode.Specification);
        uint at = Operand(vm, cpu.Gpr[c.Rx], length);
        string line = Ebcdic.ToString(cpu.Storage.Span(at, length)).TrimEnd();
        string word0 = line.TrimStart().Split(' ', 2)[0];
        int rc;
        var command = g.System.Commands.Find(word0);
        if (word0.Length == 0) rc = 0;
        else if (command == null || !command.AllowedFor(g.Session.PrivilegeClasses)) rc = 1;
        else if (buffered)
        {
            rc = 0;
            var lines = g.Terminal.Capture(() => rc = g.System.Execute(g.Session, line));
            var response = Ebcdic.FromString(string.Join("\n", lines));
            for (int i = 0; i < response.Length; i++) if (response[i] == Ebcdic.FromChar('\n')) response[i] = 0x15;
            uint bufferAt = cpu.Gpr[c.Rx + 1] & 0x00FF_FFFF;
            int room = (int)Math.Min(cpu.Gpr[c.Ry + 1], 0x00FF_FFFFu);
            int n = Math.Min(room, response.Length);
            if (n > 0) Store(vm, Operand(vm, bufferAt, n), response.AsSpan(0, n));
            cpu.Gpr[c.Ry + 1] = (uint)(response.Length <= room ? response.Length : response.Length - room);
            cpu.Cc = response.Length <= room ? 0 : 1;
        }
        else rc = g.System.Execute(g.Session, line);
        cpu.Gpr[c.Ry] = (uint)rc;
        // A command that logged off, re-IPLed with CLEAR or stopped the machine ends this slice.
        if (g.Session.Machine != vm || g.Session.State != SessionState.Running) return ExitReason.Stopped;
        return null;
    }

    /// <summary>X'0C': at Rx (doubleword), 32 bytes: date MM/DD/YY, time HH:MM:SS, virtual and total CPU time in microseconds.</summary>
    static ExitReason? PseudoTimer(VirtualMachine vm, DiagnoseCall c, GuestMachine g)
    {
        uint at = Operand(vm, vm.Cpu.Gpr[c.Rx], 32, 8);
        var now = g.System.Now;
        var data = new byte[32];
        Ebcdic.FromString($"{now:MM/dd/yy}{now:HH:mm:ss}").CopyTo(data, 0);
        long micros = (long)g.Session.VirtualCpu.TotalMicroseconds;
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(16), micros);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(24), micros);
        Store(vm, at, data);
        return null;
    }

    /// <summary>X'10': release pages Rx..Ry. Storage here is not paged, so there is nothing to release; the operands are still checked (page addresses, Rx not above Ry).</summary>
    static ExitReason? ReleasePages(VirtualMachine vm, DiagnoseCall c)
    {
        uint first = vm.Cpu.Gpr[c.Rx] & 0x00FF_FFFF, last = vm.Cpu.Gpr[c.Ry] & 0x00FF_FFFF;
        if (first > last) throw CpuState.Fault(ProgramInterruptCode.Specification);
        return null;
    }

    /// <summary>
    /// X'18': standard DASD I/O. Rx = device address, Ry = address of the CCW string (seek,
    /// search, TIC, read or write, for 800-byte CMS blocks), run to its end before the guest
    /// goes on, with no interruption. CC 0 done; CC 1 with R15 = 1 no such device, 2 not a
    /// DASD, 3 write to a read-only disk, 4 cylinder outside the minidisk; CC 2 with R15 = 5 the
    /// CCW string is not on a doubleword or is invalid; CC 3 with R15 = 13 an uncorrectable error.
    /// </summary>
    static ExitReason? DasdIo(VirtualMachine vm, DiagnoseCall c, GuestMachine g)
    {
        var cpu = vm.Cpu;
        var device = g.Find((ushort)cpu.Gpr[c.Rx]);
        if (device == null || cpu.Gpr[c.Rx] > 0xFFFF) return Fail(cpu, 1, 1);
        if (device.Class != VirtualDeviceClass.Dasd) return Fail(cpu, 1, 2);
        var csw = RunSynchronously(cpu, g, device, cpu.Gpr[c.Ry]);
        if (csw == null) return Fail(cpu, 2, 5);
        var end = csw.Value;
        if ((end.Channel & ~ChannelStatus.IncorrectLength) != 0) return Fail(cpu, 2, 5);
        if ((end.Unit & UnitStatus.UnitCheck) != 0)
        {
            var sense = Sense(device);
            if ((sense[1] & Jit360.Machine.Devices.Dasd.CkdSense.FileProtected) != 0) return Fail(cpu, 1, 3);
            if ((sense[0] & Jit360.Machine.Devices.Dasd.CkdSense.SeekCheck) != 0) return Fail(cpu, 1, 4);
            return Fail(cpu, 3, 13);
        }
        if ((end.Unit & (UnitStatus.UnitException | UnitStatus.Busy)) != 0 || (end.Channel & ChannelStatus.IncorrectLength) != 0)
            return Fail(cpu, 3, 13);
        cpu.Cc = 0;
        return null;
    }

    /// <summary>
    /// X'20': general I/O on any virtual device, Rx = device address, Ry = CCW string, run to its
    /// end. CC 0 done; CC 1 R15 = 1 no such device; CC 2 R15 = 2 unit exception; CC 3 R15 = 13
    /// a permanent error, with sense bytes 0-1 in the right half of Ry; CC 2 R15 = 5 a bad CCW string.
    /// </summary>
    static ExitReason? GeneralIo(VirtualMachine vm, DiagnoseCall c, GuestMachine g)
    {
        var cpu = vm.Cpu;
        var device = g.Find((ushort)cpu.Gpr[c.Rx]);
        if (device == null || cpu.Gpr[c.Rx] > 0xFFFF) return Fail(cpu, 1, 1);
        var csw = RunSynchronously(cpu, g, device, cpu.Gpr[c.Ry]);
        if (csw == null) return Fail(cpu, 2, 5);
        var end = csw.Value;
        if ((end.Unit & UnitStatus.UnitException) != 0) return Fail(cpu, 2, 2);
        if ((end.Unit & UnitStatus.UnitCheck) != 0 || (end.Channel & ~ChannelStatus.IncorrectLength) != 0)
        {
            var sense = Sense(device);
            cpu.Gpr[c.Ry] = (cpu.Gpr[c.Ry] & 0xFFFF_0000) | (uint)(sense[0] << 8 | sense[1]);
            return Fail(cpu, 3, 13);
        }
        cpu.Cc = 0;
        return null;
    }

    static ExitReason? Fail(CpuState cpu, int cc, uint r15)
    {
        cpu.Gpr[15] = r15;
        cpu.Cc = cc;
        return null;
    }

    /// <summary>Runs the guest's CCW string at <paramref name="ccwAddress"/> on the device with key 0; null if the address or the first CCW is invalid.</summary>
    static Csw? RunSynchronously(CpuState cpu, GuestMachine g, VirtualDevice device, uint ccwAddress)
    {
        uint at = ccwAddress & 0x00FF_FFFF;
        if ((at & 7) != 0 || at + 8 > cpu.Storage.Size) return null;
        var first = Ccw.Decode(cpu.Storage.ReadDoublewordAbsolute(at));
        if (first.IsTic || first.InvalidCommand || first.Count == 0 || first.InvalidFlags(s370: true)) return null;
        // RunToEnd is handed the first CCW and the address it came from; chaining continues at at + 8.
        return g.Channels.RunToEnd(device.Address, first, TimeSpan.FromSeconds(30), at);
    }

    static byte[] Sense(VirtualDevice device)
    {
        var x = new CcwExecution { Command = 0x04, Count = 32 };
        device.Device.Execute(x);
        return x.Buffer[..32];
    }

    /// <summary>
    /// X'24': Rx = device address (-1: the virtual console, whose address is returned in Rx).
    /// Ry = VDEVTYPC VDEVTYPE VDEVSTAT VDEVFLAG, Ry+1 (unless Ry is 15) = RDEVTYPC RDEVTYPE RDEVMDL
    /// RDEVFTR; CC 0. CC 3 when the device does not exist.
    /// </summary>
    static ExitReason? DeviceType(VirtualMachine vm, DiagnoseCall c, GuestMachine g)
    {
        var cpu = vm.Cpu;
        uint address = cpu.Gpr[c.Rx];
        if (address == 0xFFFF_FFFF)
        {
            if (g.ConsoleAddress == 0xFFFF) { cpu.Cc = 3; return null; }
            address = g.ConsoleAddress;
            cpu.Gpr[c.Rx] = address;
        }
        var device = address <= 0xFFFF ? g.Find((ushort)address) : null;
        if (device == null) { cpu.Cc = 3; return null; }
        cpu.Gpr[c.Ry] = device.VirtualInfo;
        if (c.Ry < 15) cpu.Gpr[c.Ry + 1] = device.RealInfo;
        cpu.Cc = 0;
        return null;
    }

    /// <summary>
    /// X'58': 3270 console I/O. Rx = CCW address, Ry = device address. The consoles here are
    /// 3215s: the line-mode write (command X'19') prints its data on the console; a full-screen
    /// command (X'29' write, X'2A' read) cannot be done on a line terminal and ends with CC 1.
    /// CC 1 also when the device is not the console.
    /// </summary>
    static ExitReason? DisplayConsole(VirtualMachine vm, DiagnoseCall c, GuestMachine g)
    {
        var cpu = vm.Cpu;
        uint at = Operand(vm, cpu.Gpr[c.Rx], 8, 8);
        var device = g.Find((ushort)(cpu.Gpr[c.Ry] & 0xFFFF));
        if (device?.Class != VirtualDeviceClass.Console) { cpu.Cc = 1; return null; }
        var ccw = Ccw.Decode(cpu.Storage.ReadDoublewordAbsolute(at));
        if (ccw.Command != 0x19) { cpu.Cc = 1; return null; }
        uint data = Operand(vm, ccw.DataAddress, ccw.Count);
        g.Terminal.Print(Ebcdic.ToString(cpu.Storage.Span(data, ccw.Count)).TrimEnd() + "\n");
        cpu.Cc = 0;
        return null;
    }

    /// <summary>
    /// X'5C': Rx = message address, Ry = length; CP edits them as the user's SET EMSG says: ON
    /// leaves both, TEXT skips the 10-character code and its blank, CODE keeps the code only,
    /// OFF makes the length 0.
    /// </summary>
    static ExitReason? ErrorMessageEditing(VirtualMachine vm, DiagnoseCall c, GuestMachine g)
    {
        var cpu = vm.Cpu;
        uint address = cpu.Gpr[c.Rx];
        int length = (int)cpu.Gpr[c.Ry];
        switch (g.Session.Emsg)
        {
            case EmsgMode.Off: length = 0; break;
            case EmsgMode.Code: length = Math.Min(length, 10); break;
            case EmsgMode.Text:
                int skip = Math.Min(Math.Max(length, 0), 11);
                address += (uint)skip; length -= skip; break;
        }
        cpu.Gpr[c.Rx] = address;
        cpu.Gpr[c.Ry] = (uint)Math.Max(length, 0);
        return null;
    }

    /// <summary>
    /// X'64': named segments. Rx = address of the 8-character name, Ry = subcode: 0 LOADSYS
    /// (shared) and 4 (non-shared) copy the segment in and return its start address in Rx, CC 0;
    /// X'0C' FINDSYS returns start and end address in Rx and Ry, CC 0 if loaded, 1 if not; 8
    /// PURGESYS, CC 0 if it was loaded, 1 if not. An unknown name: CC 2, Ry = 44.
    /// </summary>
    static ExitReason? NamedSegment(VirtualMachine vm, DiagnoseCall c, GuestMachine g)
    {
        var cpu = vm.Cpu;
        uint at = Operand(vm, cpu.Gpr[c.Rx], 8);
        string name = Ebcdic.ToString(cpu.Storage.Span(at, 8)).TrimEnd();
        uint subcode = cpu.Gpr[c.Ry];
        if (subcode is not (0 or 4 or 8 or 0x0C)) throw CpuState.Fault(ProgramInterruptCode.Specification);
        SavedSystem? segment = name.Length == 0 || name.Contains(' ') ? null : g.SavedSystems.Find(name);
        if (segment == null || segment.EndAddress > cpu.Storage.Size) { cpu.Gpr[c.Ry] = 44; cpu.Cc = 2; return null; }
        switch (subcode)
        {
            case 0 or 4:
                NamedSystemLoader.AttachSegment(cpu, segment);
                lock (g.LoadedSegments) g.LoadedSegments.Add(segment.Name);
                cpu.Gpr[c.Rx] = segment.LoadAddress;
                cpu.Cc = 0;
                break;
            case 0x0C:
                bool loaded;
                lock (g.LoadedSegments) loaded = g.LoadedSegments.Contains(segment.Name);
                cpu.Gpr[c.Rx] = segment.LoadAddress;
                cpu.Gpr[c.Ry] = segment.EndAddress - 1;
                cpu.Cc = loaded ? 0 : 1;
                break;
            default:
                lock (g.LoadedSegments) cpu.Cc = g.LoadedSegments.Remove(segment.Name) ? 0 : 1;
                break;
        }
        return null;
    }

    /// <summary>
    /// X'68': the Virtual Machine Communication Facility (System Programmer's Guide R6, "DIAGNOSE
    /// X'68' return codes": the return code goes in Ry). No virtual machine here is authorised
    /// for VMCF communication, so every request gets return code 5, "user not available".
    /// </summary>
    static ExitReason? Vmcf(VirtualMachine vm, DiagnoseCall c)
    {
        vm.Cpu.Gpr[c.Ry] = 5;
        return null;
    }
}
