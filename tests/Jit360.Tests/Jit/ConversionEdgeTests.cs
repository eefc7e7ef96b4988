using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Tests.Jit;

/// <summary>
/// The JIT's inline CVB and CVD (GA22-7000 "Convert to Binary", "Convert to Decimal") against the
/// interpreter: values at the edges of the 32-bit range, every sign code, negative zero; a value
/// out of range (fixed-point divide after the store of the rightmost 32 bits), an invalid digit or
/// sign (data exception), a misaligned operand on a System/360 (specification) and a store into a
/// protected block.
/// </summary>
public class ConversionEdgeTests
{
    static readonly string[] InRange =
    [
        "000000000000000C", "000000000000000D", "000000000000001C", "000000000000001D", "000000000000001A",
        "000000000000001B", "000000000000001E", "000000000000001F", "000002147483647C", "000002147483648D",
        "000002147483647F", "000000000000009D", "000000123456789C", "000000987654321D", "000000000065536B",
    ];

    static string Program(IEnumerable<string> values, int count) => $"""
         LA    3,VALS
         L     6,OUTA
         LA    7,{count}
LOOP     CVB   4,0(3)
         CVD   4,0(6)
         LCR   5,4
         CVD   5,8(6)
         BCTR  4,0
         CVD   4,16(6)
         LA    3,8(3)
         LA    6,24(6)
         BCT   7,LOOP
         LPSW  DONE
{CharacterEdgeTests.CodeGap}OUTA     DC    A(24576)
VALS     DS    0D
{string.Join("\n", values.Select(v => $"         DC    X'{v}'"))}
""";

    [Test]
    public void Values_at_the_edges_of_the_range_match_the_interpreter()
    {
        FastPathMachine.Both(Program(InRange, InRange.Length), budget: 100_000);
    }

    [Test]
    public void S360_aligned_operands_match_the_interpreter()
    {
        FastPathMachine.Both(Program(InRange, InRange.Length), level: ArchLevel.S360, budget: 100_000);
    }

    [TestCase("000002147483648C", ProgramInterruptCode.FixedPointDivide, TestName = "CVB of 2147483648 is a fixed-point divide after storing")]
    [TestCase("000002147483649D", ProgramInterruptCode.FixedPointDivide, TestName = "CVB of -2147483649 is a fixed-point divide after storing")]
    [TestCase("999999999999999D", ProgramInterruptCode.FixedPointDivide, TestName = "CVB of fifteen nines negative is a fixed-point divide")]
    [TestCase("00000000000000A0", ProgramInterruptCode.Data, TestName = "CVB of an invalid digit is a data exception")]
    [TestCase("0000000000000019", ProgramInterruptCode.Data, TestName = "CVB of an invalid sign is a data exception")]
    public void A_bad_value_interrupts_exactly(string bad, int code)
    {
        var values = InRange.Take(3).Append(bad).Concat(InRange.Skip(3)).ToArray();
        var (_, jit) = FastPathMachine.Both(Program(values, values.Length), budget: 100_000);
        Assert.That(jit.LastInterrupt.Code, Is.EqualTo(code));
    }

    [Test]
    public void A_misaligned_operand_on_a_System_360_is_a_specification_exception()
    {
        var (_, jit) = FastPathMachine.Both("""
         LA    3,X
         LA    7,4
LOOP     CVB   4,0(3)
         CVD   4,0(3)
         LA    3,4(3)
         BCT   7,LOOP
         LPSW  DONE
X        DC    0D'0',X'000000000000012C000000000000034D'
         DC    X'000000000000056C000000000000078D'
""", level: ArchLevel.S360);
        Assert.That(jit.LastInterrupt.Code, Is.EqualTo(ProgramInterruptCode.Specification));
    }

    [Test]
    public void CVD_into_a_store_protected_block_is_a_protection_exception()
    {
        var (_, jit) = FastPathMachine.Both("""
         LA    4,1
LOOP     CVD   4,0(3)
         LA    4,1(4)
         LA    3,8(3)
         B     LOOP
""", setup: cpu =>
        {
            FastPathMachine.Keys(cpu, 0x10, 1);
            cpu.Storage.SetKey(0x3800, 0x20);
            cpu.Gpr[3] = 0x3800 - 0x40;
        });
        Assert.That(jit.LastInterrupt.Code, Is.EqualTo(ProgramInterruptCode.Protection));
    }
}
