using System.Diagnostics;
using Jit360.Architecture;
using Jit360.Cli;
using Jit360.Cli.Config;
using Jit360.Interpreter;
using Jit360.Tests.Support;

namespace Jit360.Tests.Machine;

/// <summary>
/// The four peer-benchmark kernels of ../shared/bench, built from source in a temporary copy
/// (shared stays read-only), run from their core images through the bare-machine runner with
/// the same rc commands Hercules gets, must leave the same 48-byte RESULT area at X'2000' as
/// the native C version of each kernel prints (bench/verify.sh checks Hercules against the same).
/// </summary>
[NonParallelizable]
public class BenchKernelTests
{
    const int N = 2;
    string? work;

    static readonly string[] Kernels = ["intloop", "sieve", "memkern", "decimal"];

    [OneTimeSetUp]
    public void BuildKernels()
    {
        string bench = Shared.Require("bench");
        Shared.RequireTool("s390x-linux-gnu-as", "apt-get install -y binutils-s390x-linux-gnu");
        Shared.RequireTool("gcc", "apt-get install -y gcc");
        Shared.RequireTool("python3", "apt-get install -y python3");
        work = Path.Combine(Path.GetTempPath(), $"jit360-bench-{Guid.NewGuid():N}");
        CopyTree(bench, work);
        foreach (var k in Kernels) Shell(work, "./build.sh", k, N.ToString());
    }

    [OneTimeTearDown]
    public void Clean()
    {
        if (work != null && Directory.Exists(work)) Directory.Delete(work, recursive: true);
    }

    [TestCase("intloop")]
    [TestCase("sieve")]
    [TestCase("memkern")]
    [TestCase("decimal")]
    public void Kernel_result_matches_native_C(string kernel)
    {
        string dir = Path.Combine(work!, "build", $"{kernel}_{N}");
        string expected = Shell(work!, $"build/native_{kernel}", N.ToString()).Trim();
        var config = HerculesConfig.Parse("ARCHMODE S/370\nMAINSIZE 16\nNUMCPU 1\n", "bench.cnf");
        var output = new StringWriter();
        var machine = new BareMachine(config, TestEngines.Create("interp"), deterministic: true, output: output);
        var rc = RcScript.Parse($"loadcore {Path.Combine(dir, "core.img")} 0\npsw ia=800\nstart\n", "bench.rc");
        new RcRunner(machine, output).Run(rc);
        Assert.That(machine.WaitForStop(TimeSpan.FromSeconds(60)), Is.True, "kernel did not finish");

        Assert.That(machine.State, Is.EqualTo(MachineState.DisabledWait), machine.Report());
        Assert.That(machine.PswText, Is.EqualTo("00020000 0000DEAD"));
        string result = Convert.ToHexString(machine.Cpu.Storage.Bytes, 0x2000, 48).ToLowerInvariant();
        Assert.That(result, Is.EqualTo(expected));

        // The instruction count agrees with the native model of the kernel (plus the stub's 3 and LPSW's wait).
        string count = Shell(work!, $"build/native_{kernel}_count", N.ToString(), stderr: true).Trim();
        long kernelInstructions = long.Parse(count.Split('=')[1]);
        Assert.That(machine.InstructionsRun, Is.EqualTo(kernelInstructions + 3));
    }

    static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            if (Path.GetRelativePath(from, dir).Split(Path.DirectorySeparatorChar).Any(p => p is "build" or "results" || p.StartsWith("results-"))) continue;
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(from, file);
            if (rel.Split(Path.DirectorySeparatorChar).Any(p => p is "build" or "results" || p.StartsWith("results-"))) continue;
            File.Copy(file, Path.Combine(to, rel));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(to, rel), File.GetUnixFileMode(file));
        }
    }

    static string Shell(string cwd, string program, params string[] args) => Shell(cwd, program, args[0], stderr: false, args.Skip(1).ToArray());

    static string Shell(string cwd, string program, string arg, bool stderr, params string[] more)
    {
        var psi = new ProcessStartInfo(Path.Combine(cwd, program)) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(arg);
        foreach (var a in more) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var errTask = p.StandardError.ReadToEndAsync();
        string o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        string e = errTask.Result;
        if (p.ExitCode != 0) Assert.Fail($"{program} {arg} failed ({p.ExitCode}): {e}");
        return stderr ? e : o;
    }
}
