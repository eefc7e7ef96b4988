using System.Runtime.CompilerServices;
using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Interpreter;

/// <summary>
/// One handler per mnemonic, named exactly as the Principles of Operation spell it. A handler
/// receives the CPU and the instruction's bytes left-justified in a ulong; <see cref="CpuState.Ia"/>
/// already holds the updated instruction address and <see cref="CpuState.Ilc"/> the length code.
/// The families live in separate files: FixedPoint, Branch, Character, Decimal, Float, Control, Io.
/// </summary>
public static unsafe partial class Handlers
{
    /// <summary>An opcode this architecture level does not have: operation exception.</summary>
    public static void Invalid(CpuState cpu, ulong insn) => throw CpuState.Fault(ProgramInterruptCode.Operation);

    /// <summary>System/370 B2xx opcodes.</summary>
    public static void DispatchB2(CpuState cpu, ulong insn) => DispatchTable.B2((int)(insn >> 48) & 0xFF)(cpu, insn);

    /// <summary>System/370 I/O instructions 9Cxx-9Fxx: bit 15 selects the instruction.</summary>
    public static void DispatchIo370(CpuState cpu, ulong insn) => DispatchTable.Io370((int)(insn >> 56), (int)(insn >> 48))(cpu, insn);

    /// <summary>Fixed-point overflow completes the instruction, then interrupts if the program mask allows (bit 36).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void SetCcCheckOverflow(CpuState cpu, int cc)
    {
        cpu.Cc = cc;
        if (cc == 3 && (cpu.ProgramMask & 8) != 0) throw CpuState.Fault(ProgramInterruptCode.FixedPointOverflow);
    }
}
