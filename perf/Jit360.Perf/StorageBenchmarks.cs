using BenchmarkDotNet.Attributes;
using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Perf;

/// <summary>Operand access with protection and reference/change recording, key 0 (fast path) and a nonzero key.</summary>
public class StorageBenchmarks
{
    const int Count = 1024;
    CpuState cpu = null!;

    [Params(0, 6)]
    public int Key { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        cpu = new CpuState(ArchLevel.S370, 1 << 20);
        for (uint a = 0; a < cpu.Storage.Size; a += 2048) cpu.Storage.SetKey(a, 0x60);
        cpu.Key = Key;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public uint FetchWord()
    {
        uint sum = 0;
        for (uint i = 0; i < Count; i++) sum += cpu.FetchWord(0x4000 + i * 4);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public void StoreWord()
    {
        for (uint i = 0; i < Count; i++) cpu.StoreWord(0x4000 + i * 4, i);
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public uint FetchByte()
    {
        uint sum = 0;
        for (uint i = 0; i < Count; i++) sum += cpu.FetchByte(0x4000 + i);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public void CheckAccess256()
    {
        for (uint i = 0; i < Count; i++) cpu.CheckAccess(0x4000 + (i & 7) * 256, 256, store: true);
    }
}
