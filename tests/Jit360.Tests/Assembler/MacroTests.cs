namespace Jit360.Tests.Assembler;

public class MacroTests
{
    [Test]
    public void Positional_and_keyword_parameters_with_defaults()
    {
        var hex = Asm.Hex("""
         MACRO
&LBL     LOAD  &REG,&VAL,&BASE=0
&LBL     LA    &REG,&VAL.(0,&BASE)
         MEND
FIRST    LOAD  1,5
         LOAD  2,6,BASE=12
         END
""");
        Assert.That(hex, Is.EqualTo("41100005" + "4120C006"));
    }

    [Test]
    public void Sysndx_makes_unique_labels()
    {
        var r = Asm.Ok("""
         MACRO
         SKIP
         B     L&SYSNDX
L&SYSNDX DS    0H
         MEND
         USING *,12
         SKIP
         SKIP
         END
""");
        Assert.That(r.Symbols.Keys, Does.Contain("L0001").And.Contain("L0002"));
        Assert.That(Convert.ToHexString(r.CoreImage.Bytes), Is.EqualTo("47F0C004" + "47F0C008"));
    }

    [Test]
    public void Aif_loops_with_seta_and_local_and_global_set_symbols()
    {
        var hex = Asm.Hex("""
         MACRO
         TABLE &N
         GBLA  &TOTAL
         LCLA  &I
&I       SETA  1
.LOOP    AIF   (&I GT &N).DONE
         DC    AL1(&I*&I)
&TOTAL   SETA  &TOTAL+&I
&I       SETA  &I+1
         AGO   .LOOP
.DONE    ANOP
         MEND
         GBLA  &TOTAL
         TABLE 4
         TABLE 2
         DC    AL1(&TOTAL)
         END
""");
        Assert.That(hex, Is.EqualTo("01040910" + "0104" + "0D"));
    }

    [Test]
    public void Setb_setc_substrings_and_character_comparisons()
    {
        var hex = Asm.Hex("""
         MACRO
         NAMEIT &TEXT,&FLAG=NO
         LCLC  &C
         LCLB  &B
&C       SETC  '&TEXT'(1,2).'Z'
&B       SETB  ('&FLAG' EQ 'YES')
         AIF   (NOT &B).SKIP
         DC    C'&C'
.SKIP    ANOP
&K       SETA  K'&TEXT
         DC    AL1(&K)
         MEND
         NAMEIT ABCD,FLAG=YES
         NAMEIT XY
         END
""");
        Assert.That(hex, Is.EqualTo("C1C2E9" + "04" + "02"));
    }

    [Test]
    public void Nested_macro_calls_and_sublists()
    {
        var hex = Asm.Hex("""
         MACRO
         INNER &R
         LR    &R,&R
         MEND
         MACRO
         OUTER &LIST
         INNER &LIST(1)
         INNER &LIST(2)
&N       SETA  N'&LIST
         DC    AL1(&N)
         MEND
         OUTER (3,4)
         END
""");
        Assert.That(hex, Is.EqualTo("1833" + "1844" + "02"));
    }

    [Test]
    public void Mnote_severity_and_mexit()
    {
        var r = Asm.Run("""
         MACRO
         CHECK &X
         AIF   ('&X' NE '').OK
         MNOTE 8,'CHECK needs an operand'
         MEXIT
.OK      DC    C'&X'
         MEND
         CHECK A
         CHECK
         END
""");
        Assert.That(r.DiagnosticText, Does.Contain("test.asm:9:1: error: MNOTE: CHECK needs an operand"));
        Assert.That(Convert.ToHexString(r.CoreImage.Bytes), Is.EqualTo("C1"));
    }

    [Test]
    public void Macros_come_from_a_library_directory_and_copy_members_too()
    {
        var dir = Directory.CreateTempSubdirectory("jit360-maclib");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "SAVE2.mac"), "         MACRO\n&N       SAVE2 &A\n&N       STM   14,12,&A\n         MEND\n");
            File.WriteAllText(Path.Combine(dir.FullName, "EQUS.cpy"), "R1       EQU   1\n");
            var hex = Asm.Hex2("         COPY  EQUS\n         SAVE2 12(13)\n         LR    R1,R1\n         END\n", [dir.FullName]);
            Assert.That(hex, Is.EqualTo("90ECD00C" + "1811"));
        }
        finally { dir.Delete(true); }
    }

    [Test]
    public void Runaway_conditional_loops_stop_at_the_actr_limit()
    {
        var r = Asm.Run(".LOOP    ANOP\n         AGO   .LOOP\n         END\n");
        Assert.That(r.DiagnosticText, Does.Contain("ACTR limit"));
    }

    [Test]
    public void Undefined_variable_symbol_is_reported()
    {
        var r = Asm.Run("         MACRO\n         M\n         DC    C'&NOPE'\n         MEND\n         M\n         END\n");
        Assert.That(r.DiagnosticText, Does.Contain("test.asm:5:1: error: undefined variable symbol &NOPE"));
    }
}
