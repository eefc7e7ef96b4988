using System.Diagnostics;
using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Interpreter;

/// <summary>
/// Random bytes executed as code, in any PSW state, yield architected program interruptions and
/// never an unhandled host exception. Each case fills storage with seeded random bytes, sets
/// random registers, storage keys and a random PSW (problem or supervisor state, any key and
/// masks, BC or EC mode on S/370, the extended PSW with 32-bit addressing on a Model 67), points
/// the new PSWs either at a disabled wait or back into the random code, and runs a bounded number
/// of instructions. The base seed is printed; JIT360_FUZZ_SEED=n replays a run, and a failure
/// names the case seed that reproduces it alone.
/// </summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class RandomCodeFuzzTests(string engine)
{
    const uint StorageSize = 0x10000;
    const long InstructionsPerCase = 3000;

    // JIT360_FUZZ_SECONDS=n runs n seconds per level (and as many cases as fit) for a deeper search.
    static readonly int? DeepSeconds = int.TryParse(Environment.GetEnvironmentVariable("JIT360_FUZZ_SECONDS"), out int n) ? n : null;
    static readonly int Cases = DeepSeconds == null ? 400 : int.MaxValue;
    static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(DeepSeconds ?? 5);   // per level: a guard for slow machines

    static readonly int[] ArchitectedCodes =
    [
        ProgramInterruptCode.Operation, ProgramInterruptCode.PrivilegedOperation, ProgramInterruptCode.Execute,
        ProgramInterruptCode.Protection, ProgramInterruptCode.Addressing, ProgramInterruptCode.Specification,
        ProgramInterruptCode.Data, ProgramInterruptCode.FixedPointOverflow, ProgramInterruptCode.FixedPointDivide,
        ProgramInterruptCode.DecimalOverflow, ProgramInterruptCode.DecimalDivide, ProgramInterruptCode.ExponentOverflow,
        ProgramInterruptCode.ExponentUnderflow, ProgramInterruptCode.Significance, ProgramInterruptCode.FloatingPointDivide,
        ProgramInterruptCode.SegmentTranslation, ProgramInterruptCode.PageTranslation, ProgramInterruptCode.TranslationSpecification,
        ProgramInterruptCode.SpecialOperation, ProgramInterruptCode.MonitorEvent,
    ];

    static int BaseSeed()
    {
        var env = Environment.GetEnvironmentVariable("JIT360_FUZZ_SEED");
        return int.TryParse(env, out int s) ? s : Random.Shared.Next();
    }

    [TestCase(ArchLevel.S360)]
    [TestCase(ArchLevel.S360_67)]
    [TestCase(ArchLevel.S370)]
    public void Random_code_gives_only_architected_interruptions(ArchLevel level)
    {
        // Random code takes an interruption every few instructions, and lockstep compares the
        // whole machine at each one: too slow for this test's time budget. The JIT's agreement
        // with the interpreter on random code is the block fuzzer's job (Jit/BlockFuzzTests).
        if (engine == "lockstep") Assert.Ignore("lockstep compares full state at every interruption, too slow for random code's budget; Jit/BlockFuzzTests compares the JIT with the interpreter");
        int seed = BaseSeed();
        TestContext.Out.WriteLine($"{level} on {engine}: base seed {seed} (replay with JIT360_FUZZ_SEED={seed})");
        var failures = new List<string>();
        var exits = new Dictionary<ExitReason, int>();
        long instructions = 0, interruptions = 0;
        var sw = Stopwatch.StartNew();
        int done = 0;
        for (; done < Cases && sw.Elapsed < TimeLimit && failures.Count < 5; done++)
        {
            int caseSeed = unchecked(seed + done * 7919);
            var result = RunCase(level, caseSeed);
            instructions += result.Instructions;
            interruptions += result.ProgramInterruptions;
            foreach (var e in result.Exits) exits[e] = exits.GetValueOrDefault(e) + 1;
            if (result.Failure != null) failures.Add($"case seed {caseSeed}: {result.Failure}");
        }
        TestContext.Out.WriteLine($"{done} cases, {instructions} instructions, {interruptions} program interruptions, {sw.ElapsedMilliseconds} ms; exits: "
                                  + string.Join(", ", exits.OrderBy(e => e.Key).Select(e => $"{e.Key} {e.Value}")));
        Assert.That(failures, Is.Empty, string.Join("\n\n", failures));
        Assert.That(done, Is.GreaterThanOrEqualTo(50), "too few cases ran to mean anything");
        Assert.That(interruptions, Is.GreaterThan(done), "random code should meet program interruptions");
    }

    // ---- what the fuzzer found, kept as plain regression tests

    [Test]
    public void TR_with_its_table_near_4_GiB_on_a_Model_67_in_32_bit_mode_is_an_addressing_exception()
    {
        // Found by the fuzzer: the table-in-storage test computed t + 256, which wrapped to a
        // small number for t near 2^32 and let the handler index outside storage.
        var m = new TestMachine(engine, ArchLevel.S360_67);
        m.Cpu.Cr[6] |= 0x0080_0000;                                        // extended PSW
        m.Cpu.LoadPsw(0x0800_0000_0000_0000UL | TestMachine.CodeAddress);   // 32-bit addressing
        m.Code("DC0010002000").Reg(1, 0x2000).Reg(2, 0xFFFF_FFF0);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Addressing));
    }

    sealed record CaseResult(long Instructions, long ProgramInterruptions, List<ExitReason> Exits, string? Failure);

    CaseResult RunCase(ArchLevel level, int caseSeed)
    {
        var rng = new Random(caseSeed);
        var cpu = new CpuState(level, StorageSize, deterministicTime: true);
        // Random code rarely runs a block twice: the JIT translates blocks seen twice here, so
        // loops run translated while straight-line junk stays affordable to fuzz.
        var eng = engine == "jit" ? new Jit360.Jit.JitEngine { HotThreshold = 1 } : TestEngines.Create(engine);
        rng.NextBytes(cpu.Storage.Bytes.AsSpan(0, (int)StorageSize));
        for (uint a = 0; a < StorageSize; a += 2048)
            if (rng.Next(8) == 0) cpu.Storage.SetKey(a, (byte)(rng.Next(256) & 0xFE));
        for (int r = 0; r < 16; r++) cpu.Gpr[r] = RandomValue(rng);
        for (int r = 0; r < 8; r += 2) cpu.Fpr[r] = (ulong)rng.NextInt64() ^ (ulong)rng.Next() << 63;
        bool extended67 = level == ArchLevel.S360_67 && rng.Next(2) == 0;
        if (rng.Next(3) == 0)
            for (int r = 0; r < 16; r++) cpu.Cr[r] = (uint)rng.NextInt64(0, 1L << 32);
        if (level == ArchLevel.S360_67) cpu.Cr[6] = extended67 ? cpu.Cr[6] | 0x0080_0000 : cpu.Cr[6] & ~0x0080_0000u;

        // The state the random code runs in, and what the new PSWs do: a disabled wait ends the
        // case; otherwise every interruption re-enters the random code in a similar state.
        bool reenter = rng.Next(3) != 0;
        ulong psw = RandomPsw(rng, level, extended67);
        for (uint loc = Low.ExternalNewPsw; loc <= Low.IoNewPsw; loc += 8)
            cpu.Storage.WriteDoublewordAbsolute(loc, reenter ? RandomPsw(rng, level, extended67) : DisabledWait);
        cpu.LoadPsw(psw);
        cpu.StopOnInterrupt = true;   // each interruption returns, so every code is seen
        cpu.Clock.IntervalTimerPending = rng.Next(8) == 0;

        var exits = new List<ExitReason>();
        long programInterruptions = 0;
        long budget = InstructionsPerCase;
        using var watchdog = new Timer(_ => cpu.StopRequested = true, null, 2000, Timeout.Infinite);
        try
        {
            while (budget > 0 && exits.Count < 2000)
            {
                long before = cpu.Instructions;
                cpu.LastInterrupt = default;
                ExitReason exit = eng.Run(cpu, budget);
                budget -= Math.Max(1, cpu.Instructions - before);
                exits.Add(exit);
                if (cpu.LastInterrupt.Class == InterruptClass.Program)
                {
                    programInterruptions++;
                    int code = cpu.LastInterrupt.Code;
                    if (!ArchitectedCodes.Contains(code) && !ArchitectedCodes.Contains(code & ~ProgramInterruptCode.MonitorEvent))
                        return new(cpu.Instructions, programInterruptions, exits, $"unarchitected program-interruption code {code:X4}");
                }
                if (exit == ExitReason.Stopped)
                    return new(cpu.Instructions, programInterruptions, exits, $"did not return within 2 s (hang) at {cpu.PswText()}");
                if (exit is ExitReason.DisabledWait or ExitReason.ProgramInterruptLoop) break;
                // An interruption handler that goes back into random code somewhere else.
                if (exit == ExitReason.Interrupt && reenter) cpu.LoadPsw(RandomPsw(rng, level, extended67));
                if (exit == ExitReason.EnabledWait)
                {
                    // Nothing will arrive: end the wait as an operator would, by restart
                    // (a System/370 facility; on a System/360 the operator could only stop).
                    if (level != ArchLevel.S370 || rng.Next(2) == 0) break;
                    cpu.TakeRestartInterrupt();
                }
                string? bad = CheckState(cpu);
                if (bad != null) return new(cpu.Instructions, programInterruptions, exits, bad);
            }
            return new(cpu.Instructions, programInterruptions, exits, CheckState(cpu));
        }
        catch (Exception e)
        {
            return new(cpu.Instructions, programInterruptions, exits,
                $"(replay alone with JIT360_FUZZ_SEED={caseSeed}) host exception escaped the engine at {cpu.PswText()}, ILC {cpu.Ilc}, instruction {InstructionText(cpu)}:\n{e}");
        }
    }

    /// <summary>Every field of the PSW within its architected range after a run.</summary>
    static string? CheckState(CpuState cpu)
    {
        if (cpu.Cc is < 0 or > 3) return $"condition code {cpu.Cc}";
        if (cpu.ProgramMask is < 0 or > 15) return $"program mask {cpu.ProgramMask}";
        if (cpu.Key is < 0 or > 15) return $"key {cpu.Key}";
        if ((cpu.Ia & ~cpu.AddressMask) != 0) return $"instruction address {cpu.Ia:X8} outside the address mask {cpu.AddressMask:X8}";
        return null;
    }

    /// <summary>The bytes at the instruction address (or the last instruction's), for the failure report.</summary>
    static string InstructionText(CpuState cpu)
    {
        uint a = (cpu.Ia - (uint)(cpu.Ilc * 2)) & cpu.AddressMask;
        return a + 6 <= cpu.Storage.Size ? $"{Convert.ToHexString(cpu.Storage.Bytes, (int)a, 6)} at {a:X6} (Ia - ILC)" : $"at {a:X8}";
    }

    /// <summary>Register values: small addresses inside storage, near the 16 MiB and 4 GiB wraps, or anything.</summary>
    static uint RandomValue(Random rng) => rng.Next(10) switch
    {
        < 4 => (uint)rng.Next((int)StorageSize),
        4 => 0x0100_0000u - (uint)rng.Next(512),
        5 => 0u - (uint)rng.Next(512),
        6 => (uint)rng.Next(16),
        _ => (uint)rng.NextInt64(0, 1L << 32),
    };

    static ulong RandomPsw(Random rng, ArchLevel level, bool extended67)
    {
        uint ia = (uint)rng.Next((int)StorageSize) & ~1u;
        if (rng.Next(16) == 0) ia |= 1;                                  // odd: specification at fetch
        ulong key = rng.Next(2) == 0 ? 0UL : (ulong)rng.Next(16);
        ulong mwp = (ulong)(rng.Next(2) == 0 ? 1 : 0) | (ulong)(rng.Next(8) == 0 ? 4 : 0);   // problem; machine-check mask
        ulong sysMask = (ulong)rng.Next(256);
        ulong ccPm = (ulong)rng.Next(64);
        if (level == ArchLevel.S370 && rng.Next(2) == 0)
        {
            // EC mode: PER, DAT, I/O and external masks; now and then an invalid bit.
            sysMask &= rng.Next(8) == 0 ? 0xFFUL : 0x47UL;
            ulong w = sysMask << 56 | key << 52 | 8UL << 48 | mwp << 48 | ccPm << 40 | ia;
            if (rng.Next(12) == 0) w |= 1UL << 32;                        // bits 24-31 nonzero: invalid
            return w;
        }
        if (extended67)
        {
            // Model 67 extended PSW: bit 4 32-bit addressing, 5 translation, 6 I/O, 7 external.
            ulong w = sysMask << 56 | key << 52 | mwp << 48 | ccPm << 40;
            bool wide = (sysMask & 0x08) != 0;
            return w | (wide ? RandomWideAddress(rng) : ia);
        }
        return sysMask << 56 | key << 52 | (ulong)(level != ArchLevel.S370 && rng.Next(8) == 0 ? 8 : 0) << 48 | mwp << 48
             | ccPm << 24 | ia;
    }

    static uint RandomWideAddress(Random rng) => rng.Next(4) == 0 ? (uint)rng.NextInt64(0, 1L << 32) & ~1u : (uint)rng.Next((int)StorageSize) & ~1u;

    /// <summary>Wait bit on, every mask off: read the same way in BC, EC and Model 67 extended format.</summary>
    const ulong DisabledWait = 0x0002_0000_0000_0000UL;
}
