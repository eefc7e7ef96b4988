using System.Runtime.CompilerServices;
using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Interpreter;

// Branching, EXECUTE and SUPERVISOR CALL (GA22-6821 "Branching"; GA22-7000 chapter 7).
public static unsafe partial class Handlers
{
    /// <summary>
    /// Link information of BAL/BALR: in 24-bit mode the ILC, condition code and program mask in
    /// bits 0-7 and the updated instruction address in bits 8-31; a Model 67 in 32-bit mode
    /// stores the whole address.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static uint LinkInformation(CpuState cpu)
    {
        if (cpu.Addressing32) return cpu.Ia;
        return (uint)(cpu.Ilc << 30 | cpu.Cc << 28 | cpu.ProgramMask << 24) | (cpu.Ia & 0x00FF_FFFF);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool Taken(CpuState cpu, int mask) => (mask & (8 >> cpu.Cc)) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BCR(CpuState cpu, ulong insn)
    {
        var f = new RR(insn);
        if (f.R2 != 0 && Taken(cpu, f.R1)) cpu.Ia = cpu.Gpr[f.R2] & cpu.AddressMask;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BC(CpuState cpu, ulong insn)
    {
        var f = new RX(insn);
        if (Taken(cpu, f.R1)) cpu.Ia = cpu.Address(f.X2, f.B2, f.D2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BALR(CpuState cpu, ulong insn)
    {
        var f = new RR(insn);
        uint target = cpu.Gpr[f.R2] & cpu.AddressMask;   // before R1 changes (R1 may equal R2)
        cpu.Gpr[f.R1] = LinkInformation(cpu);
        if (f.R2 != 0) cpu.Ia = target;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BAL(CpuState cpu, ulong insn)
    {
        var f = new RX(insn);
        uint target = cpu.Address(f.X2, f.B2, f.D2);
        cpu.Gpr[f.R1] = LinkInformation(cpu);
        cpu.Ia = target;
    }

    /// <summary>BRANCH AND STORE (Model 67): the link is the updated address alone.</summary>
    public static void BASR(CpuState cpu, ulong insn)
    {
        var f = new RR(insn);
        uint target = cpu.Gpr[f.R2] & cpu.AddressMask;
        cpu.Gpr[f.R1] = cpu.Ia & cpu.AddressMask;
        if (f.R2 != 0) cpu.Ia = target;
    }

    public static void BAS(CpuState cpu, ulong insn)
    {
        var f = new RX(insn);
        uint target = cpu.Address(f.X2, f.B2, f.D2);
        cpu.Gpr[f.R1] = cpu.Ia & cpu.AddressMask;
        cpu.Ia = target;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BCTR(CpuState cpu, ulong insn)
    {
        var f = new RR(insn);
        uint target = cpu.Gpr[f.R2] & cpu.AddressMask;
        uint v = cpu.Gpr[f.R1] - 1;
        cpu.Gpr[f.R1] = v;
        if (v != 0 && f.R2 != 0) cpu.Ia = target;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BCT(CpuState cpu, ulong insn)
    {
        var f = new RX(insn);
        uint target = cpu.Address(f.X2, f.B2, f.D2);
        uint v = cpu.Gpr[f.R1] - 1;
        cpu.Gpr[f.R1] = v;
        if (v != 0) cpu.Ia = target;
    }

    // BXH/BXLE: the increment is R3, the comparand the odd register of the R3 pair; both are
    // taken before R1 changes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BXH(CpuState cpu, ulong insn)
    {
        var f = new RS(insn);
        uint target = cpu.Address(f.B2, f.D2);
        int increment = (int)cpu.Gpr[f.R3];
        int comparand = (int)cpu.Gpr[f.R3 | 1];
        int sum = (int)cpu.Gpr[f.R1] + increment;
        cpu.Gpr[f.R1] = (uint)sum;
        if (sum > comparand) cpu.Ia = target;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BXLE(CpuState cpu, ulong insn)
    {
        var f = new RS(insn);
        uint target = cpu.Address(f.B2, f.D2);
        int increment = (int)cpu.Gpr[f.R3];
        int comparand = (int)cpu.Gpr[f.R3 | 1];
        int sum = (int)cpu.Gpr[f.R1] + increment;
        cpu.Gpr[f.R1] = (uint)sum;
        if (sum <= comparand) cpu.Ia = target;
    }

    /// <summary>
    /// EXECUTE (GA22-7000 "EXECUTE"): the target's bits 8-15 are ORed with bits 24-31 of R1
    /// (unless R1 is 0) and it runs in place of EX; the ILC stays that of EX and the updated
    /// address stays EX's, unless the target branches. A target EX is an execute exception.
    /// </summary>
    public static void EX(CpuState cpu, ulong insn)
    {
        var f = new RX(insn);
        uint a = cpu.Address(f.X2, f.B2, f.D2);
        if ((a & 1) != 0) throw CpuState.Fault(ProgramInterruptCode.Specification);
        ulong target = Fetch.Instruction(cpu, a, forExecute: true);
        if ((byte)(target >> 56) == 0x44) throw CpuState.Fault(ProgramInterruptCode.Execute);
        if (f.R1 != 0) target |= (ulong)(cpu.Gpr[f.R1] & 0xFF) << 48;
        ((delegate*<CpuState, ulong, void>)DispatchTable.For(cpu.Level)[(int)(target >> 56)])(cpu, target);
    }

    public static void SVC(CpuState cpu, ulong insn) => cpu.TakeSvcInterrupt(new RR(insn).I);
}
