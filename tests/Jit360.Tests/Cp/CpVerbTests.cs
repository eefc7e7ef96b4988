using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Jit360.Tests.Cp;

/// <summary>
/// <c>jit360 cp</c> as a process: its stdin and stdout are the operator's console, logged on as
/// OPERATOR at start; a user dials in over TCP at the same time; the operator's MSG, WARNING and
/// SHUTDOWN reach that user, and SHUTDOWN logs everyone off and ends the process.
/// </summary>
[NonParallelizable]
public class CpVerbTests
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    const string Directory = """
        USER OPERATOR OPERATOR 1M 16M ABCDEFG
         CONSOLE 009 3215
        USER MAINT CPCMS 1M 16M G
         CONSOLE 009 3215

        """;

    static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    [Test]
    public void The_operator_console_on_stdin_and_a_telnet_user_at_the_same_time()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "jit360.dll");
        if (!File.Exists(dll)) Assert.Ignore($"needs the built CLI at {dll}");
        string folder = Path.Combine(Path.GetTempPath(), "jit360-cpverb-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "cp.cnf"), "# no DASD: the users here need none\n");
        File.WriteAllText(Path.Combine(folder, "USER.DIRECT"), Directory);
        int port = FreePort();
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "cp", "-f", "cp.cnf", "-d", "USER.DIRECT", "--port", port.ToString() }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = new StringBuilder();
        var reader = Task.Run(() =>
        {
            int c;
            while ((c = p.StandardOutput.Read()) >= 0)
                lock (output) { output.Append((char)c); Monitor.PulseAll(output); }
        });
        var errors = p.StandardError.ReadToEndAsync();
        int searchFrom = 0;
        void Expect(string text)
        {
            var deadline = DateTime.UtcNow + Wait;
            lock (output)
            {
                int at;
                while ((at = output.ToString().IndexOf(text, searchFrom, StringComparison.Ordinal)) < 0)
                {
                    if (DateTime.UtcNow > deadline || p.HasExited && reader.IsCompleted)
                        Assert.Fail($"no '{text}' on the operator's console:\n{output}\nstderr:\n{(p.HasExited ? errors.Result : "")}");
                    Monitor.Wait(output, 200);
                }
                searchFrom = at + text.Length;
            }
        }
        void Operator(string line) { p.StandardInput.WriteLine(line); p.StandardInput.Flush(); }
        try
        {
            Expect($"users dial in on port {port}");
            Expect("LOGON AT ");
            using var user = new LineClient(port);
            user.ReadUntil("ONLINE");
            user.Type("LOGON MAINT CPCMS");
            user.ReadUntil("LOGON AT ");

            Operator("QUERY NAMES");
            Expect("OPERATOR - CON , MAINT    - CON");
            Operator("MSG MAINT hello from the console");
            user.ReadUntil("MSG FROM OPERATOR: hello from the console\r\n");
            user.Type("MSG OP hello operator");
            Expect("MSG FROM MAINT: hello operator");
            Operator("WARNING ALL the system goes down");
            user.ReadUntil("WNG FROM OPERATOR: the system goes down\r\n");
            user.Type("SHUTDOWN");
            user.ReadUntil("DMKCFM001E ?CP: SHUTDOWN");

            Operator("SHUTDOWN");
            user.ReadUntil("LOGOFF AT ");
            Assert.That(user.ClosedByServer(), Is.True, "the user's line is dropped at the end");
            Expect("LOGOFF AT ");
            Expect("SYSTEM SHUTDOWN COMPLETE");
            Assert.That(p.WaitForExit(Wait), Is.True, "the process ends after SHUTDOWN");
            Assert.That(p.ExitCode, Is.Zero, errors.Result);
        }
        finally
        {
            if (!p.HasExited) try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            try { System.IO.Directory.Delete(folder, true); } catch (IOException) { }
        }
    }
}
