using System.CommandLine;
using Jit360.Architecture;
using Jit360.Cli.Config;
using Jit360.Jit;
using Jit360.Machine;

namespace Jit360.Cli;

/// <summary>
/// <c>jit360 block --at ADDRESS (--core FILE [--origin A] --psw-ia A [--run N] | -f CNF -r RC)</c>:
/// runs a program with the JIT to warm it, then shows the region translated at ADDRESS in three
/// sections: the guest instructions, the IL the translator emitted, and the x86-64 code RyuJIT
/// made of it (research tool for the JIT's code quality).
/// </summary>
public sealed class BlockVerb : IVerb
{
    public Command Build()
    {
        var at = new Option<string>("--at") { Description = "hex guest address of the region (its entry, or an instruction in it)", Required = true };
        var core = new Option<FileInfo?>("--core") { Description = "core image to load (raw storage bytes)" };
        var origin = new Option<string>("--origin") { Description = "hex address the core image is loaded at", DefaultValueFactory = _ => "0" };
        var pswIa = new Option<string?>("--psw-ia") { Description = "hex instruction address to start at (core image)" };
        var arch = new Option<string>("--arch") { Description = "architecture of a core image run: S/360, S/360-67 or S/370", DefaultValueFactory = _ => "S/370" };
        var storage = new Option<int>("--storage") { Description = "main storage in megabytes for a core image run", DefaultValueFactory = _ => 16 };
        var run = new Option<long>("--run") { Description = "instructions to run before showing (core image)", DefaultValueFactory = _ => 10_000_000 };
        var config = new Option<FileInfo?>("--config", "-f") { Description = "Hercules-style configuration file (instead of --core)" };
        var rc = new Option<FileInfo?>("--rc", "-r") { Description = "rc script of panel commands (with -f)" };
        var cmd = new Command("block", "Run a program with the JIT, then show one translated region: guest code, IL and x86-64")
            { at, core, origin, pswIa, arch, storage, run, config, rc };
        cmd.SetAction(p => Run(Console.Out, p.GetValue(at)!, p.GetValue(core), p.GetValue(origin)!, p.GetValue(pswIa), p.GetValue(arch)!,
            p.GetValue(storage), p.GetValue(run), p.GetValue(config), p.GetValue(rc)));
        return cmd;
    }

    public static int Run(TextWriter output, string atText, FileInfo? core, string originText, string? pswIaText, string arch, int storageMb,
        long instructions, FileInfo? configFile, FileInfo? rcFile)
    {
        if (!DisasmVerb.TryParseAddress(atText, out uint at)) return Fail($"bad address '{atText}' (a hex address)");
        var jit = new JitEngine { HotThreshold = 2, Synchronous = true, RecordIl = true };
        CpuState cpu;
        if (core != null)
        {
            if (!ArchLevels.TryParse(arch, out var level)) return Fail($"unknown architecture '{arch}'");
            if (!DisasmVerb.TryParseAddress(originText, out uint origin)) return Fail($"bad origin '{originText}' (a hex address)");
            if (pswIaText == null || !DisasmVerb.TryParseAddress(pswIaText, out uint ia)) return Fail("give --psw-ia ADDRESS (hex) with --core");
            if (storageMb is < 1 or > 2047) return Fail($"--storage {storageMb}: give 1 to 2047 megabytes");
            byte[] bytes;
            try { bytes = File.ReadAllBytes(core.FullName); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Fail($"cannot read {core}: {e.Message}"); }
            cpu = new CpuState(level, (uint)storageMb << 20, deterministicTime: true);
            if ((ulong)origin + (ulong)bytes.Length > cpu.Storage.Size) return Fail($"{core} ({bytes.Length} bytes) does not fit at {origin:X} in {storageMb}M");
            cpu.Storage.Load(origin, bytes);
            cpu.Ia = ia;
            jit.Run(cpu, instructions);
        }
        else if (configFile != null && rcFile != null)
        {
            BareMachine machine;
            try
            {
                var config = HerculesConfig.Load(configFile.ToString());
                var script = RcScript.Load(rcFile.ToString());
                machine = new BareMachine(config, jit, deterministic: true, output: TextWriter.Null);
                if (!new RcRunner(machine, TextWriter.Null).Run(script)) machine.WaitForStop();
            }
            catch (ConfigError e) { return Fail(e.Message); }
            cpu = machine.Cpu;
        }
        else return Fail("give --core FILE --psw-ia ADDRESS, or -f CONFIG -r RC");

        var region = jit.Cache.Blocks.Where(b => b.Entry == at).Concat(jit.Cache.Blocks.Where(b => b.Contains(at)))
            .OrderByDescending(b => b.Entry == at).ThenByDescending(b => b.Executions).FirstOrDefault();
        if (region == null) return Fail($"no region containing {at:X6} was translated ({jit.Cache.Count} regions; run longer, or pick a hot address)");
        Show(output, cpu, region);
        return 0;
    }

    static void Show(TextWriter o, CpuState cpu, CompiledBlock region)
    {
        o.WriteLine($"== guest: region {region.Method.Name}, entry {region.Entry:X6}, {region.Instructions.Count} instructions, run {region.Executions:N0} times");
        uint previous = region.Instructions[0].Address;
        foreach (var g in region.Instructions)
        {
            if (g.Address != previous) o.WriteLine("        ...");
            string hex = Convert.ToHexString(BitConverter.GetBytes(g.Bytes).Reverse().Take(g.Length).ToArray());
            o.WriteLine($"{g.Address:X6}{(g.Address == region.Entry ? '>' : ' ')} {hex,-12}  {Disassembler.Disassemble(g.Bytes, cpu.Level)}");
            previous = g.Address + (uint)g.Length;
        }
        o.WriteLine();
        o.WriteLine($"== IL: {region.IlBytes:N0} bytes");
        o.Write(region.IlListing ?? "(not recorded)\n");
        o.WriteLine();
        var native = NativeCode.Of(region);
        if (native == null) { o.WriteLine("== x86-64: not available on this platform"); return; }
        o.WriteLine($"== x86-64: {native.Size:N0} bytes at {native.Start:X16}");
        foreach (var line in native.Lines) o.WriteLine(line);
    }

    static int Fail(string message)
    {
        Console.Error.WriteLine("jit360 block: " + message);
        return 1;
    }
}
