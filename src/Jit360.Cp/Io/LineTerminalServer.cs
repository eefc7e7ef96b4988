using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Jit360.Cp.Io;

/// <summary>
/// Users dial in to CP over TCP with a line-mode client (telnet, nc): each connection gets a
/// <see cref="UserTerminal"/> and a <see cref="UserRunner"/>. Lines are Latin-1 and end with
/// CR LF or LF; telnet negotiation (IAC sequences) is skipped, the client echoes locally.
/// Closing the connection disconnects the terminal; the user's runner is then disposed.
/// </summary>
public sealed class LineTerminalServer : IDisposable
{
    readonly TcpListener listener;
    readonly Func<UserTerminal, UserRunner> dial;
    readonly CancellationTokenSource stop = new();
    readonly List<UserRunner> runners = [];

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
            _ = Task.Run(() => Serve(client));
        }
    }

    void Serve(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var terminal = new UserTerminal { Echo = false };
        terminal.Output += text =>
        {
            var bytes = Encoding.Latin1.GetBytes(text.Replace("\n", "\r\n"));
            try { lock (stream) stream.Write(bytes); } catch (IOException) { } catch (ObjectDisposedException) { }
        };
        var runner = dial(terminal);
        lock (runners) runners.Add(runner);
        terminal.Write($"JIT360 VM/370 ONLINE");
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
                    if (b == 255) { skip = 2; continue; }
                    if (b == '\n') { terminal.SendLine(line.ToString()); line.Clear(); }
                    else if (b != '\r' && b != 0) line.Append((char)b);
                }
            }
        }
        catch (IOException) { }
        finally
        {
            lock (runners) runners.Remove(runner);
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
}
