using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Tests.Jit;

/// <summary>
/// The JIT's binary path for AP/SP/ZAP/CP on operands of up to 8 bytes against the interpreter:
/// results, preferred signs, the sign of zero, condition codes (kept by BALR in each pass),
/// overflow with the decimal-overflow mask off and on, and a data exception, all inside a hot loop.
/// </summary>
public class DecimalFastPathTests
{
    // Each pass: AP into a total, ZAP/SP a work field, CP it against the amount, ZAP into a
    // 2-byte field (overflow for big amounts), each condition code stored by BALR.
    const string Loop = """
         LA    3,VALS
         LA    6,CCS
         LA    7,8
LOOP     AP    TOT,0(5,3)
         BALR  5,0
         ST    5,0(6)
         ZAP   W,0(5,3)
         SP    W,FEE
         BALR  5,0
         ST    5,4(6)
         AP    TOT2+3(5),W+3(5)
         CP    W,0(5,3)
         BALR  5,0
         ST    5,8(6)
         ZAP   SMALL,0(5,3)
         BALR  5,0
         ST    5,12(6)
         SP    NEG,0(5,3)
         LA    3,5(3)
         LA    6,16(6)
         BCT   7,LOOP
         LPSW  DONE
         DS    2XL256
TOT      DC    PL8'0'
TOT2     DC    PL8'0'
W        DC    PL8'0'
SMALL    DC    PL2'0'
NEG      DC    X'000000000D'
FEE      DC    PL2'125'
VALS     DC    PL5'123456789',PL5'-125',X'000000000D',PL5'99999'
         DC    PL5'-999999999',X'000000007F',PL5'125',X'000000001A'
CCS      DS    32F
""";

    [Test]
    public void Results_signs_and_condition_codes_match_the_interpreter()
    {
        var (_, jit, _) = RegionTests.Both(Loop);
        Assert.That(jit.CurrentPsw() & 0xFFFF, Is.EqualTo(0xAAAAUL), "the loop ends at DONE");
    }

    [Test]
    public void Decimal_overflow_with_the_mask_on_interrupts_exactly()
    {
        // Program mask bit for decimal overflow (PSW bit 37): SPM with X'04'.
        var (_, jit, _) = RegionTests.Both("         L     1,MASK\n         SPM   1\n" + Loop + "\nMASK     DC    X'04000000'");
        Assert.That(jit.LastInterrupt.Code, Is.EqualTo(ProgramInterruptCode.DecimalOverflow));
    }

    [Test]
    public void An_invalid_sign_is_a_data_exception_inside_the_loop()
    {
        var (_, jit, _) = RegionTests.Both(Loop.Replace("X'000000001A'", "X'0000000019'"));
        Assert.That(jit.LastInterrupt.Code, Is.EqualTo(ProgramInterruptCode.Data));
    }

    [Test]
    public void S360_operands_match_the_interpreter()
    {
        RegionTests.Both(Loop, level: ArchLevel.S360);
    }
}
