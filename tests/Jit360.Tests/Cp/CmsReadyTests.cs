using Jit360.Cp.Io;

namespace Jit360.Tests.Cp;

/// <summary>Real VM/370 R6 CMS, logged on through CP on a scripted terminal, reaches Ready; and runs commands.</summary>
[NonParallelizable]
public class CmsReadyTests
{
    static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    static string Expect(UserRunner user, string text)
    {
        try { return user.Terminal.WaitForOutput(l => l.Contains(text, StringComparison.Ordinal), Long); }
        catch (TimeoutException)
        {
            Assert.Fail($"no '{text}' on the terminal; transcript:\n{string.Join("\n", user.Terminal.Lines)}\nfailure: {user.Failure}\n{Post(user)}");
            throw;
        }
    }

    static string Post(UserRunner user)
    {
        var vm = user.Session.Machine;
        if (vm == null) return "no virtual machine";
        var g = user.Devices.Guest(user.Session)!;
        return $"PSW {vm.Cpu.PswText(vm.VirtualPsw)} after {vm.Cpu.Instructions} instructions, {vm.Simulated} simulated, {vm.Reflected} reflected; state {user.Session.State}\n" + string.Join("\n", g.RecentEvents);
    }

    [Test]
    public void IPL_CMS_prints_its_banner_and_Ready()
    {
        using var cp = new CmsSystem("cmsuser_191", "cmsuser_192", "shared_19D", "gcccms_201", "gcccms_202");
        var user = cp.Dial();
        user.Terminal.SendLine("LOGON CMSUSER CMSUSER");
        Expect(user, "CMS VERSION 6.0 - 09/30/10 21:03");
        Expect(user, "Ready;");
        TestContext.Out.WriteLine(string.Join("\n", user.Terminal.Lines));
    }

    static CmsSystem Cms() => new("cmsuser_191", "cmsuser_192", "shared_19D", "gcccms_201", "gcccms_202");

    static UserRunner LogonCms(CmsSystem cp)
    {
        var user = cp.Dial();
        user.Terminal.SendLine("LOGON CMSUSER CMSUSER");
        Expect(user, "Ready;");
        return user;
    }

    /// <summary>Types a line, waits for the last expected text (the prompt that ends the response), then checks the others appeared since the line was typed.</summary>
    static void Command(UserRunner user, string line, params string[] expected)
    {
        int from = user.Terminal.Lines.Count;
        user.Terminal.SendLine(line);
        Expect(user, expected[^1]);
        string response = string.Join("\n", user.Terminal.Lines.Skip(from));
        foreach (var e in expected[..^1])
            Assert.That(response, Does.Contain(e), $"after '{line}'");
    }

    [Test]
    public void CMS_commands_on_the_console()
    {
        using var cp = Cms();
        var user = LogonCms(cp);
        try
        {
            Command(user, "CP QUERY VIRTUAL", "CONS 009", "RDR  00C", "PUN  00D", "PRT  00E", "DASD 191 3350 CMS191 R/W", "Ready;");
            Command(user, "STATE PROFILE EXEC A", "Ready;");
            // FSQRY first probes for a MECAFF console (an escape string, then a READ); on a line
            // terminal the user presses ENTER, as it asks, and it reports no full-screen support.
            Command(user, "FSQRY", "Please press ENTER to cancel fullscreen operation");
            Command(user, "", "no fullscreen support", "Ready(00001);");
            // CMS answers these two in DMSINT and goes back to its console read without a Ready.
            Command(user, "LISTFILE", "DMSMOD104S", "Invalid CMS command");
            Command(user, "NOSUCHCMD", "Unknown CP/CMS command");
            Command(user, "LOADMOD FSQRY", "Ready;");
            Command(user, "GENMOD HELLO MODULE A", "Ready;");
            Command(user, "STATE HELLO MODULE A", "Ready;");
            Command(user, "HELLO", "Please press ENTER to cancel fullscreen operation");
            Command(user, "", "no fullscreen support", "Ready(00001);");
            Command(user, "LOGOFF", "LOGOFF AT");
            Command(user, "LOGON CMSUSER CMSUSER", "Ready;");
            Command(user, "STATE HELLO MODULE A", "Ready;");
        }
        finally { TestContext.Out.WriteLine(string.Join("\n", user.Terminal.Lines)); }

        // A new CP over the same image files: the MODULE GENMOD wrote reached the real volume.
        cp.Shutdown();
        using var again = CmsSystem.Reopen(cp.Folder, "cmsuser_191", "cmsuser_192", "shared_19D", "gcccms_201", "gcccms_202");
        var second = LogonCms(again);
        Command(second, "STATE HELLO MODULE A", "Ready;");
        Command(second, "STATE NOSUCH MODULE A", "DMSSTT002E", "Ready(00028);");

        // ERASE persists too: a third CP over the same files no longer finds the MODULE.
        Command(second, "ERASE HELLO MODULE A", "Ready;");
        Command(second, "STATE HELLO MODULE A", "DMSSTT002E", "Ready(00028);");
        again.Shutdown();
        using var third = CmsSystem.Reopen(cp.Folder, "cmsuser_191", "cmsuser_192", "shared_19D", "gcccms_201", "gcccms_202");
        Command(LogonCms(third), "STATE HELLO MODULE A", "DMSSTT002E", "Ready(00028);");
    }
}

/// <summary>A guest looping forever takes only its share of the scheduler's threads: it does not stop another user's CMS.</summary>
[NonParallelizable]
public class CpIoSchedulingTests
{
    [Test]
    public void A_looping_guest_does_not_stop_another_virtual_machine()
    {
        using var cp = new CmsSystem("cmsuser_191");
        var looper = cp.Dial();
        looper.Terminal.SendLine("LOGON OPERATOR OPERATOR");
        looper.Terminal.WaitForOutput(l => l.StartsWith("LOGON AT", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        // BC 15,X'800' at X'800': a branch to itself, forever.
        looper.Terminal.SendLine("STORE 800 47F00800");
        looper.Terminal.SendLine("BEGIN 800");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (looper.Session.Machine!.Cpu.Instructions < 1_000_000 && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.That(looper.Session.Machine.Cpu.Instructions, Is.GreaterThanOrEqualTo(1_000_000), "the loop runs:\n" + string.Join("\n", looper.Terminal.Lines));

        var user = cp.Dial();
        user.Terminal.SendLine("LOGON CMSUSER CMSUSER");
        user.Terminal.WaitForOutput(l => l.Contains("Ready;", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        // The looping user's terminal still reaches CP.
        looper.Terminal.SendLine("#CP QUERY USERID");
        looper.Terminal.WaitForOutput(l => l.StartsWith("OPERATOR AT", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.That(looper.Session.Machine.Cpu.Ia, Is.EqualTo(0x800u).Or.EqualTo(0x804u));
    }
}
