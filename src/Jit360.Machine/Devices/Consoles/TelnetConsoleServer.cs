using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Jit360.Machine.Channels;

namespace Jit360.Machine.Devices.Consoles;

/// <summary>
/// The machine's console port (Hercules' CNSLPORT, default 3270): one listener shared by every
/// telnet-attached 1052/3215 of the machine. A client is negotiated with as Hercules does for a
/// line-mode terminal (RFC 1091 terminal type; WONT ECHO for an "ANSI" type, so the client
/// echoes its own line), shown a banner naming its device, and given the first free console
/// its terminal type allows ("type@group" or "type@devnum"). Each client is served on its own
/// thread; nothing a client sends can do more than end its own connection.
/// </summary>
public sealed class TelnetConsoleServer : IDisposable
{
    public const int DefaultPort = 3270;
    /// <summary>How long a client has to answer the terminal-type question; a client that never answers is taken as a plain line terminal.</summary>
    public static TimeSpan NegotiationTimeout { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Clients still negotiating at once; more are turned away.</summary>
    public const int MaxNegotiating = 32;

    readonly IPEndPoint configured;
    readonly object gate = new();
    readonly List<TelnetConsole> consoles = [];
    readonly HashSet<TelnetSession> sessions = [];
    TcpListener? listener;
    int negotiating;
    bool disposed;

    public TelnetConsoleServer(IPEndPoint endpoint) => configured = endpoint;

    /// <summary>The machine's server, created on first use from its CNSLPORT statement.</summary>
    public static TelnetConsoleServer For(DeviceContext context) =>
        context.Shared(() => new TelnetConsoleServer(ParseConsolePort(context.Settings.GetValueOrDefault("CNSLPORT"))));

    /// <summary>
    /// CNSLPORT as Hercules writes it: <c>port</c> or <c>host:port</c>. A bare port listens on the
    /// loopback interface only (a console is the operator's: reaching it from the network is
    /// asked for by naming the host, e.g. <c>0.0.0.0:3270</c>). Port 0 takes any free port.
    /// </summary>
    public static IPEndPoint ParseConsolePort(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return new IPEndPoint(IPAddress.Loopback, DefaultPort);
        string v = value.Trim();
        var address = IPAddress.Loopback;
        int colon = v.LastIndexOf(':');
        if (colon >= 0)
        {
            string host = v[..colon];
            if (!IPAddress.TryParse(host, out address!))
            {
                try { address = Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork); }
                catch (Exception e) when (e is SocketException or InvalidOperationException or ArgumentException)
                { throw new DeviceConfigException($"CNSLPORT {value}: unknown host {host}"); }
            }
            v = v[(colon + 1)..];
        }
        if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
            throw new DeviceConfigException($"CNSLPORT {value}: expected a port number 0-65535 or host:port");
        return new IPEndPoint(address, port);
    }

    /// <summary>The port listened on (the real one when CNSLPORT is 0), or the configured one when not listening.</summary>
    public int Port { get { lock (gate) return (listener?.LocalEndpoint as IPEndPoint)?.Port ?? configured.Port; } }

    public bool Listening { get { lock (gate) return listener != null; } }

    internal void Add(TelnetConsole console)
    {
        lock (gate)
        {
            if (disposed) throw new ObjectDisposedException(nameof(TelnetConsoleServer));
            if (listener == null) Listen();
            consoles.Add(console);
            consoles.Sort((a, b) => a.Number.CompareTo(b.Number));
        }
    }

    internal void Remove(TelnetConsole console)
    {
        lock (gate)
        {
            consoles.Remove(console);
            // As Hercules, the port is held only while there is a console to serve.
            if (consoles.Count == 0) StopListening();
        }
    }

    void Listen()
    {
        var l = new TcpListener(configured);
        l.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try { l.Start(10); }
        catch (SocketException e)
        { throw new DeviceConfigException($"CNSLPORT {configured}: cannot listen for console clients: {e.Message}"); }
        listener = l;
        new Thread(() => AcceptLoop(l)) { Name = $"console port {Port}", IsBackground = true }.Start();
    }

    void StopListening()
    {
        listener?.Stop();
        listener = null;
    }

    void AcceptLoop(TcpListener l)
    {
        while (true)
        {
            Socket socket;
            try { socket = l.AcceptSocket(); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                lock (gate) if (listener != l) return;
                Thread.Sleep(50);
                continue;
            }
            lock (gate)
            {
                if (negotiating >= MaxNegotiating || listener != l) { socket.Dispose(); continue; }
                negotiating++;
            }
            new Thread(() => Serve(socket)) { Name = "console client", IsBackground = true }.Start();
        }
    }

    /// <summary>What the client said about itself during negotiation.</summary>
    sealed record Terminal(string? Type, string? Group, ushort? Device, List<byte> Typeahead);

    void Serve(Socket socket)
    {
        var session = new TelnetSession(socket);
        lock (gate) sessions.Add(session);
        TelnetConsole? console = null;
        try
        {
            Terminal? t;
            try { t = Negotiate(session); }
            finally { lock (gate) negotiating--; }
            if (t == null) return;

            string? rejection = null;
            if (t.Type != null && t.Type.StartsWith("IBM-", StringComparison.OrdinalIgnoreCase))
                rejection = "Connection rejected, no available 3270 device";
            else
            {
                console = Claim(session, t);
                if (console == null)
                    rejection = t.Device is { } d ? $"Connection rejected, device {d:X4} unavailable"
                        : t.Group != null ? $"Connection rejected, no available 1052 or 3215 devices in the {t.Group} group"
                        : "Connection rejected, no available 1052 or 3215 device";
            }
            if (rejection != null)
            {
                session.CloseAfter($"{Banner()}{rejection}\n");
                return;
            }

            session.Send($"{Banner()}Connected to device 0:{console!.Number:X4}\n");
            console.Attached(session);
            Converse(session, console, t.Typeahead);
        }
        finally
        {
            if (console != null) console.Detach(session);
            session.Close();
            lock (gate) sessions.Remove(session);
        }
    }

    /// <summary>Hercules' connection message: the product, the host it runs on.</summary>
    static string Banner()
    {
        string version = typeof(TelnetConsoleServer).Assembly.GetName().Version?.ToString(3) ?? "0";
        int cpus = Environment.ProcessorCount;
        return $"Jit360 version {version}\nrunning on {Environment.MachineName} ({RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture} {(cpus > 1 ? $"MP={cpus}" : "UP")})\n";
    }

    /// <summary>
    /// Hercules' order: IAC DO TERMINAL-TYPE; on WILL, IAC SB TERMINAL-TYPE SEND; the IS reply
    /// names the terminal. Other requests are refused once each. Null if the client left.
    /// </summary>
    static Terminal? Negotiate(TelnetSession session)
    {
        var parser = new TelnetParser();
        var typeahead = new List<byte>();
        string? type = null;
        bool done = false;
        var answered = new HashSet<int>();
        parser.Data = b => { if (typeahead.Count < 4 * LineConsole.BufferLength) typeahead.Add(b); };
        parser.Option = (verb, option) =>
        {
            if (option == Telnet.OptionTerminalType && verb == Telnet.Will)
                session.SendRaw([Telnet.Iac, Telnet.Sb, Telnet.OptionTerminalType, Telnet.Send, Telnet.Iac, Telnet.Se]);
            else if (option == Telnet.OptionTerminalType && verb == Telnet.Wont) done = true;
            else Refuse(session, verb, option, answered);
        };
        parser.Subnegotiation = d =>
        {
            if (d.Length >= 2 && d[0] == Telnet.OptionTerminalType && d[1] == Telnet.Is)
            {
                type = Encoding.ASCII.GetString(d, 2, d.Length - 2);
                done = true;
            }
        };
        if (!session.SendRaw([Telnet.Iac, Telnet.Do, Telnet.OptionTerminalType])) return null;
        var buffer = new byte[512];
        var deadline = DateTime.UtcNow + NegotiationTimeout;
        while (!done)
        {
            int left = (int)(deadline - DateTime.UtcNow).TotalMilliseconds;
            if (left <= 0) break;
            int n = session.Receive(buffer, left);
            if (n == 0) return null;
            if (n > 0) parser.Feed(buffer.AsSpan(0, n));
        }
        // Hercules: an ANSI terminal is told the server will not echo, so it echoes locally.
        if (type != null && type.StartsWith("ANSI", StringComparison.OrdinalIgnoreCase))
            session.SendRaw([Telnet.Iac, Telnet.Wont, Telnet.OptionEcho]);

        string? group = null;
        ushort? device = null;
        int at = type?.IndexOf('@') ?? -1;
        if (at >= 0)
        {
            string name = type![(at + 1)..];
            if (ushort.TryParse(name, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort d)) device = d;
            else if (name.Length is > 0 and < 16) group = name;
        }
        return new Terminal(type, group, device, typeahead);
    }

    /// <summary>A line-mode console takes up no option (the client keeps echoing and line editing): WILL gets DONT, DO gets WONT, once.</summary>
    static void Refuse(TelnetSession session, byte verb, byte option, HashSet<int> answered)
    {
        if (verb is not (Telnet.Will or Telnet.Do)) return;
        if (!answered.Add(verb << 8 | option)) return;
        session.SendRaw([Telnet.Iac, verb == Telnet.Will ? Telnet.Dont : Telnet.Wont, option]);
    }

    /// <summary>Hercules' choice: the requested device, else the first free console of the requested group (or of no group).</summary>
    TelnetConsole? Claim(TelnetSession session, Terminal t)
    {
        lock (gate)
        {
            foreach (var c in consoles)
            {
                if (t.Device is { } d && c.Number != d) continue;
                if (t.Device == null && (t.Group != null || c.Group != null)
                    && !string.Equals(t.Group, c.Group, StringComparison.OrdinalIgnoreCase)) continue;
                if (!c.Admits(session.Address)) { if (t.Device != null) return null; continue; }
                if (c.TryAttach(session)) return c;
            }
            return null;
        }
    }

    /// <summary>The client's keystrokes, until it leaves or the console lets it go.</summary>
    static void Converse(TelnetSession session, TelnetConsole console, List<byte> typeahead)
    {
        var keyboard = new TelnetKeyboard(LineConsole.BufferLength)
        {
            Line = console.Typed,
            Overflowed = console.TypedTooMuch,
            Interrupted = console.Interrupt,
        };
        var answered = new HashSet<int>();
        var parser = new TelnetParser
        {
            Data = keyboard.Data,
            Command = c =>
            {
                if (c == Telnet.AreYouThere) session.Send("\n[Yes]\n");
                else keyboard.Command(c);
            },
            Option = (verb, option) => Refuse(session, verb, option, answered),
        };
        foreach (var b in typeahead) keyboard.Data(b);
        var buffer = new byte[1024];
        while (true)
        {
            int n = session.Receive(buffer);
            if (n <= 0) return;
            parser.Feed(buffer.AsSpan(0, n));
        }
    }

    public void Dispose()
    {
        List<TelnetSession> open;
        lock (gate)
        {
            disposed = true;
            StopListening();
            open = sessions.ToList();
        }
        foreach (var s in open) s.Close();
    }
}
