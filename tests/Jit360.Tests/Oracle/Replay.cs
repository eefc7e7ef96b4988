using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Oracle;

/// <summary>What our machine did with a case.</summary>
public sealed record OurOutcome(uint[] Gpr, ulong[] Fpr, int Cc, int Pm, byte[] Window, InterruptRecord? Interrupt,
                                bool ReachedEnd, int Steps, ExitReason? OtherExit);

/// <summary>
/// Runs a case on our interpreter at ArchLevel.S370 (both oracles accept unaligned operands, as
/// S/370 does) with the harnesses' layout, one instruction at a time until the instruction
/// address reaches E or an interruption is taken.
/// </summary>
public static class Replay
{
    /// <summary>More than any generated case can execute (all branches go forward).</summary>
    public const int MaxSteps = 64;

    // A fresh 4 MiB machine per case costs milliseconds (large-object allocation and collection);
    // the runs reuse one per thread, cleared, and a divergent case is run again on a fresh one.
    [ThreadStatic] static CpuState? reused;

    public static OurOutcome Run(OracleCase c, bool fresh = false, string engineName = "interp")
    {
        CpuState cpu;
        if (fresh || reused == null)
        {
            cpu = new CpuState(ArchLevel.S370, OracleCase.StorageSize, deterministicTime: true) { StopOnInterrupt = true };
            if (!fresh) reused = cpu;
        }
        else
        {
            cpu = reused;
            Clear(cpu);
        }
        var engine = TestEngines.Create(engineName);
        cpu.Storage.Load(OracleCase.CodeAddress, c.Code);
        cpu.Storage.Load(OracleCase.WindowAddress, c.Window);
        for (int r = 0; r < 16; r++) cpu.Gpr[r] = c.Gpr[r];
        foreach (int f in new[] { 0, 2, 4, 6 }) cpu.Fpr[f] = c.Fpr[f];
        cpu.LoadPsw(c.Psw);
        InterruptRecord? interrupt = null;
        ExitReason? other = null;
        int steps = 0;
        bool reached = false;
        while (steps < MaxSteps)
        {
            if (cpu.Ia == c.End) { reached = true; break; }
            var exit = engine.Run(cpu, 1);
            steps++;
            if (exit == ExitReason.Interrupt) { interrupt = cpu.LastInterrupt; break; }
            if (exit != ExitReason.InstructionLimit) { other = exit; break; }
        }
        var gpr = new uint[16];
        for (int r = 0; r < 16; r++) gpr[r] = cpu.Gpr[r];
        var fpr = new ulong[8];
        foreach (int f in new[] { 0, 2, 4, 6 }) fpr[f] = cpu.Fpr[f];
        // After an interruption the current PSW is the new one: cc and mask come from the old PSW.
        int cc = cpu.Cc, pm = cpu.ProgramMask;
        if (interrupt is { } i) { cc = (int)(i.OldPsw >> 28) & 3; pm = (int)(i.OldPsw >> 24) & 0xF; }
        var window = cpu.Storage.Bytes.AsSpan((int)OracleCase.WindowAddress, OracleCase.WindowSize).ToArray();
        return new OurOutcome(gpr, fpr, cc, pm, window, interrupt, reached, steps, other);
    }

    static void Clear(CpuState cpu)
    {
        var st = cpu.Storage;
        Array.Clear(st.Bytes);
        for (uint block = 0; block < st.Keys.Length; block++)
            if (st.Keys[block] != 0) st.SetKey(block << Storage.BlockShift, 0);
        cpu.Reset();
        cpu.LastInterrupt = default;
        var clock = cpu.Clock;
        clock.IntervalTimerPending = clock.InterruptKeyPending = clock.ClockComparatorPending = clock.CpuTimerPending = false;
        clock.ExternalSignalsPending = 0;
        // A program check at the same instruction count as the previous case's would look like an interruption loop.
        cpu.Instructions += 1000;
    }
}
