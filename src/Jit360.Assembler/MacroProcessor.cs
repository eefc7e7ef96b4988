using System.Text;
using Jit360.Architecture;

namespace Jit360.Assembler;

/// <summary>A macro definition: its prototype (name-field parameter, positional and keyword parameters) and body.</summary>
sealed class MacroDefinition
{
    public required string Name { get; init; }
    public string? LabelParameter { get; init; }
    public List<string> Positional { get; } = [];
    public Dictionary<string, string> Keywords { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<Statement> Body { get; } = [];
}

/// <summary>
/// The macro and conditional-assembly language, run before the passes: reads the source
/// (joining continuations, bringing in COPY members), collects MACRO..MEND definitions,
/// expands macro calls (positional and keyword parameters, sublists, &amp;SYSNDX, &amp;SYSLIST,
/// nested calls, definitions from library directories), and runs SETA/SETB/SETC, AIF, AGO,
/// ANOP, MNOTE, MEXIT and ACTR in macros and in open code. Its output is the flat list of
/// ordinary statements the passes assemble.
/// </summary>
sealed class MacroProcessor
{
    const int MaxNesting = 50, MaxCopyNesting = 16, DefaultActr = 4096, MaxStatements = 200_000;

    static readonly HashSet<string> directives =
    [
        "DC", "DS", "CCW", "EQU", "USING", "DROP", "ORG", "CNOP", "LTORG", "START", "CSECT", "DSECT", "END",
        "ENTRY", "EXTRN", "TITLE", "EJECT", "SPACE", "PRINT", "ISEQ", "AMODE", "RMODE", "COPY",
        "MACRO", "MEND", "MEXIT", "MNOTE", "SETA", "SETB", "SETC", "LCLA", "LCLB", "LCLC", "GBLA", "GBLB", "GBLC",
        "AIF", "AGO", "ANOP", "ACTR",
    ];

    static readonly HashSet<string> allMnemonics = OpcodeTable.All.Select(o => o.Mnemonic).ToHashSet();

    readonly AssemblerOptions options;
    readonly List<Diagnostic> diagnostics;
    readonly Dictionary<string, MacroDefinition> macros = new(StringComparer.OrdinalIgnoreCase);
    readonly HashSet<string> notInLibrary = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<string, object> globals = new(StringComparer.OrdinalIgnoreCase);
    readonly List<Statement> output = [];
    int sysndx;
    int nesting;

    public MacroProcessor(AssemblerOptions options, List<Diagnostic> diagnostics)
    {
        this.options = options;
        this.diagnostics = diagnostics;
    }

    public List<Statement> Process(string source, string file)
    {
        foreach (var (name, text) in options.BuiltinMacros)
            DefineFromText(text, name);
        var open = Read(source, file, Path.GetDirectoryName(Path.GetFullPath(file)), 0);
        var frame = new Frame(null, null) { Globals = globals };
        Run(open, frame);
        return output;
    }

    // ---- reading --------------------------------------------------------------------------

    /// <summary>Source text to statements, with COPY members brought in where they are named.</summary>
    List<Statement> Read(string source, string file, string? directory, int copyDepth)
    {
        var result = new List<Statement>();
        foreach (var (text, line) in SourceReader.Lines(source))
        {
            var s = Lexer.Parse(text, file, line);
            if (!s.IsComment && s.Op == "COPY")
            {
                string member = s.Operands.Trim();
                if (copyDepth >= MaxCopyNesting) { Report(s, Severity.Error, s.OperandsColumn, "COPY nested too deeply"); continue; }
                var path = FindMember(member, directory, [".cpy", ".copy", ".asm", ".mac", ""]);
                if (path == null) { Report(s, Severity.Error, s.OperandsColumn, $"COPY member {member} not found"); continue; }
                string text2;
                try { text2 = File.ReadAllText(path); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Report(s, Severity.Error, s.OperandsColumn, $"cannot read COPY member {member}: {e.Message}"); continue; }
                result.Add(new Statement { File = s.File, Line = s.Line, Text = s.Text, IsComment = true });
                result.AddRange(Read(text2, path, Path.GetDirectoryName(path), copyDepth + 1));
                continue;
            }
            result.Add(s);
        }
        return result;
    }

    string? FindMember(string name, string? directory, string[] extensions)
    {
        if (name.Length == 0 || name.Length > 63 || !Lexer.IsSymbolStart(name[0]) || !name.All(Lexer.IsSymbolChar)) return null;
        var dirs = new List<string>();
        if (directory != null) dirs.Add(directory);
        dirs.AddRange(options.Libraries);
        foreach (var dir in dirs)
            foreach (var ext in extensions)
                foreach (var n in new[] { name, name.ToUpperInvariant(), name.ToLowerInvariant() })
                {
                    var p = Path.Combine(dir, n + ext);
                    if (File.Exists(p)) return p;
                    var p2 = Path.Combine(dir, n + ext.ToUpperInvariant());
                    if (File.Exists(p2)) return p2;
                }
        return null;
    }

    void Report(Statement s, Severity severity, int column, string message)
        => diagnostics.Add(new Diagnostic(severity, s.File, s.Line, Math.Max(1, column), message));

    // ---- definitions ------------------------------------------------------------------------

    void DefineFromText(string text, string file)
    {
        var body = Read(text, file, null, 0);
        int i = 0;
        while (i < body.Count)
        {
            if (!body[i].IsComment && body[i].Op == "MACRO") i = Define(body, i);
            else i++;
        }
    }

    /// <summary>Reads the definition starting at the MACRO statement at <paramref name="i"/>; returns the index after its MEND.</summary>
    int Define(List<Statement> body, int i)
    {
        var macroStmt = body[i];
        int j = i + 1;
        while (j < body.Count && body[j].IsComment) j++;
        if (j >= body.Count) { Report(macroStmt, Severity.Error, 1, "MACRO without a prototype statement"); return body.Count; }
        var proto = body[j];
        var def = ParsePrototype(proto);
        int depth = 1;
        int k = j + 1;
        for (; k < body.Count; k++)
        {
            var s = body[k];
            if (!s.IsComment && s.Op == "MACRO") depth++;
            if (!s.IsComment && s.Op == "MEND" && --depth == 0)
            {
                // A sequence symbol on MEND is a branch target: it ends the expansion.
                if (def != null && s.Label != null) def.Body.Add(Lexer.Parse(s.Label + " ANOP", s.File, s.Line));
                break;
            }
            if (def != null && !(s.IsComment && s.Text.StartsWith(".*"))) def.Body.Add(s);
        }
        if (k >= body.Count) Report(macroStmt, Severity.Error, 1, "MACRO without MEND");
        if (def != null) macros[def.Name] = def;
        return k + 1;
    }

    MacroDefinition? ParsePrototype(Statement proto)
    {
        if (proto.IsComment || proto.Operation.Length == 0 || !proto.Operation.All(Lexer.IsSymbolChar))
        {
            Report(proto, Severity.Error, proto.OperationColumn, "bad macro prototype statement");
            return null;
        }
        string? label = null;
        if (proto.Label != null)
        {
            if (!IsVariable(proto.Label)) { Report(proto, Severity.Error, 1, $"bad name-field parameter {proto.Label}"); return null; }
            label = proto.Label[1..].ToUpperInvariant();
        }
        var def = new MacroDefinition { Name = proto.Op, LabelParameter = label };
        foreach (var (text, col) in Lexer.SplitOperands(proto.Operands, proto.OperandsColumn))
        {
            int eq = text.IndexOf('=');
            string name = eq >= 0 ? text[..eq] : text;
            if (!IsVariable(name)) { Report(proto, Severity.Error, col, $"bad macro parameter {text}"); return null; }
            string key = name[1..].ToUpperInvariant();
            if (eq >= 0) def.Keywords[key] = text[(eq + 1)..];
            else def.Positional.Add(key);
        }
        return def;
    }

    static bool IsVariable(string s) => s.Length > 1 && s[0] == '&' && Lexer.IsSymbolStart(s[1]) && s.Skip(1).All(Lexer.IsSymbolChar);

    bool IsMacro(string op)
    {
        if (macros.ContainsKey(op)) return true;
        if (op.Length == 0 || directives.Contains(op) || InstructionEncoder.Extended.ContainsKey(op)
            || allMnemonics.Contains(op) || notInLibrary.Contains(op)) return false;
        var path = FindMember(op, null, [".mac", ".asm", ""]);
        if (path != null)
        {
            try { DefineFromText(File.ReadAllText(path), path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        if (macros.ContainsKey(op)) return true;
        notInLibrary.Add(op);
        return false;
    }

    // ---- expansion ----------------------------------------------------------------------------

    /// <summary>The variable symbols of one macro invocation (or of open code when <see cref="Macro"/> is null).</summary>
    sealed class Frame(MacroDefinition? macro, Statement? call) : IVariableScope
    {
        public MacroDefinition? Macro = macro;
        public Statement? Call = call;
        /// <summary>The open-code statement whose expansion this is: where generated statements are reported.</summary>
        public Statement? Site;
        public readonly Dictionary<string, string> Parameters = new(StringComparer.OrdinalIgnoreCase);
        public readonly List<string> SysList = [];
        public readonly Dictionary<string, object> Locals = new(StringComparer.OrdinalIgnoreCase);
        public readonly HashSet<string> GlobalNames = new(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, object> Globals = null!;
        public string Sysndx = "0000";
        public int Actr = DefaultActr;

        public object Get(string name, int? subscript, int column)
        {
            if (name == "SYSNDX") return Sysndx;
            if (name == "SYSLIST")
            {
                if (subscript is not { } n) throw new AsmException(column, "&SYSLIST needs a subscript");
                return n == 0 ? (Call?.Label ?? "") : n > 0 && n <= SysList.Count ? SysList[n - 1] : "";
            }
            object v;
            if (Parameters.TryGetValue(name, out var p)) v = p;
            else if (GlobalNames.Contains(name) && Globals.TryGetValue(name, out var g)) v = g;
            else if (Locals.TryGetValue(name, out var l)) v = l;
            else throw new AsmException(column, $"undefined variable symbol &{name}");
            if (subscript is { } i)
            {
                if (v is string s) return SubList(s).ElementAtOrDefault(i - 1) ?? "";
                throw new AsmException(column, $"&{name} is not subscripted");
            }
            return v;
        }

        public int Count(string name, int column)
        {
            if (name == "SYSLIST") return SysList.Count;
            var v = Get(name, null, column);
            return v is string s ? (s.StartsWith('(') && s.EndsWith(')') ? SubList(s).Count : s.Length > 0 ? 1 : 0) : 1;
        }

        public void Set(string name, object value)
        {
            if (GlobalNames.Contains(name)) Globals[name] = value;
            else Locals[name] = value;
        }
    }

    /// <summary>The items of a sublist "(A,B,C)"; a value without parentheses is a list of one.</summary>
    static List<string> SubList(string s)
    {
        if (s.Length >= 2 && s[0] == '(' && s[^1] == ')')
            return Lexer.SplitOperands(s[1..^1], 1).Select(p => p.Text).ToList();
        return [s];
    }

    void Run(List<Statement> body, Frame frame)
    {
        int branches = 0;
        int i = 0;
        while (i < body.Count)
        {
            if (output.Count > MaxStatements) { Report(body[i], Severity.Error, 1, "too many statements generated"); return; }
            var s = body[i];
            if (s.IsComment)
            {
                if (frame.Macro == null || !s.Text.StartsWith(".*")) output.Add(frame.Macro == null ? s : Generated(s, s.Text, frame));
                i++;
                continue;
            }
            string op = s.Op;
            if (op == "MACRO")
            {
                i = Define(body, i);
                continue;
            }
            try
            {
                int? next = Conditional(s, op, i, body, frame, ref branches);
                if (next == -1) return;   // MEXIT
                if (next is { } n) { i = n; continue; }
                // An ordinary statement or a macro call: substitute variable symbols first.
                string text = s.Text.Contains('&') ? Substitute(s, frame) : s.Text;
                var stmt = frame.Macro == null && text == s.Text ? s : Lexer.Parse(text, s.File, s.Line, frame.Macro?.Name);
                if (frame.Macro != null) stmt = Generated(stmt, text, frame);
                if (stmt.Label != null && stmt.Label.StartsWith('.'))
                    stmt = Lexer.Parse(" " + new string(' ', stmt.Label.Length - 1) + text[stmt.Label.Length..], stmt.File, stmt.Line, stmt.FromMacro);
                if (!stmt.IsComment && stmt.Op.Length > 0 && IsMacro(stmt.Op)) Call(stmt, frame);
                else output.Add(stmt);
            }
            catch (AsmException e)
            {
                var at = frame.Site ?? s;
                Report(at, Severity.Error, frame.Site != null ? 1 : e.Column,
                    e.Message + (frame.Macro != null ? $" (in macro {frame.Macro.Name}, its line {s.Line})" : ""));
                // A failed branch (undefined sequence symbol, ACTR exceeded) ends this expansion or the open code's conditional assembly.
                if (op is "AIF" or "AGO") return;
            }
            i++;
        }
    }

    /// <summary>A statement generated by a macro: placed at the call's line, marked with the macro's name.</summary>
    static Statement Generated(Statement s, string text, Frame frame)
    {
        var site = frame.Site!;
        return Lexer.Parse(text, site.File, site.Line, frame.Macro!.Name);
    }

    /// <summary>
    /// Handles a conditional-assembly statement: returns the index to continue at, -1 for MEXIT,
    /// or null when the statement is not one of them.
    /// </summary>
    int? Conditional(Statement s, string op, int here, List<Statement> body, Frame frame, ref int branches)
    {
        switch (op)
        {
            case "LCLA": case "LCLB": case "LCLC": case "GBLA": case "GBLB": case "GBLC":
                foreach (var (text, col) in Lexer.SplitOperands(s.Operands, s.OperandsColumn))
                {
                    string name = text.Split('(')[0];
                    if (!IsVariable(name)) throw new AsmException(col, $"bad variable symbol {text}");
                    string key = name[1..].ToUpperInvariant();
                    object init = op[3] == 'A' ? 0L : op[3] == 'B' ? false : "";
                    if (op[0] == 'G') { frame.GlobalNames.Add(key); if (!globals.ContainsKey(key)) globals[key] = init; }
                    else frame.Locals[key] = init;
                }
                return here + 1;
            case "SETA": case "SETB": case "SETC":
            {
                if (s.Label == null || !IsVariable(s.Label.Split('(')[0])) throw new AsmException(1, $"{op} needs a variable symbol in the name field");
                string key = s.Label.Split('(')[0][1..].ToUpperInvariant();
                if (frame.Parameters.ContainsKey(key)) throw new AsmException(1, $"&{key} is a parameter and cannot be set");
                var v = ConditionalExpression.Evaluate(s.Operands, s.OperandsColumn, frame);
                object value = op switch
                {
                    "SETA" => ConditionalExpression.ToLong(v, s.OperandsColumn),
                    "SETB" => ConditionalExpression.ToBool(v, s.OperandsColumn),
                    _ => ConditionalExpression.Text(v),
                };
                frame.Set(key, value);
                return here + 1;
            }
            case "AIF":
            {
                string operands = s.Operands;
                int col = s.OperandsColumn;
                var (cond, end) = ConditionalExpression.Condition(operands, col, frame);
                string target = operands[end..].Trim();
                if (!target.StartsWith('.')) throw new AsmException(col + end, "AIF needs a sequence symbol after the condition");
                if (!cond) return here + 1;
                return Branch(target, body, s, col + end, frame, ref branches);
            }
            case "AGO":
            {
                string target = s.Operands.Trim();
                if (!target.StartsWith('.')) throw new AsmException(s.OperandsColumn, "AGO needs a sequence symbol");
                return Branch(target, body, s, s.OperandsColumn, frame, ref branches);
            }
            case "ANOP":
                return here + 1;
            case "ACTR":
                frame.Actr = (int)Math.Clamp(ConditionalExpression.ToLong(ConditionalExpression.Evaluate(s.Operands, s.OperandsColumn, frame), s.OperandsColumn), 0, 1_000_000);
                return here + 1;
            case "MEXIT":
                if (frame.Macro == null) throw new AsmException(s.OperationColumn, "MEXIT outside a macro");
                return -1;
            case "MEND":
                if (frame.Macro == null) throw new AsmException(s.OperationColumn, "MEND without MACRO");
                return -1;
            case "MNOTE":
                Mnote(s, frame);
                return here + 1;
            default:
                return null;
        }
    }

    int Branch(string target, List<Statement> body, Statement s, int column, Frame frame, ref int branches)
    {
        if (++branches > frame.Actr) throw new AsmException(column, $"ACTR limit of {frame.Actr} branches exceeded (a conditional-assembly loop?)");
        int idx = body.FindIndex(b => !b.IsComment && b.Label != null && b.Label.Equals(target, StringComparison.OrdinalIgnoreCase));
        if (idx < 0) throw new AsmException(column, $"undefined sequence symbol {target}");
        return idx;
    }

    /// <summary>MNOTE [severity,]'message': severity 0 is a note, 1-7 a warning, 8 and above an error; * is a comment.</summary>
    void Mnote(Statement s, Frame frame)
    {
        string text = s.Text.Contains('&') ? Substitute(s, frame) : s.Text;
        var stmt = Lexer.Parse(text, s.File, s.Line);
        var parts = Lexer.SplitOperands(stmt.Operands, stmt.OperandsColumn);
        var severity = Severity.Note;
        string message;
        if (parts.Count == 2)
        {
            string sev = parts[0].Text.Trim();
            if (sev != "*" && sev.Length > 0)
            {
                if (!int.TryParse(sev, out int n) || n < 0 || n > 255) throw new AsmException(parts[0].Column, "bad MNOTE severity");
                severity = n >= 8 ? Severity.Error : n >= 1 ? Severity.Warning : Severity.Note;
            }
            message = parts[1].Text;
        }
        else if (parts.Count == 1) message = parts[0].Text;
        else throw new AsmException(stmt.OperandsColumn, "MNOTE needs [severity,]'message'");
        if (message.Length >= 2 && message[0] == '\'' && message[^1] == '\'') message = message[1..^1].Replace("''", "'").Replace("&&", "&");
        var at = frame.Site ?? s;
        Report(at, severity, 1, "MNOTE: " + message);
        output.Add(Lexer.Parse("*MNOTE " + message, at.File, at.Line, frame.Macro?.Name));
    }

    /// <summary>Replaces &amp;NAME (and &amp;NAME.) by its value in the name, operation and operand fields; &amp;&amp; stays.</summary>
    string Substitute(Statement s, Frame frame)
    {
        string text = s.Text;
        int remarks = s.OperandsColumn - 1 + s.Operands.Length;
        if (s.Operands.Length == 0) remarks = Math.Max(remarks, s.OperationColumn - 1 + s.Operation.Length);
        var sb = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (i >= remarks) { sb.Append(text, i, text.Length - i); break; }
            if (c != '&') { sb.Append(c); i++; continue; }
            if (i + 1 < text.Length && text[i + 1] == '&') { sb.Append("&&"); i += 2; continue; }
            int start = ++i;
            while (i < text.Length && Lexer.IsSymbolChar(text[i])) i++;
            if (start == i) throw new AsmException(start, "variable symbol name expected after &");
            string name = text[start..i].ToUpperInvariant();
            int? sub = null;
            if (i < text.Length && text[i] == '(' && (name == "SYSLIST" || IsSubscriptable(frame, name)))
            {
                int close = text.IndexOf(')', i);
                if (close < 0) throw new AsmException(i + 1, "missing ')' after subscript");
                var subText = text[(i + 1)..close];
                sub = (int)ConditionalExpression.ToLong(ConditionalExpression.Evaluate(subText, i + 2, frame), i + 2);
                i = close + 1;
            }
            sb.Append(ConditionalExpression.Text(frame.Get(name, sub, start)));
            if (i < text.Length && text[i] == '.') i++;
        }
        return sb.ToString();
    }

    static bool IsSubscriptable(Frame frame, string name)
        => frame.Parameters.TryGetValue(name, out var v) && v.StartsWith('(');

    void Call(Statement call, Frame caller)
    {
        var def = macros[call.Op];
        if (nesting >= MaxNesting) throw new AsmException(call.OperationColumn, $"macro calls nested more than {MaxNesting} deep");
        var frame = new Frame(def, call) { Globals = globals, Site = caller.Site ?? call };
        frame.Sysndx = (++sysndx).ToString("D4");
        foreach (var (k, v) in def.Keywords) frame.Parameters[k] = v;
        foreach (var p in def.Positional) frame.Parameters[p] = "";
        if (def.LabelParameter != null) frame.Parameters[def.LabelParameter] = call.Label ?? "";
        int position = 0;
        foreach (var (text, col) in Lexer.SplitOperands(call.Operands, call.OperandsColumn))
        {
            int eq = text.IndexOf('=');
            if (eq > 0 && text[..eq].All(Lexer.IsSymbolChar) && def.Keywords.ContainsKey(text[..eq]))
            {
                frame.Parameters[text[..eq].ToUpperInvariant()] = text[(eq + 1)..];
                continue;
            }
            if (eq > 0 && Lexer.IsSymbolStart(text[0]) && text[..eq].All(Lexer.IsSymbolChar))
                throw new AsmException(col, $"macro {def.Name} has no keyword parameter {text[..eq].ToUpperInvariant()}");
            frame.SysList.Add(text);
            if (position < def.Positional.Count) frame.Parameters[def.Positional[position]] = text;
            else if (def.Positional.Count > 0 || text.Length > 0)
                Report(call, Severity.Warning, col, $"extra positional operand {text} for macro {def.Name}");
            position++;
        }
        nesting++;
        try { Run(def.Body, frame); }
        finally { nesting--; }
    }
}
