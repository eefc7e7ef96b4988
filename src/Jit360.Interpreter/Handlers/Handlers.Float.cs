using System.Runtime.CompilerServices;
using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Machine.Semantics;

namespace Jit360.Interpreter;

// Hexadecimal floating point (GA22-6821 "Floating-Point Arithmetic"; GA22-7000 chapter 9
// "Floating-Point Instructions"). Registers 0, 2, 4, 6 hold 64 bits; a short operand is the
// leftmost 32, and a short result leaves the rightmost 32 unchanged. An extended operand is the
// pair R, R+2 with R = 0 or 4. The arithmetic is in Semantics/HexFloat.cs; the handlers check the
// register numbers, fetch the operands, store the result and then recognise the exception the
// semantics reported (overflow, underflow and significance complete the operation first).
public static partial class Handlers
{
    // ---- register and storage access ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static uint ShortFpr(CpuState cpu, int r) => (uint)(cpu.Fpr[r] >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void SetShortFpr(CpuState cpu, int r, uint v) => cpu.Fpr[r] = (cpu.Fpr[r] & 0xFFFF_FFFF) | (ulong)v << 32;

    /// <summary>Extended operands designate register 0 or 4 (GA22-7000 "Extended Floating-Point Number"); otherwise specification.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void RequireExtendedFpr(int r)
    {
        if ((r & 0xB) != 0) throw CpuState.Fault(ProgramInterruptCode.Specification);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static RR FloatRR(ulong insn)
    {
        var f = new RR(insn);
        CpuState.RequireFpr(f.R1);
        CpuState.RequireFpr(f.R2);
        return f;
    }

    // The RX operand: a word (short, Word in Handlers.FixedPoint) or doubleword (long); S/360
    // requires the integral boundary.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ulong LongOperand(CpuState cpu, in RX f)
    {
        uint a = cpu.Address(f.X2, f.B2, f.D2);
        cpu.CheckAlignment(a, 7);
        return cpu.FetchDouble(a);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static RX FloatRX(ulong insn)
    {
        var f = new RX(insn);
        CpuState.RequireFpr(f.R1);
        return f;
    }

    /// <summary>Recognises the exception reported by the semantics, after the result has been stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void FloatComplete(int interrupt)
    {
        if (interrupt != 0) throw CpuState.Fault(interrupt);
    }

    /// <summary>
    /// Condition code of add and subtract. System/360 sets code 3 when the result exponent
    /// overflows (GA22-6821 "Add Normalized": "3 Result exponent overflows"); System/370 leaves
    /// code 3 unused and sets the code from the (wrapped) result (GA22-7000 "ADD NORMALIZED").
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void FloatAddComplete(CpuState cpu, int cc, int interrupt)
    {
        cpu.Cc = interrupt == ProgramInterruptCode.ExponentOverflow && !cpu.IsS370 ? 3 : cc;
        FloatComplete(interrupt);
    }

    // ---- LOAD, LOAD AND TEST, LOAD COMPLEMENT / POSITIVE / NEGATIVE (no normalization) ----

    public static void LER(CpuState cpu, ulong insn) { var f = FloatRR(insn); SetShortFpr(cpu, f.R1, ShortFpr(cpu, f.R2)); }
    public static void LDR(CpuState cpu, ulong insn) { var f = FloatRR(insn); cpu.Fpr[f.R1] = cpu.Fpr[f.R2]; }
    public static void LE(CpuState cpu, ulong insn) { var f = FloatRX(insn); SetShortFpr(cpu, f.R1, Word(cpu, f)); }
    public static void LD(CpuState cpu, ulong insn) { var f = FloatRX(insn); cpu.Fpr[f.R1] = LongOperand(cpu, f); }

    public static void STE(CpuState cpu, ulong insn)
    {
        var f = FloatRX(insn);
        uint a = cpu.Address(f.X2, f.B2, f.D2);
        cpu.CheckAlignment(a, 3);
        cpu.StoreWord(a, ShortFpr(cpu, f.R1));
    }

    public static void STD(CpuState cpu, ulong insn)
    {
        var f = FloatRX(insn);
        uint a = cpu.Address(f.X2, f.B2, f.D2);
        cpu.CheckAlignment(a, 7);
        cpu.StoreDouble(a, cpu.Fpr[f.R1]);
    }

    // The condition code looks only at the fraction: a zero fraction gives 0 whatever the sign.
    static void LoadSignShort(CpuState cpu, ulong insn, uint clear, uint set, uint flip)
    {
        var f = FloatRR(insn);
        uint v = ((ShortFpr(cpu, f.R2) & ~clear) | set) ^ flip;
        SetShortFpr(cpu, f.R1, v);
        cpu.Cc = HexFloat.CcShort(v);
    }

    static void LoadSignLong(CpuState cpu, ulong insn, ulong clear, ulong set, ulong flip)
    {
        var f = FloatRR(insn);
        ulong v = ((cpu.Fpr[f.R2] & ~clear) | set) ^ flip;
        cpu.Fpr[f.R1] = v;
        cpu.Cc = HexFloat.CcLong(v);
    }

    const uint SignShort = 0x8000_0000;
    const ulong SignLong = 0x8000_0000_0000_0000;

    public static void LTER(CpuState cpu, ulong insn) => LoadSignShort(cpu, insn, 0, 0, 0);
    public static void LTDR(CpuState cpu, ulong insn) => LoadSignLong(cpu, insn, 0, 0, 0);
    /// <summary>LOAD COMPLEMENT: the sign is inverted even when the fraction is zero.</summary>
    public static void LCER(CpuState cpu, ulong insn) => LoadSignShort(cpu, insn, 0, 0, SignShort);
    public static void LCDR(CpuState cpu, ulong insn) => LoadSignLong(cpu, insn, 0, 0, SignLong);
    public static void LPER(CpuState cpu, ulong insn) => LoadSignShort(cpu, insn, SignShort, 0, 0);
    public static void LPDR(CpuState cpu, ulong insn) => LoadSignLong(cpu, insn, SignLong, 0, 0);
    /// <summary>LOAD NEGATIVE: the sign is made minus even when the fraction is zero.</summary>
    public static void LNER(CpuState cpu, ulong insn) => LoadSignShort(cpu, insn, 0, SignShort, 0);
    public static void LNDR(CpuState cpu, ulong insn) => LoadSignLong(cpu, insn, 0, SignLong, 0);

    // ---- HALVE: S/370 normalizes (with a guard digit); S/360 only shifts the fraction ----

    public static void HER(CpuState cpu, ulong insn)
    {
        var f = FloatRR(insn);
        uint v = ShortFpr(cpu, f.R2);
        if (!cpu.IsS370) { SetShortFpr(cpu, f.R1, HexFloat.HalveShort360(v)); return; }
        uint r = HexFloat.HalveShort(v, cpu.ProgramMask, out int interrupt);
        SetShortFpr(cpu, f.R1, r);
        FloatComplete(interrupt);
    }

    public static void HDR(CpuState cpu, ulong insn)
    {
        var f = FloatRR(insn);
        ulong v = cpu.Fpr[f.R2];
        if (!cpu.IsS370) { cpu.Fpr[f.R1] = HexFloat.HalveLong360(v); return; }
        cpu.Fpr[f.R1] = HexFloat.HalveLong(v, cpu.ProgramMask, out int interrupt);
        FloatComplete(interrupt);
    }

    // ---- COMPARE ----

    public static void CER(CpuState cpu, ulong insn) { var f = FloatRR(insn); cpu.Cc = HexFloat.CompareShort(ShortFpr(cpu, f.R1), ShortFpr(cpu, f.R2)); }
    public static void CDR(CpuState cpu, ulong insn) { var f = FloatRR(insn); cpu.Cc = HexFloat.CompareLong(cpu.Fpr[f.R1], cpu.Fpr[f.R2]); }
    public static void CE(CpuState cpu, ulong insn) { var f = FloatRX(insn); cpu.Cc = HexFloat.CompareShort(ShortFpr(cpu, f.R1), Word(cpu, f)); }
    public static void CD(CpuState cpu, ulong insn) { var f = FloatRX(insn); cpu.Cc = HexFloat.CompareLong(cpu.Fpr[f.R1], LongOperand(cpu, f)); }

    // ---- ADD / SUBTRACT, normalized and unnormalized ----

    static void AddShort(CpuState cpu, int r1, uint operand, bool subtract, bool normalize)
    {
        uint r = HexFloat.AddShort(ShortFpr(cpu, r1), operand, subtract, normalize, cpu.ProgramMask, out int cc, out int interrupt);
        SetShortFpr(cpu, r1, r);
        FloatAddComplete(cpu, cc, interrupt);
    }

    static void AddLong(CpuState cpu, int r1, ulong operand, bool subtract, bool normalize)
    {
        cpu.Fpr[r1] = HexFloat.AddLong(cpu.Fpr[r1], operand, subtract, normalize, cpu.ProgramMask, out int cc, out int interrupt);
        FloatAddComplete(cpu, cc, interrupt);
    }

    public static void AER(CpuState cpu, ulong insn) { var f = FloatRR(insn); AddShort(cpu, f.R1, ShortFpr(cpu, f.R2), false, true); }
    public static void SER(CpuState cpu, ulong insn) { var f = FloatRR(insn); AddShort(cpu, f.R1, ShortFpr(cpu, f.R2), true, true); }
    public static void AUR(CpuState cpu, ulong insn) { var f = FloatRR(insn); AddShort(cpu, f.R1, ShortFpr(cpu, f.R2), false, false); }
    public static void SUR(CpuState cpu, ulong insn) { var f = FloatRR(insn); AddShort(cpu, f.R1, ShortFpr(cpu, f.R2), true, false); }
    public static void AE(CpuState cpu, ulong insn) { var f = FloatRX(insn); AddShort(cpu, f.R1, Word(cpu, f), false, true); }
    public static void SE(CpuState cpu, ulong insn) { var f = FloatRX(insn); AddShort(cpu, f.R1, Word(cpu, f), true, true); }
    public static void AU(CpuState cpu, ulong insn) { var f = FloatRX(insn); AddShort(cpu, f.R1, Word(cpu, f), false, false); }
    public static void SU(CpuState cpu, ulong insn) { var f = FloatRX(insn); AddShort(cpu, f.R1, Word(cpu, f), true, false); }

    public static void ADR(CpuState cpu, ulong insn) { var f = FloatRR(insn); AddLong(cpu, f.R1, cpu.Fpr[f.R2], false, true); }
    public static void SDR(CpuState cpu, ulong insn) { var f = FloatRR(insn); AddLong(cpu, f.R1, cpu.Fpr[f.R2], true, true); }
    public static void AWR(CpuState cpu, ulong insn) { var f = FloatRR(insn); AddLong(cpu, f.R1, cpu.Fpr[f.R2], false, false); }
    public static void SWR(CpuState cpu, ulong insn) { var f = FloatRR(insn); AddLong(cpu, f.R1, cpu.Fpr[f.R2], true, false); }
    public static void AD(CpuState cpu, ulong insn) { var f = FloatRX(insn); AddLong(cpu, f.R1, LongOperand(cpu, f), false, true); }
    public static void SD(CpuState cpu, ulong insn) { var f = FloatRX(insn); AddLong(cpu, f.R1, LongOperand(cpu, f), true, true); }
    public static void AW(CpuState cpu, ulong insn) { var f = FloatRX(insn); AddLong(cpu, f.R1, LongOperand(cpu, f), false, false); }
    public static void SW(CpuState cpu, ulong insn) { var f = FloatRX(insn); AddLong(cpu, f.R1, LongOperand(cpu, f), true, false); }

    static void AddExtended(CpuState cpu, ulong insn, bool subtract)
    {
        var f = new RR(insn);
        RequireExtendedFpr(f.R1);
        RequireExtendedFpr(f.R2);
        var (high, low) = HexFloat.AddExtended(cpu.Fpr[f.R1], cpu.Fpr[f.R1 + 2], cpu.Fpr[f.R2], cpu.Fpr[f.R2 + 2],
                                                subtract, cpu.ProgramMask, out int cc, out int interrupt);
        cpu.Fpr[f.R1] = high; cpu.Fpr[f.R1 + 2] = low;
        cpu.Cc = cc;
        FloatComplete(interrupt);
    }

    public static void AXR(CpuState cpu, ulong insn) => AddExtended(cpu, insn, false);
    public static void SXR(CpuState cpu, ulong insn) => AddExtended(cpu, insn, true);

    // ---- MULTIPLY: MER/ME give a long product; MXDR/MXD/MXR an extended one ----

    static void MultiplyShort(CpuState cpu, int r1, uint operand)
    {
        cpu.Fpr[r1] = HexFloat.MultiplyShort(ShortFpr(cpu, r1), operand, cpu.ProgramMask, out int interrupt);
        FloatComplete(interrupt);
    }

    static void MultiplyLong(CpuState cpu, int r1, ulong operand)
    {
        cpu.Fpr[r1] = HexFloat.MultiplyLong(cpu.Fpr[r1], operand, cpu.ProgramMask, out int interrupt);
        FloatComplete(interrupt);
    }

    static void MultiplyToExtended(CpuState cpu, int r1, ulong operand)
    {
        var (high, low) = HexFloat.MultiplyLongToExtended(cpu.Fpr[r1], operand, cpu.ProgramMask, out int interrupt);
        cpu.Fpr[r1] = high; cpu.Fpr[r1 + 2] = low;
        FloatComplete(interrupt);
    }

    public static void MER(CpuState cpu, ulong insn) { var f = FloatRR(insn); MultiplyShort(cpu, f.R1, ShortFpr(cpu, f.R2)); }
    public static void ME(CpuState cpu, ulong insn) { var f = FloatRX(insn); MultiplyShort(cpu, f.R1, Word(cpu, f)); }
    public static void MDR(CpuState cpu, ulong insn) { var f = FloatRR(insn); MultiplyLong(cpu, f.R1, cpu.Fpr[f.R2]); }
    public static void MD(CpuState cpu, ulong insn) { var f = FloatRX(insn); MultiplyLong(cpu, f.R1, LongOperand(cpu, f)); }

    public static void MXDR(CpuState cpu, ulong insn)
    {
        var f = new RR(insn);
        RequireExtendedFpr(f.R1);
        CpuState.RequireFpr(f.R2);
        MultiplyToExtended(cpu, f.R1, cpu.Fpr[f.R2]);
    }

    public static void MXD(CpuState cpu, ulong insn)
    {
        var f = new RX(insn);
        RequireExtendedFpr(f.R1);
        MultiplyToExtended(cpu, f.R1, LongOperand(cpu, f));
    }

    public static void MXR(CpuState cpu, ulong insn)
    {
        var f = new RR(insn);
        RequireExtendedFpr(f.R1);
        RequireExtendedFpr(f.R2);
        var (high, low) = HexFloat.MultiplyExtended(cpu.Fpr[f.R1], cpu.Fpr[f.R1 + 2], cpu.Fpr[f.R2], cpu.Fpr[f.R2 + 2],
                                                     cpu.ProgramMask, out int interrupt);
        cpu.Fpr[f.R1] = high; cpu.Fpr[f.R1 + 2] = low;
        FloatComplete(interrupt);
    }

    // ---- DIVIDE: a zero divisor fraction suppresses the operation ----

    static void DivideShort(CpuState cpu, int r1, uint operand)
    {
        uint r = HexFloat.DivideShort(ShortFpr(cpu, r1), operand, cpu.ProgramMask, out int interrupt);
        if (interrupt == ProgramInterruptCode.FloatingPointDivide) throw CpuState.Fault(interrupt);
        SetShortFpr(cpu, r1, r);
        FloatComplete(interrupt);
    }

    static void DivideLong(CpuState cpu, int r1, ulong operand)
    {
        ulong r = HexFloat.DivideLong(cpu.Fpr[r1], operand, cpu.ProgramMask, out int interrupt);
        if (interrupt == ProgramInterruptCode.FloatingPointDivide) throw CpuState.Fault(interrupt);
        cpu.Fpr[r1] = r;
        FloatComplete(interrupt);
    }

    public static void DER(CpuState cpu, ulong insn) { var f = FloatRR(insn); DivideShort(cpu, f.R1, ShortFpr(cpu, f.R2)); }
    public static void DE(CpuState cpu, ulong insn) { var f = FloatRX(insn); DivideShort(cpu, f.R1, Word(cpu, f)); }
    public static void DDR(CpuState cpu, ulong insn) { var f = FloatRR(insn); DivideLong(cpu, f.R1, cpu.Fpr[f.R2]); }
    public static void DD(CpuState cpu, ulong insn) { var f = FloatRX(insn); DivideLong(cpu, f.R1, LongOperand(cpu, f)); }

    // ---- LOAD ROUNDED (S/370 extended-precision feature) ----

    /// <summary>LRER: long second operand rounded to a short result; the right half of R1 is unchanged.</summary>
    public static void LRER(CpuState cpu, ulong insn)
    {
        var f = FloatRR(insn);
        uint r = HexFloat.RoundLongToShort(cpu.Fpr[f.R2], out int interrupt);
        SetShortFpr(cpu, f.R1, r);
        FloatComplete(interrupt);
    }

    /// <summary>LRDR: extended second operand (R2 = 0 or 4) rounded to a long result.</summary>
    public static void LRDR(CpuState cpu, ulong insn)
    {
        var f = new RR(insn);
        CpuState.RequireFpr(f.R1);
        RequireExtendedFpr(f.R2);
        cpu.Fpr[f.R1] = HexFloat.RoundExtendedToLong(cpu.Fpr[f.R2], cpu.Fpr[f.R2 + 2], out int interrupt);
        FloatComplete(interrupt);
    }
}
