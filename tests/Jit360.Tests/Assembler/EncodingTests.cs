namespace Jit360.Tests.Assembler;

public class EncodingTests
{
    [TestCase("LR    1,2", "1812")]
    [TestCase("SVC   202", "0ACA")]
    [TestCase("SPM   3", "0430")]
    [TestCase("BCR   15,14", "07FE")]
    [TestCase("BR    14", "07FE")]
    [TestCase("NOPR  0", "0700")]
    [TestCase("L     1,8(2,12)", "5812C008")]
    [TestCase("L     1,8(,12)", "5810C008")]
    [TestCase("LA    1,100", "41100064")]
    [TestCase("LA    1,100(3)", "41130064")]
    [TestCase("BC    8,16(0,12)", "4780C010")]
    [TestCase("BNE   16(0,12)", "4770C010")]
    [TestCase("NOP   0", "47000000")]
    [TestCase("STM   14,12,12(13)", "90ECD00C")]
    [TestCase("SLL   1,4", "89100004")]
    [TestCase("SRDA  2,32(5)", "8E205020")]
    [TestCase("ICM   1,B'1010',0(2)", "BF1A2000")]
    [TestCase("MVI   0(12),C' '", "9240C000")]
    [TestCase("MVI   0(12),-1", "92FFC000")]
    [TestCase("CLI   4(12),X'F0'", "95F0C004")]
    [TestCase("LPSW  0(12)", "8200C000")]
    [TestCase("STCK  8(12)", "B205C008")]
    [TestCase("SIO   X'00C'", "9C00000C")]
    [TestCase("MVC   0(8,12),16(12)", "D207C000C010")]
    [TestCase("PACK  0(8,12),16(3,12)", "F272C000C010")]
    [TestCase("SRP   0(8,12),16(12),5", "F075C000C010")]
    [TestCase("MVC   0(256,12),0(12)", "D2FFC000C000")]
    public void Instruction_bytes(string statement, string hex)
        => Assert.That(Asm.One(statement), Does.StartWith(hex));

    [Test]
    public void Expressions_with_operators_parentheses_and_self_defining_terms()
    {
        var hex = Asm.Hex("""
A        EQU   (3+4)*2-10/3
B        EQU   X'10'+B'101'+C'A'-193
C        EQU   L'D
         DC    AL1(A,B,C)
D        DS    CL12
         END
""");
        Assert.That(hex, Is.EqualTo("0B150C"));
    }

    [Test]
    public void Implicit_addresses_resolve_through_several_base_registers_choosing_the_smallest_displacement()
    {
        var r = Asm.Ok("""
PROG     START 0
         BALR  12,0
         USING *,12,11
         LA    11,4095(12)
         LA    11,1(11)
         L     1,NEAR
         L     2,FAR
         L     3,FAR+4
         USING FAR,10
         L     4,FAR+4
         DROP  10
         L     5,FAR
         DS    (4096-36)X
NEAR     DC    F'1'
         DS    600X
FAR      DC    F'2'
         DC    F'3'
         END   PROG
""");
        var b = r.CoreImage.Bytes;
        string Insn(int at) => Convert.ToHexString(b, at, 4);
        // BALR sets R12 = 2; NEAR is at 2+... check encodings relative to the bases.
        long near = r.Symbols["NEAR"], far = r.Symbols["FAR"];
        Assert.That(Insn(10), Is.EqualTo($"5810C{near - 2:X3}"));
        Assert.That(Insn(14), Is.EqualTo($"5820B{far - 4098:X3}"));
        Assert.That(Insn(18), Is.EqualTo($"5830B{far + 4 - 4098:X3}"));
        Assert.That(Insn(22), Is.EqualTo("5840A004"));
        Assert.That(Insn(26), Is.EqualTo($"5850B{far - 4098:X3}"));
    }

    [Test]
    public void Ss_operand_lengths_default_to_the_length_attribute_of_the_leftmost_term()
    {
        var r = Asm.Ok("""
         USING *,12
         MVC   OUT,IN
         MVC   OUT+2(3),IN
         ZAP   PK,PK2
OUT      DS    CL10
IN       DC    CL10'HELLO'
PK       DS    PL5
PK2      DC    P'123'
         END
""");
        string hex = Convert.ToHexString(r.CoreImage.Bytes);
        Assert.That(hex[..12], Is.EqualTo("D209C012C01C"));
        Assert.That(hex[12..24], Is.EqualTo("D202C014C01C"));
        Assert.That(hex[24..36], Is.EqualTo("F841C026C02B"));
    }

    [Test]
    public void Literals_are_pooled_at_LTORG_and_END_aligned_and_deduplicated()
    {
        var r = Asm.Ok("""
         USING *,12
         L     1,=F'1'
         LH    2,=H'2'
         L     3,=F'1'
         MVC   0(3,1),=C'ABC'
         LD    0,=D'1'
         LTORG
         L     4,=F'1'
         END
""");
        string hex = Convert.ToHexString(r.CoreImage.Bytes);
        // Code is 4+4+4+6+4 = 22 bytes; the pool starts at 24: D first, then F, then H, then C.
        Assert.That(hex[..8], Is.EqualTo("5810C020"));
        Assert.That(hex[8..16], Is.EqualTo("4820C024"));
        Assert.That(hex[16..24], Is.EqualTo("5830C020"));
        Assert.That(hex[24..36], Is.EqualTo("D2021000C026"));
        Assert.That(hex[36..44], Is.EqualTo("6800C018"));
        Assert.That(hex[48..], Does.StartWith("4110000000000000" + "00000001" + "0002" + "C1C2C3"));
        // The second pool (at END) holds its own copy of F'1'.
        Assert.That(hex.Substring(2 * 42, 8), Is.EqualTo("5840C030"));
        Assert.That(hex.Substring(2 * 48, 8), Is.EqualTo("00000001"));
    }

    [Test]
    public void Cnop_pads_with_nopr_and_org_moves_the_location_counter()
    {
        var hex = Asm.Hex("""
         DC    X'01'
         CNOP  0,8
         DC    X'02'
         ORG   *+3
         DC    X'03'
         END
""");
        Assert.That(hex, Is.EqualTo("01" + "00" + "070007000700" + "02" + "000000" + "03"));
    }
}
