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

/// <summary>
/// <c>jit360 cp</c> with real CMS: a telnet user writes a file on its A-disk, the operator's SHUTDOWN ends
/// the process, and a second <c>jit360 cp</c> over the same image files finds the file (the volumes were flushed).
/// </summary>
[NonParallelizable]
public class CpVerbCmsTests
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    /// <summary>Runs jit360 cp until its stdout shows the port line; returns the process and a stdout reader.</summary>
    static (System.Diagnostics.Process Process, Func<string, bool> Saw) Start(string dll, string folder, string guest, int port)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "cp", "-f", "cp.cnf", "-d", "USER.DIRECT", "--port", port.ToString(),
                     "--system", $"CMS={Path.Combine(guest, "CMS.segment")}", "--segment", $"CMSSEG={Path.Combine(guest, "CMSSEG.segment")}@3840" })
            psi.ArgumentList.Add(a);
        var p = System.Diagnostics.Process.Start(psi)!;
        var output = new StringBuilder();
        _ = Task.Run(() => { int c; while ((c = p.StandardOutput.Read()) >= 0) lock (output) output.Append((char)c); });
        _ = p.StandardError.ReadToEndAsync();
        bool Saw(string text)
        {
            var deadline = DateTime.UtcNow + Wait;
            while (DateTime.UtcNow < deadline)
            {
                lock (output) if (output.ToString().Contains(text, StringComparison.Ordinal)) return true;
                if (p.HasExited) { Thread.Sleep(200); lock (output) return output.ToString().Contains(text, StringComparison.Ordinal); }
                Thread.Sleep(50);
            }
            return false;
        }
        return (p, Saw);
    }

    [Test]
    public void SHUTDOWN_flushes_what_CMS_wrote_for_the_next_CP()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "jit360.dll");
        if (!File.Exists(dll)) Assert.Ignore($"needs the built CLI at {dll}");
        string guest = Jit360.Tests.Support.Shared.Require("guests/vm370r6-cms");
        string folder = Path.Combine(Path.GetTempPath(), "jit360-cpverb-cms-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(folder);
        try
        {
            using (var input = new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(guest, "disks", "cmsuser_192.ckd.gz")), System.IO.Compression.CompressionMode.Decompress))
            using (var output = File.Create(Path.Combine(folder, "cmsuser_192.ckd")))
                input.CopyTo(output);
            var disks = ManyUsersTests.UserDisks(folder).ToList();
            var config = new StringBuilder("# the CMS user disks\n0192 3350 cmsuser_192.ckd\n");
            for (int i = 0; i < disks.Count; i++) config.Append($"{0x300 + i:X4} 3350 {Path.GetFileName(disks[i])}\n");
            File.WriteAllText(Path.Combine(folder, "cp.cnf"), config.ToString());
            File.WriteAllText(Path.Combine(folder, "USER.DIRECT"), "USER OPERATOR OPERATOR 1M 16M ABCDEFG\n CONSOLE 009 3215\n" + ManyUsersTests.Directory());

            int port = FreePort();
            var (first, sawFirst) = Start(dll, folder, guest, port);
            using (first)
            {
                try
                {
                    Assert.That(sawFirst($"dial in on port {port}"), Is.True, "the first CP starts");
                    using (var user = new LineClient(port))
                    {
                        user.ReadUntil("ONLINE");
                        user.Type("LOGON U01 PW01");
                        user.ReadUntil("Ready;");
                        user.Type("ACCESS 192 B");
                        user.ReadUntil("Ready;");
                        user.Type("LOADMOD FSQRY");
                        user.ReadUntil("Ready;");
                        user.Type("GENMOD SAVED MODULE A");
                        user.ReadUntil("Ready;");
                        first.StandardInput.WriteLine("SHUTDOWN");
                        first.StandardInput.Flush();
                        user.ReadUntil("LOGOFF AT ");
                    }
                    Assert.That(first.WaitForExit(Wait), Is.True, "SHUTDOWN ends the first CP");
                    Assert.That(first.ExitCode, Is.Zero);
                }
                finally { if (!first.HasExited) first.Kill(entireProcessTree: true); }
            }

            var (second, sawSecond) = Start(dll, folder, guest, port);
            using (second)
            {
                try
                {
                    Assert.That(sawSecond($"dial in on port {port}"), Is.True, "the second CP starts");
                    using var user = new LineClient(port);
                    user.ReadUntil("ONLINE");
                    user.Type("LOGON U01 PW01");
                    user.ReadUntil("Ready;");
                    int from = user.Received.Length;
                    user.Type("STATE SAVED MODULE A");
                    user.ReadUntil("Ready");
                    string text = user.ReadUntil("\r\n");   // the whole Ready line
                    Assert.That(text[from..], Does.Not.Contain("DMSSTT002E").And.Contain("Ready;"), "the module GENMOD wrote before the SHUTDOWN is there");
                    from = user.Received.Length;
                    user.Type("STATE NOTSAVED MODULE A");
                    Assert.That(user.ReadUntil("Ready(")[from..], Does.Contain("DMSSTT002E"), "STATE does tell a missing file");
                    second.StandardInput.Close();
                    Assert.That(second.WaitForExit(Wait), Is.True, "the end of its input ends the second CP");
                }
                finally { if (!second.HasExited) second.Kill(entireProcessTree: true); }
            }
        }
        finally
        {
            try { System.IO.Directory.Delete(folder, true); } catch (IOException) { }
        }
    }

    static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
