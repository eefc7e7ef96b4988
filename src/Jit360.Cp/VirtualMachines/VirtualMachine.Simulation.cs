using Jit360.Architecture;
using Jit360.Interpreter;
using Jit360.Machine;

namespace Jit360.Cp.VirtualMachines;

// Privileged-instruction simulation and program-interruption reflection (the work of VM/370's
// DMKPRV and DMKPRG).
public sealed partial class VirtualMachine
{
    /// <summary>A program interruption was intercepted: simulate the instruction or reflect the interruption.</summary>
    ExitReason? HandleProgramIntercept()
    {
        var record = Cpu.LastInterrupt;
        if (record.Code != ProgramInterruptCode.PrivilegedOperation || VirtualProblem)
            return Reflect(record.Code, record.Ilc);
        return Simulate(record.Ilc);
    }

    /// <summary>
    /// Presents a program interruption to the guest as the real CPU would (GA22-7000 "Program
    /// Interruption"): the virtual PSW becomes the program old PSW at X'28' (with the code and
    /// ILC, in BC mode inside it, in EC mode at X'8C'-X'8F'), and the program new PSW at X'68'
    /// is loaded. The CPU's own swap does the storing, with the virtual problem bit put in
    /// place for the moment of the swap.
    /// </summary>
    ExitReason? Reflect(int code, int ilc)
    {
        Reflected++;
        Cpu.Ilc = ilc;
        Cpu.Problem = VirtualProblem;
        Cpu.InterceptProgramInterrupts = false;
        try { Cpu.TakeProgramInterrupt(code); }
        finally { Cpu.InterceptProgramInterrupts = true; }
        var pending = Cpu.PendingExit;
        Cpu.PendingExit = null;
        TakeProblemBitFromRealPsw();
        // The CPU counts swaps that happen with no instruction completing in between: a guest
        // whose program new PSW fails at once would loop here forever.
        return pending == ExitReason.ProgramInterruptLoop ? ExitReason.ProgramInterruptLoop : null;
    }

    /// <summary>
    /// Simulates the privileged instruction the guest issued in the virtual supervisor state.
    /// The instruction address already points past it (privileged operation suppresses), and
    /// the ILC gives its length (or that of the EXECUTE whose target it is).
    /// </summary>
    ExitReason? Simulate(int ilc)
    {
        uint at = Cpu.Wrap(Cpu.Ia - (uint)(2 * ilc));
        Simulated++;
        try
        {
            ulong insn = Fetch.Instruction(Cpu, at, forExecute: true);
            if ((insn >> 56) == 0x44)
            {
                // EXECUTE: the subject is the target, with bits 8-15 ORed with R1 bits 24-31 (GA22-7000 "EXECUTE").
                var ex = new RX(insn);
                ulong target = Fetch.Instruction(Cpu, Cpu.Address(ex.X2, ex.B2, ex.D2), forExecute: true);
                if (ex.R1 != 0) target |= (ulong)(Cpu.Gpr[ex.R1] & 0xFF) << 48;
                insn = target;
            }
            var op = OpcodeTable.Decode(Cpu.Level, (byte)(insn >> 56), (byte)(insn >> 48));
            if (op is { Mnemonic: "DIAG" }) return SimulateDiagnose(insn);
            if (op != null && op.Has(OpFlags.Io)) { SimulateIo(op.Mnemonic, insn); return null; }
            ExecuteInSupervisorState(at);
            return null;
        }
        catch (ProgramInterruption pi)
        {
            return Reflect(pi.Code, Cpu.Ilc);
        }
        finally
        {
            Cpu.Attention = true;   // masks, keys or the PSW may have changed: the engine looks again
        }
    }

    /// <summary>
    /// Every privileged instruction without a CP meaning of its own (LPSW, SSM, STNSM, STOSM,
    /// SSK, ISK, SPKA, IPK, LCTL, STCTL, SCK, SCKC, STCKC, SPT, STPT, STIDP, RRB, LRA) acts on
    /// this virtual machine exactly as on a real one, because the guest owns its CpuState:
    /// storage, keys, control registers and timers are all the virtual ones. So CP executes the
    /// interpreter's own handler (semantics written once) with the real CPU in the supervisor
    /// state for that one instruction, then adopts whatever problem bit the instruction left
    /// (LPSW) as the virtual one. An exception the instruction recognises propagates to the
    /// caller, which reflects it with the virtual PSW.
    /// </summary>
    void ExecuteInSupervisorState(uint at)
    {
        Cpu.Ia = at;
        Cpu.Problem = false;
        try
        {
            Step.One(Cpu);
        }
        finally
        {
            TakeProblemBitFromRealPsw();
        }
    }

    ExitReason? SimulateDiagnose(ulong insn)
    {
        var f = new RS(insn);
        var call = new DiagnoseCall(f.R1, f.R3, f.D2);
        if (!Diagnose.TryGet(call.Code, out var handler)) throw CpuState.Fault(ProgramInterruptCode.Specification);
        var exit = handler.Execute(this, call);
        Cpu.Instructions++;
        return exit;
    }

    void SimulateIo(string mnemonic, ulong insn)
    {
        var kind = Enum.Parse<IoInstruction>(mnemonic);
        var f = new S(insn);
        uint operand = Cpu.Address(f.B2, f.D2);
        Cpu.Cc = Io.Execute(this, kind, operand);
        Cpu.Instructions++;
    }
}
