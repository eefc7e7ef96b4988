using System.Text;
using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Tests.Jit;

/// <summary>
/// The JIT's binary path for AP/SP/ZAP/CP (all digits of up to 8 bytes at once) against the
/// interpreter: every first-operand length with several second-operand lengths over values
/// at the edges (nine nines, fifteen nines, zero of either sign, every sign code), overflow by
/// one digit, overlapping operands, invalid digits at every nibble position and invalid signs
/// in either operand, and operands crossing into a protected block, past the end of storage
/// or over the wrap at 2^24.
/// </summary>
public class DecimalEdgeTests
{
    /// <summary>Values as 8-byte packed fields; the second operand of length n is the last n bytes of one.</summary>
    static readonly string[] Values =
    [
        "000000000000000C", "000000000000000D", "000000000000001C", "000000000000001D", "000000000000009F",
        "000000000000099A", "000000000009999B", "000000009999999E", "0000000999999999", "999999999999999C",
        "999999999999999D", "123456789012345C", "876543210987654D", "000000050000000C", "010101010101010F",
        "000000000000000F", "000000000000000B", "000099990000999C", "900000000000001D", "000000000000010C",
    ];

    static string Program(IEnumerable<string> values, bool firstOperandToo = false)
    {
        var body = new StringBuilder();
        var fields = new StringBuilder();
        int f = 0;
        void Keep() { body.Append("         BALR  5,0\n         ST    5,0(6)\n         LA    6,4(6)\n"); }
        foreach (int n1 in Enumerable.Range(1, 8))
            foreach (int n2 in new[] { 1, n1, 9 - n1, 8 }.Distinct())
            {
                string t = $"T{f++}";
                fields.Append($"{t,-8} DC    PL{n1}'7'\n");
                body.Append($"         ZAP   {t}({n1}),{8 - n2}({n2},3)\n"); Keep();
                body.Append($"         AP    {t}({n1}),{8 - n2}({n2},3)\n"); Keep();
                body.Append($"         SP    {t}({n1}),ONE\n");
                body.Append($"         CP    {t}({n1}),{8 - n2}({n2},3)\n"); Keep();
                body.Append($"         SP    {t}({n1}),{8 - n2}({n2},3)\n"); Keep();
            }
        // Overlapping operands (S/370 defines no result, the interpreter does: the JIT must agree).
        body.Append("         ZAP   W(8),0(8,3)\n         AP    W(8),W+3(5)\n"); Keep();
        body.Append("         ZAP   W+2(6),W(8)\n"); Keep();
        if (firstOperandToo) body.Append("         MVC   X(8),0(3)\n         AP    X(8),ONE\n");
        var vals = string.Join("\n", values.Select(v => $"         DC    X'{v}'"));
        return $"""
         LA    3,VALS
         L     6,CCSA
         LA    7,{values.Count()}
LOOP     DS    0H
{body}         LA    3,8(3)
         BCT   7,LOOP
         LPSW  DONE
{CharacterEdgeTests.CodeGap}ONE      DC    P'1'
W        DC    PL8'0'
X        DC    PL8'0'
{fields}VALS     DS    0D
{vals}
CCSA     DC    A(24576)
""";
    }

    [Test]
    public void Every_length_over_edge_values_matches_the_interpreter()
    {
        FastPathMachine.Both(Program(Values), budget: 1_000_000);
    }

    [Test]
    public void Decimal_overflow_with_the_mask_on_interrupts_exactly()
    {
        var (_, jit) = FastPathMachine.Both(Program(Values), setup: cpu => cpu.ProgramMask = 0x4, budget: 1_000_000);
        Assert.That(jit.LastInterrupt.Code, Is.EqualTo(ProgramInterruptCode.DecimalOverflow));
    }

    [Test]
    public void S360_operands_match_the_interpreter()
    {
        FastPathMachine.Both(Program(Values), level: ArchLevel.S360, budget: 1_000_000);
    }

    [TestCase("A00000000000000C")]
    [TestCase("0A0000000000000C")]
    [TestCase("00000000F000000C")]
    [TestCase("000000000B00000D")]
    [TestCase("00000000000000AC")]
    [TestCase("0000000000000009")]
    [TestCase("0000000000000000")]
    [TestCase("99999999999999E3")]
    public void Invalid_data_in_the_third_value_is_a_data_exception(string bad)
    {
        var values = Values.Take(2).Append(bad).Concat(Values.Skip(2)).ToArray();
        var (_, jit) = FastPathMachine.Both(Program(values, firstOperandToo: true), budget: 1_000_000);
        Assert.That(jit.LastInterrupt.Code, Is.EqualTo(ProgramInterruptCode.Data));
    }

    [TestCase(true, TestName = "An_invalid_top_digit_in_the_first_operand_of_CP_is_a_data_exception")]
    [TestCase(false, TestName = "An_invalid_top_digit_in_the_second_operand_of_CP_is_a_data_exception")]
    public void An_invalid_top_digit_is_a_data_exception(bool first)
    {
        // The third value, invalid in its first digit (too big for any result, so only CP can
        // meet it on the fast path), becomes an operand of CP, then of AP.
        var values = Values.Take(2).Append("C00000000000001C").Concat(Values.Skip(2)).ToArray();
        string compare = first ? "" : "         CP    ONE,0(8,3)\n";
        var (_, jit) = FastPathMachine.Both($"""
         LA    3,VALS
         LA    7,{values.Length}
LOOP     DS    0H
{compare}         MVC   X(8),0(3)
         CP    X(8),ONE
         BALR  5,0
         ST    5,CC
         AP    X(8),ONE
         LA    3,8(3)
         BCT   7,LOOP
         LPSW  DONE
{CharacterEdgeTests.CodeGap}ONE      DC    P'1'
X        DC    PL8'0'
CC       DC    F'0'
VALS     DS    0D
{string.Join("\n", values.Select(v => $"         DC    X'{v}'"))}
""");
        Assert.That(jit.LastInterrupt.Code, Is.EqualTo(ProgramInterruptCode.Data));
    }

    /// <summary>Fills [from, to) with the packed value 1 (X'000000000000001C') in 8-byte steps from <paramref name="from"/>, wrapping at 2^24.</summary>
    static void FillOnes(CpuState cpu, uint from, uint to)
    {
        for (uint a = from; a != to; a = (a + 1) & 0xFFFFFF) cpu.Storage.Bytes[a] = (a - from) % 8 == 7 ? (byte)0x1C : (byte)0;
    }

    [TestCase(0x20, TestName = "Add_reaching_a_store_protected_block_mid_operand")]
    [TestCase(0x28, TestName = "Zap_reaching_a_fetch_protected_block_mid_operand")]
    public void Reaching_a_protected_block_interrupts_exactly(int blockKey)
    {
        bool fetch = (blockKey & Storage.FetchProtect) != 0;
        var (_, jit) = FastPathMachine.Both("""
LOOP     AP    0(8,3),ONE
         ZAP   W(8),3(5,10)
         AP    W(8),0(8,10)
         LA    3,8(3)
         LA    10,8(10)
         B     LOOP
ONE      DC    P'1'
W        DC    PL8'0'
""", setup: cpu =>
        {
            FastPathMachine.Keys(cpu, 0x10, 1);
            cpu.Storage.SetKey(0x3800, (byte)blockKey);
            FillOnes(cpu, 0x3000 + 4, 0x3800 + 0x100 + 4);
            cpu.Gpr[3] = fetch ? 0x3000 + 4u : 0x3800 - 0x80 + 4u;
            cpu.Gpr[10] = fetch ? 0x3800 - 0x80 + 4u : 0x3000 + 4u;
        });
        Assert.That(jit.LastInterrupt.Code, Is.EqualTo(ProgramInterruptCode.Protection));
    }

    [Test]
    public void Running_off_the_end_of_storage_is_an_addressing_exception()
    {
        var (_, jit) = FastPathMachine.Both("""
LOOP     AP    0(8,3),ONE
         CP    2(6,3),ONE
         LA    3,8(3)
         B     LOOP
ONE      DC    P'1'
""", setup: cpu => { FillOnes(cpu, 0x10000 - 0x84, 0x10000); cpu.Gpr[3] = 0x10000 - 0x84; });
        Assert.That(jit.LastInterrupt.Code, Is.EqualTo(ProgramInterruptCode.Addressing));
    }

    [Test]
    public void Operands_wrapping_at_2_to_the_24th_match_the_interpreter()
    {
        FastPathMachine.Both("""
         LA    7,12
LOOP     AP    0(8,3),ONE
         ZAP   W(8),0(5,3)
         AP    0(8,3),W(8)
         SP    0(7,3),0(3,3)
         LA    3,8(3)
         BCT   7,LOOP
         LPSW  DONE
ONE      DC    P'1'
W        DC    PL8'0'
""", storage: 0x100_0000, setup: cpu => { FillOnes(cpu, 0xFFFFC4, 0x40); cpu.Gpr[3] = 0xFFFFC4; });
    }
}
