using System.Text;

namespace Jit360.Machine;

/// <summary>One way in which two copies of a machine differ: what, and its value on each side.</summary>
public readonly record struct StateDifference(string What, string Left, string Right);

/// <summary>
/// Compares two CPUs' guest-visible state: the instruction count, the PSW, general, floating-point
/// and control registers, the last interruption taken, the timing facilities' pending conditions,
/// storage and storage keys. The ILC of the current PSW is not compared: it is defined only in a
/// stored old PSW (GA22-7000 "Program-Status Word"), which storage and the last interruption cover.
/// </summary>
public static class CpuComparison
{
    /// <summary>
    /// The differences between <paramref name="a"/> and <paramref name="b"/>; at most <paramref name="maxStorageRuns"/>
    /// differing storage runs are listed. Without <paramref name="storage"/>, storage bytes are not compared (keys are).
    /// </summary>
    public static List<StateDifference> Compare(CpuState a, CpuState b, int maxStorageRuns = 8, bool storage = true)
    {
        var d = new List<StateDifference>();
        void Check<T>(string what, T x, T y, Func<T, string> show) where T : IEquatable<T>
        {
            if (!x.Equals(y)) d.Add(new(what, show(x), show(y)));
        }
        Check("instructions", a.Instructions, b.Instructions, v => v.ToString());
        Check("PSW", a.CurrentPsw(0, 0), b.CurrentPsw(0, 0), v => $"{(uint)(v >> 32):X8} {(uint)v:X8}");
        Check("PSW invalid", a.PswInvalid, b.PswInvalid, v => v.ToString());
        Check("address mask", a.AddressMask, b.AddressMask, v => v.ToString("X8"));
        for (int r = 0; r < 16; r++) Check($"GR{r}", a.Gpr[r], b.Gpr[r], v => v.ToString("X8"));
        for (int r = 0; r < 8; r += 2) Check($"FPR{r}", a.Fpr[r], b.Fpr[r], v => v.ToString("X16"));
        for (int r = 0; r < 16; r++) Check($"CR{r}", a.Cr[r], b.Cr[r], v => v.ToString("X8"));
        Check("interruptions taken", a.InterruptionsTaken, b.InterruptionsTaken, v => v.ToString());
        Check("last interruption", a.LastInterrupt, b.LastInterrupt, Show);
        var (ca, cb) = (a.Clock, b.Clock);
        Check("interval-timer pending", ca.IntervalTimerPending, cb.IntervalTimerPending, v => v.ToString());
        Check("clock-comparator pending", ca.ClockComparatorPending, cb.ClockComparatorPending, v => v.ToString());
        Check("CPU-timer pending", ca.CpuTimerPending, cb.CpuTimerPending, v => v.ToString());
        Check("interrupt-key pending", ca.InterruptKeyPending, cb.InterruptKeyPending, v => v.ToString());
        Check("CPU timer", ca.CpuTimer, cb.CpuTimer, v => v.ToString("X16"));
        Check("clock comparator", ca.ClockComparator, cb.ClockComparator, v => v.ToString("X16"));
        CompareKeys(a, b, d);
        if (storage) CompareStorage(a, b, d, maxStorageRuns);
        return d;
    }

    static string Show(InterruptRecord r) => r.Class == InterruptClass.None ? "none"
        : $"{r.Class} code {r.Code:X4} ILC {r.Ilc} old PSW {(uint)(r.OldPsw >> 32):X8} {(uint)r.OldPsw:X8}";

    static void CompareKeys(CpuState a, CpuState b, List<StateDifference> d)
    {
        // Reference and change bits exist (and are inspected by ISK, RRB) only on System/370.
        byte mask = a.IsS370 ? (byte)0xFE : (byte)0xF8;
        var (ka, kb) = (a.Storage.Keys, b.Storage.Keys);
        int shown = 0;
        for (int i = 0; i < ka.Length && shown < 8; i++)
            if (((ka[i] ^ kb[i]) & mask) != 0)
            {
                d.Add(new($"key of block {(uint)i << Storage.BlockShift:X6}", ka[i].ToString("X2"), kb[i].ToString("X2")));
                shown++;
            }
    }

    static void CompareStorage(CpuState a, CpuState b, List<StateDifference> d, int maxRuns)
    {
        var sa = a.Storage.Bytes.AsSpan(0, (int)a.Storage.Size);
        var sb = b.Storage.Bytes.AsSpan(0, (int)b.Storage.Size);
        if (sa.SequenceEqual(sb)) return;
        int runs = 0;
        int at = 0;
        while (at < sa.Length)
        {
            int off = sa[at..].CommonPrefixLength(sb[at..]);
            if (off == sa.Length - at) break;
            int start = at + off;
            // A run ends after 16 equal bytes in a row (or 32 bytes shown).
            int end = start, equalRun = 0;
            while (end < sa.Length && end - start < 32 && equalRun < 16)
            {
                equalRun = sa[end] == sb[end] ? equalRun + 1 : 0;
                end++;
            }
            end -= equalRun;
            if (runs == maxRuns) { d.Add(new("storage", "(more differences)", "")); return; }
            d.Add(new($"storage {start:X6}", Convert.ToHexString(sa[start..end]), Convert.ToHexString(sb[start..end])));
            runs++;
            at = end;
        }
    }

    /// <summary>
    /// Both states side by side, registers that differ marked with '*', followed by every
    /// difference found (storage runs in hex).
    /// </summary>
    public static string SideBySide(CpuState a, string aName, CpuState b, string bName, IReadOnlyList<StateDifference> differences)
    {
        var sb = new StringBuilder();
        var differing = differences.Select(x => x.What).ToHashSet();
        string Mark(string what) => differing.Contains(what) ? "*" : " ";
        sb.AppendLine($"{"",-22}{aName,-28}{bName}");
        sb.AppendLine($"{Mark("PSW")}{"PSW",-21}{a.PswText(),-28}{b.PswText()}");
        sb.AppendLine($"{Mark("instructions")}{"instructions",-21}{a.Instructions,-28}{b.Instructions}");
        sb.AppendLine($" {"CC / program mask",-21}{$"{a.Cc} / {a.ProgramMask:X}",-28}{b.Cc} / {b.ProgramMask:X}");
        sb.AppendLine($" {"key / problem state",-21}{$"{a.Key} / {a.Problem}",-28}{b.Key} / {b.Problem}");
        for (int r = 0; r < 16; r++)
            sb.AppendLine($"{Mark($"GR{r}")}{$"GR{r}",-21}{a.Gpr[r],-28:X8}{b.Gpr[r]:X8}");
        for (int r = 0; r < 8; r += 2)
            sb.AppendLine($"{Mark($"FPR{r}")}{$"FPR{r}",-21}{a.Fpr[r],-28:X16}{b.Fpr[r]:X16}");
        sb.AppendLine($"{Mark("last interruption")}{"last interruption",-21}{Show(a.LastInterrupt),-28}");
        sb.AppendLine($"{"",-22}{"",-28}{Show(b.LastInterrupt)}");
        sb.AppendLine("differences:");
        foreach (var x in differences) sb.AppendLine($"  {x.What}: {x.Left} | {x.Right}");
        return sb.ToString();
    }
}
