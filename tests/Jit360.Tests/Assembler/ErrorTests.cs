using Jit360.Architecture;

namespace Jit360.Tests.Assembler;

/// <summary>Bad source gets the messages an assembler user recognises, at file, line and column.</summary>
public class ErrorTests
{
    static string Errors(string source, ArchLevel level = ArchLevel.S370)
    {
        var r = Asm.Run(source, level);
        Assert.That(r.Success, Is.False, "expected an error");
        return r.DiagnosticText;
    }

    [Test]
    public void Undefined_symbol_with_line_and_column()
        => Assert.That(Errors("         USING *,12\n         L     1,NOWHERE\n         END\n"), Does.Contain("test.asm:2:18: error: undefined symbol NOWHERE"));

    [Test]
    public void Addressability()
        => Assert.That(Errors("PROG     CSECT\n         L     1,X\nX        DC    F'1'\n         END\n"), Does.Contain("test.asm:2:18: error: addressability error"));

    [Test]
    public void Duplicate_label()
        => Assert.That(Errors("A        DS    F\nA        DS    F\n         END\n"), Does.Contain("test.asm:2:1: error: duplicate label A"));

    [Test]
    public void Bad_register_and_operand_count()
    {
        Assert.That(Errors("         LR    1,16\n         END\n"), Does.Contain("test.asm:1:18: error: bad register 16"));
        Assert.That(Errors("         LR    1\n         END\n"), Does.Contain("LR needs 2 operands, found 1"));
        Assert.That(Errors("         MVC   0(257,1),0(2)\n         END\n"), Does.Contain("length 257 out of range"));
    }

    [Test]
    public void Undefined_operation_and_wrong_level()
    {
        Assert.That(Errors("         FOO   1\n         END\n"), Does.Contain("test.asm:1:10: error: undefined operation code FOO"));
        Assert.That(Errors("         MVCL  2,4\n         END\n", ArchLevel.S360), Does.Contain("MVCL is not available on S/360"));
    }

    [Test]
    public void Bad_constants()
    {
        Assert.That(Errors("         DC    X'1G'\n         END\n"), Does.Contain("bad hexadecimal constant"));
        Assert.That(Errors("         DC    F'1\n         END\n"), Does.Contain("missing closing quote"));
        Assert.That(Errors("         DC    Q'1'\n         END\n"), Does.Contain("unknown constant type"));
    }

    [Test]
    public void An_erroneous_statement_keeps_its_length_so_later_addresses_stay_right()
    {
        var r = Asm.Run("         L     1,UNDEF\nX        DC    F'1'\n         END\n");
        Assert.That(r.Symbols["X"], Is.EqualTo(4));
    }
}
