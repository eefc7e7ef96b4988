using Jit360.Architecture;

namespace Jit360.Assembler;

/// <summary>What the encoder needs beyond expressions: base-displacement resolution through USING.</summary>
public interface IAddressResolver
{
    /// <summary>Base register and displacement for an implicit address, or an addressability error.</summary>
    (int Base, int Displacement) Resolve(Value address, int column);
}

/// <summary>
/// Machine instructions to bytes, driven by the opcode table's <see cref="Format"/> (PoO
/// "Instruction Formats"). Operands are written as the assembler language writes them:
/// registers and masks are absolute expressions; storage operands are explicit D(X,B),
/// D(L,B) or implicit (an expression resolved through USING, the length implied by its
/// leftmost term).
/// </summary>
public static class InstructionEncoder
{
    /// <summary>
    /// The extended branch mnemonics (the assembler's names for BC and BCR with a fixed mask).
    /// Masks after compare: 8 equal, 4 low, 2 high; after arithmetic: 8 zero, 4 minus, 2 plus, 1 overflow.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (string Base, int Mask)> Extended = BuildExtended();

    static Dictionary<string, (string, int)> BuildExtended()
    {
        var masks = new (string Suffix, int Mask)[]
        {
            ("", 15), ("NOP", 0), ("E", 8), ("NE", 7), ("H", 2), ("L", 4), ("NH", 13), ("NL", 11),
            ("Z", 8), ("NZ", 7), ("O", 1), ("NO", 14), ("M", 4), ("NM", 11), ("P", 2), ("NP", 13),
        };
        var d = new Dictionary<string, (string, int)>();
        foreach (var (suffix, mask) in masks)
        {
            string rx = suffix == "NOP" ? "NOP" : "B" + suffix;
            d[rx] = ("BC", mask);
            d[rx + "R"] = ("BCR", mask);
        }
        return d;
    }

    /// <summary>Encodes one instruction. <paramref name="mask"/> is the fixed mask of an extended mnemonic, or null.</summary>
    public static byte[] Encode(Opcode op, int? mask, string operands, int column, IExpressionContext ctx, IAddressResolver addresses)
    {
        var ops = Lexer.SplitOperands(operands, column);
        int expected = OperandCount(op.Format) - (mask != null ? 1 : 0);
        if (ops.Count != expected)
            throw new AsmException(ops.Count > expected ? ops[expected].Column : column + operands.Length,
                $"{op.Mnemonic} needs {expected} operand{(expected == 1 ? "" : "s")}, found {ops.Count}");
        if (ops.Any(o => o.Text.Length == 0))
            throw new AsmException(ops.First(o => o.Text.Length == 0).Column, "missing operand");
        ulong insn = op.IsTwoByte ? (ulong)op.Code << 48 : (ulong)op.Code << 56;
        int i = 0;
        (string Text, int Column) Next() => ops[i++];
        int Reg((string Text, int Column) o) => Expressions.Register(Expressions.EvaluateAll(o.Text, o.Column, ctx), o.Column);
        int Field(int bits) { var o = Next(); return Immediate(o.Text, o.Column, ctx, bits); }

        switch (op.Format)
        {
            case Format.RR:
                insn |= (ulong)Reg(Next()) << 52 | (ulong)Reg(Next()) << 48;
                break;
            case Format.RR_R1:
                insn |= (ulong)Reg(Next()) << 52;
                break;
            case Format.RR_I:
                insn |= (ulong)Field(8) << 48;
                break;
            case Format.RR_M:
                insn |= (ulong)(mask ?? Field(4)) << 52 | (ulong)Reg(Next()) << 48;
                break;
            case Format.RX:
            case Format.RX_M:
            {
                int r1 = op.Format == Format.RX_M ? mask ?? Field(4) : Reg(Next());
                var (d, x, b, _) = Address(Next(), AddressKind.Index, ctx, addresses);
                insn |= (ulong)r1 << 52 | (ulong)x << 48 | (ulong)b << 44 | (ulong)d << 32;
                break;
            }
            case Format.RS:
            case Format.RS_M:
            {
                int r1 = Reg(Next());
                int r3 = op.Format == Format.RS_M ? Field(4) : Reg(Next());
                var (d, _, b, _) = Address(Next(), AddressKind.BaseOnly, ctx, addresses);
                insn |= (ulong)r1 << 52 | (ulong)r3 << 48 | (ulong)b << 44 | (ulong)d << 32;
                break;
            }
            case Format.RS_R1:
            {
                int r1 = Reg(Next());
                var (d, _, b, _) = Address(Next(), AddressKind.BaseOnly, ctx, addresses);
                insn |= (ulong)r1 << 52 | (ulong)b << 44 | (ulong)d << 32;
                break;
            }
            case Format.SI:
            {
                var (d, _, b, _) = Address(Next(), AddressKind.BaseOnly, ctx, addresses);
                int i2 = Field(8);
                insn |= (ulong)i2 << 48 | (ulong)b << 44 | (ulong)d << 32;
                break;
            }
            case Format.SI_D:
            case Format.S:
            {
                var (d, _, b, _) = Address(Next(), AddressKind.BaseOnly, ctx, addresses);
                insn |= (ulong)b << 44 | (ulong)d << 32;
                break;
            }
            case Format.SS_L:
            {
                var (d1, _, b1, l1) = Address(Next(), AddressKind.Length256, ctx, addresses);
                var (d2, _, b2, _) = Address(Next(), AddressKind.BaseOnly, ctx, addresses);
                insn |= (ulong)l1 << 48 | (ulong)b1 << 44 | (ulong)d1 << 32 | (ulong)b2 << 28 | (ulong)d2 << 16;
                break;
            }
            case Format.SS_LL:
            {
                var (d1, _, b1, l1) = Address(Next(), AddressKind.Length16, ctx, addresses);
                var (d2, _, b2, l2) = Address(Next(), AddressKind.Length16, ctx, addresses);
                insn |= (ulong)(l1 << 4 | l2) << 48 | (ulong)b1 << 44 | (ulong)d1 << 32 | (ulong)b2 << 28 | (ulong)d2 << 16;
                break;
            }
            case Format.SS_LI:
            {
                var (d1, _, b1, l1) = Address(Next(), AddressKind.Length16, ctx, addresses);
                var (d2, _, b2, _) = Address(Next(), AddressKind.BaseOnly, ctx, addresses);
                int i3 = Field(4);
                insn |= (ulong)(l1 << 4 | i3) << 48 | (ulong)b1 << 44 | (ulong)d1 << 32 | (ulong)b2 << 28 | (ulong)d2 << 16;
                break;
            }
        }
        var bytes = new byte[op.Length];
        for (int k = 0; k < bytes.Length; k++) bytes[k] = (byte)(insn >> (56 - 8 * k));
        return bytes;
    }

    public static int OperandCount(Format f) => f switch
    {
        Format.RR_R1 or Format.RR_I or Format.SI_D or Format.S => 1,
        Format.RS or Format.RS_M or Format.SS_LI => 3,
        _ => 2,
    };

    /// <summary>An absolute value that must fit in an unsigned field of <paramref name="bits"/> bits.</summary>
    static int Immediate(string text, int column, IExpressionContext ctx, int bits)
    {
        var v = Expressions.EvaluateAll(text, column, ctx);
        if (!v.IsAbsolute) throw new AsmException(column, "immediate operand must be absolute");
        long max = (1L << bits) - 1;
        // A negative self-defining value fills the field with its two's complement (e.g. MVI X,-1).
        if (v.V < -(1L << (bits - 1)) || v.V > max) throw new AsmException(column, $"value {v.V} does not fit in {bits} bits");
        return (int)(v.V & max);
    }

    enum AddressKind { Index, BaseOnly, Length256, Length16 }

    /// <summary>
    /// A storage operand: D(X,B), D(,B), S(X), S for RX; D(B), S for RS/SI/S; D(L,B), S(L), S for SS.
    /// Returns the displacement, index, base and the encoded length (length - 1).
    /// </summary>
    static (int D, int X, int B, int L) Address((string Text, int Column) operand, AddressKind kind, IExpressionContext ctx, IAddressResolver addresses)
    {
        var (text, col) = operand;
        int pos = 0;
        var v = Expressions.Evaluate(text, ref pos, col, ctx);
        string? first = null, second = null;
        int firstCol = 0, secondCol = 0;
        bool parens = false;
        if (pos < text.Length)
        {
            if (text[pos] != '(' || text[^1] != ')') throw new AsmException(col + pos, $"bad operand: unexpected '{text[pos]}'");
            parens = true;
            var inner = Lexer.SplitOperands(text[(pos + 1)..^1], col + pos + 1);
            if (inner.Count > 2) throw new AsmException(inner[2].Column, "too many fields in parentheses");
            first = inner[0].Text; firstCol = inner[0].Column;
            if (inner.Count == 2) { second = inner[1].Text; secondCol = inner[1].Column; }
        }
        int x = 0, b, d, length = 0;
        bool explicitBase;
        switch (kind)
        {
            case AddressKind.Index:
                if (parens && first!.Length > 0) x = Expressions.Register(Expressions.EvaluateAll(first, firstCol, ctx), firstCol);
                explicitBase = second != null;
                if (explicitBase && second!.Length == 0) throw new AsmException(secondCol, "missing base register");
                break;
            case AddressKind.BaseOnly:
                if (second != null) throw new AsmException(secondCol, "this operand takes no index or length");
                explicitBase = parens;
                if (parens) { second = first; secondCol = firstCol; }
                break;
            default:
            {
                int max = kind == AddressKind.Length256 ? 256 : 16;
                if (parens && first!.Length > 0)
                {
                    var lv = Expressions.EvaluateAll(first, firstCol, ctx);
                    if (!lv.IsAbsolute || lv.V < 0 || lv.V > max) throw new AsmException(firstCol, $"length {lv.V} out of range (0 to {max})");
                    length = lv.V == 0 ? 0 : (int)lv.V - 1;
                }
                else if (parens) throw new AsmException(firstCol, "missing length");
                else
                {
                    int implicitLength = Math.Clamp(v.Length, 1, max);
                    length = implicitLength - 1;
                }
                explicitBase = second != null;
                if (explicitBase && second!.Length == 0) throw new AsmException(secondCol, "missing base register");
                break;
            }
        }
        if (explicitBase)
        {
            b = Expressions.Register(Expressions.EvaluateAll(second!, secondCol, ctx), secondCol);
            if (!v.IsAbsolute) throw new AsmException(col, "displacement must be absolute when a base register is given");
            if (v.V < 0 || v.V > 4095) throw new AsmException(col, $"displacement {v.V} out of range (0 to 4095)");
            d = (int)v.V;
        }
        else
        {
            if (v.Complex) throw new AsmException(col, "complex relocatable expression as an address");
            (b, d) = addresses.Resolve(v, col);
        }
        return (d, x, b, length);
    }
}
