using Jit360.Cp.Commands;
using Jit360.Cp.Directory;
using Jit360.Cp.Messages;
using Jit360.Cp.SavedSystems;
using Jit360.Cp.Spool;
using Jit360.Cp.VirtualMachines;
using Jit360.Machine.Channels;
using Jit360.Machine.Devices.Dasd;

namespace Jit360.Cp.Io;

/// <summary>
/// CP's I/O layer (<see cref="IDeviceServices"/>): builds each user's <see cref="GuestMachine"/>
/// at LOGON from the directory (console, minidisks on the real volumes, links), IPLs devices
/// and saved systems, and answers the device QUERYs. Sessions must have a <see cref="UserTerminal"/>.
/// </summary>
public sealed class VirtualDeviceServices(RealVolumes volumes, SavedSystemCatalog savedSystems, bool deterministic = false, string? spoolFolder = null) : IDeviceServices
{
    readonly Dictionary<CpSession, GuestMachine> guests = [];
    CpSystem? system;
    readonly SpoolStore spool = new(spoolFolder);

    /// <summary>The system's spool files, kept in the spool folder when there is one (else in storage only).</summary>
    public SpoolStore SpoolFiles => spool;

    /// <summary>The system whose sessions this layer serves (set once, after the CpSystem is made with this layer).</summary>
    public CpSystem System { get => system ?? throw new InvalidOperationException("no CpSystem attached"); set { system = value; spool.Clock = value.Clock; } }

    public GuestMachine? Guest(CpSession session) { lock (guests) return guests.GetValueOrDefault(session); }

    GuestMachine GuestOf(CpSession session) => Guest(session) ?? throw new CpCommandException(CpMessages.OperandMissing);

    public VirtualMachine CreateVirtualMachine(CpSession session, UserEntry user, bool automaticIpl)
    {
        var terminal = session.Terminal as UserTerminal
            ?? throw new CpUnavailableException("this terminal cannot drive a virtual machine");
        var g = new GuestMachine(System, session, terminal, savedSystems, user.Storage, deterministic);
        var console = user.Console ?? new ConsoleDefinition(0x009, "3215", null);
        g.Attach(new VirtualDevice(console.Address, VirtualDeviceClass.Console, console.DeviceType,
            new Jit360.Cp.Io.VirtualConsole(console.Address, "3215", terminal)));
        foreach (var sp in user.Spool) AttachSpoolDevice(g, user.UserId, sp);
        foreach (var m in user.Minidisks)
            TryAttachMinidisk(g, session, user.UserId, m, m.Address, m.Mode);
        foreach (var l in user.Links)
        {
            var owner = System.Directory.Find(l.UserId);
            var m = owner?.Minidisk(l.TheirAddress);
            if (m == null) { session.Terminal.Write($"{l.UserId} {l.TheirAddress:X3} NOT LINKED; NOT IN DIRECTORY"); continue; }
            TryAttachMinidisk(g, session, l.UserId, m, l.Address, l.Mode);
        }
        lock (guests) guests[session] = g;
        session.Machine = g.Machine;
        if (automaticIpl && user.Ipl is { } ipl)
        {
            // A directory IPL that fails leaves the user logged on in CP mode with the reason shown.
            try { Ipl(session, ipl.Target, ipl.Parm, false); }
            catch (CpCommandException e) { session.Write(e.CpMessage, e.Args); }
            catch (CpUnavailableException e) { session.Terminal.Write(e.Message); }
        }
        return g.Machine;
    }

    /// <summary>
    /// SPOOL statements: a virtual reader on the user's reader queue, a punch or printer whose
    /// files go to the spool (class from the statement; reader default *, others A).
    /// </summary>
    void AttachSpoolDevice(GuestMachine g, string userId, SpoolDefinition sp)
    {
        var function = sp.Function switch { SpoolFunction.Reader => VirtualDeviceClass.Reader, SpoolFunction.Punch => VirtualDeviceClass.Punch, _ => VirtualDeviceClass.Printer };
        g.Attach(SpoolDevice(userId, sp.Address, function, sp.DeviceType, sp.SpoolClass));
    }

    VirtualDevice SpoolDevice(string userId, ushort address, VirtualDeviceClass function, string type, char? cls)
    {
        IDevice device = function switch
        {
            VirtualDeviceClass.Reader => new SpoolReader(address, type, userId, new SpoolOptions { Class = cls ?? '*' }, spool),
            VirtualDeviceClass.Punch => new SpoolOutputDevice(address, type, SpoolQueue.Punch, userId, new SpoolOptions { Class = cls ?? 'A' }),
            _ => new SpoolOutputDevice(address, type, SpoolQueue.Printer, userId, new SpoolOptions { Class = cls ?? 'A' }),
        };
        return new VirtualDevice(address, function, type, device);
    }

    /// <summary>Closes the open file of every virtual punch and printer (LOGOFF, DETACH): CONT or not, the output is not lost.</summary>
    void CloseSpoolDevices(CpSession session, GuestMachine g, IEnumerable<VirtualDevice> devices)
    {
        foreach (var d in devices)
            if (d.Device is SpoolOutputDevice p)
                try { SpoolCommands.CloseOutput(System, session, spool, d, p, new SpoolCommands.CloseRequest()); }
                catch (CpCommandException e) { session.Write(e.CpMessage, e.Args); }
    }

    void TryAttachMinidisk(GuestMachine g, CpSession session, string owner, MinidiskDefinition m, ushort address, MinidiskMode mode)
    {
        var real = volumes.Find(m.Volser);
        if (real == null) { session.Write(CpMessages.VolumeNotMounted, owner, $"{m.Address:X3}", m.Volser); return; }
        var geometry = DasdGeometry.Find(m.DeviceType);
        if (geometry == null || geometry.Heads != real.Heads || geometry.TrackSlot != real.TrackSlot)
        {
            session.Terminal.Write($"{owner} {m.Address:X3} NOT LINKED; VOLID {m.Volser} IS NOT A {m.DeviceType}");
            return;
        }
        bool readOnly = !mode.Writes();
        MinidiskImage view;
        try { view = new MinidiskImage(real, m.StartCylinder, m.Cylinders, readOnly); }
        catch (ArgumentOutOfRangeException e) { session.Terminal.Write($"{owner} {m.Address:X3} NOT LINKED; {e.Message}"); return; }
        g.Attach(new VirtualDevice(address, VirtualDeviceClass.Dasd, m.DeviceType, new CkdDevice(address, m.DeviceType, geometry, view))
        {
            Volser = m.Volser, Cylinders = m.Cylinders, ReadOnly = readOnly,
        });
    }

    public void DestroyVirtualMachine(CpSession session)
    {
        GuestMachine? g;
        lock (guests) guests.Remove(session, out g);
        if (g == null) return;
        CloseSpoolDevices(session, g, g.Devices);
        ReleaseRealDevices(g);
        g.Dispose();
    }

    /// <summary>IPL a device address (the channel's IPL from that device) or a saved system by name (its pages, registers and PSW).</summary>
    public void Ipl(CpSession session, string target, string? parm, bool clear)
    {
        var g = GuestOf(session);
        var vm = g.Machine;
        g.Channels.SystemReset();
        lock (g.LoadedSegments) g.LoadedSegments.Clear();
        if (clear) vm.Cpu.Storage.Clear();
        if (DirectoryParser.TryAddress(target, out ushort address) && g.Find(address) != null)
        {
            var result = InitialProgramLoad.Run(vm.Cpu, g.Channels, address, TimeSpan.FromSeconds(30));
            if (!result.Success) throw new CpUnavailableException(result.Message);
            vm.LoadVirtualPsw(vm.Cpu.CurrentPsw(0, 0));
        }
        else
        {
            var system = savedSystems.Find(target);
            if (system == null || !system.Iplable)
                throw new CpCommandException(DirectoryParser.TryAddress(target, out _) ? IoMessages.DeviceDoesNotExist : IoMessages.SystemDoesNotExist, target);
            if (system.EndAddress > vm.Cpu.Storage.Size) throw new CpCommandException(IoMessages.SystemDoesNotExist, target);
            NamedSystemLoader.IplNamedSystem(vm, system);
            if (parm != null) LoadParm(vm.Cpu, parm);
        }
        session.State = SessionState.Running;
    }

    /// <summary>
    /// IPL ... PARM text: up to 64 characters, EBCDIC, padded with X'00', in general registers 0-15
    /// (four to a register). CMS, resuming after its SAVESYS, stores registers 0-15 at X'C0' and
    /// scans them for its IPL options (AUTOCR, ...) before reloading its own from X'180'.
    /// </summary>
    static void LoadParm(Jit360.Machine.CpuState cpu, string parm)
    {
        var bytes = new byte[64];
        Jit360.Architecture.Ebcdic.FromString(parm.Length > 64 ? parm[..64] : parm).CopyTo(bytes, 0);
        for (int r = 0; r < 16; r++)
            cpu.Gpr[r] = (uint)(bytes[4 * r] << 24 | bytes[4 * r + 1] << 16 | bytes[4 * r + 2] << 8 | bytes[4 * r + 3]);
    }

    public void Link(CpSession session, string userId, ushort theirAddress, ushort address, MinidiskMode mode, string? password)
    {
        var g = GuestOf(session);
        var owner = System.Directory.Find(userId) ?? throw new CpCommandException(CpMessages.NotInDirectory, userId);
        var m = owner.Minidisk(theirAddress) ?? throw new CpCommandException(IoMessages.DeviceDoesNotExist, $"{theirAddress:X3}");
        if (g.Find(address) != null) throw new CpCommandException(IoMessages.DeviceAlreadyDefined, $"{address:X3}");
        bool own = userId.Equals(session.UserId, StringComparison.OrdinalIgnoreCase);
        string? wanted = mode.Writes() ? m.WritePassword : m.ReadPassword;
        if (!own && (wanted == null || !wanted.Equals(password, StringComparison.OrdinalIgnoreCase)))
            throw new CpCommandException(CpMessages.PasswordIncorrect);
        TryAttachMinidisk(g, session, owner.UserId, m, address, mode);
    }

    /// <summary>A real device of the configuration that ATTACH can give to a user: its address, type and (for DASD) the volume mounted there.</summary>
    public sealed record RealDevice(ushort Address, string Type, string Volser);

    readonly Dictionary<ushort, RealDevice> realDevices = [];
    readonly Dictionary<ushort, (GuestMachine Guest, ushort Address)> attached = [];

    /// <summary>Makes a configuration's DASD at a real address available to ATTACH (the volume must be mounted in the real volumes).</summary>
    public void AddRealDevice(ushort address, string type, string volser)
    {
        lock (realDevices) realDevices[address] = new RealDevice(address, type.ToUpperInvariant(), volser);
    }

    /// <summary>
    /// ATTACH raddr [TO] userid [AS] vaddr (class B): a real DASD of the configuration becomes a
    /// dedicated device of a logged-on user, the whole volume read/write, until DETACH or LOGOFF.
    /// The user is told "DASD vaddr ATTACHED"; the issuer "DASD raddr ATTACHED TO userid vaddr".
    /// </summary>
    public void Attach(CpSession session, IReadOnlyList<string> operands)
    {
        var w = operands.Where(o => !o.Equals("TO", StringComparison.OrdinalIgnoreCase) && !o.Equals("AS", StringComparison.OrdinalIgnoreCase)).ToList();
        if (w.Count < 2 || !DirectoryParser.TryAddress(w[0], out ushort raddr)) throw new CpCommandException(CpMessages.OperandMissing);
        string who = w[1].ToUpperInvariant();
        if (who == "*") who = session.UserId!;
        ushort vaddr = raddr;
        if (w.Count > 2 && !DirectoryParser.TryAddress(w[2], out vaddr)) throw new CpCommandException(CpMessages.OperandMissing);
        if (w.Count > 3) throw new CpCommandException(CpMessages.InvalidOption, w[3].ToUpperInvariant());
        RealDevice? real;
        lock (realDevices) real = realDevices.GetValueOrDefault(raddr);
        if (real == null) throw new CpCommandException(IoMessages.DeviceDoesNotExist, $"{raddr:X3}");
        var target = System.Find(who);
        var g = target == null ? null : Guest(target);
        if (target == null || g == null) throw new CpCommandException(CpMessages.NotLoggedOn, who);
        var image = volumes.Find(real.Volser);
        var geometry = DasdGeometry.Find(real.Type);
        if (image == null || geometry == null) throw new CpCommandException(CpMessages.VolumeNotMounted, who, $"{vaddr:X3}", real.Volser);
        lock (attached)
        {
            if (attached.TryGetValue(raddr, out var holder))
                throw new CpCommandException(IoMessages.AlreadyAttached, $"{raddr:X3}", holder.Guest.Session.UserId ?? "");
            if (g.Find(vaddr) != null) throw new CpCommandException(SpoolMessages.DeviceAlreadyDefined, $"{vaddr:X3}");
            var view = new MinidiskImage(image, 0, image.Cylinders, readOnly: false);
            g.Attach(new VirtualDevice(vaddr, VirtualDeviceClass.Dasd, real.Type, new CkdDevice(vaddr, real.Type, geometry, view))
            {
                Volser = real.Volser, Cylinders = image.Cylinders, RealAddress = raddr,
            });
            attached[raddr] = (g, vaddr);
        }
        target.Terminal.Write($"DASD {vaddr:X3} ATTACHED");
        if (target != session) session.Terminal.Write($"DASD {raddr:X3} ATTACHED TO {who} {vaddr:X3}");
    }

    void ReleaseRealDevices(GuestMachine g, ushort? only = null)
    {
        lock (attached)
            foreach (var (raddr, holder) in attached.ToList())
                if (holder.Guest == g && (only == null || holder.Address == only)) attached.Remove(raddr);
    }

    public void Detach(CpSession session, IReadOnlyList<string> operands)
    {
        var g = GuestOf(session);
        if (operands.Count == 0 || !DirectoryParser.TryAddress(operands[0], out ushort address)) throw new CpCommandException(CpMessages.OperandMissing);
        var d = g.Find(address) ?? throw new CpCommandException(IoMessages.DeviceDoesNotExist, $"{address:X3}");
        CloseSpoolDevices(session, g, [d]);
        ReleaseRealDevices(g, address);
        g.Detach(address);
        session.Terminal.Write($"{ClassWord(d.Class)} {address:X3} DETACHED");
    }

    /// <summary>DEFINE READER|PUNCH|PRINTER|CONSOLE (or a device type: 2540, 3505, 3525, 1403, 3211, 3215) vaddr.</summary>
    public void Define(CpSession session, IReadOnlyList<string> operands)
    {
        var g = GuestOf(session);
        if (operands.Count == 0) throw new CpCommandException(CpMessages.OperandMissing);
        string what = operands[0].ToUpperInvariant();
        (VirtualDeviceClass Class, string Type)? kind = what switch
        {
            "READER" or "RDR" or "2540R" => (VirtualDeviceClass.Reader, "2540"),
            "3505" => (VirtualDeviceClass.Reader, "3505"),
            "PUNCH" or "PUN" or "PCH" or "2540P" => (VirtualDeviceClass.Punch, "2540"),
            "3525" => (VirtualDeviceClass.Punch, "3525"),
            "PRINTER" or "PRT" or "1403" => (VirtualDeviceClass.Printer, "1403"),
            "3211" => (VirtualDeviceClass.Printer, "3211"),
            "CONSOLE" or "3215" => (VirtualDeviceClass.Console, "3215"),
            _ => null,
        };
        if (kind == null && what.Length > 1 && what[0] == 'T' && DasdGeometry.Find(what[1..]) is { } geometry)
        {
            DefineTemporaryDisk(session, g, geometry, operands);
            return;
        }
        if (kind == null)
        {
            if (what is "STORAGE" or "STOR" or "CHANNELS" or "GRAF" or "3270")
                throw new CpUnavailableException($"DEFINE {what} is not provided");
            throw new CpCommandException(CpMessages.InvalidOption, what);
        }
        if (operands.Count < 2 || !DirectoryParser.TryAddress(operands[1], out ushort address)) throw new CpCommandException(CpMessages.OperandMissing);
        if (operands.Count > 2) throw new CpCommandException(CpMessages.InvalidOption, operands[2].ToUpperInvariant());
        if (g.Find(address) != null) throw new CpCommandException(SpoolMessages.DeviceAlreadyDefined, $"{address:X3}");
        var (cls, type) = kind.Value;
        if (cls == VirtualDeviceClass.Console)
        {
            if (g.Console != null) throw new CpCommandException(SpoolMessages.DeviceAlreadyDefined, $"{g.ConsoleAddress:X3}");
            var terminal = (UserTerminal)session.Terminal;
            g.Attach(new VirtualDevice(address, cls, type, new VirtualConsole(address, "3215", terminal)));
        }
        else g.Attach(SpoolDevice(session.UserId!, address, cls, type, null));
        session.Terminal.Write($"{ClassWord(cls)} {address:X3} DEFINED");
    }

    /// <summary>DEFINE T2314|T3330|T3340|T3350 [AS] vaddr CYL nnn: a temporary disk, empty, in host storage ("DASD vaddr DEFINED").</summary>
    void DefineTemporaryDisk(CpSession session, GuestMachine g, DasdGeometry geometry, IReadOnlyList<string> operands)
    {
        var w = operands.Skip(1).Where(o => !o.Equals("AS", StringComparison.OrdinalIgnoreCase)).ToList();
        if (w.Count != 3 || !DirectoryParser.TryAddress(w[0], out ushort address) || !w[1].Equals("CYL", StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(w[2], out int cylinders) || cylinders < 1)
            throw new CpCommandException(CpMessages.OperandMissing);
        if (cylinders > geometry.Cylinders) throw new CpCommandException(CpMessages.InvalidOption, w[2]);
        if (g.Find(address) != null) throw new CpCommandException(SpoolMessages.DeviceAlreadyDefined, $"{address:X3}");
        var disk = new TemporaryDisk(geometry, cylinders);
        g.Attach(new VirtualDevice(address, VirtualDeviceClass.Dasd, geometry.Name, new CkdDevice(address, geometry.Name, geometry, new MinidiskImage(disk, 0, cylinders, readOnly: false)))
        {
            Volser = "(TEMP)", Cylinders = cylinders,
        });
        session.Terminal.Write($"DASD {address:X3} DEFINED");
    }

    public void Spool(CpSession session, IReadOnlyList<string> operands)
        => SpoolCommands.Spool(System, session, GuestOf(session), spool, operands);

    public void Close(CpSession session, IReadOnlyList<string> operands)
        => SpoolCommands.Close(System, session, GuestOf(session), spool, operands);

    /// <summary>QUERY VIRTUAL [DASD|CONS|vaddr], QUERY DASD, QUERY vaddr.</summary>
    public bool Query(CpSession session, IReadOnlyList<string> operands)
    {
        if (SpoolCommands.Query(session, spool, operands)) return true;
        var g = GuestOf(session);
        string what = operands[0].ToUpperInvariant();
        IEnumerable<VirtualDevice> list;
        if (what is "VIRTUAL" or "V")
        {
            if (operands.Count == 1)
            {
                session.Terminal.Write($"STORAGE = {g.StorageSize / 1024:D5}K");
                list = g.Devices;
            }
            else list = Select(g, operands[1]) ?? throw new CpCommandException(CpMessages.InvalidOption, operands[1].ToUpperInvariant());
        }
        else if (Select(g, operands[0]) is { } selected) list = selected;
        else return false;
        var lines = list.SelectMany(QueryLines).ToList();
        if (lines.Count == 0 && DirectoryParser.TryAddress(operands[^1], out ushort a)) throw new CpCommandException(IoMessages.DeviceDoesNotExist, $"{a:X3}");
        foreach (var line in lines) session.Terminal.Write(line);
        return true;
    }

    static IEnumerable<VirtualDevice>? Select(GuestMachine g, string operand)
    {
        string o = operand.ToUpperInvariant();
        if (o == "DASD") return g.Devices.Where(d => d.Class == VirtualDeviceClass.Dasd);
        if (o == "UR") return g.Devices.Where(d => d.Class is VirtualDeviceClass.Reader or VirtualDeviceClass.Punch or VirtualDeviceClass.Printer);
        if (o is "CONS" or "CONSOLE") return g.Devices.Where(d => d.Class == VirtualDeviceClass.Console);
        if (DirectoryParser.TryAddress(o, out ushort a)) return g.Devices.Where(d => d.Address == a);
        return null;
    }

    /// <summary>QUERY VIRTUAL lines: a spooled device shows its SPOOL options ("PUN  00D CL A NOCONT NOHOLD COPY 01 READY", then "     00D TO U02" when spooled to a user).</summary>
    static IEnumerable<string> QueryLines(VirtualDevice d)
    {
        switch (d.Device)
        {
            case SpoolReader r:
                var o = r.Options;
                yield return $"RDR  {d.Address:X3} CL {o.Class} {(o.Cont ? "CONT  " : "NOCONT")} {(o.Hold ? "HOLD  " : "NOHOLD")} {(o.Eof ? "EOF  " : "NOEOF")}  {(r.Active == null ? "READY" : "OPEN " + r.Active.Id.ToString("D4"))}";
                break;
            case SpoolOutputDevice p:
                var q = p.Options;
                yield return $"{ClassWord(d.Class),-4} {d.Address:X3} CL {q.Class} {(q.Cont ? "CONT  " : "NOCONT")} {(q.Hold ? "HOLD  " : "NOHOLD")} COPY {q.Copies:D2} READY";
                if (q.To != null) yield return $"     {d.Address:X3} TO {q.To}";
                else if (q.For != null) yield return $"     {d.Address:X3} FOR {q.For}";
                break;
            default:
                yield return d.QueryLine;
                break;
        }
    }

    static string ClassWord(VirtualDeviceClass c) => c switch
    {
        VirtualDeviceClass.Console => "CONS",
        VirtualDeviceClass.Dasd => "DASD",
        VirtualDeviceClass.Reader => "RDR",
        VirtualDeviceClass.Punch => "PUN",
        _ => "PRT",
    };
}

/// <summary>Messages of the I/O layer (unconfirmed ids, as in <see cref="CpMessages"/>).</summary>
public static class IoMessages
{
    public static readonly CpMessage DeviceDoesNotExist = new("CFM", 40, 'E', "DEV {0} DOES NOT EXIST", false);
    public static readonly CpMessage SystemDoesNotExist = new("CFG", 40, 'E', "SYSTEM {0} DOES NOT EXIST", false);
    public static readonly CpMessage DeviceAlreadyDefined = new("LNK", 110, 'E', "DASD {0} ALREADY DEFINED", false);
    public static readonly CpMessage AlreadyAttached = new("ATT", 121, 'E', "DEV {0} ALREADY ATTACHED TO {1}", false);
}
