using Jit360.Cp.Commands;
using Jit360.Cp.Messages;
using Jit360.Machine;

namespace Jit360.Cp.VirtualMachines;

/// <summary>
/// Runs a logged-on user's virtual machine for a time slice and turns what stops it into what
/// the user sees (the part of VM/370's DMKDSP that talks to the user): a disabled wait or a
/// program-interruption loop puts the terminal in CP mode with DMKDSP450W/452W; an enabled
/// wait, the end of the slice or a stop request leave the session running for the caller to
/// idle or reschedule.
/// </summary>
public static class Dispatcher
{
    public static ExitReason RunSlice(CpSession session, IExecutionEngine engine, long budget)
    {
        var vm = session.Machine ?? throw new InvalidOperationException("the session has no virtual machine");
        if (session.State != SessionState.Running) return ExitReason.Stopped;
        var exit = vm.Run(engine, budget);
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
