using Jit360.Architecture;
using Jit360.Interpreter;
using Jit360.Machine;

namespace Jit360.Jit;

/// <summary>
/// The translating engine: the interpreter is tier 0 and counts how often each block start is
/// reached; a block reached <see cref="HotThreshold"/> times is translated to IL and from then
/// on runs compiled. Interruptions and the instruction budget are checked between blocks, so
/// timers and I/O arrive as promptly as under the interpreter, and instruction counts agree.
/// </summary>
public sealed class JitEngine : IExecutionEngine
{
    public string Name => "jit";

    /// <summary>Block entries before translation; 0 translates everything at first sight (tests).</summary>
    public int HotThreshold { get; init; } = 16;

    public JitStatistics Statistics { get; } = new();

    BlockCache? cache;
    CpuState? attached;
    int keyGeneration;
    readonly ushort[] heat = new ushort[1 << 16];
    readonly HashSet<uint> untranslatable = new();
    OpFlags[]? flagsByFirstByte;

    public BlockCache Cache => cache ?? throw new InvalidOperationException("the engine has not run yet");

    void Attach(CpuState cpu)
    {
        if (attached == cpu) return;
        attached = cpu;
        cache = new BlockCache(cpu, Statistics);
        cpu.Storage.CodeWatch = cache;
        keyGeneration = cpu.Storage.KeyGeneration;
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
        long sliceEnd = Interpreter.Interpreter.SliceEnd(cpu, target);
        while (true)
        {
            if (cpu.Attention)
            {
                var exit = Interpreter.Interpreter.Attend(cpu, target);
                if (exit != null) return exit.Value;
                if (cpu.Wait) continue;
                if (cpu.Storage.KeyGeneration != keyGeneration) { keyGeneration = cpu.Storage.KeyGeneration; c.Clear(); }
                sliceEnd = Interpreter.Interpreter.SliceEnd(cpu, target);
            }
            if (cpu.Instructions >= target) return ExitReason.InstructionLimit;
            if (cpu.Instructions >= sliceEnd) { cpu.Attention = true; continue; }
            long remaining = sliceEnd - cpu.Instructions;

            // The last block seen at this address, if it still applies: most lookups end here.
            ref CompiledBlock? recent = ref recentBlocks[(cpu.Ia >> 1) & (RecentBlocks - 1)];
            if (recent is { Valid: true } r && r.Instructions.Count <= remaining && Matches(r.Key, cpu))
            {
                RunBlock(cpu, r, sliceEnd);
                continue;
            }
            var key = BlockKey.Of(cpu, BlockDiscovery.MaxBlockInstructions);
            if (c.TryGet(key, out var block) && block.Instructions.Count <= remaining)
            {
                recent = block;
                RunBlock(cpu, block, sliceEnd);
                continue;
            }
            Statistics.CacheMisses++;
            if (remaining < BlockDiscovery.MaxBlockInstructions)
            {
                // Near the end of the budget: a shorter block keeps the count exact. Only worth
                // compiling when everything is translated (tests); otherwise interpret.
                key = key with { MaxInstructions = (int)remaining };
                if (c.TryGet(key, out block)) { RunBlock(cpu, block, sliceEnd); continue; }
                if (HotThreshold == 0 && TryTranslate(cpu, key, out block)) { RunBlock(cpu, block, sliceEnd); continue; }
                InterpretBlock(cpu, (int)remaining);
                continue;
            }
            if (IsHot(cpu.Ia) && TryTranslate(cpu, key, out block)) { RunBlock(cpu, block, sliceEnd); continue; }
            InterpretBlock(cpu, BlockDiscovery.MaxBlockInstructions);
        }
    }

    /// <summary>Direct-mapped cache of recently run blocks, by instruction address.</summary>
    const int RecentBlocks = 4096;
    readonly CompiledBlock?[] recentBlocks = new CompiledBlock?[RecentBlocks];

    static bool Matches(in BlockKey k, CpuState cpu)
        => k.Address == cpu.Ia && k.Problem == cpu.Problem && k.Key == cpu.Key && k.Translate == cpu.Translate
           && k.Addressing32 == cpu.Addressing32 && k.MaxInstructions == BlockDiscovery.MaxBlockInstructions;

    void RunBlock(CpuState cpu, CompiledBlock block, long limit)
    {
        Statistics.CacheHits++;
        block.Executions++;
        long before = cpu.Instructions;
        block.Run(cpu, limit);   // (a block left by a program interruption is not counted here: statistics only)
        Statistics.InstructionsTranslated += cpu.Instructions - before;
    }

    bool IsHot(uint ia)
    {
        if (HotThreshold == 0) return true;
        ref ushort h = ref heat[(ia >> 1) & 0xFFFF];
        if (h < HotThreshold) { h++; return false; }
        return true;
    }

    bool TryTranslate(CpuState cpu, BlockKey key, out CompiledBlock block)
    {
        block = null!;
        if (untranslatable.Contains(key.Address)) return false;
        try
        {
            var list = BlockDiscovery.Discover(cpu, key.Address, key.MaxInstructions);
            // Stop the block before an instruction the translator has no handler for.
            int n = list.FindIndex(i => !Translator.CanTranslate(i.Opcode));
            if (n >= 0) list.RemoveRange(n, list.Count - n);
            if (list.Count == 0) { untranslatable.Add(key.Address); return false; }
            block = Translator.Translate(key, list, cpu.AddressMask);
        }
        catch (Exception e) when (e is not ProgramInterruption)
        {
            // A translation failure is never fatal: this block stays interpreted, and is counted.
            untranslatable.Add(key.Address);
            Count(Statistics.FallbacksByMnemonic, "translation-failure");
            return false;
        }
        cache!.Add(block);
        Statistics.BlocksTranslated++;
        Statistics.GuestInstructionsTranslated += block.Instructions.Count;
        Statistics.IlBytes += block.IlBytes;
        Statistics.CompileTime += block.CompileTime;
        return true;
    }

    /// <summary>Interprets up to the end of the current block (an instruction that ends blocks, or the cap).</summary>
    void InterpretBlock(CpuState cpu, int cap)
    {
        var flags = flagsByFirstByte!;
        for (int i = 0; i < cap; i++)
        {
            uint ia = cpu.Ia;
            byte first = ia < cpu.Storage.Size ? cpu.Storage.Bytes[ia] : (byte)0;
            Step.One(cpu);
            Statistics.InstructionsInterpreted++;
            if ((flags[first] & OpFlags.EndsBlock) != 0 || cpu.Attention) return;
        }
    }

    static void Count(Dictionary<string, long> d, string key) => d[key] = d.GetValueOrDefault(key) + 1;
}
