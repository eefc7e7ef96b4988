using System.Runtime.CompilerServices;
using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Machine.Semantics;

namespace Jit360.Interpreter;

// Fixed-point, logical and shift instructions (GA22-6821 "Fixed-Point Arithmetic" and
// "Logical Operations"; GA22-7000 chapter 7 "General Instructions").
public static partial class Handlers
{
    // ---- RR ----
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LR(CpuState cpu, ulong insn) { var f = new RR(insn); cpu.Gpr[f.R1] = cpu.Gpr[f.R2]; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LTR(CpuState cpu, ulong insn) { var f = new RR(insn); uint v = cpu.Gpr[f.R2]; cpu.Gpr[f.R1] = v; cpu.Cc = FixedPoint.Sign(v); }
    public static void LCR(CpuState cpu, ulong insn)
    {
        var f = new RR(insn);
        int cc = FixedPoint.Subtract(0, cpu.Gpr[f.R2], out uint r);
        cpu.Gpr[f.R1] = r;
        SetCcCheckOverflow(cpu, cc);
    }
    public static void LPR(CpuState cpu, ulong insn)
    {
        var f = new RR(insn);
        uint v = cpu.Gpr[f.R2];
        if ((int)v < 0) { LCR(cpu, insn); return; }
        cpu.Gpr[f.R1] = v; cpu.Cc = v == 0 ? 0 : 2;
    }
    public static void LNR(CpuState cpu, ulong insn)
    {
        var f = new RR(insn);
        uint v = cpu.Gpr[f.R2];
        if ((int)v > 0) v = (uint)-(int)v;
        cpu.Gpr[f.R1] = v; cpu.Cc = v == 0 ? 0 : 1;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AR(CpuState cpu, ulong insn) { var f = new RR(insn); int cc = FixedPoint.Add(cpu.Gpr[f.R1], cpu.Gpr[f.R2], out uint r); cpu.Gpr[f.R1] = r; SetCcCheckOverflow(cpu, cc); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SR(CpuState cpu, ulong insn) { var f = new RR(insn); int cc = FixedPoint.Subtract(cpu.Gpr[f.R1], cpu.Gpr[f.R2], out uint r); cpu.Gpr[f.R1] = r; SetCcCheckOverflow(cpu, cc); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ALR(CpuState cpu, ulong insn) { var f = new RR(insn); cpu.Cc = FixedPoint.AddLogical(cpu.Gpr[f.R1], cpu.Gpr[f.R2], out uint r); cpu.Gpr[f.R1] = r; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SLR(CpuState cpu, ulong insn) { var f = new RR(insn); cpu.Cc = FixedPoint.SubtractLogical(cpu.Gpr[f.R1], cpu.Gpr[f.R2], out uint r); cpu.Gpr[f.R1] = r; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CR(CpuState cpu, ulong insn) { var f = new RR(insn); cpu.Cc = FixedPoint.Compare((int)cpu.Gpr[f.R1], (int)cpu.Gpr[f.R2]); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CLR(CpuState cpu, ulong insn) { var f = new RR(insn); cpu.Cc = FixedPoint.CompareLogical(cpu.Gpr[f.R1], cpu.Gpr[f.R2]); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NR(CpuState cpu, ulong insn) { var f = new RR(insn); uint r = cpu.Gpr[f.R1] & cpu.Gpr[f.R2]; cpu.Gpr[f.R1] = r; cpu.Cc = r != 0 ? 1 : 0; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OR(CpuState cpu, ulong insn) { var f = new RR(insn); uint r = cpu.Gpr[f.R1] | cpu.Gpr[f.R2]; cpu.Gpr[f.R1] = r; cpu.Cc = r != 0 ? 1 : 0; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void XR(CpuState cpu, ulong insn) { var f = new RR(insn); uint r = cpu.Gpr[f.R1] ^ cpu.Gpr[f.R2]; cpu.Gpr[f.R1] = r; cpu.Cc = r != 0 ? 1 : 0; }

    public static void MR(CpuState cpu, ulong insn)
    {
        var f = new RR(insn);
        CpuState.RequireEven(f.R1);
        Multiply(cpu, f.R1, cpu.Gpr[f.R2]);
    }

    public static void DR(CpuState cpu, ulong insn)
    {
        var f = new RR(insn);
        CpuState.RequireEven(f.R1);
        Divide(cpu, f.R1, cpu.Gpr[f.R2]);
    }

    // MULTIPLY: the odd register of the pair times the operand, 64-bit product in the pair.
    static void Multiply(CpuState cpu, int r1, uint operand)
    {
        long p = (long)(int)cpu.Gpr[r1 + 1] * (int)operand;
        cpu.Gpr[r1] = (uint)(p >> 32); cpu.Gpr[r1 + 1] = (uint)p;
    }

    // DIVIDE: the 64-bit pair by the operand; a quotient that does not fit, or a zero divisor,
    // is a fixed-point-divide exception and the operation is suppressed.
    static void Divide(CpuState cpu, int r1, uint operand)
    {
        long dividend = (long)((ulong)cpu.Gpr[r1] << 32 | cpu.Gpr[r1 + 1]);
        int divisor = (int)operand;
        if (divisor == 0) throw CpuState.Fault(ProgramInterruptCode.FixedPointDivide);
        if (dividend == long.MinValue && divisor == -1) throw CpuState.Fault(ProgramInterruptCode.FixedPointDivide);
        long q = dividend / divisor, rem = dividend % divisor;
        if (q > int.MaxValue || q < int.MinValue) throw CpuState.Fault(ProgramInterruptCode.FixedPointDivide);
        cpu.Gpr[r1] = (uint)(int)rem; cpu.Gpr[r1 + 1] = (uint)(int)q;
    }

    // ---- RX ----
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static uint Word(CpuState cpu, in RX f)
    {
        uint a = cpu.Address(f.X2, f.B2, f.D2);
        cpu.CheckAlignment(a, 3);
        return cpu.FetchWord(a);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static uint Half(CpuState cpu, in RX f)
    {
        uint a = cpu.Address(f.X2, f.B2, f.D2);
        cpu.CheckAlignment(a, 1);
        return (uint)(short)cpu.FetchHalf(a);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void L(CpuState cpu, ulong insn) { var f = new RX(insn); cpu.Gpr[f.R1] = Word(cpu, f); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LH(CpuState cpu, ulong insn) { var f = new RX(insn); cpu.Gpr[f.R1] = Half(cpu, f); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LA(CpuState cpu, ulong insn) { var f = new RX(insn); cpu.Gpr[f.R1] = cpu.Address(f.X2, f.B2, f.D2); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ST(CpuState cpu, ulong insn)
    {
        var f = new RX(insn);
        uint a = cpu.Address(f.X2, f.B2, f.D2);
        cpu.CheckAlignment(a, 3);
        cpu.StoreWord(a, cpu.Gpr[f.R1]);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void STH(CpuState cpu, ulong insn)
    {
        var f = new RX(insn);
        uint a = cpu.Address(f.X2, f.B2, f.D2);
        cpu.CheckAlignment(a, 1);
        cpu.StoreHalf(a, cpu.Gpr[f.R1]);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void IC(CpuState cpu, ulong insn)
    {
        var f = new RX(insn);
        byte b = cpu.FetchByte(cpu.Address(f.X2, f.B2, f.D2));
        cpu.Gpr[f.R1] = (cpu.Gpr[f.R1] & 0xFFFF_FF00) | b;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void STC(CpuState cpu, ulong insn) { var f = new RX(insn); cpu.StoreByte(cpu.Address(f.X2, f.B2, f.D2), (byte)cpu.Gpr[f.R1]); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void A(CpuState cpu, ulong insn) { var f = new RX(insn); int cc = FixedPoint.Add(cpu.Gpr[f.R1], Word(cpu, f), out uint r); cpu.Gpr[f.R1] = r; SetCcCheckOverflow(cpu, cc); }
    public static void AH(CpuState cpu, ulong insn) { var f = new RX(insn); int cc = FixedPoint.Add(cpu.Gpr[f.R1], Half(cpu, f), out uint r); cpu.Gpr[f.R1] = r; SetCcCheckOverflow(cpu, cc); }
    public static void S(CpuState cpu, ulong insn) { var f = new RX(insn); int cc = FixedPoint.Subtract(cpu.Gpr[f.R1], Word(cpu, f), out uint r); cpu.Gpr[f.R1] = r; SetCcCheckOverflow(cpu, cc); }
    public static void SH(CpuState cpu, ulong insn) { var f = new RX(insn); int cc = FixedPoint.Subtract(cpu.Gpr[f.R1], Half(cpu, f), out uint r); cpu.Gpr[f.R1] = r; SetCcCheckOverflow(cpu, cc); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AL(CpuState cpu, ulong insn) { var f = new RX(insn); cpu.Cc = FixedPoint.AddLogical(cpu.Gpr[f.R1], Word(cpu, f), out uint r); cpu.Gpr[f.R1] = r; }
    public static void SL(CpuState cpu, ulong insn) { var f = new RX(insn); cpu.Cc = FixedPoint.SubtractLogical(cpu.Gpr[f.R1], Word(cpu, f), out uint r); cpu.Gpr[f.R1] = r; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void C(CpuState cpu, ulong insn) { var f = new RX(insn); cpu.Cc = FixedPoint.Compare((int)cpu.Gpr[f.R1], (int)Word(cpu, f)); }
    public static void CH(CpuState cpu, ulong insn) { var f = new RX(insn); cpu.Cc = FixedPoint.Compare((int)cpu.Gpr[f.R1], (int)Half(cpu, f)); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CL(CpuState cpu, ulong insn) { var f = new RX(insn); cpu.Cc = FixedPoint.CompareLogical(cpu.Gpr[f.R1], Word(cpu, f)); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void N(CpuState cpu, ulong insn) { var f = new RX(insn); uint r = cpu.Gpr[f.R1] & Word(cpu, f); cpu.Gpr[f.R1] = r; cpu.Cc = r != 0 ? 1 : 0; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void O(CpuState cpu, ulong insn) { var f = new RX(insn); uint r = cpu.Gpr[f.R1] | Word(cpu, f); cpu.Gpr[f.R1] = r; cpu.Cc = r != 0 ? 1 : 0; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void X(CpuState cpu, ulong insn) { var f = new RX(insn); uint r = cpu.Gpr[f.R1] ^ Word(cpu, f); cpu.Gpr[f.R1] = r; cpu.Cc = r != 0 ? 1 : 0; }
    public static void M(CpuState cpu, ulong insn) { var f = new RX(insn); CpuState.RequireEven(f.R1); Multiply(cpu, f.R1, Word(cpu, f)); }
    public static void MH(CpuState cpu, ulong insn) { var f = new RX(insn); cpu.Gpr[f.R1] = (uint)((int)cpu.Gpr[f.R1] * (int)Half(cpu, f)); }
    public static void D(CpuState cpu, ulong insn) { var f = new RX(insn); CpuState.RequireEven(f.R1); Divide(cpu, f.R1, Word(cpu, f)); }

    // ---- RS: load and store multiple ----
    public static void LM(CpuState cpu, ulong insn)
    {
        var f = new RS(insn);
        uint a = cpu.Address(f.B2, f.D2);
        cpu.CheckAlignment(a, 3);
        int n = ((f.R3 - f.R1) & 0xF) + 1;
        cpu.CheckAccess(a, n * 4, store: false);
        for (int i = 0, r = f.R1; i < n; i++, r = (r + 1) & 0xF)
            cpu.Gpr[r] = (uint)(cpu.ByteAt(a + (uint)(4 * i)) << 24 | cpu.ByteAt(a + (uint)(4 * i + 1)) << 16 | cpu.ByteAt(a + (uint)(4 * i + 2)) << 8 | cpu.ByteAt(a + (uint)(4 * i + 3)));
    }

    public static void STM(CpuState cpu, ulong insn)
    {
        var f = new RS(insn);
        uint a = cpu.Address(f.B2, f.D2);
        cpu.CheckAlignment(a, 3);
        int n = ((f.R3 - f.R1) & 0xF) + 1;
        cpu.CheckAccess(a, n * 4, store: true);
        for (int i = 0, r = f.R1; i < n; i++, r = (r + 1) & 0xF)
        {
            uint v = cpu.Gpr[r];
            for (int j = 0; j < 4; j++) cpu.SetByteAt(a + (uint)(4 * i + j), (byte)(v >> (24 - 8 * j)));
        }
        cpu.OnStore(a, n * 4);
    }

    // ---- shifts: the amount is the low six bits of the second-operand address ----
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SLL(CpuState cpu, ulong insn) { var f = new RS(insn); int n = (int)cpu.Address(f.B2, f.D2) & 63; cpu.Gpr[f.R1] = n > 31 ? 0 : cpu.Gpr[f.R1] << n; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SRL(CpuState cpu, ulong insn) { var f = new RS(insn); int n = (int)cpu.Address(f.B2, f.D2) & 63; cpu.Gpr[f.R1] = n > 31 ? 0 : cpu.Gpr[f.R1] >> n; }
    public static void SRA(CpuState cpu, ulong insn)
    {
        var f = new RS(insn);
        int n = (int)cpu.Address(f.B2, f.D2) & 63;
        uint r = (uint)((int)cpu.Gpr[f.R1] >> Math.Min(n, 31));
        cpu.Gpr[f.R1] = r; cpu.Cc = FixedPoint.Sign(r);
    }
    public static void SLA(CpuState cpu, ulong insn)
    {
        var f = new RS(insn);
        int n = (int)cpu.Address(f.B2, f.D2) & 63;
        int cc = FixedPoint.ShiftLeftArithmetic(cpu.Gpr[f.R1], n, out uint r);
        cpu.Gpr[f.R1] = r;
        SetCcCheckOverflow(cpu, cc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ulong Pair(CpuState cpu, int r1) => (ulong)cpu.Gpr[r1] << 32 | cpu.Gpr[r1 + 1];
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void SetPair(CpuState cpu, int r1, ulong v) { cpu.Gpr[r1] = (uint)(v >> 32); cpu.Gpr[r1 + 1] = (uint)v; }

    public static void SLDL(CpuState cpu, ulong insn)
    {
        var f = new RS(insn); CpuState.RequireEven(f.R1);
        int n = (int)cpu.Address(f.B2, f.D2) & 63;
        SetPair(cpu, f.R1, Pair(cpu, f.R1) << n);
    }
    public static void SRDL(CpuState cpu, ulong insn)
    {
        var f = new RS(insn); CpuState.RequireEven(f.R1);
        int n = (int)cpu.Address(f.B2, f.D2) & 63;
        SetPair(cpu, f.R1, Pair(cpu, f.R1) >> n);
    }
    public static void SRDA(CpuState cpu, ulong insn)
    {
        var f = new RS(insn); CpuState.RequireEven(f.R1);
        int n = (int)cpu.Address(f.B2, f.D2) & 63;
        ulong r = (ulong)((long)Pair(cpu, f.R1) >> n);
        SetPair(cpu, f.R1, r);
        cpu.Cc = r == 0 ? 0 : (long)r < 0 ? 1 : 2;
    }
    public static void SLDA(CpuState cpu, ulong insn)
    {
        var f = new RS(insn); CpuState.RequireEven(f.R1);
        int n = (int)cpu.Address(f.B2, f.D2) & 63;
        int cc = FixedPoint.ShiftLeftDoubleArithmetic(Pair(cpu, f.R1), n, out ulong r);
        SetPair(cpu, f.R1, r);
        SetCcCheckOverflow(cpu, cc);
    }

    /// <summary>SET PROGRAM MASK: bits 2-3 of R1 become the condition code, bits 4-7 the program mask.</summary>
    public static void SPM(CpuState cpu, ulong insn)
    {
        var f = new RR(insn);
        uint v = cpu.Gpr[f.R1];
        cpu.Cc = (int)(v >> 28) & 3;
        cpu.ProgramMask = (int)(v >> 24) & 0xF;
    }
}
