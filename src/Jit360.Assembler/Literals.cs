namespace Jit360.Assembler;

/// <summary>A literal (=F'1', =A(X), =C'..') in a pool: its text, constant, and assigned place.</summary>
public sealed class Literal
{
    public required string Text { get; init; }
    public required DataOperand Operand { get; init; }
    public long Address { get; set; }
    public int RelId { get; set; }
    public int Line { get; init; }
    public int Column { get; init; }
    public int Length => (int)Operand.TotalLength;
}

/// <summary>
/// Literal pools. Every literal used since the previous LTORG (or the start) is placed by the
/// next LTORG or by END, once per distinct text, in the assembler's order: lengths that are
/// multiples of 8 first, then of 4, then of 2, then the rest, so each stays aligned.
/// Addresses found in one pass answer references in the next (literals are forward references).
/// </summary>
public sealed class Literals
{
    readonly Dictionary<(int Pool, string Text), (long Address, int RelId)> placed = new();
    List<Literal> current = [];
    int pool;

    /// <summary>Set when a literal moved since the previous pass (the layout is not yet stable).</summary>
    public bool Changed { get; private set; }

    public void BeginPass() { current = []; pool = 0; Changed = false; }

    /// <summary>The value of a literal, entering it in the current pool.</summary>
    public Value Reference(string text, DataOperand operand, int line, int column)
    {
        if (!current.Any(l => l.Text == text))
            current.Add(new Literal { Text = text, Operand = operand, Line = line, Column = column });
        int length = operand.LengthAttribute;
        if (placed.TryGetValue((pool, text), out var at))
            return new Value(at.Address, at.RelId, at.RelId != 0 ? 1 : 0, Length: length);
        return new Value(0, Undefined: true, Length: length);
    }

    public bool HasPending => current.Count > 0;

    /// <summary>Takes the literals of the current pool in placement order and starts the next pool.</summary>
    public List<Literal> TakePool()
    {
        static int Rank(Literal l) => l.Length % 8 == 0 ? 0 : l.Length % 4 == 0 ? 1 : l.Length % 2 == 0 ? 2 : 3;
        var ordered = current.OrderBy(Rank).ToList();
        current = [];
        pool++;
        return ordered;
    }

    /// <summary>Records where a literal of the pool just taken was placed.</summary>
    public void Place(Literal literal, long address, int relId)
    {
        literal.Address = address;
        literal.RelId = relId;
        if (!placed.TryGetValue((pool - 1, literal.Text), out var old) || old != (address, relId)) Changed = true;
        placed[(pool - 1, literal.Text)] = (address, relId);
    }
}
