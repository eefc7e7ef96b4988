using Jit360.Architecture;

namespace Jit360.Tests.Assembler;

/// <summary>Every row of the opcode table: assemble, disassemble, reassemble to the same bytes.</summary>
public class RoundTripTests
{
    static IEnumerable<Opcode> Rows => OpcodeTable.All;

    [TestCaseSource(nameof(Rows))]
    public void Assembles_disassembles_and_reassembles_to_identical_bytes(Opcode op)
    {
        var level = SampleOperands.LevelOf(op);
        var first = Asm.Ok($"         {op.Mnemonic,-5} {SampleOperands.Ibm(op)}\n         END\n", level).CoreImage.Bytes;
        Assert.That(first, Has.Length.EqualTo(op.Length));
        Assert.That(OpcodeTable.Decode(level, first[0], first[1]), Is.SameAs(op), "the bytes decode to the row");
        string text = Disassembler.Disassemble(first, level, out int len);
        Assert.That(len, Is.EqualTo(op.Length));
        Assert.That(text.Split(' ')[0], Is.EqualTo(op.Mnemonic));
        var second = Asm.Ok($"         {text}\n         END\n", level).CoreImage.Bytes;
        Assert.That(Convert.ToHexString(second), Is.EqualTo(Convert.ToHexString(first)), text);
    }

    [Test]
    public void Unknown_opcodes_disassemble_as_DC()
    {
        Assert.That(Disassembler.Disassemble([0x00, 0x01], ArchLevel.S370, out int len), Is.EqualTo("DC    X'0001'"));
        Assert.That(len, Is.EqualTo(2));
        // MVCL is not an S/360 instruction.
        Assert.That(Disassembler.Disassemble([0x0E, 0x24], ArchLevel.S360, out _), Is.EqualTo("DC    X'0E24'"));
        Assert.That(Disassembler.Disassemble([0xD2], ArchLevel.S370, out len), Is.EqualTo("DC    X'D2'"));
        Assert.That(len, Is.EqualTo(1));
    }

    [Test]
    public void Disassembly_text_is_the_assembler_syntax()
    {
        Assert.That(Disassembler.Disassemble(Convert.FromHexString("D207C000C010"), ArchLevel.S370, out _), Is.EqualTo("MVC   0(8,12),16(12)"));
        Assert.That(Disassembler.Disassemble(Convert.FromHexString("5812C008"), ArchLevel.S370, out _), Is.EqualTo("L     1,8(2,12)"));
        Assert.That(Disassembler.Disassemble(Convert.FromHexString("9240C000"), ArchLevel.S370, out _), Is.EqualTo("MVI   0(12),X'40'"));
    }
}
