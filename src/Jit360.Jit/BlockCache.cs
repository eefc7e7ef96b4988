using Jit360.Machine;

namespace Jit360.Jit;

/// <summary>
/// Translated blocks by key, indexed by 4K page for invalidation. It watches the CPU's stores:
/// a store into a page that holds translated code invalidates that page's blocks and asks the
/// running block to stop after the current instruction (GA22-7000: a store into the
/// instruction stream takes effect for the next instruction fetched).
/// </summary>
public sealed class BlockCache : IStoreWatch
{
    readonly Dictionary<BlockKey, CompiledBlock> blocks = new();
    readonly Dictionary<uint, List<CompiledBlock>> byPage = new();
    readonly byte[] codePages;   // nonzero where some translated block lies: the fast test on every store
    readonly CpuState cpu;
    readonly JitStatistics stats;

    public BlockCache(CpuState cpu, JitStatistics stats)
    {
        this.cpu = cpu;
        this.stats = stats;
        codePages = new byte[(cpu.Storage.Size >> BlockDiscovery.PageShift) + 1];
    }

    public int Count => blocks.Count;
    public IEnumerable<CompiledBlock> Blocks => blocks.Values;

    public bool TryGet(BlockKey key, out CompiledBlock block) => blocks.TryGetValue(key, out block!);

    public void Add(CompiledBlock block)
    {
        blocks[block.Key] = block;
        for (uint p = block.Start >> BlockDiscovery.PageShift; p <= (block.End - 1) >> BlockDiscovery.PageShift; p++)
        {
            if (!byPage.TryGetValue(p, out var list)) byPage[p] = list = new List<CompiledBlock>();
            list.Add(block);
            if (p < codePages.Length) codePages[p] = 1;
        }
    }

    public void Stored(uint address, int length)
    {
        uint first = address >> BlockDiscovery.PageShift;
        uint last = (uint)(((ulong)address + (ulong)Math.Max(length, 1) - 1) & cpu.AddressMask) >> BlockDiscovery.PageShift;
        if (last < first) { InvalidatePage(first); InvalidatePage(last); return; }   // wrapped: both ends are what matter for <= 256-byte stores
        for (uint p = first; p <= last && p < codePages.Length; p++)
            if (codePages[p] != 0) InvalidatePage(p);
    }

    void InvalidatePage(uint page)
    {
        if (page >= codePages.Length || codePages[page] == 0) return;
        if (byPage.Remove(page, out var list))
            foreach (var b in list)
                if (b.Valid) { b.Valid = false; blocks.Remove(b.Key); stats.Invalidations++; }
        codePages[page] = 0;
        cpu.Attention = true;
    }

    public void Clear()
    {
        foreach (var b in blocks.Values) b.Valid = false;
        blocks.Clear(); byPage.Clear(); Array.Clear(codePages);
    }
}
