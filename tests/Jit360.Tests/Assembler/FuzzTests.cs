using System.Diagnostics;
using System.Text;
using Jit360.Architecture;
using Jit360.Tests.Support;

namespace Jit360.Tests.Assembler;

/// <summary>
/// The assembler never throws on malformed source: random and mutated programs (fixed seeds,
/// so a failure replays) must give diagnostics, never an exception or an "internal error",
/// and each must finish in bounded time (generous: the test machine is shared).
/// </summary>
public class FuzzTests
{
    const string Alphabet = "ABCLXFHPZEDVY0123456789 ,()'&=*+-/.:@#$\tRSUINGMOVCTE";

    static readonly string[] Programs =
    [
        "src/Jit360.Cli/Programs/demo.asm",
        "traces/programs/sieve.asm",
        "traces/programs/decimal.asm",
    ];

    static readonly string[] Snippets =
    [
        "         MACRO\n&L       M     &A,&K=1\n.X       AIF   (&K GT 3).Y\n&K       SETA  &K+1\n         AGO   .X\n.Y       MNOTE 4,'&A'\n         MEND\n         M     Q,K=0\n",
        "         USING *,12\n         L     1,=F'1'\n         MVC   A(4),=C'AB'\nA        DC    3CL4'X',F'1,2',P'-1',E'1.5'\n         LTORG\n",
        "X        EQU   Y+2\nY        EQU   *\n         ORG   *+4\n         CNOP  2,4\n         DS    0D\n         CCW   2,X,X'20',80\n",
        "D        DSECT\nF1       DS    F\nC        CSECT\n         USING D,3\n         L     1,F1\n         DROP  3\n         EXTRN E\n         DC    V(E),A(E)\n",
    ];

    static string Mutate(string s, Random rng)
    {
        var sb = new StringBuilder(s);
        int n = rng.Next(1, 12);
        for (int k = 0; k < n && sb.Length > 0; k++)
        {
            int at = rng.Next(sb.Length);
            switch (rng.Next(6))
            {
                case 0: sb.Remove(at, Math.Min(rng.Next(1, 6), sb.Length - at)); break;
                case 1: sb.Insert(at, Alphabet[rng.Next(Alphabet.Length)]); break;
                case 2: sb[at] = Alphabet[rng.Next(Alphabet.Length)]; break;
                case 3:
                {
                    // Duplicate a piece elsewhere (repeated labels, nested parentheses, ...).
                    int len = Math.Min(rng.Next(1, 40), sb.Length - at);
                    string piece = sb.ToString(at, len);
                    sb.Insert(rng.Next(sb.Length), piece);
                    break;
                }
                case 4: sb.Insert(at, new string('(', rng.Next(1, 200))); break;
                default: sb.Length = at; break;
            }
        }
        return sb.ToString();
    }

    static string Random(Random rng)
    {
        var sb = new StringBuilder();
        int lines = rng.Next(1, 30);
        for (int i = 0; i < lines; i++)
        {
            int len = rng.Next(0, 90);
            for (int k = 0; k < len; k++) sb.Append(Alphabet[rng.Next(Alphabet.Length)]);
            sb.Append('\n');
        }
        return sb.ToString();
    }

    static void Check(string source, string what)
    {
        var watch = Stopwatch.StartNew();
        var r = Jit360.Assembler.Assembler.Assemble(source, "fuzz.asm", new Jit360.Assembler.AssemblerOptions { Level = ArchLevel.S370 });
        Assert.That(r.Diagnostics.Where(d => d.Message.Contains("internal error")), Is.Empty, what + "\n" + source);
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), what + " took too long\n" + source);
        Assert.That(r.Listing, Is.Not.Null);
    }

    [Test]
    public void Mutated_programs_give_diagnostics_not_exceptions()
    {
        var sources = Programs.Select(p => File.ReadAllText(Path.Combine(Shared.RepositoryRoot, p))).Concat(Snippets).ToList();
        var rng = new Random(360);
        for (int i = 0; i < 160; i++)
        {
            var src = sources[i % sources.Count];
            Check(Mutate(src, rng), $"mutation {i} of source {i % sources.Count}");
        }
    }

    [Test]
    public void Random_text_gives_diagnostics_not_exceptions()
    {
        var rng = new Random(370);
        for (int i = 0; i < 200; i++) Check(Random(rng), $"random program {i}");
    }

    [TestCase("         DC    1048576X'00'\n         DC    F'1'\n")]
    [TestCase("         DC    16777217X'00'\n")]
    [TestCase("         ORG   *+X'7FFFFFFF'\n")]
    [TestCase("         DS    (X'7FFFFFFF')F\n")]
    [TestCase("         DC    F'99999999999999999999999999'\n")]
    [TestCase("         DC    E'1E300'\n")]
    [TestCase("         L     1,=F'1',=F'2'\n")]
    [TestCase("A        EQU   A+1\n")]
    [TestCase("         MACRO\n         R\n         R\n         MEND\n         R\n")]
    [TestCase("         COPY  ../../../etc/passwd\n")]
    [TestCase("&A       SETA  1/0\n         AIF   ('ABC'(5,9) EQ '').X\n")]
    [TestCase("         LA    1,((((((((((((((((((((((((1))))))))))))))))))))))))\n")]
    public void Hostile_statements_are_errors_with_their_place(string source) => Check(source, "hostile");
}
