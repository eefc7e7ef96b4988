using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Machine.Semantics;

namespace Jit360.Interpreter;

// Decimal and conversion instructions (GA22-6821 "Decimal Arithmetic", "Editing", CVB/CVD under
// "Fixed-Point Arithmetic"; GA22-7000 chapter 8 "Decimal Instructions" and chapter 7). Every
// operand is access-checked first, then copied, computed by PackedDecimal, and only then stored:
// a specification, data or decimal-divide exception leaves storage as it was (suppression). The
// PoO lets data exceptions terminate instead; suppression is one of the permitted outcomes.
public static partial class Handlers
{
    // ---- CVB, CVD (RX) ----

    /// <summary>CONVERT TO BINARY: doubleword operand (aligned on S/360). Out of range: the rightmost 32 bits are stored, then fixed-point divide.</summary>
    public static void CVB(CpuState cpu, ulong insn)
    {
        var f = new RX(insn);
        uint a = cpu.Address(f.X2, f.B2, f.D2);
        cpu.CheckAlignment(a, 7);
        uint v = PackedDecimal.ConvertToBinary(cpu.FetchDouble(a), out bool fits);
        cpu.Gpr[f.R1] = v;
        if (!fits) throw CpuState.Fault(ProgramInterruptCode.FixedPointDivide);
    }

    /// <summary>CONVERT TO DECIMAL: 15 digits and a preferred sign in a doubleword (aligned on S/360).</summary>
    public static void CVD(CpuState cpu, ulong insn)
    {
        var f = new RX(insn);
        uint a = cpu.Address(f.X2, f.B2, f.D2);
        cpu.CheckAlignment(a, 7);
        cpu.StoreDouble(a, PackedDecimal.ConvertToDecimal((int)cpu.Gpr[f.R1], cpu.Ascii));
    }

    // ---- operand plumbing ----

    static void ReadField(CpuState cpu, uint a, Span<byte> into)
    {
        for (int i = 0; i < into.Length; i++) into[i] = cpu.ByteAt(a + (uint)i);
    }

    static void WriteField(CpuState cpu, uint a, ReadOnlySpan<byte> from)
    {
        for (int i = 0; i < from.Length; i++) cpu.SetByteAt(a + (uint)i, from[i]);
        cpu.OnStore(a, from.Length);
    }

    /// <summary>Signed distance from a1 to a2, taking address wrap-around into account.</summary>
    static long Offset(CpuState cpu, uint a1, uint a2)
    {
        ulong size = (ulong)cpu.AddressMask + 1;
        ulong d = (a2 - a1) & cpu.AddressMask;
        return d >= size / 2 ? (long)d - (long)size : (long)d;
    }

    /// <summary>
    /// S/360 recognises a data exception when fields in decimal arithmetic overlap incorrectly
    /// (GA22-6821 "Data Exception", item 2). Permitted: the rightmost bytes coincide, or for ZAP the
    /// first operand's rightmost byte is at or to the right of the second's. S/370 leaves other
    /// overlaps unpredictable; the copy-then-store here then gives the right-to-left result.
    /// </summary>
    static void CheckOverlap360(CpuState cpu, uint a1, int n1, uint a2, int n2, bool zap)
    {
        if (cpu.IsS370) return;
        long d = Offset(cpu, a1, a2);              // op2 start relative to op1 start
        bool overlap = d < n1 && -d < n2;
        if (!overlap) return;
        long rightDelta = (d + n2 - 1) - (n1 - 1);  // op2 rightmost relative to op1 rightmost
        if (rightDelta == 0 || (zap && rightDelta < 0)) return;
        throw CpuState.Fault(ProgramInterruptCode.Data);
    }

    /// <summary>Decodes SS with two 4-bit lengths, access-checks both operands and copies them.</summary>
    static (uint a1, uint a2) DecimalOperands(CpuState cpu, in SS f, Span<byte> op1, Span<byte> op2, bool storeFirst)
    {
        uint a1 = cpu.Address(f.B1, f.D1), a2 = cpu.Address(f.B2, f.D2);
        cpu.CheckAccess(a1, op1.Length, storeFirst);
        cpu.CheckAccess(a2, op2.Length, store: false);
        ReadField(cpu, a1, op1);
        ReadField(cpu, a2, op2);
        return (a1, a2);
    }

    /// <summary>Decimal overflow completes the instruction, then interrupts if the program mask bit (PSW bit 37) is one.</summary>
    static void SetCcCheckDecimalOverflow(CpuState cpu, int cc)
    {
        cpu.Cc = cc;
        if (cc == 3 && (cpu.ProgramMask & 4) != 0) throw CpuState.Fault(ProgramInterruptCode.DecimalOverflow);
    }

    // ---- AP, SP, ZAP, CP ----

    static void AddOrSubtract(CpuState cpu, ulong insn, bool subtract)
    {
        var f = new SS(insn);
        Span<byte> op1 = stackalloc byte[f.L1 + 1], op2 = stackalloc byte[f.L2 + 1];
        var (a1, a2) = DecimalOperands(cpu, f, op1, op2, storeFirst: true);
        CheckOverlap360(cpu, a1, op1.Length, a2, op2.Length, zap: false);
        int cc = PackedDecimal.AddSubtract(op1, op2, subtract, cpu.Ascii);
        WriteField(cpu, a1, op1);
        SetCcCheckDecimalOverflow(cpu, cc);
    }

    public static void AP(CpuState cpu, ulong insn) => AddOrSubtract(cpu, insn, subtract: false);
    public static void SP(CpuState cpu, ulong insn) => AddOrSubtract(cpu, insn, subtract: true);

    public static void ZAP(CpuState cpu, ulong insn)
    {
        var f = new SS(insn);
        Span<byte> op1 = stackalloc byte[f.L1 + 1], op2 = stackalloc byte[f.L2 + 1];
        uint a1 = cpu.Address(f.B1, f.D1), a2 = cpu.Address(f.B2, f.D2);
        cpu.CheckAccess(a1, op1.Length, store: true);   // op1 is only stored, never fetched
        cpu.CheckAccess(a2, op2.Length, store: false);
        ReadField(cpu, a2, op2);
        CheckOverlap360(cpu, a1, op1.Length, a2, op2.Length, zap: true);
        int cc = PackedDecimal.ZeroAndAdd(op1, op2, cpu.Ascii);
        WriteField(cpu, a1, op1);
        SetCcCheckDecimalOverflow(cpu, cc);
    }

    public static void CP(CpuState cpu, ulong insn)
    {
        var f = new SS(insn);
        Span<byte> op1 = stackalloc byte[f.L1 + 1], op2 = stackalloc byte[f.L2 + 1];
        DecimalOperands(cpu, f, op1, op2, storeFirst: false);
        cpu.Cc = PackedDecimal.Compare(op1, op2);
    }

    // ---- MP, DP ----

    public static void MP(CpuState cpu, ulong insn) => MultiplyOrDivide(cpu, insn, divide: false);

    public static void DP(CpuState cpu, ulong insn) => MultiplyOrDivide(cpu, insn, divide: true);

    static void MultiplyOrDivide(CpuState cpu, ulong insn, bool divide)
    {
        var f = new SS(insn);
        PackedDecimal.CheckMultiplyDivideLengths(f.L1, f.L2);
        Span<byte> op1 = stackalloc byte[f.L1 + 1], op2 = stackalloc byte[f.L2 + 1];
        var (a1, a2) = DecimalOperands(cpu, f, op1, op2, storeFirst: true);
        CheckOverlap360(cpu, a1, op1.Length, a2, op2.Length, zap: false);
        if (divide) PackedDecimal.Divide(op1, op2, cpu.Ascii);
        else PackedDecimal.Multiply(op1, op2, cpu.Ascii);
        WriteField(cpu, a1, op1);
    }

    // ---- SRP (S/370) ----

    /// <summary>SHIFT AND ROUND DECIMAL: bits 26-31 of the second-operand address are the signed shift; I3 the rounding digit.</summary>
    public static void SRP(CpuState cpu, ulong insn)
    {
        var f = new SS(insn);
        uint a1 = cpu.Address(f.B1, f.D1);
        int shift = (int)(cpu.Address(f.B2, f.D2) & 0x3F);
        if (shift >= 32) shift -= 64;
        Span<byte> op1 = stackalloc byte[f.L1 + 1];
        cpu.CheckAccess(a1, op1.Length, store: true);
        ReadField(cpu, a1, op1);
        int cc = PackedDecimal.ShiftAndRound(op1, shift, f.L2, cpu.Ascii);
        WriteField(cpu, a1, op1);
        SetCcCheckDecimalOverflow(cpu, cc);
    }

    // ---- PACK, UNPK, MVO: no code checking ----

    static void Move(CpuState cpu, ulong insn, int which)
    {
        var f = new SS(insn);
        Span<byte> op1 = stackalloc byte[f.L1 + 1], op2 = stackalloc byte[f.L2 + 1];
        // MVO fetches op1's rightmost byte; PACK and UNPK only store op1.
        var (a1, a2) = DecimalOperands(cpu, f, op1, op2, storeFirst: true);
        long offset = Offset(cpu, a1, a2);
        switch (which)
        {
            case 0: PackedDecimal.Pack(op1, op2, offset); break;
            case 1: PackedDecimal.Unpack(op1, op2, offset, cpu.Ascii); break;
            default: PackedDecimal.MoveWithOffset(op1, op2, offset); break;
        }
        WriteField(cpu, a1, op1);
    }

    public static void PACK(CpuState cpu, ulong insn) => Move(cpu, insn, 0);
    public static void UNPK(CpuState cpu, ulong insn) => Move(cpu, insn, 1);
    public static void MVO(CpuState cpu, ulong insn) => Move(cpu, insn, 2);

    // ---- ED, EDMK ----

    /// <summary>ED's source, fetched a byte at a time as the pattern calls for digits (only those bytes are accessed).</summary>
    struct EditSource(CpuState cpu, uint a2) : PackedDecimal.IEditSource
    {
        public byte Fetch(int k) => cpu.FetchByte(cpu.Wrap(a2 + (uint)k));
    }

    static void Edit(CpuState cpu, ulong insn, bool mark)
    {
        var f = new SS(insn);
        uint a1 = cpu.Address(f.B1, f.D1), a2 = cpu.Address(f.B2, f.D2);
        int n = f.L + 1;
        cpu.CheckAccess(a1, n, store: true);
        Span<byte> pattern = stackalloc byte[n];
        ReadField(cpu, a1, pattern);
        var source = new EditSource(cpu, a2);
        int cc = PackedDecimal.Edit(pattern, ref source, Offset(cpu, a1, a2), cpu.Ascii, out int at);
        WriteField(cpu, a1, pattern);
        if (mark && at >= 0)
        {
            // EDMK: bits 8-31 of R1 get the address of the first significant result digit; bits 0-7 stay.
            uint address = cpu.Wrap(a1 + (uint)at);
            cpu.Gpr[1] = cpu.Addressing32 ? address : (cpu.Gpr[1] & 0xFF00_0000) | address;
        }
        cpu.Cc = cc;
    }

    public static void ED(CpuState cpu, ulong insn) => Edit(cpu, insn, mark: false);
    public static void EDMK(CpuState cpu, ulong insn) => Edit(cpu, insn, mark: true);
}
