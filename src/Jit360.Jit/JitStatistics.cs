using System.Text;

namespace Jit360.Jit;

/// <summary>Translation statistics printed at the end of a run.</summary>
public sealed class JitStatistics
{
    public long RegionsTranslated, GuestInstructionsTranslated, IlBytes, CacheMisses, Invalidations, CacheClears;
    /// <summary>Bytes of x86-64 code RyuJIT produced for the regions translated (each DynamicMethod's size, <see cref="NativeCode"/>); 0 off x64.</summary>
    public long NativeBytes;
    /// <summary>Regions entered from the engine's loop, and how many of those were found in the previous region's successor slot.</summary>
    public long Dispatches, SuccessorHits;
    /// <summary>Regions compiled on the background thread, and those discarded because their bytes changed meanwhile.</summary>
    public long BackgroundCompiles, StaleTranslations;
    /// <summary>Regions dropped because a branch target they assumed constant had changed on entry.</summary>
    public long StaleRegions;
    /// <summary>Regions translated at an entry address where a region had been translated before (after an invalidation or a clear).</summary>
    public long Retranslations;
    /// <summary>Instructions left to the interpreter because a short store rewrote them while translated (<see cref="BlockCache.PatchBytes"/>).</summary>
    public long PatchedInstructions;
    public long InstructionsInterpreted, InstructionsTranslated;
    /// <summary>Time spent translating: discovery's result to IL, and RyuJIT compiling it (regions are compiled when translated, not at their first call).</summary>
    public TimeSpan CompileTime;
    /// <summary>Addresses where discovery or translation threw (never fatal: the address stays interpreted), by kind.</summary>
    public readonly Dictionary<string, long> TranslationFailures = new();
    /// <summary>Interpreter fallbacks by opcode (see <see cref="InterpreterFallbacks"/>).</summary>
    public readonly InterpreterFallbacks Fallbacks = new();

    /// <summary>Interpreter fallbacks by mnemonic, most frequent first (<see cref="Jit.InterpreterFallbacks"/> says what counts).</summary>
    public IReadOnlyList<KeyValuePair<string, long>> FallbacksByMnemonic => Fallbacks.ByMnemonic();

    /// <summary>Every translation is a region (one block or many); kept under its old name for callers that count blocks.</summary>
    public long BlocksTranslated => RegionsTranslated;
    public long CacheHits => Dispatches;

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"blocks translated     {RegionsTranslated:N0} regions ({GuestInstructionsTranslated:N0} guest instructions, {IlBytes:N0} IL bytes, " +
                      (NativeBytes > 0 ? $"{NativeBytes:N0} native bytes" : "native size not known") + ")");
        sb.AppendLine($"compile time          {CompileTime.TotalMilliseconds:N1} ms" +
                      (GuestInstructionsTranslated > 0 ? $" ({GuestInstructionsTranslated / Math.Max(CompileTime.TotalSeconds, 1e-9):N0} guest instructions/s)" : "") +
                      $", {BackgroundCompiles:N0} in the background ({StaleTranslations:N0} stale)");
        sb.AppendLine($"dispatches            {Dispatches:N0} ({SuccessorHits:N0} by successor), {CacheMisses:N0} misses, {Invalidations:N0} invalidations ({StaleRegions:N0} stale predictions), {CacheClears:N0} clears, {Retranslations:N0} retranslations, {PatchedInstructions:N0} patched instructions");
        sb.AppendLine($"instructions          {InstructionsTranslated:N0} in translated code, {InstructionsInterpreted:N0} interpreted");
        var fallbacks = FallbacksByMnemonic;
        if (fallbacks.Count > 0)
            sb.AppendLine("interpreter fallbacks " + string.Join(", ", fallbacks.Take(16).Select(p => $"{p.Key} {p.Value:N0}"))
                          + (fallbacks.Count > 16 ? $" (+{fallbacks.Count - 16} more mnemonics)" : ""));
        if (TranslationFailures.Count > 0)
            sb.AppendLine("translation failures  " + string.Join(", ", TranslationFailures.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:N0}")));
        return sb.ToString();
    }
}
