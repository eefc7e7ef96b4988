using Jit360.Architecture;
using Jit360.Cli;
using Jit360.Cli.Config;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Machine;

/// <summary>The bare-machine runner: configuration and rc-script grammar, their errors, and the panel commands.</summary>
public class RunnerTests
{
    static HerculesConfig Cnf(string text) => HerculesConfig.Parse(text, "test.cnf");

    static ConfigError CnfError(string text) => Assert.Throws<ConfigError>(() => Cnf(text))!;

    [Test]
    public void Config_reads_storage_level_and_records_other_statements()
    {
        var c = Cnf("# comment\n* old-style comment\nARCHLVL  S/360-67   # trailing comment\nMAINSIZE 2\nNUMCPU 1\nCPUSERIAL 000611\nCPUMODEL 0067\n" +
                    "CNSLPORT 3270\nPANRATE 500\nCPUPRIO 0\nLPARNAME X\n000C 3505 /dev/null\n0190-0191 3330 disk.cckd ro\n");
        Assert.That(c.Level, Is.EqualTo(ArchLevel.S360_67));
        Assert.That(c.MainSize, Is.EqualTo(2u << 20));
        Assert.That(c.Settings["CPUSERIAL"], Is.EqualTo("000611"));
        Assert.That(c.Devices, Has.Count.EqualTo(2));
        Assert.That(c.Devices[1].Numbers, Is.EqualTo(new ushort[] { 0x190, 0x191 }));
        Assert.That(c.Devices[1].Type, Is.EqualTo("3330"));
        Assert.That(c.Devices[1].Arguments, Is.EqualTo(new[] { "disk.cckd", "ro" }));
        Assert.That(c.Devices[1].Line, Is.EqualTo(13));
    }

    [TestCase("ARCHMODE S/370", ArchLevel.S370)]
    [TestCase("ARCHLVL S370", ArchLevel.S370)]
    [TestCase("ARCHLVL S/360", ArchLevel.S360)]
    [TestCase("archlvl 360", ArchLevel.S360)]
    public void Config_architecture_names(string line, ArchLevel level) => Assert.That(Cnf(line).Level, Is.EqualTo(level));

    [Test]
    public void Config_mainsize_accepts_kilobytes_for_small_S360_machines() => Assert.That(Cnf("MAINSIZE 64K").MainSize, Is.EqualTo(65536u));

    [TestCase("MAINSIZE 2\nFROBNICATE 1\n", 2, "unknown statement FROBNICATE")]
    [TestCase("NUMCPU 2\n", 1, "only one CPU")]
    [TestCase("\n\nNUMCPU x\n", 3, "not a number")]
    [TestCase("ARCHLVL ESA/390\n", 1, "S/360, S/360-67 and S/370 only")]
    [TestCase("ARCHLVL S/380\n", 1, "unknown architecture")]
    [TestCase("MAINSIZE\n", 1, "takes one operand")]
    [TestCase("MAINSIZE lots\n", 1, "not a storage size")]
    [TestCase("MAINSIZE 3000\n", 1, "more storage")]
    [TestCase("MAINSIZE 1001\n", 1, "multiple of 2K")]
    [TestCase("ARCHLVL S/370\nMAINSIZE 32\n", 2, "at most 16M")]
    [TestCase("000C\n", 1, "device type missing")]
    public void Config_errors_name_file_and_line(string text, int line, string reason)
    {
        if (text == "MAINSIZE 1001\n") text = "MAINSIZE 1001K\n";
        var e = CnfError(text);
        Assert.That(e.Message, Does.StartWith($"test.cnf:{line}: "));
        Assert.That(e.Message, Does.Contain(reason));
    }

    [Test]
    public void Config_missing_file_is_a_clear_error()
    {
        var e = Assert.Throws<ConfigError>(() => HerculesConfig.Load("/nonexistent/x.cnf"))!;
        Assert.That(e.Message, Does.StartWith("/nonexistent/x.cnf:0: cannot read configuration"));
    }

    static RcScript Rc(string text) => RcScript.Parse(text, "test.rc");

    [TestCase("start\nfoo\n", 2, "unknown command foo")]
    [TestCase("# c\nipl 10190\n", 2, "is not a device number")]
    [TestCase("loadcore\n", 1, "usage: loadcore")]
    [TestCase("loadcore x.img 1G\n", 1, "not hexadecimal")]
    [TestCase("psw ia=80x\n", 1, "not hexadecimal")]
    [TestCase("psw xx=1\n", 1, "expected one of")]
    [TestCase("psw cc=4\n", 1, "larger than")]
    [TestCase("psw ia=1 ia=2\n", 1, "given twice")]
    [TestCase("r\n", 1, "usage: r")]
    [TestCase("r 100-80\n", 1, "expected ADDR")]
    [TestCase("r 100=ABC\n", 1, "expected ADDR")]
    [TestCase("gpr 16=0\n", 1, "expected N=VALUE")]
    [TestCase("pause\n", 1, "usage: pause")]
    [TestCase("start now\n", 1, "takes no operands")]
    public void Rc_errors_name_file_and_line(string text, int line, string reason)
    {
        var e = Assert.Throws<ConfigError>(() => Rc(text))!;
        Assert.That(e.Message, Does.StartWith($"test.rc:{line}: "));
        Assert.That(e.Message, Does.Contain(reason));
    }

    static (BareMachine m, StringWriter o, RcRunner r) Machine(ArchLevel level = ArchLevel.S370, uint size = 0x10000)
    {
        var o = new StringWriter();
        var m = new BareMachine(level, size, TestEngines.Create("interp"), deterministic: true, output: o);
        return (m, o, new RcRunner(m, o));
    }

    [Test]
    public void Core_image_too_big_is_refused_with_file_and_line()
    {
        var (m, _, r) = Machine(size: 0x10000);
        string img = Path.Combine(Path.GetTempPath(), $"jit360-big-{Guid.NewGuid():N}.img");
        File.WriteAllBytes(img, new byte[0x10001]);
        try
        {
            var e = Assert.Throws<ConfigError>(() => r.Run(Rc($"\nloadcore {img} 0\n")))!;
            Assert.That(e.Message, Does.StartWith("test.rc:2: loadcore"));
            Assert.That(e.Message, Does.Contain("do not fit in storage of 64K"));
            e = Assert.Throws<ConfigError>(() => r.Run(Rc($"loadcore {img} 10000\n")))!;
            Assert.That(e.Message, Does.Contain("outside storage"));
            Assert.That(m.Cpu.Storage.Bytes.Take(0x10000).All(b => b == 0), "nothing was loaded");
        }
        finally { File.Delete(img); }
    }

    [Test]
    public void Loadcore_missing_file_names_the_line()
    {
        var (_, _, r) = Machine();
        var e = Assert.Throws<ConfigError>(() => r.Run(Rc("loadcore /nonexistent/core.img\n")))!;
        Assert.That(e.Message, Does.StartWith("test.rc:1: loadcore: cannot read"));
    }

    [Test]
    public void Loadcore_loads_at_the_address_and_r_displays_it()
    {
        var (m, o, r) = Machine();
        string img = Path.Combine(Path.GetTempPath(), $"jit360-core-{Guid.NewGuid():N}.img");
        File.WriteAllBytes(img, Convert.FromHexString("C1C2C3F1F2F300FF"));
        try
        {
            r.Run(Rc($"loadcore {img} 2000\nr 2000.8\n"));
            Assert.That(Convert.ToHexString(m.Cpu.Storage.Bytes, 0x2000, 8), Is.EqualTo("C1C2C3F1F2F300FF"));
            Assert.That(o.ToString(), Does.Contain("R:00002000:K:00=C1C2C3F1 F2F300FF").And.Contain("*ABC123..*"));
        }
        finally { File.Delete(img); }
    }

    [Test]
    public void R_alters_storage_and_displays_ranges()
    {
        var (m, o, r) = Machine();
        r.Run(Rc("r 100=0102030405060708090A0B0C0D0E0F1011\nr 100-111\n"));
        Assert.That(Convert.ToHexString(m.Cpu.Storage.Bytes, 0x100, 17), Is.EqualTo("0102030405060708090A0B0C0D0E0F1011"));
        Assert.That(o.ToString(), Does.Contain("R:00000110:K:00=1100 ").And.Contain("R:00000100:K:00=01020304 05060708 090A0B0C 0D0E0F10"));
        var e = Assert.Throws<ConfigError>(() => r.Run(Rc("r FFF0.20\n")))!;
        Assert.That(e.Message, Does.StartWith("test.rc:1: r FFF0.20: beyond the end"));
    }

    [Test]
    public void Psw_fields_in_BC_mode()
    {
        var (m, o, r) = Machine();
        r.Run(Rc("psw sm=FF pk=3 cmwp=2 cc=2 pm=8 ia=1234\n"));
        Assert.That(m.Cpu.PswText(), Is.EqualTo("FF320000 28001234"));
        Assert.That(m.Cpu.Wait && m.Cpu.Key == 3 && m.Cpu.Cc == 2 && m.Cpu.ProgramMask == 8, Is.True);
        Assert.That(o.ToString(), Does.Contain("PSW=FF320000 28001234"));
    }

    [Test]
    public void Psw_fields_in_EC_mode()
    {
        var (m, _, r) = Machine();
        r.Run(Rc("psw cmwp=8 cc=1 pm=F ia=ABCDEF\n"));
        Assert.That(m.Cpu.EcMode, Is.True);
        Assert.That(m.Cpu.PswText(), Is.EqualTo("00081F00 00ABCDEF"));
    }

    [Test]
    public void Gpr_alters_and_displays()
    {
        var (m, o, r) = Machine();
        r.Run(Rc("gpr 15=DEADBEEF\ngpr A=1\n"));
        Assert.That(m.Cpu.Gpr[15], Is.EqualTo(0xDEADBEEFu));
        Assert.That(m.Cpu.Gpr[10], Is.EqualTo(1u));
        Assert.That(o.ToString(), Does.Contain("GR12=00000000 GR13=00000000 GR14=00000000 GR15=DEADBEEF"));
    }

    [Test]
    public void Psw_ia_starts_the_program_there()
    {
        // 800: LA 1,5 ; 804: BCT 1,804 (five times) ; 808: SR 2,2 ; 80A: BC 15,80A (spins).
        var (m, _, r) = Machine();
        m.Cpu.Storage.Load(0x800, Convert.FromHexString("41100005" + "46100804" + "1B22" + "47F0080A"));
        r.Run(Rc("gpr 2=7\npsw ia=800\n"));
        Assert.That(m.Engine.Run(m.Cpu, 1 + 5 + 1), Is.EqualTo(ExitReason.InstructionLimit));
        Assert.That(m.Cpu.Gpr[1], Is.EqualTo(0u));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0u));
        Assert.That(m.Cpu.Ia, Is.EqualTo(0x80Au));
    }

    [Test]
    public void A_disabled_wait_stops_the_machine_with_psw_count_and_mips()
    {
        var (m, _, r) = Machine();
        r.Run(Rc("psw cmwp=2 ia=DEAD\nstart\n"));
        Assert.That(m.WaitForStop(TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(m.State, Is.EqualTo(MachineState.DisabledWait));
        Assert.That(m.Report(), Does.Contain("disabled wait state, PSW 00020000 0000DEAD").And.Contain(" 0 instructions").And.Contain("MIPS"));
    }

    [Test]
    public void Enabled_wait_with_nothing_to_end_it_stops()
    {
        // External interruptions enabled but the interval timer at 80 is negative (already
        // expired) and there are no channels: nothing can ever end the wait.
        var (m, _, r) = Machine(ArchLevel.S360);
        r.Run(Rc("r 50=80000000\npsw sm=01 cmwp=2 ia=1000\nstart\n"));
        Assert.That(m.WaitForStop(TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(m.State, Is.EqualTo(MachineState.EnabledWaitForever));
    }

    [Test]
    public void Quit_stops_a_running_cpu()
    {
        // 800: BC 15,800 — a tight loop that never ends by itself.
        var (m, _, r) = Machine();
        m.Cpu.Storage.Load(0x800, Convert.FromHexString("47F00800"));
        bool quit = r.Run(Rc("psw ia=800\nstart\npause 0.05\nquit\n"));
        Assert.That(quit, Is.True);
        Assert.That(m.IsRunning, Is.False);
        Assert.That(m.State, Is.EqualTo(MachineState.Stopped));
        Assert.That(m.InstructionsRun, Is.GreaterThan(0));
    }

    [Test]
    public void Psw_and_gpr_cannot_be_altered_while_running()
    {
        var (m, _, r) = Machine();
        m.Cpu.Storage.Load(0x800, Convert.FromHexString("47F00800"));
        var e = Assert.Throws<ConfigError>(() => r.Run(Rc("psw ia=800\nstart\npsw ia=0\n")))!;
        m.Stop();
        Assert.That(e.Message, Does.StartWith("test.rc:3: psw: the CPU is running"));
    }

    static BareMachine RunDemo(int repetitions)
    {
        var demo = BuiltInPrograms.Demo(repetitions);
        var m = new BareMachine(demo.Level, demo.StorageSize, TestEngines.Create("interp"), deterministic: true, output: new StringWriter());
        m.LoadCore(demo.Image, 0);
        m.Cpu.Ia = demo.Entry;
        Assert.That(m.Run(), Is.EqualTo(MachineState.DisabledWait));
        Assert.That(m.PswText, Is.EqualTo(demo.SuccessPsw));
        Assert.That(demo.Result(m.Cpu.Storage.Bytes), Is.EqualTo("168 primes below 1000 (sum 76127, largest 997)"));
        return m;
    }

    [Test]
    public void Demo_program_counts_the_primes_below_1000_and_ends_in_its_wait()
    {
        long one = RunDemo(1).InstructionsRun, two = RunDemo(2).InstructionsRun, three = RunDemo(3).InstructionsRun;
        // Every repetition clears the flags and sieves again: each costs the same instructions.
        Assert.That(three - two, Is.EqualTo(two - one));
        Assert.That(two - one, Is.GreaterThan(1000));
    }

    [Test]
    public void The_report_of_a_translated_run_says_what_was_translated()
    {
        var demo = BuiltInPrograms.Demo(50);
        var m = new BareMachine(demo.Level, demo.StorageSize, new Jit360.Jit.JitEngine(), deterministic: true, output: new StringWriter());
        m.LoadCore(demo.Image, 0);
        m.Cpu.Ia = demo.Entry;
        Assert.That(m.Run(), Is.EqualTo(MachineState.DisabledWait));
        string report = m.Report();
        Assert.That(report, Does.Contain("MIPS (jit)"));
        Assert.That(report, Does.Match(@"blocks translated\s+[1-9]"));
        Assert.That(report, Does.Match(@"[1-9][0-9,]* in translated code"));
    }
}
