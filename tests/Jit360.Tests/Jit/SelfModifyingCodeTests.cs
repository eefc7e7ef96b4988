using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Jit;

/// <summary>
/// Code that changes under the engine, on every engine. GA22-7000 "Sequence of Storage
/// References": a store into the instruction stream is seen by every instruction fetched after
/// the store completes (the interruptible-instruction and prefetching caveats concern only
/// multiprocessing and I/O, not the CPU's own stores). Also instruction fetch from odd places:
/// the middle of an instruction, data, the end of storage.
/// </summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class SelfModifyingCodeTests(string engine)
{
    const uint Origin = 0x800;

    /// <summary>
    /// A program assembled at X'800' behind BALR 12,0 / USING *,12, ending by loading DONE (a
    /// disabled wait); program and external new PSWs are disabled waits too.
    /// </summary>
    (CpuState cpu, IExecutionEngine eng, Jit360.Assembler.AssemblyResult asm) Program(string source, ArchLevel level = ArchLevel.S370)
    {
        var asm = Jit360.Assembler.Assembler.Assemble("         START X'800'\n         BALR  12,0\n         USING *,12\n" + source
                    + "\nDONE     DC    0D'0',X'000200000000AAAA'\n         END", "smc-test.asm", new() { Level = level });
        Assert.That(asm.Success, string.Join("\n", asm.Diagnostics));
        var cpu = new CpuState(level, 0x10000, deterministicTime: true);
        cpu.Storage.Load(asm.CoreImage.Origin, asm.CoreImage.Bytes);
        cpu.Storage.Load(Low.ProgramNewPsw, Convert.FromHexString("000200000000EEEE"));
        cpu.LoadPsw(Origin);
        return (cpu, TestEngines.Create(engine), asm);
    }

    static void AssertDone(CpuState cpu, ExitReason exit)
    {
        Assert.That(exit, Is.EqualTo(ExitReason.DisabledWait), $"PSW {cpu.PswText()}, last interruption {cpu.LastInterrupt}");
        Assert.That(cpu.Ia, Is.EqualTo(0xAAAAu), "ended by loading DONE, not by a program check");
    }

    [Test]
    public void A_store_into_the_next_instruction_runs_the_new_bytes()
    {
        // MVI changes the R2 field of the next instruction: LR 1,1 becomes LR 1,2.
        var (cpu, eng, _) = Program("""
         MVI   NEXT+1,X'12'
NEXT     LR    1,1
         LPSW  DONE
""");
        cpu.Gpr[2] = 0x2222;
        AssertDone(cpu, eng.Run(cpu, 100));
        Assert.That(cpu.Gpr[1], Is.EqualTo(0x2222u));
    }

    [Test]
    public void A_store_into_an_earlier_instruction_of_a_running_loop_changes_later_iterations()
    {
        // Five passes add R2 to R1; on the third pass the loop turns its AR into an SR.
        var (cpu, eng, _) = Program("""
LOOP     AR    1,2
         CH    3,=H'3'
         BNE   NEXT
         MVI   LOOP,X'1B'         AR 1,2 becomes SR 1,2
NEXT     BCT   3,LOOP
         LPSW  DONE
         LTORG
""");
        cpu.Gpr[2] = 10; cpu.Gpr[3] = 5;
        AssertDone(cpu, eng.Run(cpu, 1000));
        // R3 counts 5,4,3,2,1: passes with R3 = 5, 4, 3 add; the store happens in pass 3; passes 2 and 1 subtract.
        Assert.That(cpu.Gpr[1], Is.EqualTo(10u));
    }

    [Test]
    public void An_EX_target_that_stores_into_the_code_that_follows()
    {
        // The executed MVI changes the next instruction to LR 1,3.
        var (cpu, eng, _) = Program("""
         EX    0,TGT
NEXT     LR    1,1
         LPSW  DONE
TGT      MVI   NEXT+1,X'13'
""");
        cpu.Gpr[3] = 0x3333;
        AssertDone(cpu, eng.Run(cpu, 100));
        Assert.That(cpu.Gpr[1], Is.EqualTo(0x3333u));
    }

    [Test]
    public void An_EX_target_modified_between_executions_runs_as_modified()
    {
        // Each pass stores R3's low byte into the target's R1/R2 byte: LR 1,n for n = 4, 3, 2.
        var (cpu, eng, _) = Program("""
LOOP     LA    5,X'10'(3)         X'14', X'13', X'12' in the low byte
         STC   5,TGT+1
         EX    0,TGT
         AR    6,1
         BCT   3,LOOP
         LPSW  DONE
TGT      LR    0,0
""");
        cpu.Gpr[2] = 2; cpu.Gpr[3] = 4; cpu.Gpr[4] = 400;
        // Passes with R3 = 4, 3, 2, 1 execute LR 1,4 / LR 1,3 / LR 1,2 / LR 1,1; R1 keeps the previous value in the last.
        AssertDone(cpu, eng.Run(cpu, 1000));
        // R6 = 400 (R4) + 3 (R3 during its pass) + 2 (R2) + 2 (LR 1,1 leaves R1 = 2)
        Assert.That(cpu.Gpr[6], Is.EqualTo(407u));
    }

    [Test]
    public void MVC_over_code_replaces_the_instructions_that_follow()
    {
        // Two instructions replaced by two others copied from data.
        var (cpu, eng, _) = Program("""
         MVC   OLD(4),NEW
OLD      LR    1,1
         LR    2,2
         LPSW  DONE
NEW      LA    1,7
""");
        AssertDone(cpu, eng.Run(cpu, 100));
        Assert.That(cpu.Gpr[1], Is.EqualTo(7u));
    }

    [Test]
    public void A_host_write_into_translated_code_is_seen_at_the_next_run()
    {
        // A loop runs (and is translated), then the host (a channel, loadcore) rewrites an
        // instruction inside it through Storage.Load; the next run executes the new bytes.
        var (cpu, eng, asm) = Program("""
LOOP     LA    1,1(1)
         BCT   3,LOOP
         LPSW  DONE
""");
        cpu.Gpr[3] = 50;
        AssertDone(cpu, eng.Run(cpu, 1000));
        Assert.That(cpu.Gpr[1], Is.EqualTo(50u));
        uint loop = Origin + 2;
        cpu.Storage.Load(loop, Convert.FromHexString("41110002"));   // LA 1,2(1)
        cpu.Gpr[3] = 10;
        cpu.LoadPsw(loop);
        AssertDone(cpu, eng.Run(cpu, 1000));
        Assert.That(cpu.Gpr[1], Is.EqualTo(70u));
    }

    [Test]
    public void Code_that_rewrites_itself_on_every_pass()
    {
        // Each pass reads the LA's displacement byte into R4, adds it (R4 doubles) and stores
        // the low byte back: the displacement goes 1, 2, 4, 8, 16 and R4 ends at 32.
        var (cpu, eng, _) = Program("""
LOOP     IC    4,ADD+3
ADD      LA    4,1(4)
         STC   4,ADD+3
         BCT   3,LOOP
         LPSW  DONE
""");
        cpu.Gpr[3] = 5;
        AssertDone(cpu, eng.Run(cpu, 1000));
        Assert.That(cpu.Gpr[4], Is.EqualTo(32u));
        Assert.That(cpu.Storage.Bytes[Origin + 2 + 4 + 3], Is.EqualTo(32));
        Assert.That(cpu.Instructions, Is.EqualTo(1 + 5 * 4 + 1));
    }

    [Test]
    public void A_branch_into_the_middle_of_an_instruction_executes_the_bytes_there()
    {
        // INS is LA 1,X'A12'(0,1) = 41 10 1A12; its second halfword alone is AR 1,2. The
        // straight path runs the LA once, then the branch runs the AR hidden inside it.
        var (cpu, eng, _) = Program("""
         LA    3,1
INS      DC    X'41101A12'
         BCT   3,INS+2
         LPSW  DONE
""");
        cpu.Gpr[1] = 5; cpu.Gpr[2] = 7;
        AssertDone(cpu, eng.Run(cpu, 100));
        // LA 1,X'A12'(1): R1 = 5 + X'A12'; BCT: R3 1 -> 0, falls through. Then R3 = 0 for the test below.
        Assert.That(cpu.Gpr[1], Is.EqualTo(5u + 0xA12));

        var (cpu2, eng2, _) = Program("""
         LA    3,2
INS      DC    X'41101A12'
         BCT   3,INS+2
         LPSW  DONE
""");
        cpu2.Gpr[1] = 5; cpu2.Gpr[2] = 7;
        AssertDone(cpu2, eng2.Run(cpu2, 100));
        // Pass 1: LA (R1 = 5 + X'A12'), BCT branches (R3 = 1) into the middle: AR 1,2 (+7), BCT falls through.
        Assert.That(cpu2.Gpr[1], Is.EqualTo(5u + 0xA12 + 7));
        Assert.That(cpu2.Instructions, Is.EqualTo(1 + 1 + 1 + 1 + 1 + 1 + 1));
    }

    [Test]
    public void Data_built_by_the_program_is_executed()
    {
        // The program copies LR 1,2 / BR 14 into a work area and branches there with BALR.
        var (cpu, eng, _) = Program("""
         MVC   WORK(4),PROTO
         LA    15,WORK
         BALR  14,15
         LPSW  DONE
PROTO    LR    1,2
         BR    14
WORK     DC    XL4'00'
""");
        cpu.Gpr[2] = 0x1234;
        AssertDone(cpu, eng.Run(cpu, 100));
        Assert.That(cpu.Gpr[1], Is.EqualTo(0x1234u));
    }

    [Test]
    public void Data_rewritten_after_it_ran_runs_as_rewritten()
    {
        // The work area runs twice: first as LR 1,2, then (after an MVI) as LR 1,3.
        var (cpu, eng, _) = Program("""
         MVC   WORK(4),PROTO
         LA    15,WORK
         BALR  14,15
         LR    5,1
         MVI   WORK+1,X'13'
         BALR  14,15
         LPSW  DONE
PROTO    LR    1,2
         BR    14
WORK     DC    XL4'00'
""");
        cpu.Gpr[2] = 0x2222; cpu.Gpr[3] = 0x3333;
        AssertDone(cpu, eng.Run(cpu, 100));
        Assert.That(cpu.Gpr[5], Is.EqualTo(0x2222u));
        Assert.That(cpu.Gpr[1], Is.EqualTo(0x3333u));
    }

    /// <summary>Code at the top of a 64K machine, stopping at the first program interruption.</summary>
    TestMachine AtTop(string hex, uint at)
    {
        var m = new TestMachine(engine, ArchLevel.S370);
        m.Code(hex, at);
        return m;
    }

    [Test]
    public void Running_off_the_end_of_storage_is_an_addressing_exception_at_the_next_address()
    {
        // LR 1,2 and LR 3,2 in the last 4 bytes, then the instruction address leaves storage.
        var m = AtTop("1812 1832", 0xFFFC);
        m.Reg(2, 9);
        m.Run(10);
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Addressing));
        Assert.That(m.Cpu.Instructions, Is.EqualTo(2));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(9u));
        // GA22-7000 "ILC on Instruction Fetch Exceptions": the IA is advanced by the ILC reported (2 here).
        Assert.That(m.Cpu.LastInterrupt.Ilc, Is.EqualTo(2));
        Assert.That((uint)m.Cpu.LastInterrupt.OldPsw & 0xFF_FFFF, Is.EqualTo(0x10004u));
    }

    [Test]
    public void An_instruction_that_straddles_the_end_of_storage_is_an_addressing_exception_with_its_length()
    {
        // LR, then an MVC whose third halfword lies beyond storage: nothing of the MVC happens.
        var m = AtTop("1812 D200", 0xFFFA);
        m.Reg(2, 9);
        m.Run(10);
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Addressing));
        Assert.That(m.Cpu.Instructions, Is.EqualTo(1));
        Assert.That(m.Cpu.LastInterrupt.Ilc, Is.EqualTo(3));
        Assert.That((uint)m.Cpu.LastInterrupt.OldPsw & 0xFF_FFFF, Is.EqualTo(0xFFFCu + 6));
    }

    [Test]
    public void A_loop_that_overwrites_itself_with_a_branch_out_leaves_at_once()
    {
        // The loop's first instruction becomes a branch to DONE on the pass that stores it.
        var (cpu, eng, _) = Program("""
LOOP     LA    1,1(1)
         CH    1,=H'3'
         BL    LOOP
         MVC   LOOP(4),JUMP
         B     LOOP
JUMP     LPSW  DONE
         LTORG
""");
        AssertDone(cpu, eng.Run(cpu, 1000));
        Assert.That(cpu.Gpr[1], Is.EqualTo(3u));
    }
}
