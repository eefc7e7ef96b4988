using Jit360.Architecture;
using Jit360.Interpreter;

namespace Jit360.Tests.Architecture;

public class OpcodeTableTests
{
    static IEnumerable<Opcode> Rows => OpcodeTable.All;

    [TestCaseSource(nameof(Rows))]
    public void Every_row_has_a_handler_named_as_its_mnemonic(Opcode op)
        => Assert.That(DispatchTable.HandlerFor(op.Mnemonic), Is.Not.Null, $"no Handlers.{op.Mnemonic}");

    [TestCaseSource(nameof(Rows))]
    public void Length_follows_the_first_two_opcode_bits(Opcode op)
        => Assert.That(op.Length, Is.EqualTo(Formats.LengthOfOpcode(op.FirstByte)), op.ToString());

    [Test]
    public void Mnemonics_are_unique_within_each_level()
    {
        foreach (var level in new[] { ArchLevel.S360, ArchLevel.S360_67, ArchLevel.S370 })
        {
            var dups = OpcodeTable.For(level).GroupBy(o => o.Mnemonic).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.That(dups, Is.Empty, level.Name());
        }
    }

    [TestCase(ArchLevel.S360, 0x0E, false)]     // MVCL is S/370 only
    [TestCase(ArchLevel.S370, 0x0E, true)]
    [TestCase(ArchLevel.S360_67, 0x4D, true)]   // BAS is Model 67 only
    [TestCase(ArchLevel.S370, 0x4D, false)]
    [TestCase(ArchLevel.S360, 0xB1, false)]     // LRA: Model 67 and S/370
    [TestCase(ArchLevel.S360_67, 0xB1, true)]
    public void Levels_select_the_instruction_set(ArchLevel level, int opcode, bool present)
        => Assert.That(OpcodeTable.Decode(level, (byte)opcode, 0) != null, Is.EqualTo(present));

    [Test]
    public void S370_io_instructions_decode_on_bit_15_only()
    {
        Assert.That(OpcodeTable.Decode(ArchLevel.S370, 0x9C, 0x00)!.Mnemonic, Is.EqualTo("SIO"));
        Assert.That(OpcodeTable.Decode(ArchLevel.S370, 0x9C, 0x01)!.Mnemonic, Is.EqualTo("SIOF"));
        Assert.That(OpcodeTable.Decode(ArchLevel.S370, 0x9C, 0xFE)!.Mnemonic, Is.EqualTo("SIO"));
        Assert.That(OpcodeTable.Decode(ArchLevel.S360, 0x9C, 0x01)!.Mnemonic, Is.EqualTo("SIO"));
    }
}
