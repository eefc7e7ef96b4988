namespace Jit360.Architecture;

/// <summary>
/// Instruction bytes to assembler-language text, from the opcode table's Format: the same
/// operand syntax the assembler reads (explicit D(X,B) / D(L,B) forms), so that a disassembled
/// instruction reassembles to the same bytes. Used by <c>jit360 disasm</c> and by traces.
/// Opcodes not defined at the level are shown as <c>DC X'..'</c>.
/// </summary>
public static class Disassembler
{
    /// <summary>Column width of the mnemonic field (HLASM listings use 6).</summary>
    const int MnemonicWidth = 6;

    /// <summary>
    /// Disassembles the instruction at the start of <paramref name="bytes"/>. <paramref name="length"/>
    /// receives the number of bytes consumed (the instruction length, or fewer bytes shown as
    /// DC when the buffer ends early).
    /// </summary>
    public static string Disassemble(ReadOnlySpan<byte> bytes, ArchLevel level, out int length)
    {
        if (bytes.Length == 0) { length = 0; return ""; }
        int len = Formats.LengthOfOpcode(bytes[0]);
        if (bytes.Length < len)
        {
            length = bytes.Length;
            return Pad("DC") + "X'" + Convert.ToHexString(bytes) + "'";
        }
        length = len;
        ulong insn = 0;
        for (int i = 0; i < len; i++) insn |= (ulong)bytes[i] << (56 - 8 * i);
        return Disassemble(insn, level);
    }

    /// <summary>Disassembles an instruction held left-justified in a ulong (the engines' form).</summary>
    public static string Disassemble(ulong insn, ArchLevel level)
    {
        byte first = (byte)(insn >> 56), second = (byte)(insn >> 48);
        var op = OpcodeTable.Decode(level, first, second);
        int len = Formats.LengthOfOpcode(first);
        if (op == null)
            return Pad("DC") + "X'" + (insn >> (64 - 8 * len)).ToString("X" + (2 * len)) + "'";
        return Pad(op.Mnemonic) + Operands(op.Format, insn);
    }

    /// <summary>The operand field of an instruction of the given format.</summary>
    public static string Operands(Format format, ulong insn)
    {
        switch (format)
        {
            case Format.RR: { var f = new RR(insn); return $"{f.R1},{f.R2}"; }
            case Format.RR_R1: { var f = new RR(insn); return $"{f.R1}"; }
            case Format.RR_I: { var f = new RR(insn); return $"{f.I}"; }
            case Format.RR_M: { var f = new RR(insn); return $"{f.R1},{f.R2}"; }
            case Format.RX:
            case Format.RX_M: { var f = new RX(insn); return $"{f.R1},{f.D2}({f.X2},{f.B2})"; }
            case Format.RS:
            case Format.RS_M: { var f = new RS(insn); return $"{f.R1},{f.R3},{f.D2}({f.B2})"; }
            case Format.RS_R1: { var f = new RS(insn); return $"{f.R1},{f.D2}({f.B2})"; }
            case Format.SI: { var f = new SI(insn); return $"{f.D1}({f.B1}),X'{f.I2:X2}'"; }
            case Format.SI_D: { var f = new SI(insn); return $"{f.D1}({f.B1})"; }
            case Format.S: { var f = new S(insn); return $"{f.D2}({f.B2})"; }
            case Format.SS_L: { var f = new SS(insn); return $"{f.D1}({f.L + 1},{f.B1}),{f.D2}({f.B2})"; }
            case Format.SS_LL: { var f = new SS(insn); return $"{f.D1}({f.L1 + 1},{f.B1}),{f.D2}({f.L2 + 1},{f.B2})"; }
            case Format.SS_LI: { var f = new SS(insn); return $"{f.D1}({f.L1 + 1},{f.B1}),{f.D2}({f.B2}),{f.L2}"; }
            default: return "";
        }
    }

    /// <summary>
    /// A listing of a block of storage: one line per instruction, "address  hex  text".
    /// Bytes that do not decode are shown as DC.
    /// </summary>
    public static IEnumerable<string> Listing(ReadOnlyMemory<byte> bytes, uint origin, ArchLevel level)
    {
        int pos = 0;
        while (pos < bytes.Length)
        {
            var span = bytes.Span[pos..];
            string text = Disassemble(span, level, out int len);
            if (len == 0) yield break;
            string hex = Convert.ToHexString(span[..len]);
            yield return $"{origin + (uint)pos:X6}  {hex,-12}  {text}";
            pos += len;
        }
    }

    static string Pad(string mnemonic) => mnemonic.PadRight(MnemonicWidth);
}
