using System.Runtime.CompilerServices;

namespace Jit360.Architecture;

// Field extraction for every format (PoO "Instruction Formats"). An instruction travels as a
// ulong holding its bytes left-justified: byte 0 in bits 63-56, byte 5 in bits 23-16. Handlers
// take fields from these structs, never from shifts of their own.

public readonly struct RR
{
    public readonly int R1, R2;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RR(ulong insn) { R1 = (int)(insn >> 52) & 0xF; R2 = (int)(insn >> 48) & 0xF; }
    /// <summary>The 8-bit immediate of SVC.</summary>
    public int I => (R1 << 4) | R2;
}

public readonly struct RX
{
    public readonly int R1, X2, B2, D2;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RX(ulong insn)
    {
        R1 = (int)(insn >> 52) & 0xF; X2 = (int)(insn >> 48) & 0xF;
        B2 = (int)(insn >> 44) & 0xF; D2 = (int)(insn >> 32) & 0xFFF;
    }
}

public readonly struct RS
{
    public readonly int R1, R3, B2, D2;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RS(ulong insn)
    {
        R1 = (int)(insn >> 52) & 0xF; R3 = (int)(insn >> 48) & 0xF;
        B2 = (int)(insn >> 44) & 0xF; D2 = (int)(insn >> 32) & 0xFFF;
    }
}

public readonly struct SI
{
    public readonly int I2, B1, D1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SI(ulong insn) { I2 = (int)(insn >> 48) & 0xFF; B1 = (int)(insn >> 44) & 0xF; D1 = (int)(insn >> 32) & 0xFFF; }
}

/// <summary>S format: 16-bit opcode, B2, D2.</summary>
public readonly struct S
{
    public readonly int B2, D2;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public S(ulong insn) { B2 = (int)(insn >> 44) & 0xF; D2 = (int)(insn >> 32) & 0xFFF; }
}

public readonly struct SS
{
    /// <summary>The 8-bit length field (SS_L); the operand is L+1 bytes long.</summary>
    public readonly int L;
    public readonly int B1, D1, B2, D2;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SS(ulong insn)
    {
        L = (int)(insn >> 48) & 0xFF;
        B1 = (int)(insn >> 44) & 0xF; D1 = (int)(insn >> 32) & 0xFFF;
        B2 = (int)(insn >> 28) & 0xF; D2 = (int)(insn >> 16) & 0xFFF;
    }
    /// <summary>First 4-bit length (SS_LL), or the length of SRP's first operand.</summary>
    public int L1 => L >> 4;
    /// <summary>Second 4-bit length (SS_LL), or SRP's rounding digit I3.</summary>
    public int L2 => L & 0xF;
}
