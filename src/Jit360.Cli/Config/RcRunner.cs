using System.Globalization;
using System.Text;
using Jit360.Machine;

namespace Jit360.Cli.Config;

/// <summary>
/// Carries out an rc script's commands on a bare machine, as Hercules' panel would:
/// <c>start</c> sets the CPU going and the script goes on; <c>ipl DEV</c> loads from a device
/// and starts the CPU; <c>pause N</c> waits N seconds (or less, if the CPU stops first: a
/// stopped CPU changes nothing); <c>stop</c> stops the CPU; <c>quit</c> stops it for good.
/// <see cref="Execute"/> also serves single commands typed at the operator's panel.
/// </summary>
public sealed class RcRunner(BareMachine machine, TextWriter output)
{
    readonly TextWriter o = output;

    /// <summary>Set from another thread (a signal) to end <see cref="Run"/> before its next command.</summary>
    public volatile bool Abandoned;

    /// <summary>The CPU is stopped because the operator said <c>stop</c> (not by itself): the session goes on.</summary>
    public volatile bool StoppedByOperator;

    /// <summary>Runs every command; returns true if the script ended with <c>quit</c>.</summary>
    public bool Run(RcScript script)
    {
        foreach (var c in script.Commands)
        {
            if (Abandoned) return false;
            if (Execute(c, script.File)) return true;
        }
        return false;
    }

    /// <summary>Carries out one command; returns true for quit. A command that cannot be carried out throws <see cref="ConfigError"/>.</summary>
    public bool Execute(RcCommand c, string file)
    {
        var ops = c.Operands;
        switch (c.Verb)
        {
            case "loadcore": LoadCore(c, file); break;
            case "psw":
                if (ops.Count > 0) { RequireStopped(c, file); AlterPsw(ops); }
                o.WriteLine($"PSW={machine.PswText}");
                break;
            case "r": Storage(ops[0], c, file); break;
            case "gpr":
                if (ops.Count == 1)
                {
                    RequireStopped(c, file);
                    RcScript.TryGprAlter(ops[0], out int r, out uint v);
                    machine.Cpu.Gpr[r] = v;
                }
                DisplayGprs();
                break;
            case "start":
                if (machine.IsRunning) throw new ConfigError(file, c.Line, "start: the CPU is already running");
                StoppedByOperator = false;
                machine.Start();
                break;
            case "stop":
                if (machine.IsRunning)
                {
                    StoppedByOperator = true;
                    machine.Stop();
                    o.WriteLine($"JIT360 CPU stopped, PSW={machine.PswText}; start resumes, quit ends");
                }
                break;
            case "ipl": Ipl(c, file); break;
            case "devlist":
                foreach (var d in machine.Channels.Devices) o.WriteLine($"{d.Number:X4} {d.Type} {d.Describe()}");
                break;
            case "attach":
            {
                RcScript.TryDeviceNumber(ops[0], out ushort number);
                try { machine.Attach(number, ops[1], ops.Skip(2).ToList()); }
                catch (Jit360.Machine.Channels.DeviceConfigException e) { throw new ConfigError(file, c.Line, $"attach {number:X4} {ops[1]}: {e.Message}"); }
                o.WriteLine($"JIT360 device {number:X4} attached");
                break;
            }
            case "detach":
            {
                RcScript.TryDeviceNumber(ops[0], out ushort number);
                if (!machine.Channels.Detach(number)) throw new ConfigError(file, c.Line, $"detach: device {number:X4} does not exist");
                o.WriteLine($"JIT360 device {number:X4} detached");
                break;
            }
            case "pause":
                machine.WaitForStop(TimeSpan.FromSeconds(double.Parse(ops[0], CultureInfo.InvariantCulture)));
                break;
            case "quit":
                if (machine.IsRunning) machine.Stop();
                return true;
        }
        return false;
    }

    /// <summary>Hercules' <c>ipl</c>: the CPU must be stopped; a successful load starts it.</summary>
    void Ipl(RcCommand c, string file)
    {
        RcScript.TryDeviceNumber(c.Operands[0], out ushort number);
        if (machine.IsRunning) throw new ConfigError(file, c.Line, "ipl: the CPU is running; stop it first");
        var result = machine.Ipl(number);
        if (!result.Success) throw new ConfigError(file, c.Line, result.Message);
        o.WriteLine($"JIT360 {result.Message}");
        StoppedByOperator = false;
        machine.Start();
    }

    void RequireStopped(RcCommand c, string file)
    {
        if (machine.IsRunning) throw new ConfigError(file, c.Line, $"{c.Verb}: the CPU is running; alter registers and the PSW while it is stopped");
    }

    void LoadCore(RcCommand c, string file)
    {
        string name = c.Operands[0];
        uint address = 0;
        if (c.Operands.Count == 2)
        {
            RcScript.TryHex(c.Operands[1], out ulong a);
            if (a >= machine.Cpu.Storage.Size) throw new ConfigError(file, c.Line, $"loadcore: address {a:X} is outside storage ({machine.Cpu.Storage.Size:X} bytes)");
            address = (uint)a;
        }
        // A relative name is looked up as Hercules does (current directory), then beside the rc script.
        string path = name;
        if (!Path.IsPathRooted(name) && !File.Exists(name))
        {
            string beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", name);
            if (File.Exists(beside)) path = beside;
        }
        byte[] image;
        try { image = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new ConfigError(file, c.Line, $"loadcore: cannot read {name}: {e.Message}"); }
        try { machine.LoadCore(image, address); }
        catch (InvalidOperationException e) { throw new ConfigError(file, c.Line, $"loadcore {name}: {e.Message}"); }
        o.WriteLine($"JIT360 loaded {image.Length} bytes from {name} at {address:X6}");
    }

    /// <summary>
    /// Hercules' psw operands: the PSW is rebuilt as a doubleword with the named fields replaced
    /// and loaded, so the format rules (BC/EC, Model 67 extended) apply exactly as to LPSW.
    /// </summary>
    void AlterPsw(IReadOnlyList<string> ops)
    {
        var cpu = machine.Cpu;
        ulong w = cpu.CurrentPsw(0, 0);
        var fields = ops.Select(op => op.Split('=', 2)).ToDictionary(p => p[0].ToLowerInvariant(), p => { RcScript.TryHex(p[1], out ulong v); return v; });
        if (fields.TryGetValue("sm", out ulong sm)) w = w & ~(0xFFUL << 56) | sm << 56;
        if (fields.TryGetValue("pk", out ulong pk)) w = w & ~(0xFUL << 52) | pk << 52;
        if (fields.TryGetValue("cmwp", out ulong cmwp)) w = w & ~(0xFUL << 48) | cmwp << 48;
        bool ec = cpu.IsS370 && (w & 1UL << 51) != 0;
        bool ext67 = cpu.Extended67;
        int ccShift = ec || ext67 ? 44 : 28, pmShift = ec || ext67 ? 40 : 24;
        ulong iaMask = ext67 ? 0xFFFF_FFFFUL : 0x00FF_FFFFUL;
        if (fields.TryGetValue("cc", out ulong cc)) w = w & ~(3UL << ccShift) | cc << ccShift;
        if (fields.TryGetValue("pm", out ulong pm)) w = w & ~(0xFUL << pmShift) | pm << pmShift;
        if (fields.TryGetValue("ia", out ulong ia)) w = w & ~iaMask | ia & iaMask;
        cpu.LoadPsw(w);
    }

    void Storage(string op, RcCommand c, string file)
    {
        RcScript.TryStorageOperand(op, out uint address, out uint length, out byte[]? alter);
        var st = machine.Cpu.Storage;
        if ((ulong)address + length > st.Size)
            throw new ConfigError(file, c.Line, $"r {op}: beyond the end of storage ({st.Size:X} bytes)");
        if (alter != null)
        {
            st.Load(address, alter);
            machine.Cpu.OnStore(address, alter.Length);
        }
        for (uint a = address; a < address + length; a += 16)
        {
            int n = (int)Math.Min(16, address + length - a);
            var line = new StringBuilder($"R:{a:X8}:K:{st.GetKey(a):X2}=");
            for (int i = 0; i < 16; i++)
            {
                if (i > 0 && i % 4 == 0) line.Append(' ');
                line.Append(i < n ? st.Bytes[a + i].ToString("X2") : "  ");
            }
            line.Append(" *");
            for (int i = 0; i < n; i++) line.Append(Ebcdic.Printable(st.Bytes[a + i]));
            line.Append('*');
            o.WriteLine(line.ToString());
        }
    }

    void DisplayGprs()
    {
        var cpu = machine.Cpu;
        for (int r = 0; r < 16; r += 4)
            o.WriteLine($"GR{r:D2}={cpu.Gpr[r]:X8} GR{r + 1:D2}={cpu.Gpr[r + 1]:X8} GR{r + 2:D2}={cpu.Gpr[r + 2]:X8} GR{r + 3:D2}={cpu.Gpr[r + 3]:X8}");
    }
}

/// <summary>EBCDIC (code page 037) letters, digits and common punctuation, for storage displays.</summary>
static class Ebcdic
{
    static readonly char[] map = Build();

    static char[] Build()
    {
        var m = new char[256];
        Array.Fill(m, '.');
        void Run(int start, string chars) { for (int i = 0; i < chars.Length; i++) m[start + i] = chars[i]; }
        Run(0x40, " "); Run(0x4B, ".<(+|"); Run(0x50, "&"); Run(0x5A, "!$*);"); Run(0x60, "-/");
        Run(0x6B, ",%_>?"); Run(0x7A, ":#@'=\"");
        Run(0x81, "abcdefghi"); Run(0x91, "jklmnopqr"); Run(0xA2, "stuvwxyz");
        Run(0xC1, "ABCDEFGHI"); Run(0xD1, "JKLMNOPQR"); Run(0xE2, "STUVWXYZ"); Run(0xF0, "0123456789");
        return m;
    }

    public static char Printable(byte b) => map[b];
}
