namespace Jit360.Assembler;

/// <summary>An ordinary symbol: its value, relocatability, attributes, and where it is defined and used.</summary>
public sealed class Symbol
{
    public required string Name { get; init; }
    public long Value { get; set; }
    /// <summary>0 for an absolute symbol, else the id of its section (or of the external symbol itself).</summary>
    public int RelId { get; set; }
    public int Length { get; set; } = 1;
    /// <summary>The type attribute: I instruction, C/F/.. constant type, U for EQU, J section, T external.</summary>
    public char Type { get; set; } = 'U';
    public int DefinedLine { get; set; }
    public SortedSet<int> References { get; } = [];

    public Value AsValue => new(Value, RelId, RelId != 0 ? 1 : 0, Length: Length);
}

/// <summary>
/// The ordinary symbols of an assembly. Values persist from one sizing pass to the next so
/// forward references resolve; a symbol defined twice in one pass is a duplicate.
/// </summary>
public sealed class SymbolTable
{
    readonly Dictionary<string, Symbol> symbols = new(StringComparer.OrdinalIgnoreCase);
    readonly HashSet<string> definedThisPass = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Set when a definition changed a value since the previous pass (the layout is not yet stable).</summary>
    public bool Changed { get; private set; }

    public void BeginPass() { definedThisPass.Clear(); Changed = false; }

    public Symbol? Find(string name) => symbols.TryGetValue(name, out var s) ? s : null;

    /// <summary>Whether a symbol has been defined in the current pass (and so may be used without looking ahead).</summary>
    public bool DefinedInPass(string name) => definedThisPass.Contains(name);

    /// <summary>Defines a symbol; returns false when it is already defined in this pass (a duplicate).</summary>
    public bool Define(string name, long value, int relId, int length, char type, int line)
    {
        if (!definedThisPass.Add(name)) return false;
        if (!symbols.TryGetValue(name, out var s))
        {
            s = new Symbol { Name = name.ToUpperInvariant() };
            symbols[name] = s;
            Changed = true;
        }
        if (s.Value != value || s.RelId != relId || s.Length != length) Changed = true;
        s.Value = value; s.RelId = relId; s.Length = length; s.Type = type; s.DefinedLine = line;
        return true;
    }

    public IEnumerable<Symbol> All => symbols.Values.OrderBy(s => s.Name, StringComparer.Ordinal);
}
