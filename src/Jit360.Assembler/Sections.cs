namespace Jit360.Assembler;

/// <summary>
/// A control section (CSECT, START, or the unnamed private section) or a dummy section
/// (DSECT). Control sections are laid out one after another, each on a doubleword boundary;
/// a DSECT only describes storage (its location counter starts at 0 and it generates nothing).
/// <see cref="Id"/> is the external-symbol id of a control section, negative for a DSECT.
/// </summary>
public sealed class Section
{
    public required string Name { get; init; }
    public required int Id { get; init; }
    public bool IsDsect => Id < 0;
    public long Origin { get; init; }
    /// <summary>The location counter: an assembled address.</summary>
    public long Location { get; set; }
    /// <summary>The highest location reached (the section's end).</summary>
    public long High { get; set; }
    public long Length => High - Origin;
}

/// <summary>The kinds of external-symbol dictionary entries (OS/360 object module ESD types).</summary>
public enum EsdType : byte { SD = 0, LD = 1, ER = 2, PC = 4 }

/// <summary>An entry of the external symbol dictionary: a section, an ENTRY point or an external reference.</summary>
public sealed record EsdItem(string Name, EsdType Type, int Id, long Address, long Length, int SectionId);

/// <summary>A relocatable address constant at <see cref="Item"/>.Address in section <see cref="PositionId"/>.</summary>
public readonly record struct RelocationEntry(int PositionId, Relocation Item);

/// <summary>One line of the listing: a statement with its location and object code.</summary>
public sealed class ListingLine
{
    public int Number { get; init; }
    public long? Location { get; set; }
    /// <summary>A value shown in place of the location (EQU, USING, ORG).</summary>
    public long? Value { get; set; }
    public byte[] Object { get; set; } = [];
    public required string Text { get; init; }
    public bool Generated { get; init; }
    public List<Diagnostic> Messages { get; } = [];
}

/// <summary>Storage being assembled into: a growable byte buffer over assembled addresses, remembering which bytes were written.</summary>
public sealed class ImageBuffer
{
    byte[] bytes = [];
    bool[] written = [];
    public long Origin { get; private set; } = -1;

    public void Write(long address, ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) return;
        Ensure(address, address + data.Length);
        data.CopyTo(bytes.AsSpan((int)(address - Origin)));
        written.AsSpan((int)(address - Origin), data.Length).Fill(true);
    }

    void Ensure(long low, long high)
    {
        if (Origin < 0) { Origin = low; bytes = new byte[Math.Max(256, high - low)]; written = new bool[bytes.Length]; return; }
        long newLow = Math.Min(Origin, low);
        long newHigh = Math.Max(Origin + bytes.Length, high);
        if (newLow == Origin && newHigh == Origin + bytes.Length) return;
        long size = newHigh - newLow;
        if (newHigh > Origin + bytes.Length) size = Math.Max(size, Math.Min(2L * bytes.Length, 0x1000000));
        var nb = new byte[size];
        var nw = new bool[size];
        Array.Copy(bytes, 0, nb, Origin - newLow, bytes.Length);
        Array.Copy(written, 0, nw, Origin - newLow, written.Length);
        bytes = nb; written = nw; Origin = newLow;
    }

    /// <summary>The bytes from <paramref name="low"/> up to the highest byte written (zeros where nothing was written).</summary>
    public byte[] From(long low)
    {
        if (Origin < 0) return [];
        int last = Array.LastIndexOf(written, true);
        long end = Origin + last + 1;
        if (end <= low) return [];
        var r = new byte[end - low];
        for (long a = Math.Max(low, Origin); a < end; a++) r[a - low] = bytes[a - Origin];
        return r;
    }

    public bool IsWritten(long address) => Origin >= 0 && address >= Origin && address < Origin + bytes.Length && written[address - Origin];
    public byte At(long address) => Origin >= 0 && address >= Origin && address < Origin + bytes.Length ? bytes[address - Origin] : (byte)0;
}
