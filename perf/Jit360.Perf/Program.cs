using BenchmarkDotNet.Running;

namespace Jit360.Perf;

/// <summary>
/// Micro-benchmarks of the interpreter's parts: decode, dispatch, storage access.
/// Run: dotnet run -c Release --project perf/Jit360.Perf -- --filter '*'   (see perf/README.md).
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
