using Jit360.Architecture;

namespace Jit360.Assembler;

/// <summary>
/// The value of an expression: a number and its relocatability. <see cref="RelId"/> is 0 for
/// an absolute value, otherwise the section or external symbol it is relative to, counted
/// <see cref="RelCount"/> times (X-Y in one section cancels to absolute; X+Y is complex).
/// <see cref="Length"/> is the length attribute of the leftmost term (the implicit length of
/// an SS operand).
/// </summary>
public readonly record struct Value(long V, int RelId = 0, int RelCount = 0, bool Complex = false, bool Undefined = false, int Length = 1)
{
    public bool IsAbsolute => RelId == 0 && !Complex;
    public bool IsSimplyRelocatable => RelId != 0 && RelCount == 1 && !Complex;

    public static Value Absolute(long v, int length = 1) => new(v, Length: length);

    public static Value Add(Value a, Value b, int sign)
    {
        long v = sign > 0 ? a.V + b.V : a.V - b.V;
        bool undefined = a.Undefined || b.Undefined;
        bool complex = a.Complex || b.Complex;
        int id = a.RelId, count = a.RelCount;
        int bCount = sign > 0 ? b.RelCount : -b.RelCount;
        if (b.RelId != 0)
        {
            if (id == 0) { id = b.RelId; count = bCount; }
            else if (id == b.RelId) count += bCount;
            else complex = true;
        }
        if (count == 0) id = 0;
        return new Value(v, id, count, complex, undefined, a.Length);
    }
}

/// <summary>What an expression needs from the assembly: symbols, the location counter, literals.</summary>
public interface IExpressionContext
{
    /// <summary>The value of an ordinary symbol, or null when it is not (yet) defined.</summary>
    Value? Symbol(string name, int column);
    /// <summary>The length attribute of a symbol, or null when undefined.</summary>
    int? LengthOf(string name, int column);
    /// <summary>The location counter (*), with the length of the current statement as its length attribute.</summary>
    Value Location { get; }
    /// <summary>The address of a literal (its text after '='), entering it in the pool.</summary>
    Value Literal(string text, int column);
    /// <summary>True in the final pass, when an undefined symbol is an error.</summary>
    bool Final { get; }
}

/// <summary>
/// Assembler-language expressions: + - * / and parentheses over terms: symbols, *, literals,
/// self-defining terms (decimal, X'..', C'..', B'..') and the length attribute L'.
/// Multiplication and division need absolute operands; division truncates and /0 gives 0
/// (the assembler language's rule).
/// </summary>
public static class Expressions
{
    /// <summary>Evaluates the whole of <paramref name="text"/> as one expression.</summary>
    public static Value EvaluateAll(string text, int column, IExpressionContext ctx)
    {
        int pos = 0;
        var v = Evaluate(text, ref pos, column, ctx);
        if (pos != text.Length) throw new AsmException(column + pos, $"unexpected '{text[pos]}' in expression");
        return v;
    }

    /// <summary>Evaluates an expression starting at <paramref name="pos"/>, stopping before the first character that cannot continue it.</summary>
    public static Value Evaluate(string text, ref int pos, int column, IExpressionContext ctx)
        => new Parser(text, column, ctx) { Pos = pos }.Run(ref pos);

    sealed class Parser(string s, int column, IExpressionContext ctx)
    {
        public int Pos;
        int depth;

        public Value Run(ref int pos)
        {
            var v = Sum();
            pos = Pos;
            return v;
        }

        char Peek => Pos < s.Length ? s[Pos] : '\0';
        AsmException Error(string message) => new(column + Pos, message);

        Value Sum()
        {
            var v = Product();
            while (Peek is '+' or '-')
            {
                int sign = s[Pos++] == '+' ? 1 : -1;
                v = Value.Add(v, Product(), sign);
            }
            return v;
        }

        Value Product()
        {
            var v = Unary();
            while (Peek is '*' or '/')
            {
                char op = s[Pos++];
                int at = Pos;
                var r = Unary();
                if (!v.IsAbsolute || !r.IsAbsolute)
                    throw new AsmException(column + at - 1, "relocatable term in multiplication or division");
                long value = op == '*' ? v.V * r.V : r.V == 0 ? 0 : v.V / r.V;
                v = new Value(Clamp(value), Undefined: v.Undefined || r.Undefined, Length: v.Length);
            }
            return v;
        }

        static long Clamp(long v) => (long)(int)v;   // arithmetic is on 32-bit values

        Value Unary()
        {
            if (Peek == '+') { Pos++; return Unary(); }
            if (Peek == '-')
            {
                Pos++;
                var v = Unary();
                return new Value(-v.V, v.RelId, -v.RelCount, v.Complex, v.Undefined, v.Length);
            }
            return Primary();
        }

        Value Primary()
        {
            if (Pos >= s.Length) throw Error("missing term in expression");
            char c = s[Pos];
            if (c == '(')
            {
                if (++depth > 100) throw Error("expression nested too deeply");
                Pos++;
                var v = Sum();
                if (Peek != ')') throw Error("missing ')' in expression");
                Pos++;
                depth--;
                return v;
            }
            if (c == '*') { Pos++; return ctx.Location; }
            if (char.IsAsciiDigit(c))
            {
                int start = Pos;
                while (char.IsAsciiDigit(Peek)) Pos++;
                if (!long.TryParse(s[start..Pos], out long n) || n > int.MaxValue)
                    throw new AsmException(column + start, "self-defining term too large");
                return Value.Absolute(n);
            }
            if (c == '=')
            {
                int start = Pos;
                int end = DataConstants.ScanOperand(s, Pos + 1);
                if (end <= Pos + 1) throw Error("bad literal");
                Pos = end;
                return ctx.Literal(s[(start + 1)..end], column + start);
            }
            if (Pos + 1 < s.Length && s[Pos + 1] == '\'')
            {
                char t = char.ToUpperInvariant(c);
                if (t == 'L' && Lexer.IsAttributeQuote(s, Pos + 1)) return LengthAttribute();
                if (t is 'X' or 'C' or 'B') return SelfDefining(t);
            }
            if (Lexer.IsSymbolStart(c))
            {
                int start = Pos;
                while (Lexer.IsSymbolChar(Peek)) Pos++;
                string name = s[start..Pos].ToUpperInvariant();
                if (name.Length > 63) throw new AsmException(column + start, "symbol longer than 63 characters");
                var v = ctx.Symbol(name, column + start);
                if (v is { } found) return found;
                if (ctx.Final) throw new AsmException(column + start, $"undefined symbol {name}");
                return new Value(0, Undefined: true);
            }
            throw Error($"unexpected '{c}' in expression");
        }

        Value LengthAttribute()
        {
            Pos += 2;
            if (Peek == '*') { Pos++; return Value.Absolute(ctx.Location.Length); }
            if (Peek == '=')
            {
                int start = Pos;
                int end = DataConstants.ScanOperand(s, Pos + 1);
                Pos = end;
                return Value.Absolute(ctx.Literal(s[(start + 1)..end], column + start).Length);
            }
            int st = Pos;
            while (Lexer.IsSymbolChar(Peek)) Pos++;
            string name = s[st..Pos].ToUpperInvariant();
            if (name.Length == 0) throw Error("symbol expected after L'");
            var len = ctx.LengthOf(name, column + st);
            if (len is { } l) return Value.Absolute(l);
            if (ctx.Final) throw new AsmException(column + st, $"undefined symbol {name}");
            return new Value(1, Undefined: true);
        }

        Value SelfDefining(char type)
        {
            int start = Pos;
            Pos += 2;
            var body = new System.Text.StringBuilder();
            while (true)
            {
                if (Pos >= s.Length) throw new AsmException(column + start, "missing closing quote");
                char ch = s[Pos++];
                if (ch == '\'')
                {
                    if (Peek == '\'') { body.Append('\''); Pos++; continue; }
                    break;
                }
                if (ch == '&' && Peek == '&' && type == 'C') { Pos++; }
                body.Append(ch);
            }
            string text = body.ToString();
            long v = 0;
            switch (type)
            {
                case 'X':
                    if (text.Length == 0 || text.Length > 8 || !text.All(char.IsAsciiHexDigit))
                        throw new AsmException(column + start, $"bad hexadecimal term X'{text}'");
                    v = Clamp(Convert.ToInt64(text, 16));
                    break;
                case 'B':
                    if (text.Length == 0 || text.Length > 32 || text.Any(ch => ch is not ('0' or '1')))
                        throw new AsmException(column + start, $"bad binary term B'{text}'");
                    v = Clamp(Convert.ToInt64(text, 2));
                    break;
                default:
                    if (text.Length == 0 || text.Length > 4)
                        throw new AsmException(column + start, "character term must have 1 to 4 characters");
                    foreach (char ch in text) v = (v << 8) | Ebcdic.FromChar(ch);
                    v = Clamp(v);
                    break;
            }
            return Value.Absolute(v);
        }
    }

    /// <summary>Converts a value to a register number, with the error an assembler user expects.</summary>
    public static int Register(Value v, int column, int max = 15)
    {
        if (!v.IsAbsolute) throw new AsmException(column, "register must be an absolute expression");
        if (v.V < 0 || v.V > max) throw new AsmException(column, $"bad register {v.V} (must be 0 to {max})");
        return (int)v.V;
    }

}
