using Jit360.Architecture;
using Jit360.Machine.Channels;
using Jit360.Machine.Devices.Consoles;
using static Jit360.Tests.Devices.ConsoleCcw;

namespace Jit360.Tests.Devices;

/// <summary>The 1052/3215 channel commands, driven through Execute on the integrated console (3215-C).</summary>
public class ConsoleDeviceTests
{
    IDevice device = null!;
    IConsoleEndpoint console = null!;
    RecordingHost host = null!;

    [SetUp]
    public void Create()
    {
        host = new RecordingHost();
        device = DeviceCatalog.Create(0x009, "3215-C", ["noprompt"], new DeviceContext(Path.GetTempPath()));
        device.Host = host;
        console = (IConsoleEndpoint)device;
    }

    [TearDown]
    public void Dispose() => device.Dispose();

    [Test]
    public void Catalog_knows_both_families()
    {
        foreach (var t in new[] { "3215", "1052", "3215-C", "1052-C" }) Assert.That(DeviceCatalog.Knows(t), t);
        Assert.That(device, Is.TypeOf<IntegratedConsole>());
        Assert.That(device.Type, Is.EqualTo("3215-C"));
        Assert.That(device.Describe(), Is.EqualTo("*syscons cmdpref(/) noprompt"));
    }

    [Test]
    public void Write_auto_carrier_return_prints_a_line_in_EBCDIC()
    {
        var ccw = Write(device, "Hello, World 1+1=2");
        Assert.That(ccw.Status, Is.EqualTo(CeDe));
        Assert.That(ccw.Residual, Is.Zero);
        Assert.That(console.Lines, Is.EqualTo(new[] { "Hello, World 1+1=2" }));
    }

    [Test]
    public void Write_no_carrier_return_leaves_the_line_open_until_a_09()
    {
        string? printed = null;
        console.TextWritten += t => printed += t;
        Write(device, "ENTER: ", 0x01);
        Assert.That(console.Lines, Is.EqualTo(new[] { "ENTER: " }));
        Assert.That(console.WaitForOutput(l => l == "ENTER: ", Wait), Is.EqualTo("ENTER: "), "an open line can be waited for");
        Write(device, "done", 0x01);
        Write(device, "", 0x09);
        Write(device, "next");
        Assert.That(console.Lines, Is.EqualTo(new[] { "ENTER: done", "next" }));
        Assert.That(printed, Is.EqualTo("ENTER: done\nnext\n"));
    }

    [Test]
    public void Data_chained_write_returns_the_carrier_after_the_last_CCW_only()
    {
        Write(device, "abc", 0x09, CcwFlags.ChainData);
        Write(device, "def", 0x09);
        Assert.That(console.Lines, Is.EqualTo(new[] { "abcdef" }));
    }

    [Test]
    public void Write_translates_code_page_037_and_blanks_unprintables()
    {
        Run(device, 0x09, 8, data: [0xC1, 0x81, 0xF0, 0x4A, 0x5F, 0x00, 0x7C, 0xE0]);
        Assert.That(console.Lines[0], Is.EqualTo("Aa0¢¬ @\\"));
    }

    [Test]
    public void Write_longer_than_the_buffer_prints_150_and_leaves_a_residual()
    {
        var ccw = Write(device, new string('X', 200));
        Assert.That(ccw.Residual, Is.EqualTo(50));
        Assert.That(console.Lines[0], Has.Length.EqualTo(150));
    }

    [Test]
    public void Read_returns_a_typed_line_with_lower_case_and_a_residual()
    {
        console.SendLine("hello World");
        var ccw = Run(device, 0x0A, 80);
        Assert.That(ccw.Status, Is.EqualTo(CeDe));
        Assert.That(ccw.Residual, Is.EqualTo(69));
        Assert.That(ccw.More, Is.False);
        Assert.That(Text(ccw), Is.EqualTo("hello World"));
        Assert.That(ccw.Buffer.AsSpan(0, 5).ToArray(), Is.EqualTo(new byte[] { 0x88, 0x85, 0x93, 0x93, 0x96 }));
    }

    [Test]
    public void Read_shorter_than_the_line_is_incorrect_length()
    {
        console.SendLine("hello World");
        var ccw = Run(device, 0x0A, 5);
        Assert.That(ccw.Residual, Is.Zero);
        Assert.That(ccw.More, Is.True);
        Assert.That(Text(ccw), Is.EqualTo("hello"));
        console.SendLine("next");
        Assert.That(Text(Run(device, 0x0A, 80)), Is.EqualTo("next"), "without data chaining the rest of the line is gone");
    }

    [Test]
    public void Data_chained_read_continues_the_line()
    {
        console.SendLine("hello World");
        var first = Run(device, 0x0A, 5, CcwFlags.ChainData);
        var second = Run(device, 0x0A, 80, dataChained: true);
        Assert.That(Text(first), Is.EqualTo("hello"));
        Assert.That(Text(second), Is.EqualTo(" World"));
        Assert.That(second.Residual, Is.EqualTo(74));
    }

    [Test]
    public void Read_blocks_until_the_operator_enters_a_line()
    {
        var read = StartRead(device, 20);
        Assert.That(console.WaitForRead(Wait), Is.True);
        Assert.That(read.Wait(200), Is.False, "the READ waits for the operator");
        console.SendLine("ipl cms");
        var ccw = Finish(read);
        Assert.That(Text(ccw), Is.EqualTo("ipl cms"));
        Assert.That(ccw.Status, Is.EqualTo(CeDe));
        Assert.That(host.Count, Is.Zero, "a line answering a READ raises no attention");
        Assert.That(console.ReadPending, Is.False);
    }

    [Test]
    public void Halt_ends_a_blocked_read_with_unit_exception()
    {
        var read = StartRead(device, 20);
        Assert.That(console.WaitForRead(Wait), Is.True);
        device.Halt();
        var ccw = Finish(read);
        Assert.That(ccw.Status, Is.EqualTo(CeDe | UnitStatus.UnitException));
        Assert.That(ccw.Residual, Is.EqualTo(20));
    }

    [Test]
    public void Operator_interrupt_ends_a_read_or_presents_attention_with_unit_exception()
    {
        var read = StartRead(device, 20);
        Assert.That(console.WaitForRead(Wait), Is.True);
        console.Interrupt();
        Assert.That(Finish(read).Status, Is.EqualTo(CeDe | UnitStatus.UnitException));
        console.Interrupt();
        Assert.That(host.Next().Status, Is.EqualTo(UnitStatus.Attention | UnitStatus.UnitException));
    }

    [Test]
    public void Unsolicited_line_presents_attention_and_waits_for_the_read()
    {
        console.SendLine("first");
        console.SendLine("second");
        var (d, s) = host.Next();
        Assert.That(d, Is.SameAs(device));
        Assert.That(s, Is.EqualTo(UnitStatus.Attention));
        Assert.That(host.Next().Status, Is.EqualTo(UnitStatus.Attention));
        Assert.That(Text(Run(device, 0x0A, 80)), Is.EqualTo("first"));
        Assert.That(Text(Run(device, 0x0A, 80)), Is.EqualTo("second"));
    }

    [Test]
    public void Reset_drops_typed_lines()
    {
        console.SendLine("stale");
        device.Reset();
        var read = StartRead(device, 20);
        Assert.That(console.WaitForRead(Wait), Is.True, "nothing typed remains: the READ waits");
        console.SendLine("fresh");
        Assert.That(Text(Finish(read)), Is.EqualTo("fresh"));
    }

    [Test]
    public void Input_longer_than_the_buffer_is_cut_and_unprintables_are_blanks()
    {
        console.SendLine(new string('a', 200));
        Assert.That(Run(device, 0x0A, 300).Residual, Is.EqualTo(150));
        console.SendLine("a\tb€¢");
        Assert.That(Text(Run(device, 0x0A, 10)), Is.EqualTo("a b ¢"));
    }

    [Test]
    public void Invalid_command_is_rejected_and_sense_reports_it_once()
    {
        var ccw = Run(device, 0x02, 10);
        Assert.That(ccw.Status, Is.EqualTo(CeDe | UnitStatus.UnitCheck));
        Assert.That(Sense(device), Is.EqualTo(Sense0.CommandReject));
        Assert.That(Sense(device), Is.Zero);
    }

    [Test]
    public void Sense_id_names_the_type()
    {
        var ccw = Run(device, 0xE4, 7);
        Assert.That(ccw.Buffer.AsSpan(0, 7).ToArray(), Is.EqualTo(new byte[] { 0xFF, 0x32, 0x15, 0x00, 0x32, 0x15, 0x00 }));
        Assert.That(ccw.Residual, Is.Zero);
        using var d1052 = DeviceCatalog.Create(0x01F, "1052", [], new DeviceContext(".", new Dictionary<string, string> { ["CNSLPORT"] = "127.0.0.1:0" }));
        var id = Run(d1052, 0xE4, 4);
        Assert.That(id.Buffer.AsSpan(0, 4).ToArray(), Is.EqualTo(new byte[] { 0xFF, 0x10, 0x52, 0x00 }));
        Assert.That(id.More, Is.True);
    }

    [Test]
    public void No_operation_and_alarm_end_at_once()
    {
        string printed = "";
        console.TextWritten += t => printed += t;
        Assert.That(Run(device, 0x03, 1).Status, Is.EqualTo(CeDe));
        Assert.That(Run(device, 0x0B, 1).Status, Is.EqualTo(CeDe));
        Assert.That(printed, Is.EqualTo("\a"));
        Assert.That(console.Lines, Is.Empty);
    }

    [Test]
    public void Prompt_asks_the_operator_unless_noprompt()
    {
        using var prompting = (IntegratedConsole)DeviceCatalog.Create(0x01F, "1052-C", ["#"], new DeviceContext("."));
        var messages = new List<string>();
        prompting.Message += messages.Add;
        var read = StartRead(prompting, 10);
        Assert.That(prompting.WaitForRead(Wait), Is.True);
        prompting.SendLine("x");
        Finish(read);
        Assert.That(messages, Is.EqualTo(new[] { "HHC1C001A Enter input for console device 001F" }));
        Assert.That(prompting.Prefix, Is.EqualTo("#"));
        Assert.That(((IntegratedConsole)device).Prompt, Is.False);
    }

    [TestCase("3215-C", new[] { "/", "x", "y" })]
    [TestCase("3215", new[] { "*", "300.1.1.1" })]
    [TestCase("3215", new[] { "a-group-name-too-long" })]
    [TestCase("3215", new[] { "grp", "10.0.0.1", "255.0.0.0", "extra" })]
    [TestCase("1052", new[] { "grp", "10.0.0.1", "bad" })]
    public void Bad_arguments_are_a_configuration_error(string type, string[] args)
    {
        var ctx = new DeviceContext(".", new Dictionary<string, string> { ["CNSLPORT"] = "127.0.0.1:0" });
        Assert.Throws<DeviceConfigException>(() => DeviceCatalog.Create(0x10, type, args, ctx).Dispose());
    }

    [TestCase("x")]
    [TestCase("70000")]
    [TestCase("nosuchhost.invalid:3270")]
    public void Bad_console_port_is_a_configuration_error(string port)
    {
        var ctx = new DeviceContext(".", new Dictionary<string, string> { ["CNSLPORT"] = port });
        var e = Assert.Throws<DeviceConfigException>(() => DeviceCatalog.Create(0x10, "3215", [], ctx).Dispose())!;
        Assert.That(e.Message, Does.StartWith($"CNSLPORT {port}"));
    }

    [Test]
    public void Waiting_for_output_consumes_what_it_passes()
    {
        Write(device, "READY");
        Write(device, "other");
        Write(device, "READY");
        Assert.That(console.WaitForOutput(l => l == "READY", Wait), Is.EqualTo("READY"));
        Assert.That(console.WaitForOutput(l => l == "READY", Wait), Is.EqualTo("READY"), "the second READY is a new match");
        Assert.That(console.TryWaitForOutput(l => l == "READY", TimeSpan.FromMilliseconds(50), out _), Is.False);
        var e = Assert.Throws<TimeoutException>(() => console.WaitForOutput(l => l == "never", TimeSpan.FromMilliseconds(10)))!;
        Assert.That(e.Message, Does.Contain("other"));
    }
}
