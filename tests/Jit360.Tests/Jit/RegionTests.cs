using Jit360.Architecture;
using Jit360.Jit;
using Jit360.Machine;

namespace Jit360.Tests.Jit;

/// <summary>
/// Hot regions: loops over several blocks in one method, program interruptions inside a region
/// leaving the interpreter's exact state, stores into a region's own code, condition-code
/// liveness across exits, and the storage fast path against its slow path.
/// </summary>
public class RegionTests
{
    /// <summary>A program at X'800' behind BALR 12,0 / USING *,12, with DONE a disabled-wait PSW; the program new PSW is a disabled wait too.</summary>
    static CpuState Machine(string source, ArchLevel level = ArchLevel.S370, Action<CpuState>? setup = null)
    {
        var asm = Jit360.Assembler.Assembler.Assemble("         START X'800'\n         BALR  12,0\n         USING *,12\n" + source + "\nDONE     DC    0D'0',X'000200000000AAAA'\n         END", "region-test.asm", new() { Level = level });
        Assert.That(asm.Success, string.Join("\n", asm.Diagnostics));
        var cpu = new CpuState(level, 0x10000, deterministicTime: true);
        cpu.Storage.Load(asm.CoreImage.Origin, asm.CoreImage.Bytes);
        cpu.Storage.Load(Low.ProgramNewPsw, Convert.FromHexString("000200000000EEEE"));
        cpu.LoadPsw(0x800);
        setup?.Invoke(cpu);
        return cpu;
    }

    /// <summary>Runs the program on the interpreter and on the JIT (hot threshold given, translation on the guest thread) and requires the same full state.</summary>
    internal static (CpuState interp, CpuState jit, JitEngine engine) Both(string source, int threshold = 2, long budget = 100_000, ArchLevel level = ArchLevel.S370, Action<CpuState>? setup = null)
    {
        var interp = Machine(source, level, setup);
        var exitInterp = new Jit360.Interpreter.Interpreter().Run(interp, budget);
        var jitCpu = Machine(source, level, setup);
        var engine = new JitEngine { HotThreshold = threshold, Synchronous = true };
        var exitJit = engine.Run(jitCpu, budget);
        Assert.That(exitJit, Is.EqualTo(exitInterp), "exit reason");
        AssertSameState(interp, jitCpu);
        return (interp, jitCpu, engine);
    }

    static void AssertSameState(CpuState expected, CpuState actual)
    {
        for (int r = 0; r < 16; r++) Assert.That(actual.Gpr[r], Is.EqualTo(expected.Gpr[r]), $"R{r}");
        Assert.That(actual.CurrentPsw(), Is.EqualTo(expected.CurrentPsw()), "PSW");
        Assert.That(actual.Ilc, Is.EqualTo(expected.Ilc), "ILC");
        Assert.That(actual.Cc, Is.EqualTo(expected.Cc), "condition code");
        Assert.That(actual.Instructions, Is.EqualTo(expected.Instructions), "instruction count");
        Assert.That(actual.LastInterrupt, Is.EqualTo(expected.LastInterrupt), "last interruption");
        int differs = actual.Storage.Bytes.AsSpan().CommonPrefixLength(expected.Storage.Bytes);
        Assert.That(differs, Is.EqualTo(expected.Storage.Bytes.Length), $"storage differs at {differs:X}");
        Assert.That(actual.Storage.Keys, Is.EqualTo(expected.Storage.Keys), "storage keys");
    }

    [Test]
    public void A_loop_over_several_blocks_runs_inside_one_region()
    {
        // 1000 iterations of a loop with a conditional branch inside it: three blocks per pass.
        var (interp, jit, engine) = Both("""
         LA    2,1000
         SR    3,3
         SR    4,4
LOOP     LR    5,2
         N     5,ONE
         BZ    EVEN
         LA    3,1(3)             odd count
         B     NEXT
EVEN     LA    4,1(4)             even count
NEXT     BCT   2,LOOP
         LPSW  DONE
ONE      DC    F'1'
""");
        Assert.That(jit.Gpr[3], Is.EqualTo(500u));
        Assert.That(jit.Gpr[4], Is.EqualTo(500u));
        Assert.That(engine.Statistics.InstructionsTranslated, Is.GreaterThan(5000));
        Assert.That(engine.Statistics.RegionsTranslated, Is.LessThanOrEqualTo(4));
        // One entry into the region runs the whole loop (the slice of 4096 instructions may split it once or twice).
        Assert.That(engine.Statistics.Dispatches, Is.LessThan(10));
    }

    [Test]
    public void An_addressing_exception_on_the_fifth_instruction_of_a_loop_leaves_the_interpreters_state()
    {
        // R6 walks up by 4K a pass; the fifth instruction loads through it and leaves the 64K machine in pass 16.
        Both("""
         SR    6,6
         LA    7,1
LOOP     AR    3,7
         LR    8,3
         SLL   8,2
         ALR   9,8
         L     5,0(6)
         LA    6,4095(6)
         LA    6,1(6)
         CR    5,9
         B     LOOP
""", threshold: 2);
    }

    [Test]
    public void A_fixed_point_overflow_with_the_mask_on_interrupts_inside_a_region_exactly()
    {
        // SPM sets the fixed-point-overflow mask; the AR doubles R3 until it overflows.
        var (_, jit, _) = Both("""
         L     1,MASK
         SPM   1
         LA    3,1
LOOP     LA    4,1(4)
         AR    3,3
         ST    3,SAVE
         B     LOOP
MASK     DC    X'08000000'
SAVE     DS    F
""");
        Assert.That(jit.LastInterrupt.Code, Is.EqualTo(ProgramInterruptCode.FixedPointOverflow));
    }

    [Test]
    public void A_fixed_point_overflow_with_the_mask_off_completes_with_code_3_inside_a_region()
    {
        var (_, jit, _) = Both("""
         LA    3,1
         LA    5,40
LOOP     AR    3,3
         BO    OVER
         BCT   5,LOOP
         LPSW  DONE
OVER     LA    6,1(6)
         BCT   5,LOOP
         LPSW  DONE
""");
        Assert.That(jit.Gpr[6], Is.GreaterThan(0u));
    }

    [Test]
    public void A_store_into_the_next_instruction_inside_a_hot_loop_takes_effect()
    {
        // Pass by pass the MVI rewrites the next LA's displacement byte with the pass number.
        var (_, jit, _) = Both("""
         LA    2,20
LOOP     STC   2,NEXT+3
NEXT     LA    3,0(3)
         BCT   2,LOOP
         LPSW  DONE
""", threshold: 1);
        Assert.That(jit.Gpr[3], Is.EqualTo((uint)(20 * 21 / 2)));
    }

    [Test]
    public void A_store_through_EX_into_the_regions_own_code_takes_effect()
    {
        // EX runs an MVI whose immediate byte comes from R2: it rewrites the AH's displacement.
        var (_, jit, engine) = Both("""
         LA    2,10
LOOP     EX    2,PATCH
TARGET   LA    3,0(3)
         BCT   2,LOOP
         LPSW  DONE
PATCH    MVI   TARGET+3,0
""", threshold: 1);
        Assert.That(jit.Gpr[3], Is.EqualTo((uint)(10 * 11 / 2)));
        Assert.That(engine.Statistics.Invalidations, Is.GreaterThan(0));
    }

    [Test]
    public void A_condition_code_set_in_a_region_is_seen_after_its_exit()
    {
        // CR's code is computed in the region; BR leaves it (a computed branch) and BH reads it outside.
        var (_, jit, _) = Both("""
         LA    5,AFTER
         LA    2,30
LOOP     LA    3,1(3)
         CR    3,2
         BL    LOOP
         BR    5
AFTER    BH    HIGH
         BE    EQUAL
         LPSW  DONE
HIGH     LA    7,2
         LPSW  DONE
EQUAL    LA    7,1
         LPSW  DONE
""", threshold: 1);
        Assert.That(jit.Gpr[7], Is.EqualTo(1u));
    }

    [Test]
    public void A_condition_code_overwritten_inside_a_block_still_reaches_the_exit_right()
    {
        // ALR's code is dead (NR overwrites it); NR's is live at the exit.
        var (_, jit, _) = Both("""
         LA    2,100
LOOP     ALR   3,2
         NR    4,3
         BCT   2,LOOP
         LPSW  DONE
""", threshold: 1);
        Assert.That(jit.Cc, Is.EqualTo(0));
    }

    [Test]
    public void A_store_into_a_protected_key_raises_protection_with_the_exact_state()
    {
        // Key 1 program state storing into a block of key 2 on the 8th pass: the fast path must give way.
        Both("""
         SR    6,6
LOOP     LA    4,1(4)
         ST    4,0(6,10)
         LA    6,256(6)
         B     LOOP
""", threshold: 1, setup: cpu =>
        {
            for (uint a = 0; a < 0x10000; a += 2048) cpu.Storage.SetKey(a, 0x10);
            cpu.Storage.SetKey(0x3800, 0x20);
            cpu.Gpr[10] = 0x3000;
            cpu.Key = 1;
        });
    }

    [Test]
    public void A_fetch_from_a_fetch_protected_block_raises_protection_with_the_exact_state()
    {
        Both("""
         SR    6,6
LOOP     L     4,0(6,10)
         A     4,0(6,10)
         LA    6,256(6)
         B     LOOP
""", threshold: 1, setup: cpu =>
        {
            for (uint a = 0; a < 0x10000; a += 2048) cpu.Storage.SetKey(a, 0x10);
            cpu.Storage.SetKey(0x3800, 0x28);
            cpu.Gpr[10] = 0x3000;
            cpu.Key = 1;
        });
    }

    [Test]
    public void Unreferenced_storage_takes_the_slow_path_and_records_reference_and_change()
    {
        // Fresh keys have neither bit: the first access of each block goes through the handler.
        var (_, jit, _) = Both("""
         LA    2,16
         SR    6,6
LOOP     L     4,0(6,10)
         ST    4,0(6,11)
         LA    6,2048(6)
         BCT   2,LOOP
         LPSW  DONE
""", threshold: 1, setup: cpu => { cpu.Gpr[10] = 0x4000; cpu.Gpr[11] = 0x4004; });
        Assert.That(jit.Storage.Keys[0x4000 >> 11] & (Storage.Reference | Storage.Change), Is.EqualTo(Storage.Reference | Storage.Change));
    }

    [Test]
    public void S360_alignment_is_checked_on_the_fast_path()
    {
        // The L address becomes odd on the third pass: specification exception as in the interpreter.
        Both("""
         LA    6,0
LOOP     L     4,0(6,10)
         LA    6,9(6)
         LA    7,1(7)
         B     LOOP
""", threshold: 1, level: ArchLevel.S360, setup: cpu => cpu.Gpr[10] = 0x4000);
    }

    [Test]
    public void A_budget_that_ends_inside_a_region_stops_at_the_exact_instruction()
    {
        foreach (long budget in new long[] { 1, 7, 100, 1001, 4097 })
            Both("""
LOOP     LA    1,1(1)
         N     1,MASK
         BXLE  1,2,LOOP
         B     LOOP
MASK     DC    X'0000FFFF'
""", threshold: 1, budget: budget, setup: cpu => { cpu.Gpr[2] = 1; cpu.Gpr[3] = 0x100; });
    }

    [Test]
    public void Background_translation_reaches_the_same_state()
    {
        const string code = """
         LA    2,3000
LOOP     LA    3,3(3)
         ALR   4,3
         BCT   2,LOOP
         LPSW  DONE
""";
        var interp = Machine(code);
        new Jit360.Interpreter.Interpreter().Run(interp, 1_000_000);
        var cpu = new CpuState(ArchLevel.S370, 0x10000, deterministicTime: false);
        var reference = Machine(code);
        reference.Storage.Bytes.AsSpan().CopyTo(cpu.Storage.Bytes);
        cpu.LoadPsw(0x800);
        var engine = new JitEngine { HotThreshold = 4, Background = true };
        engine.Run(cpu, 1_000_000);
        Assert.That(cpu.Gpr[4], Is.EqualTo(interp.Gpr[4]));
        Assert.That(cpu.Instructions, Is.EqualTo(interp.Instructions));
    }

    [Test]
    public void Data_stored_into_a_wrongly_predicted_path_costs_one_retranslation_not_one_per_store()
    {
        // The BM is never taken, but discovery follows it into DATA, which decodes as AR 1,2 and
        // BCR 15,14: the region holds them. Every pass stores into DATA (as CP stores an old PSW
        // into low storage a wrong prediction reached): the first store invalidates the region and
        // leaves DATA to the interpreter, the region is translated once more without it, and the
        // other 49 stores invalidate nothing.
        var (_, _, engine) = Both("""
         LA    3,50
         L     5,DATA
LOOP     ST    5,DATA             the same bytes again
         LTR   3,3
         BM    DATA
         BCT   3,LOOP
         LPSW  DONE
         DS    0F
DATA     DC    X'1A1207FE'
""", threshold: 1);
        Assert.That(engine.Statistics.Invalidations, Is.EqualTo(1));
        Assert.That(engine.Statistics.PatchedInstructions, Is.EqualTo(2));
        Assert.That(engine.Statistics.Retranslations, Is.EqualTo(1));
    }
}
