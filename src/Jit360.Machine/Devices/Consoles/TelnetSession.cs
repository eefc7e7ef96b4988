using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Jit360.Machine.Devices.Consoles;

/// <summary>
/// One telnet client's connection: sends printed text as NVT lines (CR LF; UTF-8 for the
/// Latin-1 graphics; IAC doubled) and closes cleanly. A client that stops reading cannot hold
/// the machine: a send that cannot complete within <see cref="SendTimeoutMs"/> drops the client.
/// </summary>
public sealed class TelnetSession : IDisposable
{
    public const int SendTimeoutMs = 5000;

    readonly Socket socket;
    readonly object sendLock = new();
    volatile bool closed;

    public IPAddress Address { get; }
    public bool Closed => closed;

    public TelnetSession(Socket socket)
    {
        this.socket = socket;
        socket.NoDelay = true;
        socket.SendTimeout = SendTimeoutMs;
        Address = (socket.RemoteEndPoint as IPEndPoint)?.Address is { } a
            ? (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a) : IPAddress.None;
    }

    /// <summary>Receives into <paramref name="buffer"/>; 0 when the client has gone (closed, reset, or closed here).</summary>
    public int Receive(byte[] buffer, int timeoutMs = -1)
    {
        if (closed) return 0;
        try
        {
            if (timeoutMs >= 0 && !socket.Poll(TimeSpan.FromMilliseconds(timeoutMs), SelectMode.SelectRead)) return -1;
            return socket.Receive(buffer);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { return 0; }
    }

    /// <summary>Prints text; false if the client is gone (and then it is closed).</summary>
    public bool Send(string text) => SendRaw(Encode(text));

    public bool SendRaw(ReadOnlySpan<byte> bytes)
    {
        lock (sendLock)
        {
            if (closed) return false;
            try
            {
                while (bytes.Length > 0) bytes = bytes[socket.Send(bytes)..];
                return true;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        }
        Close();
        return false;
    }

    /// <summary>Text to NVT bytes: '\n' is CR LF, a lone '\r' is CR NUL (RFC 854), characters beyond ASCII in UTF-8.</summary>
    public static byte[] Encode(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n') sb.Append("\r\n");
            else if (c == '\r') { if (i + 1 < text.Length && text[i + 1] == '\n') continue; sb.Append("\r\0"); }
            else sb.Append(c);
        }
        var utf8 = Encoding.UTF8.GetBytes(sb.ToString());
        // UTF-8 never produces X'FF', but the rule is the protocol's, so keep it.
        if (Array.IndexOf(utf8, Telnet.Iac) < 0) return utf8;
        var r = new List<byte>(utf8.Length + 4);
        foreach (var b in utf8) { r.Add(b); if (b == Telnet.Iac) r.Add(b); }
        return r.ToArray();
    }

    /// <summary>Ends the connection: what was sent is delivered, then the socket is closed.</summary>
    public void Close()
    {
        lock (sendLock)
        {
            if (closed) return;
            closed = true;
        }
        try { socket.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        socket.Dispose();
    }

    /// <summary>Sends a last message and closes after the client has had it (unread input would otherwise reset the connection).</summary>
    public void CloseAfter(string text)
    {
        Send(text);
        try
        {
            socket.Shutdown(SocketShutdown.Send);
            var sink = new byte[512];
            var until = DateTime.UtcNow.AddSeconds(1);
            while (DateTime.UtcNow < until && socket.Poll(100_000, SelectMode.SelectRead) && socket.Receive(sink) > 0) { }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        Close();
    }

    public void Dispose() => Close();
}
