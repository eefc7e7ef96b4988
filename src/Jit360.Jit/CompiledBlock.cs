namespace Jit360.Jit;

/// <summary>A guest block translated to a DynamicMethod, with what the statistics and the block viewer need.</summary>
/// <remarks><see cref="Run"/> takes the CPU and the instruction count at which it must return at the latest.</remarks>
public sealed class CompiledBlock(BlockKey key, Action<Jit360.Machine.CpuState, long> run, IReadOnlyList<GuestInstruction> instructions, int ilBytes, TimeSpan compileTime, System.Reflection.Emit.DynamicMethod method)
{
    public BlockKey Key { get; } = key;
    public Action<Jit360.Machine.CpuState, long> Run { get; } = run;
    public IReadOnlyList<GuestInstruction> Instructions { get; } = instructions;
    public int IlBytes { get; } = ilBytes;
    public TimeSpan CompileTime { get; } = compileTime;
    public System.Reflection.Emit.DynamicMethod Method { get; } = method;
    public uint Start => Key.Address;
    public uint End => Instructions[^1].Address + (uint)Instructions[^1].Length;
    public bool Valid { get; set; } = true;
    public long Executions;
}
