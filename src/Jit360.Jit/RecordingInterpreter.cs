using Jit360.Interpreter;
using Jit360.Machine;

namespace Jit360.Jit;

/// <summary>
/// The interpreter's loop one instruction at a time, keeping the addresses of the last few
/// instructions it executed in a ring (for divergence reports). It looks at the machine at the
/// same points as <see cref="Interpreter.Interpreter"/>: when attention is asked for and at the
/// end of each slice (which in deterministic time includes the next timer event).
/// </summary>
sealed class RecordingInterpreter(int capacity)
{
    readonly uint[] ring = new uint[capacity];
    long count;

    public void Clear() => count = 0;

    /// <summary>The recorded instruction addresses, oldest first.</summary>
    public IEnumerable<uint> Recent()
    {
        long n = Math.Min(count, ring.Length);
        for (long i = count - n; i < count; i++) yield return ring[i % ring.Length];
    }

    public ExitReason Run(CpuState cpu, long maxInstructions)
        => ProgramInterruptions.Run(cpu, cpu.Instructions + maxInstructions, Loop);

    ExitReason Loop(CpuState cpu, long target)
    {
        while (true)
        {
            if (cpu.Attention)
            {
                var exit = Interpreter.Interpreter.Attend(cpu, target);
                if (exit != null) return exit.Value;
                if (cpu.Wait) continue;
            }
            if (cpu.Instructions >= target) return ExitReason.InstructionLimit;
            long sliceEnd = Interpreter.Interpreter.SliceEnd(cpu, target);
            do
            {
                ring[count++ % ring.Length] = cpu.Ia;
                Step.One(cpu);
            } while (cpu.Instructions < sliceEnd && !cpu.Attention);
            if (!cpu.Attention) cpu.Attention = true;
        }
    }
}
