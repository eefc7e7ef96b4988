using System.Collections.Concurrent;
using Jit360.Architecture;
using Jit360.Interpreter;
using Jit360.Machine;

namespace Jit360.Jit;

/// <summary>
/// The translating engine: the interpreter is tier 0 and counts how often each block start is
/// reached; from an address reached <see cref="HotThreshold"/> times a hot region (the loops
/// around it, <see cref="RegionDiscovery"/>) is translated to one DynamicMethod and from then on
/// runs compiled. Translation happens on a background thread while the guest keeps
/// interpreting, unless <see cref="HotThreshold"/> is 0 or <see cref="Synchronous"/> is set
/// (tests, reproducible runs). Each region remembers the region that ran after it, so most
/// exits find their successor without a lookup. Interruptions and the instruction budget are
/// checked at every basic-block edge inside regions and between regions, so timers and I/O
/// arrive as promptly as under the interpreter, and instruction counts agree.
/// </summary>
public sealed class JitEngine : IExecutionEngine
{
    public string Name => "jit";

    /// <summary>
    /// Block entries before translation; 0 translates everything at first sight (tests). The
    /// threshold is the break-even point: a translation costs about 90 µs of CPU per guest
    /// instruction (IL emission and RyuJIT, ~160 IL bytes per guest instruction; measured on CMS,
    /// 29 ms for 336 instructions), translated code saves about 5 ns per instruction executed
    /// (the interpreter runs the bench kernels at 170-240 MIPS, translated code at 1,000-2,900),
    /// so a region pays for itself after some 17,000 runs. Interpreting until then costs at most
    /// what the translation would have (the ski-rental bound); hot loops get there in
    /// milliseconds. At 16, CMS under CP translated every nucleus path a command takes (143
    /// regions for LOGON + 200 `STATE` commands) and ran several times slower than the
    /// interpreter (perf/README.md, "CP and CMS").
    /// </summary>
    public int HotThreshold { get; init; } = 16384;

    /// <summary>Translate on the guest thread (the same code runs, at the same instructions, on every run). Implied by deterministic time.</summary>
    public bool Synchronous { get; init; }

    /// <summary>
    /// Translate on a background thread while the guest goes on interpreting. Only worth it with
    /// a core to spare: on two shared cores the guest interprets for as long as the translator
    /// waits for a core, and translating in place costs less CPU time (measured on the bench
    /// kernels: sieve 0.35 s of CPU time in the background against 0.28 s in place).
    /// </summary>
    public bool Background { get; init; } = Environment.ProcessorCount >= 4;
    bool synchronous;

    /// <summary>Keep the IL listing of each region (the block viewer).</summary>
    public bool RecordIl { get; init; }

    public JitStatistics Statistics { get; } = new();

    BlockCache? cache;
    CpuState? attached;
    RegionData? data;
    int keyGeneration;
    readonly ushort[] heat = new ushort[1 << 16];
    readonly HashSet<uint> untranslatable = new();
    readonly HashSet<uint> translatedEntries = new();
    OpFlags[]? flagsByFirstByte;

    public BlockCache Cache => cache ?? throw new InvalidOperationException("the engine has not run yet");

    void Attach(CpuState cpu)
    {
        if (attached == cpu) return;
        attached = cpu;
        cache = new BlockCache(cpu, Statistics) { Invalidated = Cool };
        cpu.Storage.CodeWatch = cache;
        data = new RegionData { Mem = cpu.Storage.Bytes, Keys = cpu.Storage.Keys, CodeLines = cache.CodeLines };
        keyGeneration = cpu.Storage.KeyGeneration;
        Statistics.Fallbacks.Level = cpu.Level;
        synchronous = Synchronous || !Background || HotThreshold == 0 || cpu.Clock.Deterministic;
        flagsByFirstByte = new OpFlags[256];
        for (int b = 0; b < 256; b++)
        {
            var op = OpcodeTable.Decode(cpu.Level, (byte)b, 0);
            // Two-byte opcodes and invalid ones end a block conservatively.
            flagsByFirstByte[b] = op == null || OpcodeTable.IsTwoByteOpcode(cpu.Level, (byte)b) ? OpFlags.EndsBlock : op.Flags;
        }
    }

    public ExitReason Run(CpuState cpu, long maxInstructions)
    {
        Attach(cpu);
        return ProgramInterruptions.Run(cpu, cpu.Instructions + maxInstructions, Loop);
    }

    ExitReason Loop(CpuState cpu, long target)
    {
        var c = cache!;
        // Stop where the interpreter would look at the machine again (timers, slices).
        long sliceEnd = SliceEnd(cpu, target);
        CompiledBlock? last = null;
        while (true)
        {
            // As the interpreter: reaching the end of a slice (or the budget) looks at the machine first.
            if (cpu.Instructions >= sliceEnd) cpu.Attention = true;
            if (cpu.Attention)
            {
                last = null;
                var exit = Interpreter.Interpreter.Attend(cpu, target);
                if (exit != null) return exit.Value;
                if (cpu.Wait) continue;
                if (cpu.Storage.KeyGeneration != keyGeneration)
                {
                    // Translated code checks storage keys for its operands when it runs; what it
                    // took for granted at translation is that its own instructions could be
                    // fetched. Only fetch protection can take that back, so a key change clears
                    // the cache only while some block is fetch-protected (CMS sets the key of
                    // every page of its storage at start-up: clearing for each cost seconds).
                    keyGeneration = cpu.Storage.KeyGeneration;
                    if (cpu.Storage.FetchProtectedBlocks > 0) Clear();
                }
                sliceEnd = SliceEnd(cpu, target);
            }
            if (cpu.Instructions >= target) return ExitReason.InstructionLimit;
            // A store observer must see every store: translated code stores inline, so interpret.
            if (cpu.StoreWatch != null) { Interpret(cpu, sliceEnd); continue; }

            RegionEntry? entry;
            if (last?.Successor is { Block.Valid: true } s && Matches(s.Key, cpu))
            {
                entry = s;
                Statistics.SuccessorHits++;
            }
            else
            {
                // The last region entry seen at this address, if it still applies: most lookups end here.
                ref RegionEntry? recent = ref recentBlocks[(cpu.Ia >> 1) & (RecentBlocks - 1)];
                if (recent is { Block.Valid: true } r && Matches(r.Key, cpu)) entry = r;
                // (no translated code in the address's 256-byte line: no region can be entered there)
                else if (c.HasCode(cpu.Ia) && c.TryGet(BlockKey.Of(cpu, RegionDiscovery.MaxInstructions), out RegionEntry found)) entry = recent = found;
                else entry = null;
                if (entry != null && last != null) last.Successor = entry;
            }
            if (entry != null)
            {
                long before = cpu.Instructions;
                RunBlock(cpu, entry.Block, sliceEnd);
                if (cpu.Instructions == before)
                {
                    // A region whose assumed-constant branch targets changed is dropped (translated anew when hot).
                    if (entry.Block.Data is { Stale: true }) { c.Invalidate(entry.Block); Statistics.StaleRegions++; }
                    // In real time a slice's end is only a time to look at the timers: look now.
                    else if (!cpu.Clock.Deterministic && sliceEnd < target) { cpu.Attention = true; last = null; continue; }
                    // The region's first basic block does not fit the budget left: interpret up to it.
                    Interpret(cpu, sliceEnd);
                    last = null;
                    continue;
                }
                last = entry.Block;
                continue;
            }
            last = null;
            Statistics.CacheMisses++;
            if (!compiled.IsEmpty) Install(cpu);
            if (IsHot(cpu.Ia))
            {
                if (Translate(cpu)) continue;
                // No region can start here (the instruction cannot be translated, or was patched):
                // interpret it alone, so that translated code can take over at the next one.
                if (untranslatable.Contains(cpu.Ia)) { Interpret(cpu, cpu.Instructions + 1); continue; }
            }
            Interpret(cpu, sliceEnd);
        }
    }

    /// <summary>Instructions between looks at the timers in real time (the interpreter's slice in deterministic time, where it decides when timer storage is updated).</summary>
    public const int RealTimeSlice = 1 << 16;

    static long SliceEnd(CpuState cpu, long target)
        => cpu.Clock.Deterministic ? Interpreter.Interpreter.SliceEnd(cpu, target) : Math.Min(target, cpu.Instructions + RealTimeSlice);

    /// <summary>Direct-mapped cache of recently run regions, by instruction address.</summary>
    const int RecentBlocks = 4096;
    readonly RegionEntry?[] recentBlocks = new RegionEntry?[RecentBlocks];

    static bool Matches(in BlockKey k, CpuState cpu)
        => k.Address == cpu.Ia && k.Problem == cpu.Problem && k.Key == cpu.Key && k.Translate == cpu.Translate
           && k.Addressing32 == cpu.Addressing32;

    void RunBlock(CpuState cpu, CompiledBlock block, long limit)
    {
        Statistics.Dispatches++;
        block.Executions++;
        long before = cpu.Instructions;
        block.Run(cpu, limit);   // (a region left by a program interruption is not counted here: statistics only)
        Statistics.InstructionsTranslated += cpu.Instructions - before;
    }

    bool IsHot(uint ia)
    {
        if (HotThreshold == 0) return true;
        ref ushort h = ref heat[(ia >> 1) & 0xFFFF];
        if (h < HotThreshold) { h++; return false; }
        return true;
    }

    /// <summary>A region lost to a store: its entries earn their heat again before the next translation, so code that keeps being rewritten is not translated over and over.</summary>
    void Cool(CompiledBlock block)
    {
        foreach (uint e in block.Entries) heat[(e >> 1) & 0xFFFF] = 0;
    }

    void Clear()
    {
        cache!.Clear();
        Array.Clear(recentBlocks);
        untranslatable.Clear();
        pendingAddresses.Clear();
        Statistics.CacheClears++;
    }

    // ---------------------------------------------------------------- translation

    /// <summary>Translates the region at the current address now, or queues it; true when it is ready to run.</summary>
    bool Translate(CpuState cpu)
    {
        var key = BlockKey.Of(cpu, RegionDiscovery.MaxInstructions);
        if (untranslatable.Contains(key.Address) || pendingAddresses.Contains(key.Address)) return false;
        Region region;
        try
        {
            region = RegionDiscovery.Discover(cpu, key.Address, leftToInterpreter: cache!.IsWritten);
        }
        catch (Exception e) when (e is not ProgramInterruption)
        {
            untranslatable.Add(key.Address);
            Count(Statistics.TranslationFailures, "discovery-failure");
            return false;
        }
        if (region.Instructions.Count == 0) { untranslatable.Add(key.Address); return false; }
        if (synchronous)
        {
            var block = TranslateRegion(cpu, key, region, compileNow: true);
            if (block == null) return false;
            Add(block);
            return true;
        }
        foreach (var g in region.Instructions) pendingAddresses.Add(g.Address);
        StartWorker();
        queue.Add(new Job(this, cpu, key, region, keyGeneration));
        return false;
    }

    CompiledBlock? TranslateRegion(CpuState cpu, BlockKey key, Region region, bool compileNow)
    {
        try
        {
            return Translator.Translate(key, region, cpu, data!, RecordIl, compileNow);
        }
        catch (Exception e) when (e is not ProgramInterruption)
        {
            // A translation failure is never fatal: this address stays interpreted, and is counted.
            lock (untranslatableFromWorker) untranslatableFromWorker.Add(key.Address);
            Count(Statistics.TranslationFailures, "translation-failure");
            return null;
        }
    }

    void Add(CompiledBlock block)
    {
        cache!.Add(block);
        if (!translatedEntries.Add(block.Entry)) Statistics.Retranslations++;
        Statistics.RegionsTranslated++;
        Statistics.GuestInstructionsTranslated += block.Instructions.Count;
        Statistics.IlBytes += block.IlBytes;
        Statistics.NativeBytes += block.NativeBytes;
        Statistics.CompileTime += block.CompileTime;
    }

    // ---- background translation: discovery on the guest thread (it reads registers and
    // storage as they are), IL emission and RyuJIT's compilation on a worker; the result is
    // installed on the guest thread only if the region's bytes are still what was translated.

    sealed record Job(JitEngine Engine, CpuState Cpu, BlockKey Key, Region Region, int KeyGeneration);

    /// <summary>Instruction addresses of regions being translated in the background: no second region is started over them.</summary>
    readonly HashSet<uint> pendingAddresses = new();
    readonly HashSet<uint> untranslatableFromWorker = new();
    readonly ConcurrentQueue<(Job job, CompiledBlock? block)> compiled = new();
    static readonly BlockingCollection<Job> queue = new();
    static Thread? worker;
    static readonly object workerLock = new();

    static void StartWorker()
    {
        lock (workerLock)
        {
            if (worker != null) return;
            worker = new Thread(() =>
            {
                foreach (var job in queue.GetConsumingEnumerable())
                {
                    var block = job.Engine.TranslateRegion(job.Cpu, job.Key, job.Region, compileNow: true);
                    job.Engine.compiled.Enqueue((job, block));
                }
            }) { IsBackground = true, Name = "jit360 translator" };
            worker.Start();
        }
    }

    void Install(CpuState cpu)
    {
        while (compiled.TryDequeue(out var done))
        {
            var (job, block) = done;
            foreach (var g in job.Region.Instructions) pendingAddresses.Remove(g.Address);
            if (block == null)
            {
                lock (untranslatableFromWorker) { untranslatable.UnionWith(untranslatableFromWorker); untranslatableFromWorker.Clear(); }
                continue;
            }
            Statistics.BackgroundCompiles++;
            if (job.KeyGeneration != keyGeneration || !Unchanged(cpu, block)) { Statistics.StaleTranslations++; continue; }
            Add(block);
        }
    }

    /// <summary>Whether storage still holds the bytes a region was translated from (a store in between is not seen by the cache).</summary>
    static bool Unchanged(CpuState cpu, CompiledBlock block)
    {
        var mem = cpu.Storage.Bytes;
        foreach (var g in block.Instructions)
            for (int i = 0; i < g.Length; i++)
                if (mem[cpu.Wrap(g.Address + (uint)i)] != (byte)(g.Bytes >> (56 - 8 * i))) return false;
        return true;
    }

    /// <summary>
    /// Interprets from the current address until the instruction count reaches <paramref name="end"/>,
    /// something asks for attention, or a block ends where a region may start (translated code in
    /// that address's 256-byte line) or whose start has just become hot; other block starts only
    /// have their heat counted here, without a round through the dispatcher. The fetch and
    /// dispatch are the interpreter's own loop (<see cref="Interpreter.Interpreter"/>): code below the
    /// hot threshold runs as fast as under the interpreter.
    /// </summary>
    unsafe void Interpret(CpuState cpu, long end)
    {
        var flags = flagsByFirstByte!;
        var fallbacks = Statistics.Fallbacks;
        var c = cache!;
        ref IntPtr handlers = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(DispatchTable.For(cpu.Level));
        byte[] mem = cpu.Storage.Bytes;
        ref byte storage = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(mem);
        uint fastLimit = cpu.Storage.Size >= 6 ? cpu.Storage.Size - 6 : 0;
        while (true)
        {
            uint ia = cpu.Ia;
            ulong insn;
            // As Step.One, with the interpreter's unchecked fetch where no check can fail.
            if (((ia & 1) != 0) | ia > fastLimit | (cpu.Key != 0 && cpu.Storage.FetchProtectedBlocks > 0))
            {
                // Counted before it runs: an instruction that ends in a program interruption was still run here.
                fallbacks.Count(ia < mem.Length ? mem[ia] : (byte)0, mem, ia);
                insn = Fetch.Instruction(cpu, ia);
            }
            else
            {
                insn = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(System.Runtime.CompilerServices.Unsafe.ReadUnaligned<ulong>(
                    ref System.Runtime.CompilerServices.Unsafe.Add(ref storage, ia)));
                fallbacks.Count((byte)(insn >> 56), (byte)(insn >> 48));
            }
            uint op = (uint)(insn >> 56);
            uint len = (0x6442u >> (int)((op >> 6) << 2)) & 0xF;
            cpu.Ilc = (int)(len >> 1);
            cpu.Ia = (ia + len) & cpu.AddressMask;
            ((delegate*<CpuState, ulong, void>)System.Runtime.CompilerServices.Unsafe.Add(ref handlers, op))(cpu, insn);
            cpu.Instructions++;
            Statistics.InstructionsInterpreted++;
            if (cpu.Attention || cpu.Instructions >= end) return;
            if ((flags[op] & OpFlags.EndsBlock) != 0 && (c.HasCode(cpu.Ia) || IsHot(cpu.Ia))) return;
        }
    }

    static void Count(Dictionary<string, long> d, string key)
    {
        lock (d) d[key] = d.GetValueOrDefault(key) + 1;
    }
}
