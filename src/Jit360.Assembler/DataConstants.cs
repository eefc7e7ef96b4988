using System.Numerics;
using System.Text;
using Jit360.Architecture;

namespace Jit360.Assembler;

/// <summary>One item of relocation: an address constant whose value depends on where a section is loaded.</summary>
public readonly record struct Relocation(uint Address, int Length, int TargetId, bool Negative, bool IsV);

/// <summary>
/// A DC/DS operand: [duplication] type [Ln] [nominal value], e.g. 3CL4'ABC', 0F, A(X,Y+2), PL3'-12'.
/// Alignment (F, A, V, E: word; H, Y: halfword; D, L: doubleword) applies only when no explicit
/// length is given (the assembler language's rule).
/// </summary>
public sealed class DataOperand
{
    public long Duplication = 1;
    public char Type;
    public int? ExplicitLength;
    public List<(string Text, int Column)> Values = [];
    public bool HasNominal;
    public int Column;

    public int Alignment => ExplicitLength != null ? 1 : Type switch
    {
        'F' or 'A' or 'V' or 'E' => 4,
        'H' or 'Y' => 2,
        'D' or 'L' => 8,
        _ => 1,
    };

    /// <summary>Length of one value (the explicit length, or the value's implicit length).</summary>
    public int LengthOf(string value) => ExplicitLength ?? ImplicitLength(value);

    int ImplicitLength(string value) => Type switch
    {
        'C' => Math.Max(1, DataConstants.CharacterBytes(value).Length),
        'X' => Math.Max(1, (value.Count(c => c != ' ') + 1) / 2),
        'B' => Math.Max(1, (value.Count(c => c != ' ') + 7) / 8),
        'P' => Math.Max(1, (DigitCount(value) + 2) / 2),
        'Z' => Math.Max(1, DigitCount(value)),
        'F' or 'A' or 'V' or 'E' => 4,
        'H' or 'Y' => 2,
        'D' => 8,
        'L' => 16,
        _ => 1,
    };

    static int DigitCount(string v) => v.Count(char.IsAsciiDigit);

    /// <summary>The length attribute a label on this operand gets.</summary>
    public int LengthAttribute => Values.Count > 0 ? LengthOf(Values[0].Text) : ExplicitLength ?? ImplicitLength("");

    /// <summary>Total bytes, alignment excluded.</summary>
    public long TotalLength
    {
        get
        {
            long one = Values.Count == 0 ? LengthAttribute : Values.Sum(v => (long)LengthOf(v.Text));
            return Duplication * one;
        }
    }
}

/// <summary>Parsing and generation of DC and DS operands (and of literals, which are DC operands).</summary>
public static class DataConstants
{
    const string Types = "CXBFHAYVPZEDL";

    /// <summary>The end of a DC-style operand beginning at <paramref name="pos"/> (used to find the extent of a literal).</summary>
    public static int ScanOperand(string s, int pos)
    {
        int i = pos;
        if (i < s.Length && s[i] == '(') i = SkipParens(s, i);
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (i < s.Length && char.IsAsciiLetter(s[i])) i++;
        // Modifiers: L followed by digits or a parenthesised expression.
        while (i < s.Length && char.ToUpperInvariant(s[i]) == 'L')
        {
            i++;
            if (i < s.Length && s[i] == '(') i = SkipParens(s, i);
            else while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        }
        if (i < s.Length && s[i] == '\'')
        {
            i++;
            while (i < s.Length)
            {
                if (s[i] == '\'') { if (i + 1 < s.Length && s[i + 1] == '\'') { i += 2; continue; } i++; break; }
                i++;
            }
        }
        else if (i < s.Length && s[i] == '(') i = SkipParens(s, i);
        return i;
    }

    static int SkipParens(string s, int i)
    {
        int depth = 0;
        bool quoted = false;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (quoted) { if (c == '\'') quoted = false; continue; }
            if (c == '\'') { if (!Lexer.IsAttributeQuote(s, i)) quoted = true; }
            else if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return i + 1;
        }
        return s.Length;
    }

    /// <summary>Parses one DC/DS operand. Expressions in the duplication factor and length must be absolute and defined.</summary>
    public static DataOperand Parse(string text, int column, IExpressionContext ctx, bool requireNominal)
    {
        var op = new DataOperand { Column = column };
        int i = 0;
        if (text.Length == 0) throw new AsmException(column, "missing operand");
        if (text[0] == '(')
        {
            int end = SkipParens(text, 0);
            var v = Expressions.EvaluateAll(text[1..(end - 1)], column + 1, ctx);
            if (!v.IsAbsolute) throw new AsmException(column, "duplication factor must be absolute");
            op.Duplication = v.V;
            i = end;
        }
        else if (char.IsAsciiDigit(text[0]))
        {
            int start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            if (!long.TryParse(text[start..i], out op.Duplication) || op.Duplication > 1 << 24)
                throw new AsmException(column, "duplication factor too large");
        }
        if (op.Duplication < 0 || op.Duplication > 1 << 24) throw new AsmException(column, "bad duplication factor");
        if (i >= text.Length || Types.IndexOf(char.ToUpperInvariant(text[i])) < 0)
            throw new AsmException(column + i, i < text.Length ? $"unknown constant type '{text[i]}'" : "constant type missing");
        op.Type = char.ToUpperInvariant(text[i++]);
        if (i < text.Length && char.ToUpperInvariant(text[i]) == 'L')
        {
            int at = i++;
            long len;
            if (i < text.Length && text[i] == '(')
            {
                int end = SkipParens(text, i);
                var v = Expressions.EvaluateAll(text[(i + 1)..(end - 1)], column + i + 1, ctx);
                if (!v.IsAbsolute) throw new AsmException(column + at, "length modifier must be absolute");
                len = v.V;
                i = end;
            }
            else
            {
                int start = i;
                while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                if (start == i || !long.TryParse(text[start..i], out len)) throw new AsmException(column + at, "bad length modifier");
            }
            if (len < 1 || len > MaxLength(op.Type)) throw new AsmException(column + at, $"length {len} not allowed for type {op.Type} (1 to {MaxLength(op.Type)})");
            op.ExplicitLength = (int)len;
        }
        if (i < text.Length)
        {
            op.HasNominal = true;
            if (text[i] == '\'')
            {
                if (op.Type is 'A' or 'Y' or 'V') throw new AsmException(column + i, $"type {op.Type} takes a value in parentheses");
                int end = ScanOperand(text, i);
                if (end > text.Length || text[end - 1] != '\'' || end - i < 2) throw new AsmException(column + i, "missing closing quote");
                string body = text[(i + 1)..(end - 1)];
                if (op.Type == 'C') op.Values.Add((body, column + i + 1));
                else
                {
                    int off = 0;
                    foreach (var part in body.Split(','))
                    {
                        op.Values.Add((part, column + i + 1 + off));
                        off += part.Length + 1;
                    }
                }
                i = end;
            }
            else if (text[i] == '(')
            {
                if (op.Type is not ('A' or 'Y' or 'V')) throw new AsmException(column + i, $"type {op.Type} takes a value in quotes");
                int end = SkipParens(text, i);
                if (text[end - 1] != ')') throw new AsmException(column + i, "missing ')'");
                op.Values.AddRange(Lexer.SplitOperands(text[(i + 1)..(end - 1)], column + i + 1));
                i = end;
            }
            else throw new AsmException(column + i, $"bad constant: unexpected '{text[i]}'");
            if (i != text.Length) throw new AsmException(column + i, $"unexpected '{text[i]}' after constant");
            if (op.Values.Any(v => v.Text.Length == 0 && op.Type != 'C')) throw new AsmException(column, "empty value in constant");
        }
        else if (requireNominal) throw new AsmException(column + i, "DC operand needs a value");
        return op;
    }

    static int MaxLength(char type) => type switch
    {
        'C' or 'X' or 'B' => 256,
        'F' or 'H' or 'E' or 'D' => 8,
        'A' => 4,
        'Y' => 2,
        'V' => 4,
        'P' or 'Z' or 'L' => 16,
        _ => 256,
    };

    /// <summary>The EBCDIC bytes of a C-type nominal value: '' is one quote, &amp;&amp; one ampersand.</summary>
    public static byte[] CharacterBytes(string body)
        => Ebcdic.FromString(body.Replace("''", "'").Replace("&&", "&"));

    /// <summary>
    /// Generates the bytes of an operand at <paramref name="address"/> (alignment already applied),
    /// adding relocation items for relocatable address constants.
    /// </summary>
    public static void Generate(DataOperand op, long address, IExpressionContext ctx, List<byte> output, List<Relocation> relocations, Func<string, int, (long Value, int RelId, bool External)> externalId)
    {
        if (op.Duplication == 0) return;
        var one = new List<byte>();
        var rel = new List<Relocation>();
        foreach (var (text, col) in op.Values)
        {
            int len = op.LengthOf(text);
            int at = one.Count;
            one.AddRange(Value(op.Type, text, col, len, ctx, out var r, externalId));
            if (r is { } reloc) rel.Add(reloc with { Address = (uint)at });
        }
        if ((long)one.Count * op.Duplication > 0x1000000) throw new AsmException(op.Column, "constant longer than 16M bytes");
        // Replicate the one copy by doubling (a large duplication factor stays fast).
        var all = new byte[one.Count * op.Duplication];
        one.CopyTo(all);
        for (long filled = one.Count; filled < all.Length; filled *= 2)
            Array.Copy(all, 0, all, filled, Math.Min(filled, all.Length - filled));
        long start = address + output.Count;
        if (rel.Count > 0)
            for (long d = 0; d < op.Duplication; d++)
                foreach (var r in rel) relocations.Add(r with { Address = (uint)(start + d * one.Count + r.Address) });
        output.AddRange(all);
    }

    static byte[] Value(char type, string text, int col, int len, IExpressionContext ctx, out Relocation? reloc, Func<string, int, (long Value, int RelId, bool External)> externalId)
    {
        reloc = null;
        switch (type)
        {
            case 'C':
            {
                var b = CharacterBytes(text);
                var r = Enumerable.Repeat(Ebcdic.Blank, len).ToArray();
                Array.Copy(b, r, Math.Min(len, b.Length));
                return r;
            }
            case 'X':
            {
                string digits = text.Replace(" ", "");
                if (digits.Length == 0 || !digits.All(char.IsAsciiHexDigit)) throw new AsmException(col, $"bad hexadecimal constant '{text}'");
                if (digits.Length % 2 == 1) digits = "0" + digits;
                return PadLeft(System.Convert.FromHexString(digits), len, 0);
            }
            case 'B':
            {
                string bits = text.Replace(" ", "");
                if (bits.Length == 0 || bits.Any(c => c is not ('0' or '1'))) throw new AsmException(col, $"bad binary constant '{text}'");
                bits = bits.PadLeft((bits.Length + 7) / 8 * 8, '0');
                var b = new byte[bits.Length / 8];
                for (int i = 0; i < b.Length; i++) b[i] = System.Convert.ToByte(bits.Substring(i * 8, 8), 2);
                return PadLeft(b, len, 0);
            }
            case 'F':
            case 'H':
            {
                if (!HexFloat.TryParseDecimal(text, out bool neg, out BigInteger num, out BigInteger den))
                    throw new AsmException(col, $"bad fixed-point value '{text}'");
                BigInteger v = num / den;
                if (neg) v = -v;
                BigInteger limit = BigInteger.One << (8 * len - 1);
                if (v >= limit || v < -limit) throw new AsmException(col, $"value {text} does not fit in {len} bytes");
                return TwosComplement(v, len);
            }
            case 'A':
            case 'Y':
            {
                var v = Expressions.EvaluateAll(text.Trim(), col, ctx);
                if (v.Complex) throw new AsmException(col, "complex relocatable expression in address constant");
                if (v.RelId > 0 && v.RelCount != 0)
                {
                    if (len < 2) throw new AsmException(col, "relocatable address constant needs a length of 2 to 4");
                    reloc = new Relocation(0, len, v.RelId, v.RelCount < 0, false);
                }
                return TwosComplement(new BigInteger(v.V), len);
            }
            case 'V':
            {
                string name = text.Trim().ToUpperInvariant();
                if (name.Length == 0 || !Lexer.IsSymbolStart(name[0]) || !name.All(Lexer.IsSymbolChar))
                    throw new AsmException(col, $"V-type constant needs an external symbol, not '{text}'");
                // A V-constant names an external symbol; one defined in this assembly is filled in directly.
                var (value, id, external) = externalId(name, col);
                if (len < 3) throw new AsmException(col, "V-type constant needs a length of 3 or 4");
                reloc = id > 0 ? new Relocation(0, len, id, false, external) : null;
                return TwosComplement(new BigInteger(value), len);
            }
            case 'P':
            case 'Z':
                return Decimal(type, text, col, len);
            case 'E':
            case 'D':
            case 'L':
            {
                int natural = type == 'E' ? 4 : type == 'D' ? 8 : 16;
                var b = HexFloat.Convert(text, Math.Max(natural, len > 8 ? 16 : natural), out string? error);
                if (error != null) throw new AsmException(col, error);
                var r = new byte[len];
                Array.Copy(b, r, Math.Min(len, b.Length));
                return r;
            }
            default:
                throw new AsmException(col, $"unknown constant type '{type}'");
        }
    }

    /// <summary>Packed (PoO "Decimal Data": digits then a sign C/D) or zoned (F-zoned digits, sign in the last zone).</summary>
    static byte[] Decimal(char type, string text, int col, int len)
    {
        string t = text.Trim();
        bool negative = false;
        if (t.StartsWith('+') || t.StartsWith('-')) { negative = t[0] == '-'; t = t[1..]; }
        if (t.Length == 0 || t.Any(c => !char.IsAsciiDigit(c) && c != '.') || t.Count(c => c == '.') > 1)
            throw new AsmException(col, $"bad decimal value '{text}'");
        string digits = t.Replace(".", "");
        var r = new byte[len];
        if (type == 'P')
        {
            // Nibbles right to left: sign, then digits; truncated on the left if too long.
            var nibbles = new List<int> { negative ? 0xD : 0xC };
            for (int i = digits.Length - 1; i >= 0; i--) nibbles.Add(digits[i] - '0');
            for (int b = 0; b < len; b++)
            {
                int lo = 2 * b < nibbles.Count ? nibbles[2 * b] : 0;
                int hi = 2 * b + 1 < nibbles.Count ? nibbles[2 * b + 1] : 0;
                r[len - 1 - b] = (byte)((hi << 4) | lo);
            }
        }
        else
        {
            for (int b = 0; b < len; b++)
            {
                int idx = digits.Length - 1 - b;
                int d = idx >= 0 ? digits[idx] - '0' : 0;
                r[len - 1 - b] = (byte)(0xF0 | d);
            }
            r[len - 1] = (byte)(((negative ? 0xD : 0xC) << 4) | (r[len - 1] & 0xF));
        }
        return r;
    }

    static byte[] PadLeft(byte[] b, int len, byte fill)
    {
        var r = Enumerable.Repeat(fill, len).ToArray();
        int n = Math.Min(len, b.Length);
        Array.Copy(b, b.Length - n, r, len - n, n);
        return r;
    }

    static byte[] TwosComplement(BigInteger v, int len)
    {
        var r = new byte[len];
        BigInteger mod = BigInteger.One << (8 * len);
        v %= mod;
        if (v < 0) v += mod;
        for (int i = len - 1; i >= 0; i--) { r[i] = (byte)(v & 0xFF); v >>= 8; }
        return r;
    }
}
