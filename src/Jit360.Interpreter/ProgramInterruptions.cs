using Jit360.Machine;

namespace Jit360.Interpreter;

/// <summary>The frame every engine runs in: program interruptions raised inside it are taken at the instruction boundary.</summary>
public static class ProgramInterruptions
{
    /// <summary>
    /// Runs <paramref name="loop"/> until it returns an exit reason. A program interruption it
    /// raises is taken (or intercepted for the host) and the loop resumes, unless the
    /// interruption itself asks to exit (stop-on-interrupt, intercept, an interruption loop).
    /// </summary>
    public static ExitReason Run(CpuState cpu, long target, Func<CpuState, long, ExitReason> loop)
    {
        while (true)
        {
            try
            {
                return loop(cpu, target);
            }
            catch (ProgramInterruption pi)
            {
                cpu.TakeProgramInterrupt(pi.Code);
                if (cpu.PendingExit is { } exit) { cpu.PendingExit = null; return exit; }
            }
        }
    }
}
