namespace Jit360.Tests.Assembler;

public class DataConstantTests
{
    static string Dc(string operands) => Asm.Hex($"         DC    {operands}\n         END\n");

    [TestCase("C'AB'", "C1C2")]
    [TestCase("CL4'AB'", "C1C24040")]
    [TestCase("CL1'AB'", "C1")]
    [TestCase("C'IT''S'", "C9E37DE2")]
    [TestCase("C'A&&B'", "C150C2")]
    [TestCase("3C'X'", "E7E7E7")]
    [TestCase("X'1F2'", "01F2")]
    [TestCase("XL3'FF'", "0000FF")]
    [TestCase("XL1'1234'", "34")]
    [TestCase("X'01,02'", "0102")]
    [TestCase("B'101'", "05")]
    [TestCase("B'1,11'", "0103")]
    [TestCase("F'1'", "00000001")]
    [TestCase("F'-1'", "FFFFFFFF")]
    [TestCase("F'1,-2'", "00000001FFFFFFFE")]
    [TestCase("H'-2'", "FFFE")]
    [TestCase("FL1'5'", "05")]
    [TestCase("2H'7'", "00070007")]
    [TestCase("P'-12'", "012D")]
    [TestCase("P'12'", "012C")]
    [TestCase("P'+123'", "123C")]
    [TestCase("PL3'5'", "00005C")]
    [TestCase("P'1.25'", "125C")]
    [TestCase("Z'-12'", "F1D2")]
    [TestCase("Z'12'", "F1C2")]
    [TestCase("ZL4'7'", "F0F0F0C7")]
    [TestCase("E'1.0'", "41100000")]
    [TestCase("E'-1.0'", "C1100000")]
    [TestCase("E'0.1'", "4019999A")]
    [TestCase("E'0.5'", "40800000")]
    [TestCase("E'100'", "42640000")]
    [TestCase("D'0.1'", "401999999999999A")]
    [TestCase("D'1'", "4110000000000000")]
    [TestCase("D'-2.5E2'", "C2FA000000000000")]
    [TestCase("E'0'", "00000000")]
    [TestCase("L'1'", "41100000000000003300000000000000")]
    [TestCase("L'0.1'", "4019999999999999329999999999999A")]
    [TestCase("A(16)", "00000010")]
    [TestCase("AL3(16)", "000010")]
    [TestCase("Y(16,17)", "00100011")]
    [TestCase("A(*)", "00000000")]
    public void Constant_bytes(string operand, string hex) => Assert.That(Dc(operand), Is.EqualTo(hex));

    [Test]
    public void Alignment_applies_without_an_explicit_length_only()
    {
        Assert.That(Asm.Hex("         DC    X'01'\n         DC    F'2'\n         DC    X'03'\n         DC    H'4'\n         END\n"),
            Is.EqualTo("01000000" + "00000002" + "03" + "00" + "0004"));
        Assert.That(Asm.Hex("         DC    X'01'\n         DC    FL4'2'\n         END\n"), Is.EqualTo("0100000002"));
        Assert.That(Asm.Hex("         DC    X'01'\n         DC    D'1'\n         END\n"), Is.EqualTo("01" + "00000000000000" + "4110000000000000"));
    }

    [Test]
    public void DS_reserves_with_duplication_lengths_and_zero_duplication_aligns()
    {
        var r = Asm.Ok("""
A        DS    CL80
B        DS    0F
C        DS    3F
D        DS    C'ABC'
E        DS    H
         END
""");
        Assert.That(r.Symbols["A"], Is.EqualTo(0));
        Assert.That(r.Symbols["B"], Is.EqualTo(80));
        Assert.That(r.Symbols["C"], Is.EqualTo(80));
        Assert.That(r.Symbols["D"], Is.EqualTo(92));
        Assert.That(r.Symbols["E"], Is.EqualTo(96));
        Assert.That(r.Listing, Does.Contain("A").And.Contain("CROSS-REFERENCE"));
    }

    [Test]
    public void Address_constants_are_relocatable_and_V_constants_name_externals()
    {
        var r = Asm.Ok("""
PROG     CSECT
         EXTRN EXT
HERE     DC    A(HERE+4)
         DC    V(OTHER)
         DC    A(EXT)
         DC    A(HERE-PROG)
         END
""");
        Assert.That(Convert.ToHexString(r.CoreImage.Bytes), Is.EqualTo("00000004" + "00000000" + "00000000" + "00000000"));
        Assert.That(r.Relocations.Select(x => (x.Item.Address, x.Item.IsV)), Is.EqualTo(new[] { (0u, false), (4u, true), (8u, false) }));
        Assert.That(r.Esd.Select(e => (e.Name, e.Type)), Is.EqualTo(new[] { ("PROG", Jit360.Assembler.EsdType.SD), ("EXT", Jit360.Assembler.EsdType.ER), ("OTHER", Jit360.Assembler.EsdType.ER) }));
    }
}
