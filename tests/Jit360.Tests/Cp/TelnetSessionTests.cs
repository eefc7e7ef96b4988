using System.Net.Sockets;
using System.Text;
using Jit360.Cp.Commands;
using Jit360.Cp.Directory;
using Jit360.Cp.Io;
using Jit360.Cp.SavedSystems;

namespace Jit360.Tests.Cp;

/// <summary>A line-mode client over TCP, as telnet: lines with CR LF, everything received kept as Latin-1.</summary>
sealed class LineClient : IDisposable
{
    readonly TcpClient client;
    readonly NetworkStream stream;
    readonly StringBuilder received = new();
    int searchFrom;

    public LineClient(int port)
    {
        client = new TcpClient("127.0.0.1", port);
        stream = client.GetStream();
        stream.ReadTimeout = 60_000;
    }

    public string Received => received.ToString();

    /// <summary>Reads until <paramref name="text"/> arrives after the previous match; fails with what came.</summary>
    public string ReadUntil(string text)
    {
        var buffer = new byte[1024];
        int at;
        while ((at = received.ToString().IndexOf(text, searchFrom, StringComparison.Ordinal)) < 0)
        {
            int n;
            try { n = stream.Read(buffer); }
            catch (IOException e) { throw new AssertionException($"no '{text}' ({e.Message}); received:\n{received}"); }
            if (n <= 0) throw new AssertionException($"connection closed before '{text}'; received:\n{received}");
            received.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }
        searchFrom = at + text.Length;
        return received.ToString();
    }

    /// <summary>Whether the server closes the connection (reading until the end).</summary>
    public bool ClosedByServer()
    {
        var buffer = new byte[1024];
        try
        {
            int n;
            while ((n = stream.Read(buffer)) > 0) received.Append(Encoding.Latin1.GetString(buffer, 0, n));
            return true;
        }
        catch (IOException) { return false; }
    }

    public void Type(string line) => stream.Write(Encoding.Latin1.GetBytes(line + "\r\n"));

    public void Dispose() => client.Dispose();
}

/// <summary>
/// Users over TCP: the LOGON password prompt with the client's echo turned off, wrong passwords and
/// unknown users, and real R6 CMS left running by DISCONN or a dropped connection and reconnected
/// from a new connection, where it answers a command after BEGIN.
/// </summary>
[NonParallelizable]
public class TelnetSessionTests
{
    const char Iac = (char)255, Will = (char)251, Wont = (char)252, Echo = (char)1;

    [Test]
    public void LOGON_asks_for_the_password_with_the_echo_off_and_refuses_wrong_ones()
    {
        using var volumes = new RealVolumes();
        var devices = new VirtualDeviceServices(volumes, new SavedSystemCatalog());
        var system = new CpSystem(DirectoryParser.Parse(SampleDirectory.Text), devices);
        devices.System = system;
        using var server = new LineTerminalServer(0, t => new UserRunner(system, devices, t, () => new Jit360.Interpreter.Interpreter()));
        using var user = new LineClient(server.Port);
        user.ReadUntil(LineTerminalServer.OnlineMessage);
        user.Type("LOGON NOBODY");
        user.ReadUntil("DMKLOG053E NOBODY NOT IN CP DIRECTORY\r\n");
        user.Type("LOGON OPERATOR");
        user.ReadUntil($"ENTER PASSWORD:\r\n{Iac}{Will}{Echo}");
        user.Type("BADPW");
        user.ReadUntil($"{Iac}{Wont}{Echo}DMKLOG050E PASSWORD INCORRECT - REINITIATE LOGON PROCEDURE\r\n");
        Assert.That(system.Find("OPERATOR"), Is.Null);
        user.Type("LOGON OPERATOR");
        user.ReadUntil($"ENTER PASSWORD:\r\n{Iac}{Will}{Echo}");
        user.Type("operator");
        string text = user.ReadUntil("LOGON AT ");
        Assert.That(text, Does.Not.Contain("BADPW").And.Not.Contain("operator"), "passwords are never echoed by CP");
        Assert.That(system.Find("OPERATOR"), Is.Not.Null);
        user.Type("LOGON OPERATOR OPERATOR");
        user.ReadUntil("DMKLOG054E ALREADY LOGGED ON OPERATOR");
    }

    [Test]
    public void DISCONN_HOLD_keeps_the_connection_for_another_LOGON_that_reconnects()
    {
        using var volumes = new RealVolumes();
        var devices = new VirtualDeviceServices(volumes, new SavedSystemCatalog());
        var system = new CpSystem(DirectoryParser.Parse(SampleDirectory.Text), devices);
        devices.System = system;
        using var server = new LineTerminalServer(0, t => new UserRunner(system, devices, t, () => new Jit360.Interpreter.Interpreter()));
        using var user = new LineClient(server.Port);
        user.ReadUntil(LineTerminalServer.OnlineMessage);
        user.Type("LOGON OPERATOR OPERATOR");
        user.ReadUntil("LOGON AT ");
        user.Type("DISCONN HOLD");
        user.ReadUntil("DISCONNECT AT ");
        user.ReadUntil(LineTerminalServer.OnlineMessage);
        Assert.That(system.Find("OPERATOR")!.Disconnected, Is.True);
        user.Type("QUERY NAMES");
        user.ReadUntil("DMKCFM001E ?CP: QUERY");   // a new terminal, logged off
        user.Type("LOGON OPERATOR OPERATOR");
        user.ReadUntil("RECONNECTED AT ");
        user.Type("QUERY NAMES");
        user.ReadUntil("OPERATOR - CON");
    }

    [Test]
    public void CMS_goes_on_after_DISCONN_and_a_dropped_line_and_answers_after_a_reconnecting_LOGON()
    {
        using var cp = new CmsSystem(ManyUsersTests.Directory(), "interp", ["cmsuser_192"], ManyUsersTests.UserDisks);
        using var server = new LineTerminalServer(0, t => new UserRunner(cp.System, cp.Devices, t, () => new Jit360.Interpreter.Interpreter()));

        using (var first = new LineClient(server.Port))
        {
            first.ReadUntil(LineTerminalServer.OnlineMessage);
            first.Type("LOGON U01 PW01");
            first.ReadUntil("Ready;");
            first.Type("#CP DISCONN");
            first.ReadUntil("DISCONNECT AT ");
            Assert.That(first.ClosedByServer(), Is.True, "DISCONN drops the line");
        }
        var session = cp.System.Find("U01");
        Assert.That(session, Is.Not.Null);
        Assert.That(session!.Disconnected && session.Machine != null, Is.True, "the machine is kept");
        Assert.That(session.State, Is.EqualTo(SessionState.Running), "and runs without its terminal (CMS waits in its console read)");

        using (var second = new LineClient(server.Port))
        {
            second.ReadUntil(LineTerminalServer.OnlineMessage);
            second.Type("LOGON U01");
            second.ReadUntil("ENTER PASSWORD:");
            second.Type("PW01");
            second.ReadUntil("RECONNECTED AT ");
            Assert.That(session.Disconnected, Is.False);
            second.Type("BEGIN");
            second.Type("CP QUERY USERID");
            second.ReadUntil("U01 AT JIT360");
            second.ReadUntil("Ready;");
        }   // the client goes away without DISCONN

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!session.Disconnected && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.That(session.Disconnected, Is.True, "a dropped line disconnects the user");
        Assert.That(cp.System.Find("U01"), Is.SameAs(session), "still logged on");

        using var third = new LineClient(server.Port);
        third.ReadUntil(LineTerminalServer.OnlineMessage);
        third.Type("LOGON U01 PW01");
        third.ReadUntil("RECONNECTED AT ");
        third.Type("BEGIN");
        third.Type("STATE PROFILE EXEC *");
        third.ReadUntil("Ready(");
        third.Type("#CP QUERY NAMES");
        third.ReadUntil("U01      - CON");
        third.Type("#CP LOGOFF");
        third.ReadUntil("LOGOFF AT ");
        Assert.That(cp.System.Find("U01"), Is.Null);
    }
}
