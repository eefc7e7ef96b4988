using System.Text;
using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Cli.Vectors;

/// <summary>The outcome of one case: empty <see cref="Differences"/> means it passed.</summary>
public sealed record VectorResult(VectorCase Case, IReadOnlyList<string> Differences)
{
    public bool Passed => Differences.Count == 0;

    /// <summary>The readable diff: the case and where it is, then one line per difference.</summary>
    public string Report()
    {
        var sb = new StringBuilder();
        sb.Append("FAIL ").Append(Case).Append(" at ").Append(Case.Location);
        if (Case.Source != null) sb.Append(" [source ").Append(Case.Source).Append(']');
        foreach (var d in Differences) sb.Append("\n    ").Append(d);
        return sb.ToString();
    }
}

/// <summary>
/// Runs vector cases on an engine and compares the outcome (tests/vectors/README.md): what a
/// case names must equal its expected value, and everything it does not name must be unchanged.
/// One storage buffer per main-storage size is reused; only the bytes a case could have
/// touched are cleared afterwards (the whole buffer only when a stray store was found).
/// </summary>
public sealed class VectorRunner
{
    /// <summary>Assigned low storage (old PSWs, S/370 interruption codes) written by an interruption; compared only where named.</summary>
    public const uint InterruptLowStorageEnd = 0x100;
    /// <summary>The interval timer (GA22-6821 "Interval Timer", location 80) counts by itself; compared only where named.</summary>
    public const uint IntervalTimer = 0x50, IntervalTimerEnd = 0x54;
    /// <summary>Storage-key bits compared: access control and fetch protection (reference and change bits are not).</summary>
    public const byte ComparedKeyBits = 0xF8;
    /// <summary>BC-mode PSW bits 32-33 (the ILC), architecturally defined only in a stored old PSW.</summary>
    public const ulong BcIlcBits = 0x0000_0000_C000_0000UL;

    const int MaxReportedRuns = 8;
    readonly Dictionary<uint, Storage> storages = new();

    public VectorResult Run(VectorCase c, IExecutionEngine engine)
    {
        var storage = StorageFor(c.MainSize);
        var diffs = new List<string>();
        var touched = new List<(uint Start, uint End)>();
        bool strayStore = false;
        try
        {
            foreach (var run in c.Storage) storage.Load(run.Address, run.Bytes);
            foreach (var (block, key) in c.Keys) storage.SetKey(block, key);
            var cpu = new CpuState(c.Level, storage, deterministicTime: true) { StopOnInterrupt = true };
            cpu.LoadPsw(c.Psw);
            foreach (var (r, v) in c.Gpr) cpu.Gpr[r] = v;
            foreach (var (r, v) in c.Fpr) cpu.Fpr[r] = v;

            ExitReason exit = ExitReason.InstructionLimit;
            if (c.Steps > 0)
            {
                try { exit = engine.Run(cpu, c.Steps); }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    diffs.Add($"the engine threw {e.GetType().Name}: {e.Message}");
                    strayStore = true;
                    return new VectorResult(c, diffs);
                }
            }
            bool interrupted = exit == ExitReason.Interrupt;
            if (!interrupted && exit != ExitReason.InstructionLimit)
                diffs.Add($"stopped with {exit} after {cpu.Instructions} of {c.Steps} instructions");
            CompareInterrupt(c, cpu, interrupted, diffs);
            CompareRegisters(c, cpu, diffs);
            ComparePsw(c, cpu, interrupted, diffs);
            strayStore = CompareStorage(c, storage, interrupted, touched, diffs);
            CompareKeys(c, storage, diffs);
            return new VectorResult(c, diffs);
        }
        finally
        {
            Clean(storage, c, touched, strayStore);
        }
    }

    Storage StorageFor(uint size)
    {
        if (!storages.TryGetValue(size, out var s))
        {
            if (storages.Count >= 4) storages.Clear();   // odd sizes: do not hoard buffers
            storages[size] = s = new Storage(size);
        }
        return s;
    }

    static void CompareInterrupt(VectorCase c, CpuState cpu, bool interrupted, List<string> diffs)
    {
        var e = c.Expect;
        var got = cpu.LastInterrupt;
        string Describe(InterruptRecord r) => $"{Name(r.Class)} code {r.Code:X4}{(r.Class == InterruptClass.Program ? " (" + ProgramInterruptCode.Name(r.Code) + ")" : "")} ilc {r.Ilc}";
        if (e.InterruptClass is not { } cls)
        {
            if (interrupted) diffs.Add($"interrupt: expected none, got {Describe(got)}");
            return;
        }
        if (!interrupted) { diffs.Add($"interrupt: expected {Name(cls)}{(e.InterruptCode is { } ec ? $" code {ec:X4}" : "")}, got none"); return; }
        if (got.Class != cls || (e.InterruptCode is { } code && got.Code != code) || (e.InterruptIlc is { } ilc && got.Ilc != ilc))
            diffs.Add($"interrupt: expected {Name(cls)}{(e.InterruptCode is { } c2 ? $" code {c2:X4}" : "")}{(e.InterruptIlc is { } i2 ? $" ilc {i2}" : "")}, got {Describe(got)}");
    }

    static string Name(InterruptClass c) => c switch
    {
        InterruptClass.Program => "program", InterruptClass.Svc => "svc", InterruptClass.External => "external",
        InterruptClass.Io => "io", _ => c.ToString().ToLowerInvariant(),
    };

    static void CompareRegisters(VectorCase c, CpuState cpu, List<string> diffs)
    {
        for (int r = 0; r < 16; r++)
        {
            bool named = c.Expect.Gpr.TryGetValue(r, out uint want);
            if (!named) want = c.Gpr.GetValueOrDefault(r);
            if (cpu.Gpr[r] != want)
                diffs.Add($"GPR {r}: expected {want:X8}{(named ? "" : " (unchanged)")}, got {cpu.Gpr[r]:X8}");
        }
        for (int r = 0; r < 8; r += 2)
        {
            bool named = c.Expect.Fpr.TryGetValue(r, out ulong want);
            if (!named) want = c.Fpr.GetValueOrDefault(r);
            if (cpu.Fpr[r] != want)
                diffs.Add($"FPR {r}: expected {want:X16}{(named ? "" : " (unchanged)")}, got {cpu.Fpr[r]:X16}");
        }
    }

    static void ComparePsw(VectorCase c, CpuState cpu, bool interrupted, List<string> diffs)
    {
        // After an interruption the CC and PSW are those of the stored old PSW.
        ulong psw = interrupted ? cpu.LastInterrupt.OldPsw : cpu.CurrentPsw();
        bool ec = c.Level == ArchLevel.S370 && (psw & 1UL << 51) != 0;
        if (c.Expect.Cc is { } cc)
        {
            int got = ec ? (int)(psw >> 44) & 3 : (int)(psw >> 28) & 3;
            if (got != cc) diffs.Add($"CC: expected {cc}, got {got}");
        }
        if (c.Expect.Psw is { } want)
        {
            ulong mask = !interrupted && !ec && !cpu.Extended67 ? ~BcIlcBits : ulong.MaxValue;
            if ((psw & mask) != (want & mask))
                diffs.Add($"PSW{(interrupted ? " (old)" : "")}: expected {Hex(want)}, got {Hex(psw)}{(mask != ulong.MaxValue ? " (ILC bits 32-33 not compared)" : "")}");
        }
    }

    static string Hex(ulong w) => $"{(uint)(w >> 32):X8} {(uint)w:X8}";

    /// <summary>Compares storage; returns true when a byte outside every named or initial range changed.</summary>
    static bool CompareStorage(VectorCase c, Storage storage, bool interrupted, List<(uint Start, uint End)> touched, List<string> diffs)
    {
        byte[] mem = storage.Bytes;
        int reported = 0;
        void Report(uint at, ReadOnlySpan<byte> want, ReadOnlySpan<byte> got, string how)
        {
            if (reported++ < MaxReportedRuns)
                diffs.Add($"storage {at:X6}: expected {Convert.ToHexString(want)}{how}, got {Convert.ToHexString(got)}");
        }

        // Which bytes are named by expect (later entries win), which are initial.
        foreach (var run in c.Expect.Storage) touched.Add((run.Address, run.Address + (uint)run.Bytes.Length));
        int namedCount = touched.Count;
        foreach (var run in c.Storage) touched.Add((run.Address, run.Address + (uint)run.Bytes.Length));
        var excluded = new List<(uint, uint)> { (IntervalTimer, Math.Min(IntervalTimerEnd, storage.Size)) };
        if (interrupted) excluded.Add((0, Math.Min(InterruptLowStorageEnd, storage.Size)));

        bool Named(uint a)
        {
            for (int i = 0; i < namedCount; i++) if (a >= touched[i].Start && a < touched[i].End) return true;
            return false;
        }
        bool Excluded(uint a)
        {
            foreach (var (s, e) in excluded) if (a >= s && a < e) return true;
            return false;
        }

        // Named bytes must equal the expected value.
        foreach (var run in c.Expect.Storage)
            CompareRun(mem, run.Address, run.Bytes, _ => true, (a, w, g) => Report(a, w, g, ""));
        // Initial bytes that are not named must be unchanged.
        foreach (var run in c.Storage)
            CompareRun(mem, run.Address, run.Bytes, a => !Named(a) && !Excluded(a), (a, w, g) => Report(a, w, g, " (unchanged)"));

        // Everything else was zero and must still be zero: scan the gaps between the known ranges.
        var known = new List<(uint Start, uint End)>(touched);
        known.AddRange(excluded);
        known.Sort();
        bool stray = false;
        uint pos = 0;
        foreach (var (s, e) in known.Append((storage.Size, storage.Size)))
        {
            while (pos < s)
            {
                int i = mem.AsSpan((int)pos, (int)(s - pos)).IndexOfAnyExcept((byte)0);
                if (i < 0) break;
                uint at = pos + (uint)i;
                uint end = at;
                while (end < s && end - at < 16 && mem[end] != 0) end++;
                Report(at, new byte[end - at], mem.AsSpan((int)at, (int)(end - at)), " (unchanged)");
                stray = true;
                pos = end;
            }
            pos = Math.Max(pos, e);
        }
        if (reported > MaxReportedRuns) diffs.Add($"... and {reported - MaxReportedRuns} more storage differences");
        touched.AddRange(excluded);
        return stray;
    }

    /// <summary>Compares one run byte by byte where <paramref name="applies"/>, reporting each differing stretch once.</summary>
    static void CompareRun(byte[] mem, uint address, byte[] want, Func<uint, bool> applies, Action<uint, byte[], byte[]> report)
    {
        int i = 0;
        while (i < want.Length)
        {
            uint a = address + (uint)i;
            if (!applies(a) || mem[a] == want[i]) { i++; continue; }
            int j = i;
            while (j < want.Length && applies(address + (uint)j) && mem[address + (uint)j] != want[j]) j++;
            report(a, want[i..j], mem[(int)a..(int)(address + (uint)j)]);
            i = j;
        }
    }

    static void CompareKeys(VectorCase c, Storage storage, List<string> diffs)
    {
        var keys = storage.Keys;
        for (int b = 0; b < keys.Length; b++)
        {
            uint a = (uint)b << Storage.BlockShift;
            bool named = c.Expect.Keys.TryGetValue(a, out byte want);
            if (!named) want = c.Keys.GetValueOrDefault(a);
            if ((keys[b] & ComparedKeyBits) != (want & ComparedKeyBits))
                diffs.Add($"key of block {a:X6}: expected {want & ComparedKeyBits:X2}{(named ? "" : " (unchanged)")}, got {keys[b] & ComparedKeyBits:X2}");
        }
    }

    /// <summary>Returns the buffer to all zeros, keys included, for the next case.</summary>
    static void Clean(Storage storage, VectorCase c, List<(uint Start, uint End)> touched, bool everything)
    {
        if (everything) Array.Clear(storage.Bytes);
        else
        {
            foreach (var run in c.Storage) touched.Add((run.Address, run.Address + (uint)run.Bytes.Length));
            touched.Add((0, Math.Min(InterruptLowStorageEnd, storage.Size)));
            foreach (var (s, e) in touched) Array.Clear(storage.Bytes, (int)s, (int)(Math.Min(e, storage.Size) - s));
        }
        for (int b = 0; b < storage.Keys.Length; b++)
            if (storage.Keys[b] != 0) storage.SetKey((uint)b << Storage.BlockShift, 0);
    }
}
