namespace Jit360.Tests.Assembler;

public class ListingTests
{
    [Test]
    public void Listing_shows_location_object_code_statement_and_a_cross_reference()
    {
        var r = Asm.Ok("""
         TITLE 'LISTING TEST'
         PRINT GEN
PROG     CSECT
         USING *,15
         L     1,WORD
         SPACE 1
         EJECT
WORD     DC    F'5'
         END   PROG
""");
        var lines = r.Listing.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.That(lines, Has.Some.Match(@"^000000 5810F004\s+5  +L     1,WORD"));
        Assert.That(lines, Has.Some.Match(@"^000004 00000005\s+8  WORD     DC    F'5'"));
        Assert.That(lines, Has.Some.Match(@"^WORD\s+4  000004      8  5$"));
        Assert.That(lines, Has.Some.Match(@"^PROG\s+1  000000      3  9$"));
        Assert.That(lines.Last(l => l.Length > 0), Is.EqualTo("0 errors, 0 warnings"));
    }

    [Test]
    public void Errors_appear_under_their_statement()
    {
        var r = Asm.Run("         LR    1,BAD\n         END\n");
        var lines = r.Listing.Split('\n');
        int at = Array.FindIndex(lines, l => l.Contains("LR    1,BAD"));
        Assert.That(lines[at + 1], Does.StartWith("*** ERROR at test.asm:1:18: undefined symbol BAD"));
    }
}
