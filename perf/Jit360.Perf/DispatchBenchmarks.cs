using BenchmarkDotNet.Attributes;
using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Perf;

/// <summary>
/// The interpreter's fetch-decode-dispatch loop on small register-only and storage loops; each
/// benchmark reports the time per guest instruction.
/// </summary>
public class DispatchBenchmarks
{
    const int Instructions = 100_000;
    CpuState cpu = null!;
    readonly Interpreter.Interpreter engine = new();

    // 1000: AR 1,2 ; LR 3,1 ; BCT 4,1000 — three register instructions per iteration.
    const string RegisterLoop = "1A12" + "1831" + "46401000";
    // 1000: L 1,0(0,5) ; ST 1,4(0,5) ; BCT 4,1000 — a load, a store and a branch.
    const string StorageLoop = "58105000" + "50105004" + "46401000";

    [Params("register", "storage")]
    public string Loop { get; set; } = "register";

    [GlobalSetup]
    public void Setup()
    {
        cpu = new CpuState(ArchLevel.S370, 0x10000);
        cpu.Storage.Load(0x1000, Convert.FromHexString(Loop == "register" ? RegisterLoop : StorageLoop));
    }

    [Benchmark(OperationsPerInvoke = Instructions)]
    public long Run()
    {
        cpu.LoadPsw(0x1000);
        cpu.Gpr[4] = 0x7FFF_FFFF;      // the BCT count never runs out inside the budget
        cpu.Gpr[5] = 0x2000;
        engine.Run(cpu, Instructions);
        return cpu.Instructions;
    }
}
