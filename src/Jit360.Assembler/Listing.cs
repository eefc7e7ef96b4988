using System.Text;

namespace Jit360.Assembler;

/// <summary>
/// The assembly listing, in the layout assembler users know: location, object code (up to 8
/// bytes), statement number and source; generated statements marked '+'; each error under
/// the statement it belongs to; then the symbol cross-reference (name, length, value,
/// defining statement, referencing statements).
/// </summary>
public static class Listing
{
    public static string Format(IReadOnlyList<ListingLine> lines, IEnumerable<Symbol> symbols, IReadOnlyList<Diagnostic> diagnostics, string title)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Jit360 assembler   {title}");
        sb.AppendLine();
        sb.AppendLine("  LOC  OBJECT CODE        STMT   SOURCE STATEMENT");
        foreach (var l in lines)
        {
            string loc = l.Value is { } v ? ((uint)v).ToString("X6") : l.Location is { } a ? a.ToString("X6") : "";
            string obj = Convert.ToHexString(l.Object.AsSpan(0, Math.Min(8, l.Object.Length)));
            sb.Append(loc.PadLeft(6)).Append(' ').Append(obj.PadRight(17)).Append(' ')
              .Append(l.Number.ToString().PadLeft(5)).Append(l.Generated ? '+' : ' ').Append(' ').AppendLine(l.Text);
            foreach (var d in l.Messages)
                sb.AppendLine($"*** {d.Severity.ToString().ToUpperInvariant()} at {d.File}:{d.Line}:{d.Column}: {d.Message}");
        }
        var before = diagnostics.Where(d => !lines.Any(l => l.Messages.Contains(d))).ToList();
        if (before.Count > 0)
        {
            sb.AppendLine();
            foreach (var d in before) sb.AppendLine("*** " + d);
        }
        sb.AppendLine();
        sb.AppendLine("CROSS-REFERENCE");
        sb.AppendLine("SYMBOL                             LEN   VALUE   DEFN  REFERENCES");
        foreach (var s in symbols)
            sb.AppendLine($"{s.Name,-32} {s.Length,5}  {(uint)s.Value:X6}  {s.DefinedLine,5}  {string.Join(' ', s.References)}");
        sb.AppendLine();
        int errors = diagnostics.Count(d => d.IsError), warnings = diagnostics.Count(d => d.Severity == Severity.Warning);
        sb.AppendLine($"{errors} error{(errors == 1 ? "" : "s")}, {warnings} warning{(warnings == 1 ? "" : "s")}");
        return sb.ToString();
    }
}
