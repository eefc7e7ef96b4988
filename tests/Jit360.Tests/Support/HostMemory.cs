using System.Runtime.InteropServices;

namespace Jit360.Tests.Support;

/// <summary>
/// This process's host memory as Linux reports it: /proc/self/smaps_rollup totals and the
/// /proc/self/smaps mappings (address range, name, Rss/Pss/... in kB). Used to check that
/// saved-system pages are shared between virtual machines.
/// </summary>
public static class HostMemory
{
    public sealed record Mapping(long Start, long End, string Name, Dictionary<string, long> Kb)
    {
        public long this[string field] => Kb.GetValueOrDefault(field);
    }

    /// <summary>Skips unless /proc/self/smaps exists (a Linux host).</summary>
    public static void Require()
    {
        if (!File.Exists("/proc/self/smaps_rollup"))
            Assert.Ignore("needs /proc/self/smaps_rollup (a Linux host)");
    }

    /// <summary>The totals of every mapping, in kB ("Rss", "Pss", "Private_Dirty", ...).</summary>
    public static Dictionary<string, long> Rollup()
    {
        var totals = new Dictionary<string, long>();
        foreach (var line in File.ReadLines("/proc/self/smaps_rollup"))
            if (Field(line) is var (name, kb)) totals[name] = kb;
        return totals;
    }

    /// <summary>Every mapping whose name contains <paramref name="nameContains"/> ("" for all).</summary>
    public static List<Mapping> Mappings(string nameContains)
    {
        var result = new List<Mapping>();
        Mapping? current = null;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (Field(line) is var (name, kb)) { current?.Kb.TryAdd(name, kb); continue; }
            var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            int dash = parts[0].IndexOf('-');
            if (dash < 0 || parts.Length < 5) continue;   // VmFlags, THPeligible, ...: not a mapping's first line
            current = null;
            string mapped = parts.Length == 6 ? parts[5].Trim() : "";
            if (!mapped.Contains(nameContains, StringComparison.Ordinal)) continue;
            current = new Mapping(Convert.ToInt64(parts[0][..dash], 16), Convert.ToInt64(parts[0][(dash + 1)..], 16), mapped, []);
            result.Add(current);
        }
        return result;
    }

    /// <summary>The mappings named so that lie inside a pinned array.</summary>
    public static List<Mapping> MappingsIn(byte[] pinned, string nameContains)
    {
        long start = Address(pinned), end = start + pinned.Length;
        return Mappings(nameContains).Where(m => m.Start >= start && m.End <= end).ToList();
    }

    /// <summary>Resident host pages of a range, from /proc/self/pagemap: those showing a file (a shared memory file's page) and anonymous ones (private to this mapping).</summary>
    public readonly record struct Residency(int FilePages, int AnonymousPages);

    /// <summary>
    /// Which of the host pages of a pinned array are resident, and whether each shows a file page or
    /// private anonymous memory (pagemap bit 63 present, bit 61 file page or shared anonymous).
    /// Unlike the process totals, this depends on nothing but that array.
    /// </summary>
    public static Residency Pages(byte[] pinned)
    {
        const int page = 4096;
        long first = Address(pinned) / page, end = (Address(pinned) + pinned.Length + page - 1) / page;
        var entries = new byte[(end - first) * 8];
        using (var map = new FileStream("/proc/self/pagemap", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1))
        {
            map.Position = first * 8;
            map.ReadExactly(entries);
        }
        int file = 0, anonymous = 0;
        for (int i = 0; i < entries.Length; i += 8)
        {
            ulong e = BitConverter.ToUInt64(entries, i);
            if ((e & 1UL << 63) == 0) continue;
            if ((e & 1UL << 61) != 0) file++; else anonymous++;
        }
        return new Residency(file, anonymous);
    }

    /// <summary>Host address of element 0 of a pinned array.</summary>
    public static long Address(byte[] pinned) => Marshal.UnsafeAddrOfPinnedArrayElement(pinned, 0);

    static (string, long)? Field(string line)
    {
        int colon = line.IndexOf(':');
        if (colon <= 0 || !line.EndsWith(" kB", StringComparison.Ordinal)) return null;
        return long.TryParse(line.AsSpan(colon + 1, line.Length - colon - 4).Trim(), out long kb) ? (line[..colon], kb) : null;
    }
}
