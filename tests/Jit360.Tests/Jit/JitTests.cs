using Jit360.Architecture;
using Jit360.Interpreter;
using Jit360.Jit;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Jit;

/// <summary>Behaviour specific to translated code: self-modifying code, counts, exits.</summary>
public class JitTests
{
    static (CpuState cpu, JitEngine jit) Machine(string codeHex, uint at = 0x800, int threshold = 0)
    {
        var cpu = new CpuState(ArchLevel.S370, 0x10000, deterministicTime: true);
        cpu.Storage.Load(at, Convert.FromHexString(codeHex));
        // Program new PSW: disabled wait, so a program check ends the run.
        cpu.Storage.Load(Low.ProgramNewPsw, Convert.FromHexString("000200000000EEEE"));
        cpu.LoadPsw(at);
        return (cpu, new JitEngine { HotThreshold = threshold });
    }

    [Test]
    public void A_store_into_the_next_instruction_of_the_same_block_takes_effect()
    {
        // 800 MVI 805,X'12'   changes the next instruction's R2 field:
        // 804 LR 1,1 -> LR 1,2
        // 806 LPSW of a disabled wait at 810
        var (cpu, jit) = Machine("92120805" + "1811" + "82000810" + "0000" + "00000000" + "000200000000AAAA");
        cpu.Gpr[2] = 0x2222;
        var exit = jit.Run(cpu, 100);
        Assert.That(exit, Is.EqualTo(ExitReason.DisabledWait));
        Assert.That(cpu.Gpr[1], Is.EqualTo(0x2222u));
        Assert.That(jit.Statistics.Invalidations, Is.GreaterThan(0));
    }

    [Test]
    public void A_loop_that_rewrites_itself_runs_the_new_bytes_each_time()
    {
        // R3 counts 5 iterations; each pass rewrites the displacement of the LA it executes:
        // 800 IC 4,807     fetch the low byte of the LA's displacement
        // 804 LA 4,D(4)    (D's low byte at 807)  -> R4 = R4 + D
        // 808 STC 4,807    write R4 back into the LA's displacement
        // 80C BCT 3,800
        // 810 LPSW 818 ; 818 disabled wait
        const string code = "43400807" + "41404001" + "42400807" + "46300800" + "82000818" + "00000000" + "000200000000AAAA";
        var (cpu, jit) = Machine(code);
        cpu.Gpr[3] = 5;
        jit.Run(cpu, 1000);
        var interp = new CpuState(ArchLevel.S370, 0x10000, deterministicTime: true);
        interp.Storage.Load(0x800, Convert.FromHexString(code));
        interp.LoadPsw(0x800); interp.Gpr[3] = 5;
        new Jit360.Interpreter.Interpreter().Run(interp, 1000);
        Assert.That(cpu.Gpr[4], Is.EqualTo(interp.Gpr[4]));
        Assert.That(cpu.Instructions, Is.EqualTo(interp.Instructions));
        Assert.That(cpu.Storage.Bytes[0x807], Is.EqualTo(interp.Storage.Bytes[0x807]));
        Assert.That(jit.Statistics.Invalidations, Is.GreaterThan(0));
    }

    [Test]
    public void Instruction_counts_agree_with_the_interpreter_with_a_hot_threshold()
    {
        // A 1000-iteration loop: LA 1,1(1); BCT 2,800; then a disabled wait.
        string code = "41101001" + "46200800" + "82000810" + "00000000" + "000200000000AAAA";
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
        string code = "41101001" + "41101001" + "41101001" + "47F00800";
        var (cpu, jit) = Machine(code);
        var exit = jit.Run(cpu, 10);
        Assert.That(exit, Is.EqualTo(ExitReason.InstructionLimit));
        Assert.That(cpu.Instructions, Is.EqualTo(10));
        Assert.That(cpu.Gpr[1], Is.EqualTo(8u));   // 10 = 4+4+2: eight LAs
    }

    [Test]
    public void A_program_check_in_translated_code_leaves_the_interpreters_state()
    {
        // LA 1,1(1); LA 1,1(1); L 2,X'FFF'(5) with R5 beyond storage; LA 1,1(1)
        string code = "41101001" + "41101001" + "58205FFF" + "41101001";
        var (cpu, jit) = Machine(code);
        cpu.Gpr[5] = 0x00F0_0000;
        cpu.StopOnInterrupt = true;
        jit.Run(cpu, 100);
        Assert.That(cpu.LastInterrupt.Class, Is.EqualTo(InterruptClass.Program));
        Assert.That(cpu.LastInterrupt.Code, Is.EqualTo(ProgramInterruptCode.Addressing));
        Assert.That(cpu.LastInterrupt.Ilc, Is.EqualTo(2));
        Assert.That((uint)cpu.LastInterrupt.OldPsw & 0xFFFFFF, Is.EqualTo(0x80Cu));
        Assert.That(cpu.Gpr[1], Is.EqualTo(2u));
        Assert.That(cpu.Instructions, Is.EqualTo(2));
    }

    [Test]
    public void Every_table_row_has_a_handler_the_translator_can_call()
    {
        foreach (var op in OpcodeTable.All)
            Assert.That(Translator.CanTranslate(op), Is.EqualTo(DispatchTable.HandlerFor(op.Mnemonic) != null), op.ToString());
    }
}
