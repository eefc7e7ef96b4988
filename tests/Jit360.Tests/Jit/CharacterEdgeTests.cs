using Jit360.Machine;

namespace Jit360.Tests.Jit;

/// <summary>
/// TR (vector steps of 64 and 16 bytes with an overlapping last step) and CLC (eight bytes a
/// step with an overlapping last step) on the JIT's fast paths against the interpreter: every
/// length class, a difference at every byte position, tables overlapping the operand, and
/// operands that cross into a store- or fetch-protected block, past the end of storage, or
/// wrap at 2^24 in the middle of the operand.
/// </summary>
public class CharacterEdgeTests
{
    /// <summary>A 256-byte table, not linear (so a wrong half or a lookup done twice shows), as DC lines.</summary>
    static string Table(string label) => label + "    DS    0XL256\n" + string.Join("\n", Enumerable.Range(0, 16).Select(row =>
        "         DC    X'" + string.Concat(Enumerable.Range(row * 16, 16).Select(i => (((i * 37 + 11) ^ (i >> 3)) & 255).ToString("X2"))) + "'"));

    static string Pattern(string label, int n) => label + "      DS    0D\n" + string.Join("\n", Enumerable.Range(0, (n + 15) / 16).Select(row =>
        "         DC    X'" + string.Concat(Enumerable.Range(row * 16, Math.Min(16, n - row * 16)).Select(i => ((i * 73 + 5 + (i >> 2)) & 255).ToString("X2"))) + "'"));

    /// <summary>Space after the code, so that the operands lie on storage lines without translated code (a store onto such a line takes the handler).</summary>
    internal const string CodeGap = "         DS    2XL256\n";

    [Test]
    public void Translate_of_every_length_class_matches_the_interpreter()
    {
        // Translated again on every pass: a byte translated twice or from the wrong half changes the result.
        FastPathMachine.Both("""
         LA    3,BUF
         LA    7,20
LOOP     TR    0(16,3),TABLE
         TR    16(17,3),TABLE
         TR    40(63,3),TABLE
         TR    0(64,3),TABLE
         TR    64(65,3),TABLE
         TR    1(127,3),TABLE
         TR    0(200,3),TABLE
         TR    0(256,3),TABLE
         TR    3(100,3),TABLE
         TR    5(15,3),TABLE
         LA    3,1(3)
         BCT   7,LOOP
         LPSW  DONE
""" + "\n" + CodeGap + Pattern("BUF", 300) + "\n" + Table("TABLE"));
    }

    [Test]
    public void Translate_with_the_table_overlapping_the_operand_matches_the_interpreter()
    {
        // Later bytes look up a table that earlier bytes of the same operand have changed.
        FastPathMachine.Both("""
         LA    7,10
LOOP     TR    TABLE+200(48),TABLE
         TR    TABLE-16(40),TABLE
         TR    TABLE(256),TABLE
         BCT   7,LOOP
         LPSW  DONE
         DS    2XL256
         DS    XL16
""" + "\n" + Table("TABLE") + "\n         DS    XL16");
    }

    [TestCase(0x28, TestName = "Translate_reaching_a_fetch_protected_table_block")]
    [TestCase(0x20, TestName = "Translate_reaching_a_store_protected_operand_block")]
    public void Translate_reaching_a_protected_block_interrupts_exactly(int blockKey)
    {
        // Key 1 program; the operand (store protection) or the table (fetch protection) moves 8
        // bytes a pass towards the block at X'3800' and reaches it in the middle of a pass.
        bool fetch = (blockKey & Storage.FetchProtect) != 0;
        var (_, jit) = FastPathMachine.Both("""
LOOP     TR    0(64,3),0(10)
         LA    3,8(3)
         LA    10,8(10)
         B     LOOP
""", setup: cpu =>
        {
            FastPathMachine.Keys(cpu, 0x10, 1);
            cpu.Storage.SetKey(0x3800, (byte)blockKey);
            cpu.Gpr[3] = fetch ? 0x2000u : 0x3800u - 200;
            cpu.Gpr[10] = fetch ? 0x3800u - 300 : 0x1000u;
        });
        Assert.That(jit.LastInterrupt.Code, Is.EqualTo(ProgramInterruptCode.Protection));
    }

    [Test]
    public void Translate_running_off_the_end_of_storage_is_an_addressing_exception()
    {
        var (_, jit) = FastPathMachine.Both("""
LOOP     TR    0(100,3),TABLE
         LA    3,16(3)
         B     LOOP
""" + "\n" + Table("TABLE"), setup: cpu => cpu.Gpr[3] = 0x10000 - 300);
        Assert.That(jit.LastInterrupt.Code, Is.EqualTo(ProgramInterruptCode.Addressing));
    }

    [Test]
    public void Operands_wrapping_at_2_to_the_24th_match_the_interpreter()
    {
        // 16M of storage: the operands run from X'FFFF80' over the wrap to low storage.
        FastPathMachine.Both("""
         LA    7,14
         LA    6,CCS
LOOP     TR    0(64,3),TABLE
         CLC   0(40,3),0(4)
         BALR  5,0
         ST    5,0(6)
         MVC   0(24,4),0(3)
         LA    3,16(3)
         LA    4,16(4)
         LA    6,4(6)
         BCT   7,LOOP
         LPSW  DONE
CCS      DS    16F
""" + "\n" + Table("TABLE"), storage: 0x100_0000, setup: cpu =>
        {
            cpu.Gpr[3] = 0xFFFF80; cpu.Gpr[4] = 0xFFFFA0;
            for (uint a = 0xFFFF00; a < 0x1000000; a++) cpu.Storage.Bytes[a] = (byte)(a * 29 + 3);
        });
    }

    [Test]
    public void Compare_with_a_difference_at_every_position_matches_the_interpreter()
    {
        // Pass k makes byte k of B one more than byte k of A (X'FF' becomes X'00': low and high
        // both occur), keeps each length's condition code, then restores B and compares equal.
        FastPathMachine.Both("""
         SR    4,4
         LA    6,CCS
         LA    7,64
LOOP     IC    5,A(4)
         LA    5,1(5)
         STC   5,B(4)
         CLC   A(9),B
         BALR  5,0
         ST    5,0(6)
         CLC   A(13),B
         BALR  5,0
         ST    5,4(6)
         CLC   A(16),B
         BALR  5,0
         ST    5,8(6)
         CLC   A(17),B
         BALR  5,0
         ST    5,12(6)
         CLC   A+8(56),B+8
         BALR  5,0
         ST    5,16(6)
         CLC   B(64),A
         BALR  5,0
         ST    5,20(6)
         CLC   A(7),B
         BALR  5,0
         ST    5,24(6)
         MVC   B(64),A
         CLC   A(64),B
         BALR  5,0
         ST    5,28(6)
         LA    4,1(4)
         LA    6,32(6)
         BCT   7,LOOP
         LPSW  DONE
A        DC    X'00FF7F80017EFE81'
         DC    X'FF00FF00FF00FF00'
         DC    X'0102030405060708090A0B0C0D0E0F10'
         DC    X'FFFFFFFFFFFFFFFF0000000000000000'
         DC    X'8080808080808080808080808080807F'
B        DS    XL64
CCS      DS    512F
""");
    }

    [TestCase(0x28, TestName = "Compare_reaching_a_fetch_protected_block")]
    [TestCase(0x00, TestName = "Compare_running_off_the_end_of_storage")]
    public void Compare_reaching_an_inaccessible_byte_interrupts_exactly(int blockKey)
    {
        bool protect = blockKey != 0;
        var (_, jit) = FastPathMachine.Both("""
LOOP     CLC   0(48,3),0(10)
         LA    10,8(10)
         B     LOOP
""", setup: cpu =>
        {
            if (protect) { FastPathMachine.Keys(cpu, 0x10, 1); cpu.Storage.SetKey(0x3800, (byte)blockKey); }
            cpu.Gpr[3] = 0x2000;
            cpu.Gpr[10] = protect ? 0x3800u - 200 : 0x10000u - 200;
        });
        Assert.That(jit.LastInterrupt.Code, Is.EqualTo(protect ? ProgramInterruptCode.Protection : ProgramInterruptCode.Addressing));
    }
}
