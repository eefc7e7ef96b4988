using System.Text;
using Jit360.Architecture;

namespace Jit360.Assembler;

/// <summary>What a conditional-assembly expression needs: the values of variable symbols.</summary>
interface IVariableScope
{
    /// <summary>The value of &amp;NAME or &amp;NAME(subscript): a long (SETA), bool (SETB) or string (SETC, parameters).</summary>
    object Get(string name, int? subscript, int column);
    /// <summary>The number of sublist items of a parameter (N').</summary>
    int Count(string name, int column);
}

/// <summary>
/// Conditional-assembly expressions (SETA, SETB, SETC, AIF): arithmetic with + - * /,
/// character strings 'ABC' with substrings 'ABC'(2,1) and concatenation with '.', the
/// relations EQ NE LT LE GT GE, the logical operators AND OR NOT, and the attributes K' (count
/// of characters), N' (number of sublist items) and T' (type: O omitted, N number, U other).
/// Values are long, bool or string.
/// </summary>
sealed class ConditionalExpression(string s, int column, IVariableScope scope)
{
    int pos;
    int depth;

    public static object Evaluate(string text, int column, IVariableScope scope)
    {
        var p = new ConditionalExpression(text, column, scope);
        var v = p.Or();
        p.SkipBlanks();
        if (p.pos != text.Length) throw new AsmException(column + p.pos, $"unexpected '{text[p.pos]}' in expression");
        return v;
    }

    /// <summary>Evaluates the parenthesised condition at the start of an AIF operand; returns the index after its ')'.</summary>
    public static (bool Value, int End) Condition(string text, int column, IVariableScope scope)
    {
        var p = new ConditionalExpression(text, column, scope);
        if (text.Length == 0 || text[0] != '(') throw new AsmException(column, "AIF needs a condition in parentheses");
        var v = p.Primary();
        return (ToBool(v, column), p.pos);
    }

    AsmException Error(string m) => new(column + pos, m);
    char Peek { get { return pos < s.Length ? s[pos] : '\0'; } }
    void SkipBlanks() { while (pos < s.Length && s[pos] == ' ') pos++; }

    bool Keyword(string k)
    {
        SkipBlanks();
        if (pos + k.Length > s.Length || string.Compare(s, pos, k, 0, k.Length, StringComparison.OrdinalIgnoreCase) != 0) return false;
        int end = pos + k.Length;
        if (end < s.Length && Lexer.IsSymbolChar(s[end])) return false;
        // A keyword must be preceded by a blank or a parenthesis (so &NOTE is not NOT E).
        if (pos > 0 && s[pos - 1] != ' ' && s[pos - 1] != '(' && s[pos - 1] != ')' && s[pos - 1] != '\'') return false;
        pos = end;
        return true;
    }

    object Or()
    {
        var v = And();
        while (Keyword("OR")) { var r = And(); v = ToBool(v, column + pos) | ToBool(r, column + pos); }
        return v;
    }

    object And()
    {
        var v = Not();
        while (Keyword("AND")) { var r = Not(); v = ToBool(v, column + pos) & ToBool(r, column + pos); }
        return v;
    }

    object Not()
    {
        if (Keyword("NOT")) return !ToBool(Not(), column + pos);
        return Relation();
    }

    static readonly string[] relations = ["EQ", "NE", "LE", "LT", "GE", "GT"];

    object Relation()
    {
        var left = Sum();
        foreach (var r in relations)
        {
            if (!Keyword(r)) continue;
            var right = Sum();
            int c;
            if (left is string ls && right is string rs)
                // Character comparison: a shorter string is lower (the assembler's rule), then EBCDIC order.
                c = ls.Length != rs.Length ? ls.Length.CompareTo(rs.Length) : CompareEbcdic(ls, rs);
            else c = ToLong(left, column + pos).CompareTo(ToLong(right, column + pos));
            return r switch { "EQ" => c == 0, "NE" => c != 0, "LE" => c <= 0, "LT" => c < 0, "GE" => c >= 0, _ => c > 0 };
        }
        return left;
    }

    static int CompareEbcdic(string a, string b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            int c = Ebcdic.FromChar(a[i]).CompareTo(Ebcdic.FromChar(b[i]));
            if (c != 0) return c;
        }
        return 0;
    }

    object Sum()
    {
        var v = Product();
        while (true)
        {
            SkipBlanks();
            if (Peek is not ('+' or '-')) return v;
            char op = s[pos++];
            long r = ToLong(Product(), column + pos);
            long l = ToLong(v, column + pos);
            v = (long)(int)(op == '+' ? l + r : l - r);
        }
    }

    object Product()
    {
        var v = Unary();
        while (true)
        {
            SkipBlanks();
            if (Peek is not ('*' or '/')) return v;
            char op = s[pos++];
            long r = ToLong(Unary(), column + pos);
            long l = ToLong(v, column + pos);
            v = (long)(int)(op == '*' ? l * r : r == 0 ? 0 : l / r);
        }
    }

    object Unary()
    {
        SkipBlanks();
        if (Peek == '-') { pos++; return -ToLong(Unary(), column + pos); }
        if (Peek == '+') { pos++; return ToLong(Unary(), column + pos); }
        return Primary();
    }

    object Primary()
    {
        SkipBlanks();
        if (pos >= s.Length) throw Error("missing term in expression");
        char c = s[pos];
        if (c == '(')
        {
            if (++depth > 100) throw Error("expression nested too deeply");
            pos++;
            var v = Or();
            SkipBlanks();
            if (Peek != ')') throw Error("missing ')'");
            pos++;
            depth--;
            return v;
        }
        if (char.IsAsciiDigit(c))
        {
            int start = pos;
            while (char.IsAsciiDigit(Peek)) pos++;
            if (!long.TryParse(s[start..pos], out long n) || n > int.MaxValue) throw new AsmException(column + start, "number too large");
            return n;
        }
        if (c == '\'') return StringTerm();
        if (pos + 1 < s.Length && s[pos + 1] == '\'')
        {
            char a = char.ToUpperInvariant(c);
            if (a is 'K' or 'N' or 'T' && pos + 2 < s.Length && s[pos + 2] == '&')
            {
                pos += 3;
                var (name, sub) = VariableName();
                if (a == 'N') return (long)scope.Count(name, column + pos);
                string text = Text(scope.Get(name, sub, column + pos));
                if (a == 'K') return (long)text.Length;
                return text.Length == 0 ? "O" : text.All(char.IsAsciiDigit) ? "N" : "U";
            }
            if (a is 'X' or 'B' or 'C')
            {
                // A self-defining term.
                int start = pos;
                pos += 2;
                int end = s.IndexOf('\'', pos);
                if (end < 0) throw Error("missing closing quote");
                string body = s[pos..end];
                pos = end + 1;
                try
                {
                    return a == 'X' ? Convert.ToInt64(body, 16) : a == 'B' ? Convert.ToInt64(body, 2) : body.Aggregate(0L, (acc, ch) => (acc << 8) | Ebcdic.FromChar(ch));
                }
                catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
                {
                    throw new AsmException(column + start, $"bad self-defining term {a}'{body}'");
                }
            }
        }
        if (c == '&')
        {
            pos++;
            var (name, sub) = VariableName();
            return scope.Get(name, sub, column + pos);
        }
        throw Error($"unexpected '{c}' in expression");
    }

    (string Name, int? Subscript) VariableName()
    {
        int start = pos;
        while (Lexer.IsSymbolChar(Peek)) pos++;
        if (start == pos) throw Error("variable symbol name expected after &");
        string name = s[start..pos].ToUpperInvariant();
        int? sub = null;
        if (Peek == '(')
        {
            pos++;
            sub = (int)ToLong(Or(), column + pos);
            SkipBlanks();
            if (Peek != ')') throw Error("missing ')' after subscript");
            pos++;
        }
        return (name, sub);
    }

    /// <summary>'string' with &amp;variables substituted, then optional (start,length) substring and '.' concatenations.</summary>
    string StringTerm()
    {
        var sb = new StringBuilder();
        pos++;
        while (true)
        {
            if (pos >= s.Length) throw Error("missing closing quote");
            char ch = s[pos];
            if (ch == '\'')
            {
                if (pos + 1 < s.Length && s[pos + 1] == '\'') { sb.Append('\''); pos += 2; continue; }
                pos++;
                break;
            }
            if (ch == '&')
            {
                if (pos + 1 < s.Length && s[pos + 1] == '&') { sb.Append("&&"); pos += 2; continue; }
                pos++;
                var (name, sub) = VariableName();
                sb.Append(Text(scope.Get(name, sub, column + pos)));
                if (Peek == '.') pos++;
                continue;
            }
            sb.Append(ch);
            pos++;
        }
        string result = sb.ToString();
        if (Peek == '(')
        {
            pos++;
            long start = ToLong(Sum(), column + pos);
            SkipBlanks();
            if (Peek != ',') throw Error("substring needs (start,length)");
            pos++;
            long length = ToLong(Sum(), column + pos);
            SkipBlanks();
            if (Peek != ')') throw Error("missing ')' after substring");
            pos++;
            if (start < 1 || start > result.Length + 1 || length < 0) throw Error($"substring ({start},{length}) outside '{result}'");
            result = result.Substring((int)start - 1, (int)Math.Min(length, result.Length - start + 1));
        }
        if (Peek == '.' && pos + 1 < s.Length && s[pos + 1] == '\'')
        {
            pos++;
            result += StringTerm();
        }
        return result;
    }

    public static string Text(object v) => v switch { bool b => b ? "1" : "0", long l => l.ToString(), string t => t, _ => "" };

    public static long ToLong(object v, int column) => v switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        string t when t.Length == 0 => 0,
        string t when long.TryParse(t, out long n) && n <= int.MaxValue && n >= int.MinValue => n,
        string t => throw new AsmException(column, $"'{t}' is not a number"),
        _ => 0,
    };

    public static bool ToBool(object v, int column) => v switch
    {
        bool b => b,
        _ => ToLong(v, column) != 0,
    };
}
