using System.Net.Sockets;
using System.Text;
using Jit360.Machine.Channels;
using Jit360.Machine.Devices.Consoles;
using Jit360.Tests.Support;
using static Jit360.Tests.Devices.ConsoleCcw;

namespace Jit360.Tests.Devices;

/// <summary>Telnet-attached 3215/1052 consoles with real TCP clients on an ephemeral console port.</summary>
public class ConsoleTelnetTests
{
    DeviceContext context = null!;
    RecordingHost host = null!;
    readonly List<IDisposable> owned = [];

    [SetUp]
    public void Create()
    {
        context = new DeviceContext(Path.GetTempPath(), new Dictionary<string, string> { ["CNSLPORT"] = "127.0.0.1:0" });
        host = new RecordingHost();
    }

    [TearDown]
    public void Dispose()
    {
        foreach (var d in Enumerable.Reverse(owned)) d.Dispose();
        owned.Clear();
        foreach (var s in context.Services.OfType<IDisposable>()) s.Dispose();
    }

    TelnetConsole Console(ushort number, string type = "3215", params string[] args)
    {
        var d = (TelnetConsole)DeviceCatalog.Create(number, type, args, context);
        d.Host = host;
        owned.Add(d);
        return d;
    }

    int Port => TelnetConsoleServer.For(context).Port;

    ConsoleTelnetClient Client(string? terminalType = "ANSI")
    {
        var c = new ConsoleTelnetClient(Port, terminalType);
        owned.Add(c);
        return c;
    }

    /// <summary>A client connected to <paramref name="console"/> (its banner seen, device end presented).</summary>
    ConsoleTelnetClient Connect(TelnetConsole console, string? terminalType = "ANSI")
    {
        var c = Client(terminalType);
        c.Expect($"Connected to device 0:{console.Number:X4}\r\n");
        var (d, s) = host.Next();
        Assert.That(d, Is.SameAs(console));
        Assert.That(s, Is.EqualTo(UnitStatus.DeviceEnd), "a console becoming ready presents device end");
        Assert.That(console.Connected, Is.True);
        return c;
    }

    [Test]
    public void Listens_on_an_ephemeral_loopback_port()
    {
        Console(0x009);
        Assert.That(Port, Is.Not.Zero.And.Not.EqualTo(TelnetConsoleServer.DefaultPort));
        Assert.That(TelnetConsoleServer.ParseConsolePort(null).ToString(), Is.EqualTo("127.0.0.1:3270"));
        Assert.That(TelnetConsoleServer.ParseConsolePort("3271").ToString(), Is.EqualTo("127.0.0.1:3271"));
        Assert.That(TelnetConsoleServer.ParseConsolePort("0.0.0.0:3270").ToString(), Is.EqualTo("0.0.0.0:3270"));
    }

    [Test]
    public void Connect_negotiates_terminal_type_and_shows_the_banner()
    {
        var console = Console(0x009);
        var c = Connect(console);
        Assert.That(c.Received(Telnet.Iac, Telnet.Do, Telnet.OptionTerminalType));
        Assert.That(c.Received(Telnet.Iac, Telnet.Sb, Telnet.OptionTerminalType, Telnet.Send, Telnet.Iac, Telnet.Se));
        Assert.That(c.Received(Telnet.Iac, Telnet.Wont, Telnet.OptionEcho), "an ANSI terminal echoes for itself");
        Assert.That(c.Text, Does.StartWith("Jit360 version "));
        Assert.That(c.Text, Does.Contain("\r\nrunning on "));
        Assert.That(console.Describe(), Does.StartWith("127.0.0.1"));
    }

    [Test]
    public void A_client_that_refuses_terminal_type_is_a_line_terminal()
    {
        var console = Console(0x009);
        var c = Connect(console, terminalType: null);
        Assert.That(c.Received(Telnet.Iac, Telnet.Wont, Telnet.OptionEcho), Is.False);
    }

    [Test]
    public void Write_appears_on_the_socket_as_NVT_lines()
    {
        var console = Console(0x009);
        var c = Connect(console);
        Write(console, "PROMPT ", 0x01);
        Assert.That(Write(console, "VM/370 online").Status, Is.EqualTo(CeDe));
        c.Expect("PROMPT VM/370 online\r\n");
        Run(console, 0x09, 3, data: [0x4A, 0x0D, 0xC1]);   // ¢, a lone carrier return, A
        c.Expect("\u00C2\u00A2\r\0A\r\n");                  // ¢ in UTF-8 (as bytes), CR NUL
        Run(console, 0x0B, 1);
        c.Expect("\a");
        Assert.That(console.Lines, Is.EqualTo(new[] { "PROMPT VM/370 online", "¢A" }));
    }

    [Test]
    public void A_typed_line_satisfies_a_read_after_the_prompt()
    {
        var console = Console(0x009);
        var c = Connect(console);
        var read = StartRead(console, 80);
        c.Expect("HHCTE006A Enter input for console device 0009\r\n");
        c.Type("logon Maint");
        var ccw = Finish(read);
        Assert.That(ccw.Status, Is.EqualTo(CeDe));
        Assert.That(Text(ccw), Is.EqualTo("logon Maint"));
        Assert.That(ccw.Residual, Is.EqualTo(69));
    }

    [Test]
    public void Line_editing_and_line_ends_of_real_clients()
    {
        var console = Console(0x009, "3215", "noprompt");
        var c = Connect(console);
        c.Raw([.. "abx"u8, 0x08, .. "c\r\0"u8]);                           // backspace, CR NUL
        c.Raw([.. "dex"u8, Telnet.Iac, Telnet.EraseCharacter, .. "f\n"u8]);  // telnet EC, bare LF
        c.Raw([.. "junk"u8, Telnet.Iac, Telnet.EraseLine, .. "gh"u8, Telnet.Iac, Telnet.Iac, .. "\r\n"u8]); // EL, IAC IAC
        Assert.That(Text(Run(console, 0x0A, 80)), Is.EqualTo("abc"));
        Assert.That(Text(Run(console, 0x0A, 80)), Is.EqualTo("def"));
        Assert.That(Text(Run(console, 0x0A, 80)), Is.EqualTo("gh "), "a byte that is not text is a blank");
    }

    [Test]
    public void Without_a_client_the_console_needs_intervention()
    {
        var console = Console(0x009);
        var ccw = Write(console, "hello");
        Assert.That(ccw.Status, Is.EqualTo(UnitStatus.UnitCheck), "Hercules: unit check alone at initial selection");
        Assert.That(ccw.Residual, Is.EqualTo(5));
        Assert.That(Run(console, 0x0A, 10).Status, Is.EqualTo(UnitStatus.UnitCheck));
        Assert.That(Sense(console), Is.EqualTo(Sense0.InterventionRequired), "sense is not refused");
    }

    [Test]
    public void Disconnect_mid_read_ends_it_with_intervention_required_and_a_new_client_can_take_over()
    {
        var console = Console(0x009);
        var c = Connect(console);
        var read = StartRead(console, 80);
        Assert.That(console.WaitForRead(Wait), Is.True);
        c.Dispose();
        var ccw = Finish(read);
        Assert.That(ccw.Status, Is.EqualTo(CeDe | UnitStatus.UnitCheck));
        Assert.That(Sense(console), Is.EqualTo(Sense0.InterventionRequired));
        Assert.That(console.Connected, Is.False);

        var again = Connect(console);
        var read2 = StartRead(console, 80);
        again.Type("back");
        Assert.That(Text(Finish(read2)), Is.EqualTo("back"));
    }

    [Test]
    public void Unsolicited_line_presents_attention()
    {
        var console = Console(0x009);
        var c = Connect(console);
        c.Type("#cp query time");
        Assert.That(host.Next().Status, Is.EqualTo(UnitStatus.Attention));
        Assert.That(Text(Run(console, 0x0A, 80)), Is.EqualTo("#cp query time"));
        c.Raw([Telnet.Iac, Telnet.Break]);
        Assert.That(host.Next().Status, Is.EqualTo(UnitStatus.Attention | UnitStatus.UnitException), "BREAK is the operator's interrupt");
    }

    [Test]
    public void Ctrl_C_ends_a_read_with_unit_exception()
    {
        var console = Console(0x009);
        var c = Connect(console);
        var read = StartRead(console, 80);
        Assert.That(console.WaitForRead(Wait), Is.True);
        c.Raw([.. "half"u8, 0x03]);
        Assert.That(Finish(read).Status, Is.EqualTo(CeDe | UnitStatus.UnitException));
    }

    [Test]
    public void A_line_beyond_the_buffer_ends_a_read_with_equipment_check_and_is_refused_otherwise()
    {
        var console = Console(0x009);
        var c = Connect(console);
        var read = StartRead(console, 80);
        Assert.That(console.WaitForRead(Wait), Is.True);
        c.Type(new string('x', 100_000));
        var ccw = Finish(read);
        Assert.That(ccw.Status, Is.EqualTo(CeDe | UnitStatus.UnitCheck));
        Assert.That(Sense(console), Is.EqualTo(Sense0.EquipmentCheck));
        c.Type(new string('y', 151));
        c.Expect("\a");
        c.Type("fine");
        Assert.That(host.Next().Status, Is.EqualTo(UnitStatus.Attention));
        Assert.That(Text(Run(console, 0x0A, 80)), Is.EqualTo("fine"));
    }

    [Test]
    public void Garbage_from_clients_never_takes_the_console_down()
    {
        var console = Console(0x009);
        var rng = new Random(360);
        // A client that sends noise instead of negotiating, and one that leaves at once.
        using (var noise = new TcpClient())
        {
            noise.Connect("127.0.0.1", Port);
            var bytes = new byte[5000];
            rng.NextBytes(bytes);
            noise.GetStream().Write(bytes);
        }
        using (var gone = new TcpClient()) gone.Connect("127.0.0.1", Port);

        var c = Connect(console);
        for (int i = 0; i < 20; i++)
        {
            var bytes = new byte[rng.Next(1, 2000)];
            rng.NextBytes(bytes);
            c.Raw(bytes);
        }
        // Leave any subnegotiation or option request the noise opened, then let the keyboard settle.
        c.Raw([(byte)'x', Telnet.Iac, Telnet.Se, .. "\r\n"u8]);
        Thread.Sleep(200);
        console.Reset();
        var read = StartRead(console, 80);
        Assert.That(console.WaitForRead(Wait), Is.True);
        c.Type("still here");
        Assert.That(Text(Finish(read)), Is.EqualTo("still here"));
        Write(console, "ok");
        c.Expect("ok\r\n");
    }

    [Test]
    public void Two_clients_get_two_consoles_and_a_third_is_turned_away()
    {
        var a = Console(0x01F, "1052");
        var b = Console(0x009);
        var first = Connect(b);       // consoles are offered in device-number order
        var second = Connect(a);
        Write(a, "to a");
        Write(b, "to b");
        first.Expect("to b\r\n");
        second.Expect("to a\r\n");
        Assert.That(first.Text, Does.Not.Contain("to a"));

        var readA = StartRead(a, 80);
        var readB = StartRead(b, 80);
        Assert.That(a.WaitForRead(Wait) && b.WaitForRead(Wait), Is.True);
        second.Type("from a");
        first.Type("from b");
        Assert.That(Text(Finish(readA)), Is.EqualTo("from a"));
        Assert.That(Text(Finish(readB)), Is.EqualTo("from b"));

        var third = Client();
        third.Expect("Connection rejected, no available 1052 or 3215 device\r\n");
        third.WaitClosed();
    }

    [Test]
    public void Terminal_type_names_a_group_or_a_device()
    {
        var plain = Console(0x009);
        var ops = Console(0x00A, "3215", "OPS");
        var other = Console(0x00B);
        var byGroup = Client("ANSI@ops");
        byGroup.Expect("Connected to device 0:000A\r\n");
        var byNumber = Client("VT100@000B");
        byNumber.Expect("Connected to device 0:000B\r\n");
        var noGroup = Client("xterm@SYSPROG");
        noGroup.Expect("Connection rejected, no available 1052 or 3215 devices in the SYSPROG group");
        var taken = Client("VT100@000B");
        taken.Expect("Connection rejected, device 000B unavailable");
        var display = Client("IBM-3278-2");
        display.Expect("Connection rejected, no available 3270 device");
        Assert.That(plain.Connected, Is.False);
        Assert.That(ops.Connected && other.Connected, Is.True);
    }

    [Test]
    public void Address_filter_turns_away_other_clients()
    {
        var console = Console(0x009, "3215", "*", "10.1.2.0", "255.255.255.0");
        Assert.That(console.Describe(), Does.Contain("10.1.2.0 mask 255.255.255.0"));
        var c = Client();
        c.Expect("Connection rejected");
        Assert.That(console.Connected, Is.False);
        var open = Console(0x00A, "3215", "noprompt", "*", "127.0.0.0", "255.0.0.0");
        var d = Client();
        d.Expect("Connected to device 0:000A");
        Assert.That(open.Connected, Is.True);
    }

    [Test]
    public void Detaching_the_console_lets_the_client_go_and_frees_the_port()
    {
        var console = Console(0x009);
        var c = Connect(console);
        var server = console.Server;
        owned.Remove(console);
        console.Dispose();
        c.Expect("Device 0009 detached\r\n");
        c.WaitClosed();
        Assert.That(server.Listening, Is.False, "no console left to serve");
    }

    [Test]
    public void Real_telnet_client_drives_the_console()
    {
        string telnet = Shared.RequireTool("telnet", "apt-get install -y telnet");
        var console = Console(0x009, "3215", "noprompt");
        var psi = new System.Diagnostics.ProcessStartInfo(telnet, ["127.0.0.1", Port.ToString()])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        try
        {
            Assert.That(host.Next().Status, Is.EqualTo(UnitStatus.DeviceEnd));
            Write(console, "Hello from the 3215");
            var read = StartRead(console, 80);
            Assert.That(console.WaitForRead(Wait), Is.True);
            p.StandardInput.Write("typed by telnet\n");
            p.StandardInput.Flush();
            Assert.That(Text(Finish(read)), Is.EqualTo("typed by telnet"));
            var deadline = DateTime.UtcNow + Wait;
            while (DateTime.UtcNow < deadline && !output.ToString().Contains("Hello from the 3215")) Thread.Sleep(50);
            lock (output) Assert.That(output.ToString(), Does.Contain("Connected to device 0:0009").And.Contain("Hello from the 3215"));
        }
        finally
        {
            if (!p.HasExited) p.Kill();
        }
    }
}
