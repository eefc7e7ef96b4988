namespace Jit360.Jit;

/// <summary>A guest region translated to a DynamicMethod, with what the statistics and the block viewer need.</summary>
/// <remarks><see cref="Run"/> takes the CPU and the instruction count at which it must return at the latest.</remarks>
public sealed class CompiledBlock(BlockKey key, Action<Jit360.Machine.CpuState, long> run, IReadOnlyList<GuestInstruction> instructions, int ilBytes, TimeSpan compileTime, System.Reflection.Emit.DynamicMethod method)
{
    public BlockKey Key { get; } = key;
    public Action<Jit360.Machine.CpuState, long> Run { get; } = run;
    /// <summary>The region's instructions in address order (not necessarily contiguous).</summary>
    public IReadOnlyList<GuestInstruction> Instructions { get; } = instructions;
    public int IlBytes { get; } = ilBytes;
    /// <summary>Bytes of x86-64 code RyuJIT made of the region (<see cref="NativeCode"/>); 0 when it was not compiled at translation or the platform is not x64.</summary>
    public int NativeBytes { get; init; }
    public TimeSpan CompileTime { get; } = compileTime;
    public System.Reflection.Emit.DynamicMethod Method { get; } = method;
    public uint Entry { get; init; } = key.Address;
    /// <summary>Every address the region can be entered at (the start of each of its basic blocks); the cache finds it under each.</summary>
    public IReadOnlyList<uint> Entries { get; init; } = [key.Address];
    /// <summary>The emitted IL as text, when the engine was asked to record it.</summary>
    public string? IlListing { get; init; }
    /// <summary>What the region's code reaches besides the CPU (and its stale flag).</summary>
    public RegionData? Data { get; init; }
    public uint Start => Key.Address;
    /// <summary>Lowest and highest guest addresses of the region's instructions (end exclusive).</summary>
    public uint Low => Instructions[0].Address;
    public uint End => Instructions[^1].Address + (uint)Instructions[^1].Length;
    public bool Valid { get; set; } = true;
    public long Executions;
    /// <summary>The region (and entry) last run after this one: most exits go to the same place.</summary>
    public RegionEntry? Successor;

    /// <summary>Whether a write of [start, end) touches one of the region's instructions.</summary>
    public bool Overlaps(uint start, uint end)
    {
        if (start >= End || end <= Low) return false;
        foreach (var g in Instructions)
            if (g.Address < end && start < g.Address + (uint)g.Length) return true;
        return false;
    }

    public bool Contains(uint address)
    {
        foreach (var g in Instructions) if (g.Address == address) return true;
        return false;
    }
}

/// <summary>A region as found at one of its entry addresses (the unit the engine's caches hold).</summary>
public sealed class RegionEntry(BlockKey key, CompiledBlock block)
{
    public BlockKey Key { get; } = key;
    public CompiledBlock Block { get; } = block;
}
