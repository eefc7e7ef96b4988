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
        File.WriteAllLines(Path.Combine(Path.GetTempPath(), "jit360-cms-events.txt"), g.RecentEvents);
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
}
