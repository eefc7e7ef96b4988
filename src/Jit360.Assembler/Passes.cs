using Jit360.Architecture;

namespace Jit360.Assembler;

/// <summary>
/// The passes over the (macro-expanded) statements. Pass 1 assigns locations and defines
/// symbols; because an EQU, ORG or literal pool may depend on symbols defined later, pass 1
/// is repeated until no symbol, literal or section moves (a fixed point, at most
/// <see cref="MaxSizingPasses"/> times). Pass 2 then generates object code, relocation
/// items and the listing, and reports every error; errors met during pass 1 are not
/// reported since a later definition may cure them.
/// </summary>
sealed class Passes : IExpressionContext, IAddressResolver
{
    const int MaxSizingPasses = 8;
    static readonly HashSet<string> allMnemonics = OpcodeTable.All.Select(o => o.Mnemonic).ToHashSet();
    const long MaxAddress = 0xFFFFFF;

    readonly IReadOnlyList<Statement> statements;
    readonly AssemblerOptions options;

    public readonly SymbolTable Symbols = new();
    readonly Literals literals = new();
    readonly UsingTable usings = new();
    readonly Dictionary<string, long> sectionSizes = new();

    // State of the current pass.
    bool final;
    List<Section> sections = [];
    Section? current, lastControlSection;
    int nextEsdId, nextDsectId;
    bool startSeen;
    long startOrigin;
    Statement stmt = null!;
    int stmtNumber;
    int stmtLength;
    ListingLine? line;
    Dictionary<string, int> externals = new(StringComparer.OrdinalIgnoreCase);
    List<(string Name, int Line, int Column)> entries = [];
    bool layoutChanged;

    // Results of the final pass.
    public readonly List<Diagnostic> Diagnostics = [];
    public readonly List<ListingLine> Listing = [];
    public readonly ImageBuffer Image = new();
    public readonly List<RelocationEntry> Relocations = [];
    public readonly List<EsdItem> Esd = [];
    public long? Entry;
    public int EntryId;
    public IReadOnlyList<Section> Sections => sections;

    public Passes(IReadOnlyList<Statement> statements, AssemblerOptions options)
    {
        this.statements = statements;
        this.options = options;
    }

    public bool Final => final;

    public void Run()
    {
        for (int i = 0; i < MaxSizingPasses; i++)
        {
            Pass(false);
            if (!Symbols.Changed && !literals.Changed && !layoutChanged && i > 0) break;
        }
        Pass(true);
    }

    void Pass(bool isFinal)
    {
        final = isFinal;
        Symbols.BeginPass();
        literals.BeginPass();
        usings.Clear();
        sections = [];
        current = lastControlSection = null;
        nextEsdId = 1; nextDsectId = 0;
        startSeen = false;
        startOrigin = options.Origin;
        externals = new(StringComparer.OrdinalIgnoreCase);
        entries = [];
        Entry = null;
        layoutChanged = false;
        bool ended = false;
        for (int i = 0; i < statements.Count && !ended; i++)
        {
            stmt = statements[i];
            stmtNumber = i + 1;
            stmtLength = 0;
            line = final ? new ListingLine { Number = stmtNumber, Text = stmt.Text, Generated = stmt.FromMacro != null } : null;
            if (line != null) Listing.Add(line);
            if (stmt.IsComment) continue;
            try
            {
                ended = Process();
            }
            catch (AsmException e)
            {
                Error(e.Column, e.Message);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Never let a host exception escape: report it at the statement that caused it.
                Error(stmt.OperandsColumn, $"internal error: {e.GetType().Name}: {e.Message}");
            }
        }
        if (!ended)
        {
            if (final && statements.Count > 0) Warning(1, "END statement missing");
            FlushLiterals();
        }
        foreach (var s in sections.Where(s => !s.IsDsect))
        {
            if (!sectionSizes.TryGetValue(s.Name, out long old) || old != s.Length) layoutChanged = true;
            sectionSizes[s.Name] = s.Length;
        }
        if (final) Finish();
    }

    void Finish()
    {
        foreach (var s in sections.Where(s => !s.IsDsect))
            Esd.Add(new EsdItem(s.Name, s.Name.Length == 0 ? EsdType.PC : EsdType.SD, s.Id, s.Origin, s.Length, s.Id));
        foreach (var (name, id) in externals.OrderBy(e => e.Value))
            Esd.Add(new EsdItem(name, EsdType.ER, id, 0, 0, 0));
        foreach (var (name, ln, col) in entries)
        {
            var sym = Symbols.Find(name);
            if (sym == null || sym.RelId <= 0 || externals.ContainsKey(name))
                Diagnostics.Add(new Diagnostic(Severity.Error, statements[ln - 1].File, statements[ln - 1].Line, col, $"ENTRY {name} is not a symbol of a control section"));
            else Esd.Add(new EsdItem(name, EsdType.LD, 0, sym.Value, 0, sym.RelId));
        }
        Esd.Sort((a, b) => (a.Type == EsdType.LD ? 1 : 0).CompareTo(b.Type == EsdType.LD ? 1 : 0) is var c && c != 0 ? c : a.Id.CompareTo(b.Id));
        if (Entry == null)
        {
            var first = sections.FirstOrDefault(s => !s.IsDsect);
            if (first != null) { Entry = first.Origin; EntryId = first.Id; }
        }
    }

    // ---- diagnostics -------------------------------------------------------------------

    void Error(int column, string message) => Report(Severity.Error, column, message);
    void Warning(int column, string message) => Report(Severity.Warning, column, message);

    void Report(Severity severity, int column, string message)
    {
        if (!final) return;
        if (stmt.FromMacro != null) message += $" (in expansion of macro {stmt.FromMacro})";
        var d = new Diagnostic(severity, stmt.File, stmt.Line, Math.Max(column, 1), message);
        Diagnostics.Add(d);
        line?.Messages.Add(d);
    }

    // ---- IExpressionContext ------------------------------------------------------------

    public Value? Symbol(string name, int column)
    {
        var s = Symbols.Find(name);
        if (s == null) return null;
        if (final) s.References.Add(stmtNumber);
        return s.AsValue;
    }

    public int? LengthOf(string name, int column)
    {
        var s = Symbols.Find(name);
        if (s != null && final) s.References.Add(stmtNumber);
        return s?.Length;
    }

    public Value Location
    {
        get
        {
            var sec = EnsureSection();
            return new Value(sec.Location, sec.Id, 1, Length: Math.Max(stmtLength, 1));
        }
    }

    public Value Literal(string text, int column)
    {
        var op = DataConstants.Parse(text, column + 1, this, requireNominal: true);
        if (op.Duplication == 0) throw new AsmException(column, "a literal cannot have a duplication factor of 0");
        return literals.Reference(text, op, stmtNumber, column);
    }

    public (int Base, int Displacement) Resolve(Value address, int column)
    {
        if (address.Undefined && !final) return (0, 0);
        if (usings.Resolve(address) is { } r) return r;
        if (!final) return (0, 0);
        throw new AsmException(column, address.IsAbsolute
            ? $"addressability error: displacement {address.V} out of range and no USING covers it"
            : "addressability error: no active USING covers this address");
    }

    // ---- sections and the location counter ----------------------------------------------

    Section EnsureSection() => current ?? OpenSection("", dsect: false);

    Section OpenSection(string name, bool dsect, long? origin = null)
    {
        var existing = sections.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && s.IsDsect == dsect);
        if (existing != null) { current = existing; if (!dsect) lastControlSection = existing; return existing; }
        if (name.Length > 0 && sections.Any(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            throw new AsmException(1, $"duplicate label {name.ToUpperInvariant()}: already a section of another kind");
        long at = 0;
        if (!dsect)
        {
            var prev = sections.LastOrDefault(s => !s.IsDsect);
            if (prev == null) at = origin ?? startOrigin;
            else
            {
                long size = Math.Max(prev.Length, sectionSizes.GetValueOrDefault(prev.Name));
                at = (prev.Origin + size + 7) & ~7L;
            }
        }
        var sec = new Section { Name = name.ToUpperInvariant(), Id = dsect ? -(++nextDsectId) : nextEsdId++, Origin = at, Location = at, High = at };
        sections.Add(sec);
        current = sec;
        if (!dsect) lastControlSection = sec;
        if (name.Length > 0) DefineLabel(name, at, sec.Id, 1, 'J');
        return sec;
    }

    void Align(int boundary, bool fillWithNopr = false)
    {
        var sec = EnsureSection();
        long pad = (boundary - sec.Location % boundary) % boundary;
        if (pad == 0) return;
        if (fillWithNopr)
        {
            var fill = new byte[pad];
            for (int i = 0; i + 1 < fill.Length; i += 2) fill[i] = 0x07;   // BCR 0,0 (NOPR 0)
            Emit(fill);
        }
        else Advance(pad);
    }

    void Advance(long bytes)
    {
        var sec = EnsureSection();
        if (sec.Location + bytes > MaxAddress + 1 || bytes < 0)
            throw new AsmException(stmt.OperationColumn, "location counter exceeds X'FFFFFF'");
        sec.Location += bytes;
        if (sec.Location > sec.High) sec.High = sec.Location;
    }

    void Emit(ReadOnlySpan<byte> bytes)
    {
        var sec = EnsureSection();
        if (final && !sec.IsDsect && sec.Location + bytes.Length <= MaxAddress + 1) Image.Write(sec.Location, bytes);
        if (line != null)
        {
            line.Location ??= sec.Location;
            // The listing shows the first 8 bytes of a statement's object code.
            if (line.Object.Length < 8) line.Object = [.. line.Object, .. bytes[..Math.Min(bytes.Length, 8 - line.Object.Length)]];
        }
        Advance(bytes.Length);
    }

    void DefineLabel(string name, long value, int relId, int length, char type)
    {
        if (name.StartsWith('.')) return;   // a sequence symbol (conditional assembly)
        if (!Lexer.IsSymbolStart(name[0]) || !name.All(Lexer.IsSymbolChar))
            throw new AsmException(1, $"bad symbol '{name}'");
        if (name.Length > 63) throw new AsmException(1, "symbol longer than 63 characters");
        if (!Symbols.Define(name, value, relId, length, type, stmtNumber))
            throw new AsmException(1, $"duplicate label {name.ToUpperInvariant()} (first defined in statement {Symbols.Find(name)!.DefinedLine})");
    }

    void LabelHere(int length, char type)
    {
        if (stmt.Label is { } l)
        {
            var sec = EnsureSection();
            DefineLabel(l, sec.Location, sec.Id, length, type);
        }
    }

    // ---- statements ---------------------------------------------------------------------

    /// <summary>Processes the current statement; true when it is END.</summary>
    bool Process()
    {
        string op = stmt.Op;
        if (op.Length == 0) throw new AsmException(stmt.OperationColumn, "missing operation");
        var opcode = OpcodeTable.Find(options.Level, op);
        if (opcode != null) { Instruction(opcode, null); return false; }
        if (InstructionEncoder.Extended.TryGetValue(op, out var ext))
        {
            Instruction(OpcodeTable.Find(options.Level, ext.Base)!, ext.Mask);
            return false;
        }
        switch (op)
        {
            case "DC": Data(generate: true); break;
            case "DS": Data(generate: false); break;
            case "CCW": Ccw(); break;
            case "EQU": Equ(); break;
            case "USING": Using(); break;
            case "DROP": Drop(); break;
            case "ORG": Org(); break;
            case "CNOP": Cnop(); break;
            case "LTORG": LabelAfterAlign(8); FlushLiterals(); break;
            case "START": Start(); break;
            case "CSECT": OpenSection(stmt.Label ?? "", dsect: false); SetLineLocation(); break;
            case "DSECT":
                if (stmt.Label == null) throw new AsmException(1, "DSECT needs a name");
                OpenSection(stmt.Label, dsect: true);
                SetLineLocation();
                break;
            case "END": End(); return true;
            case "ENTRY": Entries(); break;
            case "EXTRN": Extrn(); break;
            case "TITLE": case "EJECT": case "SPACE": case "PRINT": case "ISEQ": case "AMODE": case "RMODE":
                break;
            default:
                // Reported without an exception: a runaway macro loop can generate thousands of these.
                if (allMnemonics.Contains(op)) Error(stmt.OperationColumn, $"operation {op} is not available on {options.Level.Name()}");
                else Error(stmt.OperationColumn, $"undefined operation code {stmt.Operation}");
                break;
        }
        return false;
    }

    void SetLineLocation() { if (line != null && current != null) line.Location = current.Location; }

    void LabelAfterAlign(int boundary)
    {
        Align(boundary);
        LabelHere(1, 'U');
        SetLineLocation();
    }

    void Instruction(Opcode op, int? mask)
    {
        Align(2);
        stmtLength = op.Length;
        LabelHere(op.Length, 'I');
        byte[] bytes;
        try
        {
            bytes = InstructionEncoder.Encode(op, mask, stmt.Operands, stmt.OperandsColumn, this, this);
        }
        catch (AsmException)
        {
            // Keep the layout: the instruction still occupies its length (as zeros).
            Emit(new byte[op.Length]);
            throw;
        }
        Emit(bytes);
    }

    void Data(bool generate)
    {
        var parts = Lexer.SplitOperands(stmt.Operands, stmt.OperandsColumn);
        if (parts.Count == 0) throw new AsmException(stmt.OperandsColumn, $"{stmt.Op} needs an operand");
        bool first = true;
        foreach (var (text, col) in parts)
        {
            var op = DataConstants.Parse(text, col, this, requireNominal: generate);
            Align(op.Alignment);
            long total = op.TotalLength;
            var sec = EnsureSection();
            if (sec.Location + total > MaxAddress + 1) throw new AsmException(col, "constant extends beyond X'FFFFFF'");
            if (first)
            {
                stmtLength = op.LengthAttribute;
                LabelHere(op.LengthAttribute, op.Type);
                SetLineLocation();
                first = false;
            }
            // In the sizing passes only the length matters, but a V-constant also names an external symbol.
            if (generate && (final || op.Type == 'V'))
            {
                var bytes = new List<byte>();
                var rel = new List<Relocation>();
                DataConstants.Generate(op, sec.Location, this, bytes, rel, ExternalFor);
                if (final && !sec.IsDsect) foreach (var r in rel) Relocations.Add(new RelocationEntry(sec.Id, r));
                Emit(bytes.ToArray());
            }
            else Advance(total);
        }
    }

    (long Value, int RelId, bool External) ExternalFor(string name, int column)
    {
        if (externals.TryGetValue(name, out int id)) return (0, id, true);
        var s = Symbols.Find(name);
        if (s != null && s.RelId > 0) { if (final) s.References.Add(stmtNumber); return (s.Value, s.RelId, false); }
        if (s != null) return (s.Value, 0, false);
        id = nextEsdId++;
        externals[name] = id;
        return (0, id, true);
    }

    /// <summary>CCW command,address,flags,count (PoO "Channel Command Word"): doubleword aligned.</summary>
    void Ccw()
    {
        Align(8);
        stmtLength = 8;
        LabelHere(8, 'W');
        var parts = Lexer.SplitOperands(stmt.Operands, stmt.OperandsColumn);
        if (parts.Count != 4) throw new AsmException(stmt.OperandsColumn, "CCW needs 4 operands: command,address,flags,count");
        long Abs(int i, long max)
        {
            var v = Expressions.EvaluateAll(parts[i].Text, parts[i].Column, this);
            if (!v.IsAbsolute || v.V < 0 || v.V > max) throw new AsmException(parts[i].Column, $"CCW field out of range (0 to {max})");
            return v.V;
        }
        long cmd = Abs(0, 255);
        var addr = Expressions.EvaluateAll(parts[1].Text, parts[1].Column, this);
        if (addr.Complex) throw new AsmException(parts[1].Column, "complex relocatable expression in CCW address");
        long flags = Abs(2, 255), count = Abs(3, 65535);
        var sec = EnsureSection();
        if (addr.RelId > 0 && addr.RelCount != 0 && final && !sec.IsDsect)
            Relocations.Add(new RelocationEntry(sec.Id, new Relocation((uint)(sec.Location + 1), 3, addr.RelId, addr.RelCount < 0, false)));
        long a = addr.V & 0xFFFFFF;
        Emit([(byte)cmd, (byte)(a >> 16), (byte)(a >> 8), (byte)a, (byte)flags, 0, (byte)(count >> 8), (byte)count]);
    }

    void Equ()
    {
        if (stmt.Label == null) throw new AsmException(1, "EQU needs a name");
        var parts = Lexer.SplitOperands(stmt.Operands, stmt.OperandsColumn);
        if (parts.Count is < 1 or > 3) throw new AsmException(stmt.OperandsColumn, "EQU needs value[,length[,type]]");
        var v = Expressions.EvaluateAll(parts[0].Text, parts[0].Column, this);
        if (v.Complex) throw new AsmException(parts[0].Column, "complex relocatable expression in EQU");
        int length = v.Length;
        if (parts.Count >= 2 && parts[1].Text.Length > 0)
        {
            var l = Expressions.EvaluateAll(parts[1].Text, parts[1].Column, this);
            if (!l.IsAbsolute || l.V < 0 || l.V > 65535) throw new AsmException(parts[1].Column, "bad length attribute in EQU");
            length = (int)l.V;
        }
        char type = 'U';
        if (parts.Count == 3)
        {
            var t = Expressions.EvaluateAll(parts[2].Text, parts[2].Column, this);
            if (!t.IsAbsolute || t.V is < 0 or > 255) throw new AsmException(parts[2].Column, "bad type attribute in EQU");
            type = Ebcdic.ToChar((byte)t.V);
        }
        DefineLabel(stmt.Label, v.V, v.RelCount != 0 ? v.RelId : 0, length, type);
        if (line != null) line.Value = v.V;
    }

    void Using()
    {
        var parts = Lexer.SplitOperands(stmt.Operands, stmt.OperandsColumn);
        if (parts.Count < 2) throw new AsmException(stmt.OperandsColumn, "USING needs a base address and at least one register");
        var b = Expressions.EvaluateAll(parts[0].Text, parts[0].Column, this);
        if (b.Complex) throw new AsmException(parts[0].Column, "complex relocatable expression in USING");
        var regs = new List<int>();
        foreach (var (text, col) in parts.Skip(1))
        {
            int r = Expressions.Register(Expressions.EvaluateAll(text, col, this), col);
            if (regs.Contains(r)) throw new AsmException(col, $"register {r} appears twice in USING");
            regs.Add(r);
        }
        usings.Using(b.V, b.RelCount != 0 ? b.RelId : 0, regs);
        if (line != null) line.Value = b.V;
    }

    void Drop()
    {
        var parts = Lexer.SplitOperands(stmt.Operands, stmt.OperandsColumn);
        if (parts.Count == 0) { usings.Clear(); return; }
        foreach (var (text, col) in parts)
        {
            int r = Expressions.Register(Expressions.EvaluateAll(text, col, this), col);
            if (!usings.IsActive(r)) Warning(col, $"register {r} is not in use");
            usings.Drop(r);
        }
    }

    void Org()
    {
        var sec = EnsureSection();
        LabelHere(1, 'U');
        if (stmt.Operands.Length == 0) { sec.Location = sec.High; SetLineLocation(); return; }
        var parts = Lexer.SplitOperands(stmt.Operands, stmt.OperandsColumn);
        var v = Expressions.EvaluateAll(parts[0].Text, parts[0].Column, this);
        if (v.Undefined && !final) return;
        if (v.RelId != sec.Id || v.RelCount != 1 || v.Complex)
            throw new AsmException(parts[0].Column, "ORG operand must be an address in the current section");
        if (v.V < sec.Origin) throw new AsmException(parts[0].Column, "ORG below the start of the section");
        if (v.V > MaxAddress) throw new AsmException(parts[0].Column, "ORG beyond X'FFFFFF'");
        sec.Location = v.V;
        if (sec.Location > sec.High) sec.High = sec.Location;
        if (line != null) line.Value = v.V;
    }

    /// <summary>CNOP b,w: align to byte b of a w-byte boundary, padding with NOPR (BCR 0,0).</summary>
    void Cnop()
    {
        var parts = Lexer.SplitOperands(stmt.Operands, stmt.OperandsColumn);
        if (parts.Count != 2) throw new AsmException(stmt.OperandsColumn, "CNOP needs byte,boundary");
        var b = Expressions.EvaluateAll(parts[0].Text, parts[0].Column, this);
        var w = Expressions.EvaluateAll(parts[1].Text, parts[1].Column, this);
        if (!w.IsAbsolute || w.V is not (4 or 8)) throw new AsmException(parts[1].Column, "CNOP boundary must be 4 or 8");
        if (!b.IsAbsolute || b.V < 0 || b.V >= w.V || b.V % 2 != 0) throw new AsmException(parts[0].Column, "CNOP byte must be 0, 2, 4 or 6 within the boundary");
        Align(2);
        var sec = EnsureSection();
        long pad = ((b.V - sec.Location % w.V) % w.V + w.V) % w.V;
        var fill = new byte[pad];
        for (int i = 0; i + 1 < fill.Length; i += 2) fill[i] = 0x07;
        Emit(fill);
        LabelHere(1, 'U');
    }

    void Start()
    {
        if (startSeen || sections.Count > 0) throw new AsmException(stmt.OperationColumn, "START must begin the first control section");
        startSeen = true;
        long? origin = null;
        if (stmt.Operands.Length > 0)
        {
            var v = Expressions.EvaluateAll(stmt.Operands, stmt.OperandsColumn, this);
            if (!v.IsAbsolute || v.V < 0 || v.V > MaxAddress) throw new AsmException(stmt.OperandsColumn, "START needs an absolute address");
            origin = (v.V + 7) & ~7L;
        }
        OpenSection(stmt.Label ?? "", dsect: false, origin);
        SetLineLocation();
    }

    void End()
    {
        FlushLiterals();
        if (stmt.Operands.Length > 0)
        {
            var v = Expressions.EvaluateAll(stmt.Operands, stmt.OperandsColumn, this);
            if (v.Complex || (v.RelId <= 0 && !v.IsAbsolute)) throw new AsmException(stmt.OperandsColumn, "END operand must be an address in a control section");
            Entry = v.V;
            EntryId = v.RelId;
        }
    }

    void Entries()
    {
        foreach (var (text, col) in Lexer.SplitOperands(stmt.Operands, stmt.OperandsColumn))
        {
            if (text.Length == 0 || !Lexer.IsSymbolStart(text[0]) || !text.All(Lexer.IsSymbolChar)) throw new AsmException(col, $"bad symbol '{text}' in ENTRY");
            entries.Add((text.ToUpperInvariant(), stmtNumber, col));
        }
    }

    void Extrn()
    {
        foreach (var (text, col) in Lexer.SplitOperands(stmt.Operands, stmt.OperandsColumn))
        {
            if (text.Length == 0 || !Lexer.IsSymbolStart(text[0]) || !text.All(Lexer.IsSymbolChar)) throw new AsmException(col, $"bad symbol '{text}' in EXTRN");
            if (!externals.TryGetValue(text, out int id)) { id = nextEsdId++; externals[text] = id; }
            if (!Symbols.Define(text, 0, id, 1, 'T', stmtNumber))
                throw new AsmException(col, $"duplicate label {text.ToUpperInvariant()}");
        }
    }

    /// <summary>Places the literals of the current pool here (LTORG, END), each generated like a DC.</summary>
    void FlushLiterals()
    {
        if (!literals.HasPending) { literals.TakePool(); return; }
        if (current == null || current.IsDsect) current = lastControlSection ?? EnsureSection();
        if (current.IsDsect) current = OpenSection("", dsect: false);
        Align(8);
        var sec = current;
        var saved = line;
        foreach (var lit in literals.TakePool())
        {
            literals.Place(lit, sec.Location, sec.Id);
            if (final)
            {
                line = new ListingLine { Number = stmtNumber, Text = "=" + lit.Text, Generated = true };
                Listing.Add(line);
            }
            try
            {
                var bytes = new List<byte>();
                var rel = new List<Relocation>();
                DataConstants.Generate(lit.Operand, sec.Location, this, bytes, rel, ExternalFor);
                if (final) foreach (var r in rel) Relocations.Add(new RelocationEntry(sec.Id, r));
                var all = bytes.ToArray();
                if (line != null) { line.Location = sec.Location; line.Object = all[..Math.Min(8, all.Length)]; }
                if (final) Image.Write(sec.Location, all);
                Advance(lit.Length);
            }
            catch (AsmException e)
            {
                Error(e.Column, e.Message);
                Advance(lit.Length);
            }
        }
        line = saved;
    }
}
