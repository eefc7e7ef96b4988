using BenchmarkDotNet.Attributes;
using Jit360.Architecture;

namespace Jit360.Perf;

/// <summary>Field extraction through the format structs and the length from the opcode, per instruction.</summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    const int Count = 1024;
    readonly ulong[] insns = new ulong[Count];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(360);
        for (int i = 0; i < Count; i++) insns[i] = (ulong)rng.NextInt64();
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int Length()
    {
        int sum = 0;
        foreach (var insn in insns) sum += Formats.LengthOfOpcode((byte)(insn >> 56));
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int RR_fields()
    {
        int sum = 0;
        foreach (var insn in insns) { var f = new RR(insn); sum += f.R1 + f.R2; }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int RX_fields()
    {
        int sum = 0;
        foreach (var insn in insns) { var f = new RX(insn); sum += f.R1 + f.X2 + f.B2 + f.D2; }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int SS_fields()
    {
        int sum = 0;
        foreach (var insn in insns) { var f = new SS(insn); sum += f.L + f.B1 + f.D1 + f.B2 + f.D2; }
        return sum;
    }
}
