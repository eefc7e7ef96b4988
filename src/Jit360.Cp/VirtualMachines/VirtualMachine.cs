using Jit360.Machine;

namespace Jit360.Cp.VirtualMachines;

/// <summary>
/// One virtual machine: a System/370 <see cref="CpuState"/> with its own storage, run by an
/// execution engine in the real problem state, and the Control Program's view of it.
/// <para>
/// <b>The shadow PSW.</b> The guest believes it runs in the supervisor state; the real CPU
/// must never let it, or its privileged instructions (I/O, LPSW, SSK, ...) would act on the
/// machine directly. VM/370 solves this with a shadow PSW: the real PSW is the virtual PSW with
/// the problem-state bit forced on. Here the guest owns its CpuState outright (its own storage,
/// control registers, timers and I/O-interruption source), so the real PSW can keep the guest's
/// system mask, key, EC mode, condition code, program mask, wait bit and instruction address
/// unchanged, and CP needs to remember one bit only: <see cref="VirtualProblem"/>. The virtual
/// PSW (<see cref="VirtualPsw"/>) is the real PSW with bit 15 replaced by it. Because the real
/// masks are the virtual masks, the real CPU presents exactly the interruptions the guest has
/// enabled, and an enabled or disabled wait is the guest's own.
/// </para>
/// <para>
/// Every point where a PSW enters the real CPU goes through CP or is detected:
/// <list type="bullet">
/// <item>Privileged instructions: the real CPU is in the problem state, so each one is a
/// privileged-operation exception, which <see cref="CpuState.InterceptProgramInterrupts"/>
/// turns into <see cref="ExitReason.ProgramIntercept"/> with no PSW swap. In the virtual
/// supervisor state CP simulates the instruction (LPSW among them: CP loads the new PSW,
/// notes its problem bit and forces the real one); in the virtual problem state CP reflects
/// the interruption through the guest's program new PSW.</item>
/// <item>Every other program interruption is intercepted the same way and reflected by CP
/// with the virtual PSW as the old PSW.</item>
/// <item>Interruptions the real CPU takes itself (SVC, external including the guest's interval
/// timer at location 80, I/O, restart): <see cref="CpuState.StopOnInterrupt"/> makes the engine
/// return <see cref="ExitReason.Interrupt"/> right after the swap, before the new PSW executes
/// anything. CP then corrects bit 15 of the old PSW the CPU just stored in guest storage (it
/// held the forced problem bit), takes the new PSW's problem bit as the virtual one and forces
/// the real bit on again.</item>
/// <item>IPL, BEGIN at an address, STORE PSW and restart come from CP commands through
/// <see cref="LoadVirtualPsw"/>.</item>
/// </list>
/// Out of scope for now: guest DAT (EC-mode translation would need shadow page tables), the
/// Model 67 and S/360 (VM/370 runs System/370 virtual machines only), PER, machine checks.
/// </para>
/// </summary>
public sealed partial class VirtualMachine
{
    public CpuState Cpu { get; }
    /// <summary>The problem-state bit of the virtual PSW (the real CPU always runs with it on).</summary>
    public bool VirtualProblem { get; private set; }
    public DiagnoseTable Diagnose { get; }
    public IVirtualIo Io { get; set; }

    /// <summary>Privileged instructions simulated for the guest (DIAGNOSE and I/O included).</summary>
    public long Simulated { get; private set; }
    /// <summary>Program interruptions reflected to the guest.</summary>
    public long Reflected { get; private set; }

    public VirtualMachine(CpuState cpu, DiagnoseTable? diagnose = null, IVirtualIo? io = null)
    {
        if (!cpu.IsS370) throw new ArgumentException("VM/370 virtual machines are System/370 machines", nameof(cpu));
        Cpu = cpu;
        Diagnose = diagnose ?? new DiagnoseTable();
        Io = io ?? NoVirtualDevices.Instance;
        cpu.InterceptProgramInterrupts = true;
        cpu.StopOnInterrupt = true;
        TakeProblemBitFromRealPsw();
    }

    /// <summary>The guest's PSW as it believes it to be (the real PSW with the virtual problem bit).</summary>
    public ulong VirtualPsw => WithProblemBit(Cpu.CurrentPsw(0, 0), VirtualProblem);

    /// <summary>Makes a doubleword the virtual PSW (IPL, STORE PSW, restart): the real CPU gets it with the problem bit forced on.</summary>
    public void LoadVirtualPsw(ulong psw)
    {
        Cpu.LoadPsw(psw);
        TakeProblemBitFromRealPsw();
    }

    /// <summary>The real CPU just loaded a PSW the guest supplied: remember its problem bit and force the real one on.</summary>
    void TakeProblemBitFromRealPsw()
    {
        VirtualProblem = Cpu.Problem;
        Cpu.Problem = true;
        // The engine looks at the new PSW (wait bit, masks, pending interruptions) before it
        // executes anything: an exit cleared its attention flag when the PSW was still the old one.
        Cpu.Attention = true;
    }

    static ulong WithProblemBit(ulong psw, bool problem) => problem ? psw | ProblemBit : psw & ~ProblemBit;

    /// <summary>PSW bit 15, the problem state (GA22-7000 "Program-Status-Word Format", BC and EC mode alike).</summary>
    const ulong ProblemBit = 1UL << 48;

    /// <summary>
    /// Runs the guest for up to <paramref name="budget"/> instructions, simulating and reflecting
    /// as needed. Returns what the CP dispatcher must act on: the budget used up, a wait (enabled:
    /// idle until an interruption; disabled: DMKDSP450W), a stop request, a program-interruption
    /// loop, or an exit a DIAGNOSE handler asked for.
    /// </summary>
    public ExitReason Run(Jit360.Machine.IExecutionEngine engine, long budget)
    {
        long target = Cpu.Instructions + budget;
        while (true)
        {
            long left = target - Cpu.Instructions;
            if (left <= 0) return ExitReason.InstructionLimit;
            var exit = engine.Run(Cpu, left);
            switch (exit)
            {
                case ExitReason.ProgramIntercept:
                    if (HandleProgramIntercept() is { } stop) return stop;
                    break;
                case ExitReason.Interrupt:
                    AbsorbInterruption();
                    break;
                default:
                    return exit;
            }
        }
    }

    /// <summary>
    /// After the real CPU swapped PSWs for the guest: the old PSW it stored has the forced
    /// problem bit, so put the virtual one back, then adopt the new PSW's problem bit.
    /// </summary>
    void AbsorbInterruption()
    {
        uint? oldPsw = Cpu.LastInterrupt.Class switch
        {
            InterruptClass.External => Low.ExternalOldPsw,
            InterruptClass.Svc => Low.SvcOldPsw,
            InterruptClass.Program => Low.ProgramOldPsw,
            InterruptClass.Io => Low.IoOldPsw,
            InterruptClass.Restart => Low.RestartOldPsw,
            InterruptClass.MachineCheck => Low.MachineCheckOldPsw,
            _ => null,
        };
        if (oldPsw is uint at)
        {
            var st = Cpu.Storage;
            ulong stored = st.ReadDoublewordAbsolute(at);
            st.WriteDoublewordAbsolute(at, WithProblemBit(stored, VirtualProblem));
        }
        TakeProblemBitFromRealPsw();
    }
}
