namespace Jit360.Machine;

/// <summary>Why an engine returned control to whoever runs it (the bare machine or the Control Program).</summary>
public enum ExitReason
{
    /// <summary>The instruction budget given to Run was used up.</summary>
    InstructionLimit,
    /// <summary>The PSW has the wait bit on and no interruption can end the wait.</summary>
    DisabledWait,
    /// <summary>The CPU is in an enabled wait and nothing is pending yet (the caller decides how to idle).</summary>
    EnabledWait,
    /// <summary>An interruption was taken and <see cref="CpuState.StopOnInterrupt"/> asked to stop after it.</summary>
    Interrupt,
    /// <summary>A program interruption was intercepted for the host (<see cref="CpuState.InterceptProgramInterrupts"/>): no PSW swap happened.</summary>
    ProgramIntercept,
    /// <summary>DIAGNOSE in supervisor state: the host decides what it means.</summary>
    Diagnose,
    /// <summary>An I/O instruction needs the host (no channel subsystem attached to the CPU).</summary>
    IoInstruction,
    /// <summary>Someone asked the CPU to stop (operator, another thread).</summary>
    Stopped,
    /// <summary>Program interruptions kept recurring without any instruction completing (an invalid program new PSW).</summary>
    ProgramInterruptLoop,
}

/// <summary>An execution engine: the interpreter, the JIT, or both in lockstep.</summary>
public interface IExecutionEngine
{
    string Name { get; }
    /// <summary>Runs until an exit reason arises or <paramref name="maxInstructions"/> have completed.</summary>
    ExitReason Run(CpuState cpu, long maxInstructions);
}
