using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Jit360.Cp.Io;

/// <summary>
/// Users dial in to CP over TCP with a line-mode client (telnet, nc): each connection gets a
/// <see cref="UserTerminal"/> and a <see cref="UserRunner"/>. Lines are Latin-1 and end with
/// CR LF or LF; the client echoes locally, except for the LOGON password, around which the server
/// says IAC WILL ECHO (and echoes nothing) and then IAC WONT ECHO; other telnet negotiation is skipped.
/// <para>
/// DISCONN drops the connection (DISCONN HOLD keeps it and shows the online message again for another
/// LOGON); the user's machine goes on with its runner. A client that closes the connection leaves a
/// logged-on user disconnected in the same way; a LOGON of that user from a new connection reconnects
/// it. Runners of users never logged on end with their connection; the others end with the server.
/// </para>
/// </summary>
public sealed class LineTerminalServer : IDisposable
{
    /// <summary>What a terminal shows when it can take a LOGON.</summary>
    public const string OnlineMessage = "JIT360 VM/370 ONLINE";

    const byte Iac = 255, Will = 251, Wont = 252, EchoOption = 1;

    readonly TcpListener listener;
    readonly Func<UserTerminal, UserRunner> dial;
    readonly CancellationTokenSource stop = new();
    readonly List<UserRunner> runners = [];
    readonly List<TcpClient> clients = [];

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public LineTerminalServer(int port, Func<UserTerminal, UserRunner> dial)
    {
        this.dial = dial;
        listener = new TcpListener(IPAddress.Any, port);
        listener.Start();
        _ = Task.Run(AcceptLoop);
    }

    async Task AcceptLoop()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (SocketException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = Task.Run(() => new Connection(this, client).Serve());
        }
    }

    /// <summary>One TCP connection: the physical terminal, which a DISCONN HOLD gives a fresh terminal and runner.</summary>
    sealed class Connection(LineTerminalServer server, TcpClient client)
    {
        readonly NetworkStream stream = client.GetStream();
        readonly Lock sendLock = new();
        volatile bool closed;
        volatile UserTerminal current = null!;
        volatile UserRunner runner = null!;

        void Send(byte[] bytes)
        {
            if (closed) return;
            try { lock (sendLock) stream.Write(bytes); } catch (IOException) { } catch (ObjectDisposedException) { }
        }

        /// <summary>A fresh terminal and runner for this line, showing the online message.</summary>
        void Attach()
        {
            var terminal = new UserTerminal { Echo = false };
            terminal.Output += text => Send(Encoding.Latin1.GetBytes(text.Replace("\n", "\r\n")));
            terminal.HiddenInput += hide => Send([Iac, hide ? Will : Wont, EchoOption]);
            terminal.Hangup += hold => Hangup(terminal, hold);
            var r = server.dial(terminal);
            lock (server.runners) server.runners.Add(r);
            current = terminal;
            runner = r;
            terminal.Write(OnlineMessage);
        }

        void Hangup(UserTerminal terminal, bool hold)
        {
            if (closed) return;
            if (!hold)
            {
                closed = true;
                client.Close();
                return;
            }
            // HOLD: the line stays; a session that was this line's own keeps its machine and the line gets a new terminal.
            if (terminal == current && runner.Session.LoggedOn) Attach();
            else current.Write(OnlineMessage);
        }

        public void Serve()
        {
            lock (server.clients) server.clients.Add(client);
            Attach();
            var line = new StringBuilder();
            var buffer = new byte[512];
            int skip = 0;
            try
            {
                while (true)
                {
                    int n = stream.Read(buffer);
                    if (n <= 0) break;
                    for (int i = 0; i < n; i++)
                    {
                        byte b = buffer[i];
                        // Telnet: IAC (255) then a command byte, and an option byte for WILL/WONT/DO/DONT.
                        if (skip == 2) { skip = b is >= 251 and <= 254 ? 1 : 0; continue; }
                        if (skip == 1) { skip = 0; continue; }
                        if (b == Iac) { skip = 2; continue; }
                        if (b == '\n') { current.SendLine(line.ToString()); line.Clear(); }
                        else if (b != '\r' && b != 0) line.Append((char)b);
                    }
                }
            }
            catch (IOException) { }
            catch (ObjectDisposedException) { }
            finally
            {
                closed = true;
                client.Dispose();
                lock (server.clients) server.clients.Remove(client);
                Dropped();
            }
        }

        /// <summary>The line is gone: a reconnected user typing through it, or its own logged-on user, goes on disconnected.</summary>
        void Dropped()
        {
            if (current.TypingInto is { } into)
            {
                UserRunner? user;
                lock (server.runners) user = server.runners.FirstOrDefault(r => r.Terminal == into);
                if (user != null && !user.Session.LineDropped())
                {
                    // The reconnected user has logged off since: nothing is left to keep.
                    lock (server.runners) server.runners.Remove(user);
                    user.Dispose();
                }
            }
            // A user that went DISCONN on this line may already be reconnected on another one by
            // the time the line is seen to close: it is not disconnected again.
            if (runner.Session.LoggedOn && current.ShownElsewhere) return;
            if (runner.Session.LineDropped()) return;
            lock (server.runners) server.runners.Remove(runner);
            runner.Dispose();
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        List<UserRunner> all;
        lock (runners) all = runners.ToList();
        foreach (var r in all) r.Dispose();
    }

    /// <summary>Closes every client's connection (after CP has said its last words to them).</summary>
    public void CloseConnections()
    {
        List<TcpClient> all;
        lock (clients) all = clients.ToList();
        foreach (var c in all) c.Close();
    }
}
