using System.Net.Sockets;
using System.Text;
using Jit360.Cp.Commands;
using Jit360.Cp.Directory;
using Jit360.Cp.Io;
using Jit360.Cp.SavedSystems;

namespace Jit360.Tests.Cp;

/// <summary>Users dial in over TCP with a line-mode client; telnet negotiation is skipped.</summary>
public class CpIoTerminalTests
{
    [Test]
    public void A_user_logs_on_over_TCP_and_gets_CP_responses()
    {
        using var volumes = new RealVolumes();
        var devices = new VirtualDeviceServices(volumes, new SavedSystemCatalog());
        var system = new CpSystem(DirectoryParser.Parse(SampleDirectory.Text), devices);
        devices.System = system;
        using var server = new LineTerminalServer(0, t => new UserRunner(system, devices, t, () => new Jit360.Interpreter.Interpreter()));
        using var client = new TcpClient("127.0.0.1", server.Port);
        var stream = client.GetStream();
        stream.ReadTimeout = 10_000;
        var received = new StringBuilder();
        string ReadUntil(string text)
        {
            var buffer = new byte[1024];
            while (!received.ToString().Contains(text))
            {
                int n = stream.Read(buffer);
                if (n <= 0) break;
                received.Append(Encoding.Latin1.GetString(buffer, 0, n));
            }
            return received.ToString();
        }
        ReadUntil("ONLINE");
        // IAC DO ECHO, IAC NOP, then the line.
        stream.Write([255, 253, 1, 255, 241]);
        stream.Write(Encoding.Latin1.GetBytes("LOGON OPERATOR OPERATOR\r\nQUERY USERID\r\n"));
        string text = ReadUntil("OPERATOR AT JIT360");
        Assert.That(text, Does.Contain("LOGON AT "));
        Assert.That(text, Does.Contain("OPERATOR AT JIT360\r\n"));
    }

    [Test]
    public void A_directory_IPL_of_a_missing_system_leaves_the_user_in_CP_mode()
    {
        using var volumes = new RealVolumes();
        var devices = new VirtualDeviceServices(volumes, new SavedSystemCatalog());
        var system = new CpSystem(DirectoryParser.Parse(SampleDirectory.Text), devices);
        devices.System = system;
        var terminal = new UserTerminal();
        var session = new CpSession(terminal);
        Assert.That(system.Execute(session, "LOGON MAINT CPCMS"), Is.Zero);
        Assert.That(terminal.Lines, Has.Some.Contains("SYSTEM CMS DOES NOT EXIST"));
        Assert.That(terminal.Lines, Has.Some.StartsWith("LOGON AT"));
        Assert.That(session.State, Is.EqualTo(SessionState.CpRead));
        Assert.That(system.Execute(session, "QUERY VIRTUAL CONS"), Is.Zero);
        Assert.That(terminal.Lines[^1], Is.EqualTo("CONS 009 ON DEV 009"));
        devices.DestroyVirtualMachine(session);
    }
}
