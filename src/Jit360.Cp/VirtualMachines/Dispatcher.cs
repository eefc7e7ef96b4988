using System.Diagnostics;
using Jit360.Cp.Commands;
using Jit360.Cp.Messages;
using Jit360.Machine;

namespace Jit360.Cp.VirtualMachines;

/// <summary>
/// Runs a logged-on user's virtual machine for one time slice and turns what stops it into what
/// the user sees (the part of VM/370's DMKDSP that talks to the user): a disabled wait or a
/// program-interruption loop puts the terminal in CP mode with DMKDSP450W/452W; an enabled
/// wait, the end of the slice or a stop request leave the session running for the scheduler to
/// park or requeue. The host CPU time of the slice is charged to the machine (VIRTCPU).
/// </summary>
public static class Dispatcher
{
    /// <summary>Instructions per call of the engine within a slice: the slice's clock is read between calls.</summary>
    public const long ChunkInstructions = 50_000;

    /// <summary>
    /// Runs up to <paramref name="budget"/> instructions, ending early (at a chunk boundary) once
    /// <paramref name="timeLimit"/> of elapsed time has passed, so that a guest whose instructions
    /// are slow (simulation, reflection, long SS instructions) still gives up the host thread.
    /// </summary>
    public static ExitReason RunSlice(CpSession session, IExecutionEngine engine, long budget, TimeSpan? timeLimit = null)
    {
        var vm = session.Machine ?? throw new InvalidOperationException("the session has no virtual machine");
        if (session.State != SessionState.Running) return ExitReason.Stopped;
        long start = Stopwatch.GetTimestamp();
        var cpu0 = Scheduling.ThreadCpuTime.Now();
        ExitReason exit;
        try
        {
            long left = budget;
            while (true)
            {
                long before = vm.Cpu.Instructions;
                exit = vm.Run(engine, Math.Min(left, ChunkInstructions));
                left -= Math.Max(vm.Cpu.Instructions - before, 1);
                if (exit != ExitReason.InstructionLimit || left <= 0) break;
                if (timeLimit is { } limit && Stopwatch.GetElapsedTime(start) >= limit) break;
                if (session.Machine != vm || session.State != SessionState.Running) { exit = ExitReason.Stopped; break; }
            }
        }
        finally
        {
            vm.ChargeVirtualCpu(Scheduling.ThreadCpuTime.Now() - cpu0);
        }
        switch (exit)
        {
            case ExitReason.DisabledWait:
                session.Write(CpMessages.DisabledWait, vm.Cpu.PswText(vm.VirtualPsw));
                session.State = SessionState.CpRead;
                break;
            case ExitReason.ProgramInterruptLoop:
                session.Write(CpMessages.ProgramInterruptLoop);
                session.State = SessionState.CpRead;
                break;
        }
        return exit;
    }
}
