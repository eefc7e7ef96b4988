namespace Jit360.Tests.Jit;

/// <summary>
/// The JIT's character fast paths against the interpreter inside a hot loop: CLC of 4 and 8
/// bytes as one big-endian compare (equal, low and high), the 4-byte TR step with the table
/// apart from the operand, and TR whose table overlaps the operand it translates (bytes then
/// change one at a time, so later lookups see earlier results).
/// </summary>
public class CharacterFastPathTests
{
    [Test]
    public void Short_compares_and_translates_match_the_interpreter()
    {
        RegionTests.Both("""
         LA    3,RECS
         LA    6,CCS
         LA    7,6
LOOP     MVC   OUT(16),0(3)
         TR    OUT(15),TABLE
         CLC   OUT(4),OUT+4
         BALR  5,0
         ST    5,0(6)
         CLC   0(8,3),8(3)
         BALR  5,0
         ST    5,4(6)
         CLC   1(4,3),RECS+1
         BALR  5,0
         ST    5,8(6)
         TR    TABLE+250(9),TABLE
         LA    3,16(3)
         LA    6,12(6)
         BCT   7,LOOP
         LPSW  DONE
RECS     DC    X'00000001000000020102030401020305'
         DC    X'FFFFFFFF00000000FFFFFFFFFFFFFFFF'
         DC    X'12345678123456788000000000000000'
         DC    X'00000000000000000000000000000000'
         DC    X'7FFFFFFF800000007FFFFFFF80000000'
         DC    X'0102030405060708090A0B0C0D0E0F10'
OUT      DS    XL16
CCS      DS    24F
TABLE    DS    0XL256
         DC    X'0D141B222930373E454C535A61686F76'
         DC    X'7D848B9299A0A7AEB5BCC3CAD1D8DFE6'
         DC    X'EDF4FB020910171E252C333A41484F56'
         DC    X'5D646B727980878E959CA3AAB1B8BFC6'
         DC    X'CDD4DBE2E9F0F7FE050C131A21282F36'
         DC    X'3D444B525960676E757C838A91989FA6'
         DC    X'ADB4BBC2C9D0D7DEE5ECF3FA01080F16'
         DC    X'1D242B323940474E555C636A71787F86'
         DC    X'8D949BA2A9B0B7BEC5CCD3DAE1E8EFF6'
         DC    X'FD040B121920272E353C434A51585F66'
         DC    X'6D747B828990979EA5ACB3BAC1C8CFD6'
         DC    X'DDE4EBF2F900070E151C232A31383F46'
         DC    X'4D545B626970777E858C939AA1A8AFB6'
         DC    X'BDC4CBD2D9E0E7EEF5FC030A11181F26'
         DC    X'2D343B424950575E656C737A81888F96'
         DC    X'9DA4ABB2B9C0C7CED5DCE3EAF1F8FF06'
         DS    XL16
""");
    }
}
