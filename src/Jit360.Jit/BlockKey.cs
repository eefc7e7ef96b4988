using Jit360.Machine;

namespace Jit360.Jit;

/// <summary>
/// Everything that changes what the bytes at an address mean when executed: the address, the
/// problem/supervisor state (privileged operations), the PSW key (fetch protection), the
/// translation mode, and a cap on the block's length (a run with few instructions left gets a
/// shorter block so that counts stay exact). The architecture level is fixed per CPU and so
/// per cache.
/// </summary>
public readonly record struct BlockKey(uint Address, bool Problem, int Key, bool Translate, bool Addressing32, int MaxInstructions)
{
    public static BlockKey Of(CpuState cpu, int maxInstructions)
        => new(cpu.Ia, cpu.Problem, cpu.Key, cpu.Translate, cpu.Addressing32, maxInstructions);
}
