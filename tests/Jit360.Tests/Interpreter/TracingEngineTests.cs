using Jit360.Architecture;
using Jit360.Interpreter;
using Jit360.Machine;

namespace Jit360.Tests.Interpreter;

public class TracingEngineTests
{
    const string Program = """
         START X'800'
         LA    1,5
         LA    2,7
         AR    1,2
         LA    4,X'FFF'
         SLL   4,12
         L     3,X'FF0'(4)        beyond a 64K machine: addressing
         END
""";

    static CpuState Load()
    {
        var asm = Jit360.Assembler.Assembler.Assemble(Program, "trace.asm", new() { Level = ArchLevel.S370 });
        Assert.That(asm.Success, string.Join("\n", asm.Diagnostics));
        var cpu = new CpuState(ArchLevel.S370, 0x10000, deterministicTime: true);
        cpu.Storage.Load(asm.CoreImage.Origin, asm.CoreImage.Bytes);
        cpu.Storage.Load(Low.ProgramNewPsw, Convert.FromHexString("000200000000EEEE"));
        cpu.LoadPsw(asm.EntryPoint);
        return cpu;
    }

    [Test]
    public void Trace_shows_each_instruction_disassembled_from_the_table_with_registers_and_interruptions()
    {
        var cpu = Load();
        var text = new StringWriter();
        var exit = new TracingEngine(text).Run(cpu, 100);
        string trace = text.ToString();
        Assert.That(exit, Is.EqualTo(ExitReason.DisabledWait));
        Assert.That(trace, Does.Contain("PSW=00000000 00000804 INST=41200007"));
        Assert.That(trace, Does.Contain("INST=1A12         AR    1,2"));
        Assert.That(trace, Does.Contain("GR00=00000000 GR01=0000000C GR02=00000007"));
        Assert.That(trace, Does.Contain("program interruption 0005 (addressing), ILC 2"));
        Assert.That(trace, Does.Contain("program interruption code 0005, old PSW 00000005 A0000816"));
    }

    [Test]
    public void Tracing_counts_instructions_as_the_interpreter_does()
    {
        var traced = Load();
        new TracingEngine(TextWriter.Null).Run(traced, 100);
        var plain = Load();
        new Jit360.Interpreter.Interpreter().Run(plain, 100);
        Assert.That(traced.Instructions, Is.EqualTo(plain.Instructions));
        Assert.That(traced.PswText(), Is.EqualTo(plain.PswText()));
        Assert.That(traced.Gpr[1], Is.EqualTo(plain.Gpr[1]));
    }
}
