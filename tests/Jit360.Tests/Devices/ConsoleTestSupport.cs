using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Jit360.Architecture;
using Jit360.Machine.Channels;
using Jit360.Machine.Devices.Consoles;

namespace Jit360.Tests.Devices;

/// <summary>Drives a device as the channel would: one CCW at a time through Execute.</summary>
static class ConsoleCcw
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static CcwExecution Run(IDevice device, byte command, int count, byte flags = 0, byte[]? data = null, bool dataChained = false)
    {
        var ccw = new CcwExecution { Command = command, Count = count, Flags = flags, DataChained = dataChained };
        data?.CopyTo(ccw.Buffer, 0);
        // On a thread of its own, so a device that wrongly blocks fails the test instead of hanging it.
        var done = Task.Factory.StartNew(() => device.Execute(ccw), TaskCreationOptions.LongRunning);
        if (!done.Wait(Wait))
        {
            device.Halt();
            Assert.Fail($"CCW {command:X2} did not end");
        }
        return ccw;
    }

    public static CcwExecution Write(IDevice device, string text, byte command = 0x09, byte flags = 0) =>
        Run(device, command, text.Length, flags, Ebcdic.FromString(text));

    /// <summary>A READ started on its own thread (it may block), as a channel thread would.</summary>
    public static Task<CcwExecution> StartRead(IDevice device, int count, byte flags = 0) =>
        Task.Factory.StartNew(() =>
        {
            var ccw = new CcwExecution { Command = 0x0A, Count = count, Flags = flags };
            device.Execute(ccw);
            return ccw;
        }, TaskCreationOptions.LongRunning);

    public static CcwExecution Finish(Task<CcwExecution> read)
    {
        Assert.That(read.Wait(Wait), Is.True, "the READ did not end");
        return read.Result;
    }

    public static string Text(CcwExecution ccw) => Ebcdic.ToString(ccw.Buffer.AsSpan(0, ccw.Count - ccw.Residual));

    public static byte Sense(IDevice device) => Run(device, 0x04, 1).Buffer[0];

    public const UnitStatus CeDe = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd;
}

/// <summary>The channel subsystem's side of unsolicited status, recorded.</summary>
sealed class RecordingHost : IDeviceHost
{
    readonly BlockingCollection<(IDevice Device, UnitStatus Status)> raised = [];
    public readonly List<(IDevice Device, UnitStatus Status)> All = [];

    public void RaiseStatus(IDevice device, UnitStatus status)
    {
        lock (All) All.Add((device, status));
        raised.Add((device, status));
    }

    /// <summary>The next status raised, within the wait.</summary>
    public (IDevice Device, UnitStatus Status) Next()
    {
        Assert.That(raised.TryTake(out var r, ConsoleCcw.Wait), Is.True, "no status was raised");
        return r;
    }

    public int Count { get { lock (All) return All.Count; } }
}

/// <summary>
/// A telnet client as a line-mode terminal behaves: answers the terminal-type question with
/// its type, collects what the server prints (telnet commands taken out) and types lines.
/// </summary>
sealed class ConsoleTelnetClient : IDisposable
{
    readonly TcpClient tcp;
    readonly NetworkStream stream;
    readonly StringBuilder text = new();
    readonly List<byte[]> commands = [];
    readonly object gate = new();
    bool closed;

    public string TerminalType { get; }

    public ConsoleTelnetClient(int port, string? terminalType = "ANSI", bool answer = true)
    {
        TerminalType = terminalType ?? "";
        tcp = new TcpClient();
        tcp.Connect("127.0.0.1", port);
        stream = tcp.GetStream();
        var parser = new TelnetParser
        {
            Data = b => { lock (gate) { text.Append((char)b); Monitor.PulseAll(gate); } },
            Command = c => Record([Telnet.Iac, c]),
            Option = (verb, option) =>
            {
                Record([Telnet.Iac, verb, option]);
                if (answer && verb == Telnet.Do && option == Telnet.OptionTerminalType)
                    Raw(terminalType == null ? [Telnet.Iac, Telnet.Wont, option] : [Telnet.Iac, Telnet.Will, option]);
            },
            Subnegotiation = d =>
            {
                Record([Telnet.Iac, Telnet.Sb, .. d, Telnet.Iac, Telnet.Se]);
                if (answer && terminalType != null && d.Length == 2 && d[0] == Telnet.OptionTerminalType && d[1] == Telnet.Send)
                    Raw([Telnet.Iac, Telnet.Sb, Telnet.OptionTerminalType, Telnet.Is, .. Encoding.ASCII.GetBytes(terminalType), Telnet.Iac, Telnet.Se]);
            },
        };
        new Thread(() =>
        {
            var buffer = new byte[4096];
            try
            {
                int n;
                while ((n = stream.Read(buffer)) > 0) parser.Feed(buffer.AsSpan(0, n));
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException) { }
            lock (gate) { closed = true; Monitor.PulseAll(gate); }
        }) { IsBackground = true }.Start();
    }

    void Record(byte[] command) { lock (gate) { commands.Add(command); Monitor.PulseAll(gate); } }

    public string Text { get { lock (gate) return text.ToString(); } }
    public bool Closed { get { lock (gate) return closed; } }

    public bool Received(params byte[] command) { lock (gate) return commands.Any(c => c.SequenceEqual(command)); }

    /// <summary>Waits until the printed text contains <paramref name="s"/>.</summary>
    public void Expect(string s)
    {
        var deadline = DateTime.UtcNow + ConsoleCcw.Wait;
        lock (gate)
        {
            while (!text.ToString().Contains(s))
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || closed && !text.ToString().Contains(s))
                    Assert.Fail($"expected \"{s}\" from the console; got \"{text}\"{(closed ? " (connection closed)" : "")}");
                Monitor.Wait(gate, left > TimeSpan.FromMilliseconds(200) ? TimeSpan.FromMilliseconds(200) : left);
            }
        }
    }

    public void WaitClosed()
    {
        var deadline = DateTime.UtcNow + ConsoleCcw.Wait;
        lock (gate)
            while (!closed)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) Assert.Fail("the server did not close the connection");
                Monitor.Wait(gate, left);
            }
    }

    public void Raw(byte[] bytes)
    {
        try { stream.Write(bytes); } catch (Exception e) when (e is IOException or ObjectDisposedException) { }
    }

    public void Type(string line) => Raw(Encoding.UTF8.GetBytes(line + "\r\n"));

    public void Dispose()
    {
        tcp.Dispose();
    }
}
