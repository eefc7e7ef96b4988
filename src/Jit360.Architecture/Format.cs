namespace Jit360.Architecture;

/// <summary>
/// Instruction formats (PoO "Instruction Formats"). The variants differ in how the operand
/// fields are written in assembler language, not only in their bit layout.
/// </summary>
public enum Format : byte
{
    /// <summary>RR: R1,R2.</summary>
    RR,
    /// <summary>RR with only R1 (SPM R1).</summary>
    RR_R1,
    /// <summary>RR with an 8-bit immediate (SVC I).</summary>
    RR_I,
    /// <summary>RR with a mask in the R1 field (BCR M1,R2).</summary>
    RR_M,
    /// <summary>RX: R1,D2(X2,B2).</summary>
    RX,
    /// <summary>RX with a mask in the R1 field (BC M1,D2(X2,B2)).</summary>
    RX_M,
    /// <summary>RS: R1,R3,D2(B2).</summary>
    RS,
    /// <summary>RS with no R3 (shifts: R1,D2(B2)).</summary>
    RS_R1,
    /// <summary>RS with a mask in the R3 field (ICM R1,M3,D2(B2)).</summary>
    RS_M,
    /// <summary>SI: D1(B1),I2.</summary>
    SI,
    /// <summary>SI whose I2 field is ignored (SSM, LPSW, TS, TIO): D1(B1).</summary>
    SI_D,
    /// <summary>S: a 16-bit opcode and D2(B2) (B2xx, and S/370's 9Cxx-9Fxx I/O).</summary>
    S,
    /// <summary>SS with one 8-bit length: D1(L,B1),D2(B2).</summary>
    SS_L,
    /// <summary>SS with two 4-bit lengths: D1(L1,B1),D2(L2,B2).</summary>
    SS_LL,
    /// <summary>SS with a length and a 4-bit immediate (SRP): D1(L1,B1),D2(B2),I3.</summary>
    SS_LI,
}

public static class Formats
{
    /// <summary>Length in bytes, from the two high bits of the first opcode byte (PoO "Instruction Length").</summary>
    public static int LengthOfOpcode(byte firstByte) => (firstByte >> 6) switch { 0 => 2, 3 => 6, _ => 4 };

    public static int Length(this Format f) => f switch
    {
        Format.RR or Format.RR_R1 or Format.RR_I or Format.RR_M => 2,
        Format.SS_L or Format.SS_LL or Format.SS_LI => 6,
        _ => 4,
    };
}
