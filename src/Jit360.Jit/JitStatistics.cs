using System.Text;

namespace Jit360.Jit;

/// <summary>Translation statistics printed at the end of a run.</summary>
public sealed class JitStatistics
{
    public long BlocksTranslated, GuestInstructionsTranslated, IlBytes, CacheHits, CacheMisses, Invalidations;
    public long InstructionsInterpreted, InstructionsTranslated;
    public TimeSpan CompileTime;
    public readonly Dictionary<string, long> FallbacksByMnemonic = new();

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"blocks translated     {BlocksTranslated:N0} ({GuestInstructionsTranslated:N0} guest instructions, {IlBytes:N0} IL bytes)");
        sb.AppendLine($"compile time          {CompileTime.TotalMilliseconds:N1} ms" +
                      (GuestInstructionsTranslated > 0 ? $" ({GuestInstructionsTranslated / Math.Max(CompileTime.TotalSeconds, 1e-9):N0} guest instructions/s)" : ""));
        sb.AppendLine($"block cache           {CacheHits:N0} hits, {CacheMisses:N0} misses, {Invalidations:N0} invalidations");
        sb.AppendLine($"instructions          {InstructionsTranslated:N0} in translated code, {InstructionsInterpreted:N0} interpreted");
        if (FallbacksByMnemonic.Count > 0)
            sb.AppendLine("interpreter fallbacks " + string.Join(", ", FallbacksByMnemonic.OrderByDescending(p => p.Value).Take(12).Select(p => $"{p.Key} {p.Value:N0}")));
        return sb.ToString();
    }
}
