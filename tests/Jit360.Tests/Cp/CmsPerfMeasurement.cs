using System.Diagnostics;

namespace Jit360.Tests.Cp;

/// <summary>
/// Numbers for perf/README.md "CP and CMS", printed, never asserted:
/// <c>dotnet test tests/Jit360.Tests -c Release --filter "FullyQualifiedName~CmsPerfMeasurement" --logger "console;verbosity=detailed"</c>.
/// </summary>
[Explicit("a measurement: run it by name to print the numbers")]
[Category("Perf")]
[NonParallelizable]
public class CmsPerfMeasurement
{
    const int Commands = 200;

    [TestCase("interp")]
    [TestCase("jit")]
    [TestCase("jit-default")]
    public void Logon_to_Ready_and_nucleus_command_throughput(string engine)
    {
        // "jit-default": the JitEngine as the jit360 command makes it (translating hot blocks only).
        Jit360.Jit.JitEngine? jit = null;
        using var cp = engine == "jit-default"
            ? new CmsSystem(ManyUsersTests.Directory(), () => jit = new Jit360.Jit.JitEngine(), ["cmsuser_192"], ManyUsersTests.UserDisks)
            : new CmsSystem(ManyUsersTests.Directory(), engine, ["cmsuser_192"], ManyUsersTests.UserDisks);
        var user = cp.Dial();
        var clock = Stopwatch.StartNew();
        user.Terminal.SendLine("LOGON U01 PW01");
        bool ready = user.Terminal.TryWaitForOutput(l => l.Contains("Ready;", StringComparison.Ordinal), TimeSpan.FromSeconds(60), out _);
        var logon = clock.Elapsed;
        var vm = user.Session.Machine!;
        long logonInstructions = vm.Cpu.Instructions;
        TestContext.Out.WriteLine($"{engine}: LOGON to Ready; {(ready ? $"{logon.TotalSeconds:0.000} s" : "not reached in 60 s")}, {logonInstructions:N0} guest instructions");
        if (jit != null) TestContext.Out.WriteLine($"{engine}: JIT cache clears {jit.Statistics.CacheClears:N0}, DIAGNOSE counts {string.Join(", ", vm.Diagnose.Counts.Select(kv => $"X'{kv.Key:X2}' {kv.Value}"))}");
        if (!ready) return;

        clock.Restart();
        for (int i = 0; i < Commands; i++)
        {
            user.Terminal.SendLine("STATE STDIO H A");
            user.Terminal.WaitForOutput(l => l.Contains("Ready;", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        }
        var run = clock.Elapsed;
        long commandInstructions = vm.Cpu.Instructions - logonInstructions;
        TestContext.Out.WriteLine($"{engine}: {Commands} STATE commands in {run.TotalSeconds:0.000} s = {Commands / run.TotalSeconds:0} commands/s, "
            + $"{commandInstructions:N0} instructions = {commandInstructions / run.TotalSeconds / 1e6:0.00} MIPS over the wall time (console round trips included)");
        TestContext.Out.WriteLine($"{engine}: DIAGNOSE counts " + string.Join(", ", vm.Diagnose.Counts.Select(kv => $"X'{kv.Key:X2}' {kv.Value}")));
    }
}
