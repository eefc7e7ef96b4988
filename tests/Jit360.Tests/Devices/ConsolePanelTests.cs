using Jit360.Architecture;
using Jit360.Cli;
using Jit360.Cli.Config;
using Jit360.Machine.Channels;
using Jit360.Machine.Devices.Consoles;
using Jit360.Tests.Support;
using static Jit360.Tests.Devices.ConsoleCcw;

namespace Jit360.Tests.Devices;

/// <summary>The operator's terminal: prefixed lines to the integrated console, the rest panel commands.</summary>
public class ConsolePanelTests
{
    static (OperatorPanel panel, StringWriter output, IntegratedConsole console, BareMachine machine) Panel(params string[] consoleArgs)
    {
        var output = new StringWriter();
        var machine = new BareMachine(ArchLevel.S370, 0x10000, TestEngines.Create("interp"), deterministic: true, output: output);
        var console = (IntegratedConsole)DeviceCatalog.Create(0x009, "3215-C", consoleArgs, new DeviceContext("."));
        var panel = new OperatorPanel(new RcRunner(machine, output), [console], output);
        return (panel, output, console, machine);
    }

    [Test]
    public void Prefixed_line_is_typed_on_the_integrated_console()
    {
        var (panel, output, console, _) = Panel();
        var read = StartRead(console, 80);
        Assert.That(console.WaitForRead(Wait), Is.True);
        Assert.That(panel.Handle("/logon operator"), Is.False);
        Assert.That(Text(Finish(read)), Is.EqualTo("logon operator"));
        Assert.That(output.ToString(), Does.Contain("HHC1C001A Enter input for console device 0009\n/(0009) logon operator\n"));
    }

    [Test]
    public void Other_lines_are_panel_commands_and_errors_are_not_fatal()
    {
        var (panel, output, _, machine) = Panel("noprompt", "#");
        machine.Cpu.Gpr[3] = 0x12345678;
        panel.Handle("gpr");
        panel.Handle("frobnicate now");
        panel.Handle("r 20000");
        panel.Handle("");
        string o = output.ToString();
        Assert.That(o, Does.Contain("GR03=12345678"));
        Assert.That(o, Does.Contain("<terminal>:1: unknown command frobnicate"));
        Assert.That(o, Does.Contain("<terminal>:1: r 20000: beyond the end of storage"));
        Assert.That(panel.Handle("quit"), Is.True);
    }

    [Test]
    public void Slash_without_an_integrated_console_says_so()
    {
        var output = new StringWriter();
        var machine = new BareMachine(ArchLevel.S370, 0x10000, TestEngines.Create("interp"), deterministic: true, output: output);
        new OperatorPanel(new RcRunner(machine, output), [], output).Handle("/hello");
        Assert.That(output.ToString(), Is.EqualTo("<terminal>: no integrated console (1052-C or 3215-C) takes \"/hello\"\n"));
    }

    [Test]
    public void Console_output_is_printed_and_input_is_read_until_its_end()
    {
        var (panel, output, console, _) = Panel("noprompt");
        Write(console, "ENTER ", 0x01);
        panel.ReadAll(new StringReader("/one\ngpr\n/two\n"));     // returns at end of input
        Write(console, "PROGRAM READY");
        Assert.That(Text(Run(console, 0x0A, 80)), Is.EqualTo("one"));
        Assert.That(Text(Run(console, 0x0A, 80)), Is.EqualTo("two"));
        string o = output.ToString();
        Assert.That(o, Does.StartWith("ENTER \n/(0009) one\n"), "a message starts its own line after an open console line");
        Assert.That(o, Does.Contain("GR00=").And.EndWith("PROGRAM READY\n"));
    }

    [Test]
    public void Background_reader_stops_at_quit()
    {
        var (panel, _, _, _) = Panel();
        bool quit = false;
        panel.Quit += () => quit = true;
        var thread = panel.Start(new StringReader("gpr\nquit\ngpr\n"));
        Assert.That(thread.Join(Wait), Is.True);
        Assert.That(quit, Is.True);
    }
}
