using Jit360.Architecture;
using Jit360.Interpreter;
using Jit360.Jit;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Jit;

/// <summary>Behaviour specific to translated code: self-modifying code, counts, exits.</summary>
public class JitTests
{
    /// <summary>
    /// Assembles a test program at X'800' behind a BALR 12,0 / USING *,12 prologue, with DONE a
    /// disabled-wait PSW for it to load, onto a fresh CPU.
    /// </summary>
    static (CpuState cpu, JitEngine jit) Machine(string source, int threshold = 0)
    {
        const uint at = 0x800;
        var asm = Jit360.Assembler.Assembler.Assemble("         START X'800'\n         BALR  12,0\n         USING *,12\n" + source + "\nDONE     DC    0D'0',X'000200000000AAAA'\n         END", "jit-test.asm", new() { Level = ArchLevel.S370 });
        Assert.That(asm.Success, string.Join("\n", asm.Diagnostics));
        var cpu = new CpuState(ArchLevel.S370, 0x10000, deterministicTime: true);
        cpu.Storage.Load(asm.CoreImage.Origin, asm.CoreImage.Bytes);
        // Program new PSW: disabled wait, so a program check ends the run.
        cpu.Storage.Load(Low.ProgramNewPsw, Convert.FromHexString("000200000000EEEE"));
        cpu.LoadPsw(at);
        return (cpu, new JitEngine { HotThreshold = threshold });
    }

    [Test]
    public void A_store_into_the_next_instruction_of_the_same_block_takes_effect()
    {
        // The MVI changes the next instruction's R2 field: LR 1,1 becomes LR 1,2.
        var (cpu, jit) = Machine("""
         MVI   NEXT+1,X'12'
NEXT     LR    1,1
         LPSW  DONE
""");
        cpu.Gpr[2] = 0x2222;
        var exit = jit.Run(cpu, 100);
        Assert.That(exit, Is.EqualTo(ExitReason.DisabledWait));
        Assert.That(cpu.Gpr[1], Is.EqualTo(0x2222u));
        Assert.That(jit.Statistics.Invalidations, Is.GreaterThan(0));
    }

    [Test]
    public void A_loop_that_rewrites_itself_runs_the_new_bytes_each_time()
    {
        // R3 counts 5 iterations; each pass rewrites the displacement of the LA it executes.
        const string code = """
LOOP     IC    4,ADD+3            the low byte of the LA's displacement
ADD      LA    4,1(4)             R4 = R4 + that displacement
         STC   4,ADD+3            written back into the LA
         BCT   3,LOOP
         LPSW  DONE
""";
        var (cpu, jit) = Machine(code);
        cpu.Gpr[3] = 5;
        jit.Run(cpu, 1000);
        var (interp, _) = Machine(code);
        interp.Gpr[3] = 5;
        new Jit360.Interpreter.Interpreter().Run(interp, 1000);
        Assert.That(cpu.Gpr[4], Is.EqualTo(interp.Gpr[4]));
        Assert.That(cpu.Instructions, Is.EqualTo(interp.Instructions));
        Assert.That(cpu.Storage.Bytes[0x807], Is.EqualTo(interp.Storage.Bytes[0x807]));
        Assert.That(jit.Statistics.Invalidations, Is.GreaterThan(0));
    }

    [Test]
    public void Instruction_counts_agree_with_the_interpreter_with_a_hot_threshold()
    {
        // A 1000-iteration loop, then a disabled wait.
        const string code = """
LOOP     LA    1,1(1)
         BCT   2,LOOP
         LPSW  DONE
""";
        var (cpu, jit) = Machine(code, threshold: 16);
        cpu.Gpr[2] = 1000;
        jit.Run(cpu, 1_000_000);
        Assert.That(cpu.Gpr[1], Is.EqualTo(1000u));
        var (reference, _) = Machine(code);
        reference.Gpr[2] = 1000;
        new Jit360.Interpreter.Interpreter().Run(reference, 1_000_000);
        Assert.That(cpu.Instructions, Is.EqualTo(reference.Instructions));
        Assert.That(cpu.Instructions, Is.GreaterThanOrEqualTo(2000L));
        Assert.That(jit.Statistics.BlocksTranslated, Is.GreaterThan(0));
        Assert.That(jit.Statistics.InstructionsTranslated, Is.GreaterThan(1900));
    }

    [Test]
    public void The_instruction_budget_is_exact_inside_translated_code()
    {
        const string code = """
LOOP     LA    1,1(1)
         LA    1,1(1)
         LA    1,1(1)
         B     LOOP
""";
        var (cpu, jit) = Machine(code);
        var exit = jit.Run(cpu, 11);
        Assert.That(exit, Is.EqualTo(ExitReason.InstructionLimit));
        Assert.That(cpu.Instructions, Is.EqualTo(11));
        Assert.That(cpu.Gpr[1], Is.EqualTo(8u));   // 11 = BALR + 4+4+2: eight LAs
    }

    [Test]
    public void A_program_check_in_translated_code_leaves_the_interpreters_state()
    {
        // The L addresses beyond the 64K machine (R5 = X'F00000').
        const string code = """
         LA    1,1(1)
         LA    1,1(1)
         L     2,X'FFF'(5)
         LA    1,1(1)
""";
        var (cpu, jit) = Machine(code);
        cpu.Gpr[5] = 0x00F0_0000;
        cpu.StopOnInterrupt = true;
        jit.Run(cpu, 100);
        Assert.That(cpu.LastInterrupt.Class, Is.EqualTo(InterruptClass.Program));
        Assert.That(cpu.LastInterrupt.Code, Is.EqualTo(ProgramInterruptCode.Addressing));
        Assert.That(cpu.LastInterrupt.Ilc, Is.EqualTo(2));
        Assert.That((uint)cpu.LastInterrupt.OldPsw & 0xFFFFFF, Is.EqualTo(0x80Eu));
        Assert.That(cpu.Gpr[1], Is.EqualTo(2u));
        Assert.That(cpu.Instructions, Is.EqualTo(3));   // BALR and two LAs
    }

    [Test]
    public void Every_table_row_has_a_handler_the_translator_can_call()
    {
        foreach (var op in OpcodeTable.All)
            Assert.That(Translator.CanTranslate(op), Is.EqualTo(DispatchTable.HandlerFor(op.Mnemonic) != null), op.ToString());
    }
}
