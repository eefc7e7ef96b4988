using Jit360.Machine;

namespace Jit360.Jit;

/// <summary>
/// Translated blocks by key, indexed by 256-byte storage line for invalidation. It watches
/// every write to storage: a write that overlaps a translated block invalidates that block and
/// asks the running block to stop after the current instruction (GA22-7000: a store into the
/// instruction stream takes effect for the next instruction fetched). Lines are finer than
/// pages so that programs which keep data beside their code (most S/360 programs) do not
/// lose their translations on every store.
/// </summary>
public sealed class BlockCache : IStoreWatch
{
    public const int LineShift = 8;

    readonly Dictionary<BlockKey, RegionEntry> blocks = new();
    readonly Dictionary<uint, List<CompiledBlock>> byLine = new();
    readonly byte[] codeLines;   // nonzero where some translated block lies: the fast test on every write
    readonly CpuState cpu;
    readonly JitStatistics stats;

    public BlockCache(CpuState cpu, JitStatistics stats)
    {
        this.cpu = cpu;
        this.stats = stats;
        codeLines = new byte[(cpu.Storage.Size >> LineShift) + 1];
    }

    /// <summary>Regions in the cache (each found under every one of its entries).</summary>
    public int Count => Blocks.Count();
    public IEnumerable<CompiledBlock> Blocks => blocks.Values.Select(e => e.Block).Distinct();

    public bool TryGet(BlockKey key, out RegionEntry entry) => blocks.TryGetValue(key, out entry!);

    public bool TryGet(BlockKey key, out CompiledBlock block)
    {
        bool found = blocks.TryGetValue(key, out var entry);
        block = entry?.Block!;
        return found;
    }

    /// <summary>Nonzero for each 256-byte line of storage that holds translated code: translated stores test it inline.</summary>
    public byte[] CodeLines => codeLines;

    /// <summary>Whether some translated instruction lies in the 256-byte line of this address (false: no region has an entry there).</summary>
    public bool HasCode(uint address)
    {
        uint line = address >> LineShift;
        return line >= (uint)codeLines.Length || codeLines[line] != 0;
    }

    public void Add(CompiledBlock block)
    {
        foreach (uint e in block.Entries)
        {
            var key = block.Key with { Address = e };
            blocks[key] = new RegionEntry(key, block);
        }
        uint previous = uint.MaxValue;
        foreach (var g in block.Instructions)
        {
            for (uint line = g.Address >> LineShift; line <= (g.Address + (uint)g.Length - 1) >> LineShift; line++)
            {
                if (line == previous) continue;
                previous = line;
                if (!byLine.TryGetValue(line, out var list)) byLine[line] = list = new List<CompiledBlock>();
                list.Add(block);
                if (line < codeLines.Length) codeLines[line] = 1;
            }
        }
    }

    public void Stored(uint address, int length)
    {
        uint end = address + (uint)Math.Max(length, 1);   // exclusive; a write that wraps is split
        if (end < address || end > cpu.Storage.Size)
        {
            Stored(address, (int)(cpu.Storage.Size - Math.Min(address, cpu.Storage.Size)));
            Stored(0, (int)(end & cpu.AddressMask));
            return;
        }
        for (uint line = address >> LineShift; line <= (end - 1) >> LineShift && line < codeLines.Length; line++)
            if (codeLines[line] != 0) InvalidateOverlapping(line, address, end);
    }

    void InvalidateOverlapping(uint line, uint start, uint end)
    {
        if (!byLine.TryGetValue(line, out var list)) { codeLines[line] = 0; return; }
        bool any = false;
        for (int i = list.Count - 1; i >= 0; i--)
        {
            var b = list[i];
            if (!b.Valid) { list.RemoveAt(i); continue; }
            if (b.Overlaps(start, end))
            {
                b.Valid = false;
                foreach (uint e in b.Entries)
                {
                    var key = b.Key with { Address = e };
                    if (blocks.TryGetValue(key, out var current) && current.Block == b) blocks.Remove(key);
                }
                stats.Invalidations++;
                if (end - start <= PatchBytes) MarkWritten(b, start, end);
                Invalidated?.Invoke(b);
                list.RemoveAt(i);
                any = true;
            }
        }
        if (list.Count == 0) { byLine.Remove(line); codeLines[line] = 0; }
        if (any) cpu.Attention = true;
    }

    /// <summary>
    /// Stores of at most this many bytes that hit translated instructions are patches (an
    /// instruction rewritten in place, a PSW or CCW stored into what a wrong branch prediction
    /// took for code), not a program being loaded: the instructions they hit are left to the
    /// interpreter from then on (<see cref="IsWritten"/>), so the region around them is
    /// translated once more without them and later patches invalidate nothing. (CMS under CP:
    /// a region predicted into low storage lost its translation to the old PSW stored at every
    /// interruption, 185 retranslations of 128 instructions in LOGON + 200 commands.)
    /// </summary>
    public const int PatchBytes = 16;

    readonly HashSet<uint> written = new();

    /// <summary>Whether the instruction at this address was patched while translated (see <see cref="PatchBytes"/>): region discovery stops before it.</summary>
    public bool IsWritten(uint address) => written.Count != 0 && written.Contains(address);

    /// <summary>Called for every region a store invalidates (the engine makes its entry earn its heat again).</summary>
    public Action<CompiledBlock>? Invalidated;

    void MarkWritten(CompiledBlock b, uint start, uint end)
    {
        foreach (var g in b.Instructions)
            if (g.Address < end && start < g.Address + (uint)g.Length && written.Add(g.Address)) stats.PatchedInstructions++;
    }

    /// <summary>Drops one region (its code no longer applies).</summary>
    public void Invalidate(CompiledBlock b)
    {
        b.Valid = false;
        foreach (uint e in b.Entries)
        {
            var key = b.Key with { Address = e };
            if (blocks.TryGetValue(key, out var current) && current.Block == b) blocks.Remove(key);
        }
        stats.Invalidations++;
    }

    public void Clear()
    {
        foreach (var e in blocks.Values) e.Block.Valid = false;
        blocks.Clear(); byLine.Clear(); Array.Clear(codeLines); written.Clear();
    }
}
