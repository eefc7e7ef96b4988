namespace Jit360.Assembler;

/// <summary>Everything an assembly produced. The outputs are present even when there are errors (statements in error assemble as zeros).</summary>
public sealed class AssemblyResult
{
    public required IReadOnlyList<Diagnostic> Diagnostics { get; init; }
    public bool Success => !Diagnostics.Any(d => d.IsError);
    public required CoreImage CoreImage { get; init; }
    /// <summary>The entry point: END's operand, else the start of the first control section.</summary>
    public required uint EntryPoint { get; init; }
    /// <summary>The listing: location, object code and source of every statement, then the cross-reference.</summary>
    public required string Listing { get; init; }
    /// <summary>The OS/360 object deck (ESD, TXT, RLD, END), 80-byte EBCDIC card images back to back.</summary>
    public required byte[] ObjectDeck { get; init; }
    /// <summary>A self-loading deck for IPL from a card reader (see <see cref="IplDeck"/>), 80-byte EBCDIC card images.</summary>
    public required byte[] IplDeck { get; init; }
    /// <summary>The ordinary symbols and their values (for tests and tools).</summary>
    public required IReadOnlyDictionary<string, long> Symbols { get; init; }
    /// <summary>The external symbol dictionary and relocation items behind the object deck.</summary>
    public required IReadOnlyList<EsdItem> Esd { get; init; }
    public required IReadOnlyList<RelocationEntry> Relocations { get; init; }

    /// <summary>The errors and warnings, one per line, as "file:line:column: error: message".</summary>
    public string DiagnosticText => string.Join(Environment.NewLine, Diagnostics);
}
