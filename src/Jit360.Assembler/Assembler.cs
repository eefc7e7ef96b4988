namespace Jit360.Assembler;

/// <summary>
/// The Jit360 assembler: IBM assembler language (the common ground of OS/360 Assembler F and
/// HLASM) for System/360, the Model 67 and System/370, driven by the one opcode table.
/// <code>
/// // The API:
/// var result = Assembler.Assemble(source, "demo.asm", new AssemblerOptions { Level = ArchLevel.S370, Origin = 0 });
/// result.Success          // no error diagnostics
/// result.Diagnostics      // each with File, Line, Column, Message ("demo.asm:12:16: error: undefined symbol X")
/// result.CoreImage        // Origin + Bytes: what loadcore loads
/// result.EntryPoint       // END's operand (else the first section's start)
/// result.Listing          // the printed listing with cross-reference
/// result.ObjectDeck       // OS/360 object deck, 80-byte EBCDIC cards (ESD/TXT/RLD/END)
/// result.IplDeck          // self-loading IPL card deck
/// </code>
/// Stages: <see cref="MacroProcessor"/> (reading, COPY, macros, conditional assembly), then
/// <see cref="Passes"/> (locations, symbols, literals, USING, object code), then the outputs.
/// Assemble never throws on bad source: every problem is a diagnostic with its place.
/// </summary>
public static class Assembler
{
    public static AssemblyResult Assemble(string source, string fileName, AssemblerOptions? options = null)
    {
        options ??= new AssemblerOptions();
        var diagnostics = new List<Diagnostic>();
        List<Statement> statements;
        try
        {
            statements = new MacroProcessor(options, diagnostics).Process(source ?? "", fileName);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            diagnostics.Add(new Diagnostic(Severity.Error, fileName, 1, 1, $"internal error in the macro processor: {e.GetType().Name}: {e.Message}"));
            statements = [];
        }
        var passes = new Passes(statements, options);
        passes.Run();
        diagnostics.AddRange(passes.Diagnostics);
        var ordered = diagnostics.OrderBy(d => d.File == fileName ? 0 : 1).ThenBy(d => d.Line).ThenBy(d => d.Column).ToList();

        var first = passes.Sections.FirstOrDefault(s => !s.IsDsect);
        long origin = first?.Origin ?? options.Origin;
        var image = new CoreImage((uint)origin, passes.Image.From(origin));
        uint entry = (uint)(passes.Entry ?? origin);
        return new AssemblyResult
        {
            Diagnostics = ordered,
            CoreImage = image,
            EntryPoint = entry,
            Listing = Listing.Format(passes.Listing, passes.Symbols.All, ordered, fileName),
            ObjectDeck = ObjectDeck.Build(passes.Esd, passes.Sections, passes.Image, passes.Relocations, passes.Entry, passes.EntryId, options.DeckId),
            IplDeck = IplDeck.Build(image, entry),
            Symbols = passes.Symbols.All.ToDictionary(s => s.Name, s => s.Value),
            Esd = passes.Esd,
            Relocations = passes.Relocations,
        };
    }
}
