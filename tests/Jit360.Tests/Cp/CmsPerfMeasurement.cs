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

    /// <summary>
    /// LOGON and a few commands on the interpreter, unmeasured: the first case otherwise pays for
    /// RyuJIT compiling CP's and the interpreter's own .NET code (the interpreter, run first, measured
    /// 0.8 s for what takes it 0.15 s warm).
    /// </summary>
    [OneTimeSetUp]
    public void WarmUp()
    {
        using var cp = new CmsSystem(ManyUsersTests.Directory(), "interp", ["cmsuser_192"], ManyUsersTests.UserDisks);
        var user = cp.Dial();
        user.Terminal.SendLine("LOGON U01 PW01");
        user.Terminal.WaitForOutput(l => l.Contains("Ready;", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        for (int i = 0; i < 5; i++)
        {
            user.Terminal.SendLine("STATE STDIO H A");
            user.Terminal.WaitForOutput(l => l.Contains("Ready;", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        }
    }

    [TestCase("interp")]
    [TestCase("jit")]
    [TestCase("jit-default")]
    [TestCase("jit-hot16")]
    public void Logon_to_Ready_and_nucleus_command_throughput(string engine)
    {
        // "jit-default": the JitEngine as the jit360 command makes it (translating hot blocks only).
        Jit360.Jit.JitEngine? jit = null;
        // "jit": everything translated at first sight (HotThreshold 0), as the tests run it.
        Jit360.Machine.IExecutionEngine Create() => engine switch
        {
            "jit-default" => jit = new Jit360.Jit.JitEngine(),
            "jit" => jit = new Jit360.Jit.JitEngine { HotThreshold = 0 },
            _ when engine.StartsWith("jit-hot", StringComparison.Ordinal) => jit = new Jit360.Jit.JitEngine { HotThreshold = int.Parse(engine[7..]) },
            _ => Jit360.Tests.Support.TestEngines.Create(engine),
        };
        using var cp = new CmsSystem(ManyUsersTests.Directory(), Create, ["cmsuser_192"], ManyUsersTests.UserDisks);
        var user = cp.Dial();
        var clock = Stopwatch.StartNew();
        var cpuTime = Process.GetCurrentProcess().TotalProcessorTime;
        user.Terminal.SendLine("LOGON U01 PW01");
        bool ready = user.Terminal.TryWaitForOutput(l => l.Contains("Ready;", StringComparison.Ordinal), TimeSpan.FromSeconds(60), out _);
        var logon = clock.Elapsed;
        var logonCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuTime;
        var vm = user.Session.Machine!;
        long logonInstructions = vm.Cpu.Instructions;
        TestContext.Out.WriteLine($"{engine}: LOGON to Ready; {(ready ? $"{logon.TotalSeconds:0.000} s ({logonCpu.TotalSeconds:0.000} s CPU)" : "not reached in 60 s")}, {logonInstructions:N0} guest instructions");
        if (jit != null) TestContext.Out.WriteLine($"{engine}: JIT cache clears {jit.Statistics.CacheClears:N0}, DIAGNOSE counts {string.Join(", ", vm.Diagnose.Counts.Select(kv => $"X'{kv.Key:X2}' {kv.Value}"))}");
        if (!ready) return;

        clock.Restart();
        cpuTime = Process.GetCurrentProcess().TotalProcessorTime;
        for (int i = 0; i < Commands; i++)
        {
            user.Terminal.SendLine("STATE STDIO H A");
            if (!user.Terminal.TryWaitForOutput(l => l.Contains("Ready;", StringComparison.Ordinal), TimeSpan.FromSeconds(30), out _))
            {
                Assert.Fail($"{engine}: command {i + 1} did not reach Ready; at {vm.Cpu.Instructions:N0} instructions, PSW {vm.Cpu.CurrentPsw():X16}"
                            + (jit != null ? $"\n{jit.Statistics}" : ""));
            }
        }
        var run = clock.Elapsed;
        var runCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuTime;
        long commandInstructions = vm.Cpu.Instructions - logonInstructions;
        TestContext.Out.WriteLine($"{engine}: {Commands} STATE commands in {run.TotalSeconds:0.000} s ({runCpu.TotalSeconds:0.000} s CPU) = {Commands / run.TotalSeconds:0} commands/s, "
            + $"{commandInstructions:N0} instructions = {commandInstructions / run.TotalSeconds / 1e6:0.00} MIPS over the wall time (console round trips included)");
        TestContext.Out.WriteLine($"{engine}: DIAGNOSE counts " + string.Join(", ", vm.Diagnose.Counts.Select(kv => $"X'{kv.Key:X2}' {kv.Value}")));
        if (jit != null) TestContext.Out.WriteLine($"{engine}: JIT statistics (LOGON + {Commands} commands)\n{jit.Statistics}");
    }
}
