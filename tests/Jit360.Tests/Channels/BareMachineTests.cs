using Jit360.Architecture;
using Jit360.Cli;
using Jit360.Cli.Config;
using Jit360.Machine;
using Jit360.Machine.Channels;
using Jit360.Tests.Support;

namespace Jit360.Tests.Channels;

/// <summary>The channel subsystem in the bare machine: configuration, panel commands, waits.</summary>
public class BareMachineTests
{
    static (BareMachine m, StringWriter o, RcRunner r) Machine(bool deterministic = true)
    {
        var o = new StringWriter();
        var m = new BareMachine(ArchLevel.S370, 0x10000, TestEngines.Create("interp"), deterministic, o);
        return (m, o, new RcRunner(m, o));
    }

    static RcScript Rc(string text) => RcScript.Parse(text, "test.rc");

    static byte[] DemoDeck(out Jit360.Assembler.AssemblyResult r)
    {
        var source = File.ReadAllText(Path.Combine(Shared.RepositoryRoot, "src/Jit360.Cli/Programs/demo.asm"));
        r = Jit360.Assembler.Assembler.Assemble(source, "demo.asm", new Jit360.Assembler.AssemblerOptions { Level = ArchLevel.S370 });
        return r.IplDeck;
    }

    [Test]
    public void Rc_ipl_loads_from_the_reader_and_starts_the_cpu()
    {
        var (m, o, r) = Machine();
        using var _ = m;
        var deck = DemoDeck(out var asm);
        m.Channels.Attach(new CardReader(0x00C, deck));
        r.Run(Rc("devlist\nipl 00C\n"));
        Assert.That(m.WaitForStop(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(m.State, Is.EqualTo(MachineState.DisabledWait));
        Assert.That(m.Cpu.Storage.ReadWordAbsolute((uint)asm.Symbols["COUNTP"]), Is.EqualTo(168));
        Assert.That(o.ToString(), Does.Contain("000C TESTRDR ").And.Contain("IPL from 000C complete"));
    }

    [Test]
    public void Rc_ipl_failure_names_the_line_and_leaves_the_cpu_stopped()
    {
        var (m, _, r) = Machine();
        using var _ = m;
        m.Channels.Attach(new CardReader(0x00C, []));
        var e = Assert.Throws<ConfigError>(() => r.Run(Rc("\nipl c\n")))!;
        Assert.That(e.Message, Does.StartWith("test.rc:2: IPL from 000C failed"));
        Assert.That(m.IsRunning, Is.False);
        e = Assert.Throws<ConfigError>(() => r.Run(Rc("ipl 0D\n")))!;
        Assert.That(e.Message, Does.Contain("not operational"));
    }

    [Test]
    public void Attach_of_an_unknown_type_and_detach_of_a_missing_device_are_errors()
    {
        var (m, o, r) = Machine();
        using var _ = m;
        var e = Assert.Throws<ConfigError>(() => r.Run(Rc("attach 0A0 NOSUCHTYPE x\n")))!;
        Assert.That(e.Message, Does.StartWith("test.rc:1: attach 00A0 NOSUCHTYPE").And.Contain("not supported"));
        e = Assert.Throws<ConfigError>(() => r.Run(Rc("detach 0A0\n")))!;
        Assert.That(e.Message, Does.Contain("does not exist"));
        var dev = new FakeDevice(0x0A0);
        m.Channels.Attach(dev);
        r.Run(Rc("detach a0\n"));
        Assert.That(dev.Disposed, Is.True);
        Assert.That(m.Channels.Devices, Is.Empty);
    }

    [TestCase("ipl\n", "usage: ipl DEVNUM")]
    [TestCase("ipl XYZ\n", "not a device number")]
    [TestCase("devlist all\n", "takes no operands")]
    [TestCase("attach 00C\n", "usage: attach")]
    [TestCase("detach\n", "usage: detach")]
    [TestCase("stop now\n", "takes no operands")]
    public void Panel_command_errors(string text, string reason)
    {
        var e = Assert.Throws<ConfigError>(() => Rc(text))!;
        Assert.That(e.Message, Does.StartWith("test.rc:1: ").And.Contain(reason));
    }

    [Test]
    public void A_device_statement_that_cannot_be_built_is_an_error_at_its_line()
    {
        var config = HerculesConfig.Parse("MAINSIZE 1\n\n000C NOSUCHTYPE deck.txt\n", "x.cnf");
        var e = Assert.Throws<ConfigError>(() => new BareMachine(config, TestEngines.Create("interp")))!;
        Assert.That(e.Message, Does.StartWith("x.cnf:3: device 000C NOSUCHTYPE"));
    }

    [Test]
    public void Shutdown_disposes_every_device_and_stop_ends_a_wait_for_input()
    {
        var (m, _, r) = Machine(deterministic: false);
        var dev = new FakeDevice(0x009) { Unsolicited = true };
        m.Channels.Attach(dev);
        // Enabled wait for I/O with a console-like device: the machine waits, costing nothing, until stopped.
        r.Run(Rc("psw sm=FE cmwp=2 ia=1000\nstart\npause 0.2\n"));
        Assert.That(m.IsRunning, Is.True, "a device that raises status on its own can end the wait");
        r.Run(Rc("stop\n"));
        Assert.That(m.State, Is.EqualTo(MachineState.Stopped));
        Assert.That(m.CpuSeconds, Is.LessThan(0.15), "the wait did not spin");
        m.Shutdown();
        Assert.That(dev.Disposed, Is.True);
        m.Shutdown();
    }

    [Test]
    public void An_attention_ends_the_wait_at_once()
    {
        var (m, _, r) = Machine(deterministic: false);
        using var _ = m;
        var dev = new FakeDevice(0x009) { Unsolicited = true };
        m.Channels.Attach(dev);
        m.Cpu.Storage.WriteDoublewordAbsolute(Low.IoNewPsw, 0x0002_0000_0000_0BADUL);   // disabled wait
        r.Run(Rc("psw sm=FE cmwp=2 ia=1000\nstart\npause 0.05\n"));
        dev.Host!.RaiseStatus(dev, UnitStatus.Attention);
        Assert.That(m.WaitForStop(TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(m.State, Is.EqualTo(MachineState.DisabledWait));
        Assert.That(m.PswText, Is.EqualTo("00020000 00000BAD"));
    }

    [Test]
    public void An_enabled_wait_for_io_that_nothing_can_end_stops()
    {
        var (m, _, r) = Machine(deterministic: false);
        using var _ = m;
        m.Channels.Attach(new FakeDevice(0x00E));
        r.Run(Rc("psw sm=FE cmwp=2 ia=1000\nstart\n"));
        Assert.That(m.WaitForStop(TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(m.State, Is.EqualTo(MachineState.EnabledWaitForever));
    }
}
