namespace Jit360.Assembler;

/// <summary>
/// One source statement split into the fields of the assembler language: name (column 1),
/// operation, operands (up to the first blank outside quotes) and remarks. Columns are
/// 1-based positions in <see cref="Text"/>, the statement after continuation lines are joined.
/// </summary>
public sealed class Statement
{
    public required string File { get; init; }
    public required int Line { get; init; }
    public required string Text { get; init; }
    public string? Label { get; init; }
    public string Operation { get; init; } = "";
    public string Operands { get; init; } = "";
    public int OperandsColumn { get; init; }
    public int OperationColumn { get; init; }
    public bool IsComment { get; init; }
    /// <summary>The macro whose expansion produced this statement, or null for open code.</summary>
    public string? FromMacro { get; init; }

    /// <summary>The operation in upper case, as looked up in the tables.</summary>
    public string Op => Operation.ToUpperInvariant();

    public override string ToString() => Text;
}

/// <summary>
/// Splits a statement's text into its fields. The one subtle rule is the apostrophe: it opens
/// a quoted string except after an attribute letter (L'X, K'&amp;P, ...) that starts a term.
/// </summary>
public static class Lexer
{
    /// <summary>Conditional-assembly operations whose operands may contain blanks inside parentheses.</summary>
    static readonly HashSet<string> blanksInParens = ["AIF", "SETA", "SETB", "SETC"];

    public static Statement Parse(string text, string file, int line, string? fromMacro = null)
    {
        text = text.TrimEnd('\r', '\n');
        text = text.Replace('\t', ' ');
        if (text.Length == 0 || text[0] == '*' || text.StartsWith(".*", StringComparison.Ordinal) || text.Trim().Length == 0)
            return new Statement { File = file, Line = line, Text = text, IsComment = true, FromMacro = fromMacro };
        int i = 0;
        string? label = null;
        if (text[0] != ' ')
        {
            while (i < text.Length && text[i] != ' ') i++;
            label = text[..i];
        }
        while (i < text.Length && text[i] == ' ') i++;
        int opCol = i + 1;
        int opStart = i;
        while (i < text.Length && text[i] != ' ') i++;
        string op = text[opStart..i];
        while (i < text.Length && text[i] == ' ') i++;
        int operandsCol = i + 1;
        int end = ScanOperands(text, i, blanksInParens.Contains(op.ToUpperInvariant()));
        return new Statement
        {
            File = file, Line = line, Text = text, Label = label, Operation = op,
            Operands = text[i..end], OperandsColumn = operandsCol, OperationColumn = opCol, FromMacro = fromMacro,
        };
    }

    /// <summary>The end of the operand field starting at <paramref name="start"/>.</summary>
    static int ScanOperands(string s, int start, bool allowBlanksInParens)
    {
        int depth = 0;
        bool quoted = false;
        for (int i = start; i < s.Length; i++)
        {
            char c = s[i];
            if (quoted)
            {
                if (c == '\'')
                {
                    if (i + 1 < s.Length && s[i + 1] == '\'') i++;
                    else quoted = false;
                }
                continue;
            }
            if (c == '\'') { if (!IsAttributeQuote(s, i)) quoted = true; continue; }
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ' ' && !(allowBlanksInParens && depth > 0)) return i;
        }
        return s.Length;
    }

    /// <summary>True when the apostrophe at <paramref name="i"/> is an attribute reference like L'NAME or K'&amp;P.</summary>
    public static bool IsAttributeQuote(string s, int i)
    {
        if (i < 1 || i + 1 >= s.Length) return false;
        char a = char.ToUpperInvariant(s[i - 1]);
        if ("LTKNIDOS".IndexOf(a) < 0) return false;
        if (i >= 2 && IsSymbolChar(s[i - 2])) return false;
        char n = s[i + 1];
        return char.IsAsciiLetter(n) || n == '&' || n == '@' || n == '#' || n == '$' || n == '_' || (n == '=' && a == 'L');
    }

    public static bool IsSymbolStart(char c) => char.IsAsciiLetter(c) || c == '@' || c == '#' || c == '$' || c == '_';
    public static bool IsSymbolChar(char c) => IsSymbolStart(c) || char.IsAsciiDigit(c);

    /// <summary>
    /// Splits an operand field at the commas that are outside quotes and parentheses.
    /// Each part comes with its column (1-based, relative to <paramref name="column"/>).
    /// </summary>
    public static List<(string Text, int Column)> SplitOperands(string operands, int column)
    {
        var parts = new List<(string, int)>();
        if (operands.Length == 0) return parts;
        int depth = 0, start = 0;
        bool quoted = false;
        for (int i = 0; i <= operands.Length; i++)
        {
            if (i == operands.Length) { parts.Add((operands[start..i], column + start)); break; }
            char c = operands[i];
            if (quoted)
            {
                if (c == '\'')
                {
                    if (i + 1 < operands.Length && operands[i + 1] == '\'') i++;
                    else quoted = false;
                }
                continue;
            }
            if (c == '\'') { if (!IsAttributeQuote(operands, i)) quoted = true; }
            else if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) { parts.Add((operands[start..i], column + start)); start = i + 1; }
        }
        return parts;
    }
}
