using System.Globalization;
using System.Text.RegularExpressions;

namespace Jit360.Cli.Demo;

/// <summary>A line a guest must write on its virtual console: what it should say, and the test of a line that says it.</summary>
public sealed record ExpectedLine(string Text, Func<string, bool> Matches)
{
    public static ExpectedLine Exactly(string text) => new(text, line => line == text);
}

/// <summary>
/// A guest program of the CP demo (src/Jit360.Cli/Programs/NAME.asm): it runs in a virtual
/// machine in the virtual supervisor state, writes its results on the virtual console and logs
/// itself off. <see cref="Expected"/> are the lines it must write, worked out here in C# from
/// the same definitions, so that the demo checks what each guest computed.
/// <see cref="RepeatUnit"/> scales <c>--repeat</c> into the program's REPEATS word so that one
/// repeat is a few million instructions for every program.
/// </summary>
public sealed record GuestProgram(string Name, string Description, int RepeatUnit, IReadOnlyList<ExpectedLine> Expected)
{
    /// <summary>The source's name in Programs/ (NAME.asm): the program's own name unless a variant says otherwise.</summary>
    public string Source { get; init; } = Name;

    /// <summary>The programs, in the order users are given them (user N runs program N mod count).</summary>
    public static readonly IReadOnlyList<GuestProgram> All =
    [
        new("primes", "the primes below 10000 by trial division (D, MR, BCT)", 10, [ExpectedLine.Exactly(Reference.Primes())]),
        new("sieve", "the sieve of Eratosthenes below 100000 (MVCL, MVI, BXLE)", 6, [ExpectedLine.Exactly(Reference.Sieve())]),
        new("ledger", "a packed-decimal ledger (CVD, AP, SP, DP, MP, SRP, EDMK)", 350, [ExpectedLine.Exactly(Reference.Ledger())]),
        new("sort", "256 words made, translated and sorted (TR, CLC, MVC)", 36, [ExpectedLine.Exactly(Reference.Sort())]),
        new("clock", "the interval timer, STCK and DIAGNOSE X'08' QUERY TIME", 0, Reference.Clock()),
    ];

    public static GuestProgram? Find(string name) => All.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>What each guest program must compute, worked out on the host.</summary>
public static class Reference
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>primes.asm: how many primes below 10000 and the largest (found here with a sieve).</summary>
    public static string Primes()
    {
        var primes = PrimesBelow(10_000);
        return $"PRIMES: {primes.Count} PRIMES BELOW 10000 BY TRIAL DIVISION, THE LARGEST {primes[^1]}";
    }

    /// <summary>sieve.asm: how many primes below 100000 and their sum (found here by trial division).</summary>
    public static string Sieve()
    {
        long count = 0, sum = 0;
        for (int n = 2; n < 100_000; n++)
        {
            bool prime = true;
            for (int d = 2; d * d <= n && prime; d++) prime = n % d != 0;
            if (prime) { count++; sum += n; }
        }
        return $"SIEVE: {count} PRIMES BELOW 100000, SUM {sum}";
    }

    static List<int> PrimesBelow(int limit)
    {
        var composite = new bool[limit];
        var primes = new List<int>();
        for (int n = 2; n < limit; n++)
        {
            if (composite[n]) continue;
            primes.Add(n);
            for (long m = (long)n * n; m < limit; m += n) composite[m] = true;
        }
        return primes;
    }

    /// <summary>
    /// ledger.asm: 1000 entries, amount(j) = (j*7919+12345) mod 100000 cents, every seventh a
    /// debit; the balance, the average (DP truncates) and 5% interest (SRP rounds half up).
    /// </summary>
    public static string Ledger()
    {
        long balance = 0;
        int debits = 0;
        for (int j = 1; j <= 1000; j++)
        {
            long amount = (j * 7919L + 12345) % 100_000;
            if (j % 7 == 0) { balance -= amount; debits++; }
            else balance += amount;
        }
        long average = balance / 1000, interest = (balance * 5 + 50) / 100;
        return $"LEDGER: 1000 ENTRIES ({debits} DEBITS), BALANCE {Money(balance)}, AVERAGE {Money(average)}, 5% INTEREST {Money(interest)}";
    }

    static string Money(long cents) => (cents / 100).ToString("N0", Invariant) + "." + (cents % 100).ToString("D2", Invariant);

    /// <summary>
    /// sort.asm: 256 words of 8 letters from x = 69069x+1 mod 2**32 (seed 360), letter (x/2**24)
    /// mod 26; sorted; the first and last word and the sum of (i+1) times the first four EBCDIC
    /// bytes of word i as a big-endian word, mod 2**31.
    /// </summary>
    public static string Sort()
    {
        uint x = 360;
        var words = new string[256];
        for (int w = 0; w < words.Length; w++)
        {
            var letters = new char[8];
            for (int i = 0; i < 8; i++)
            {
                x = unchecked(x * 69069 + 1);
                letters[i] = (char)('A' + (x >> 24) % 26);
            }
            words[w] = new string(letters);
        }
        // A-Z ascend in EBCDIC as in ASCII, so an ordinal sort is the guest's CLC order.
        Array.Sort(words, StringComparer.Ordinal);
        uint sum = 0;
        for (int i = 0; i < words.Length; i++)
        {
            var e = Jit360.Architecture.Ebcdic.FromString(words[i]);
            uint first = (uint)(e[0] << 24 | e[1] << 16 | e[2] << 8 | e[3]);
            sum = unchecked(sum + (uint)(i + 1) * first);
        }
        return $"SORT: 256 WORDS, FIRST {words[0]}, LAST {words[^1]}, CHECKSUM {sum & 0x7FFF_FFFF}";
    }

    /// <summary>
    /// clock.asm: five interval-timer interruptions, each 10 ms after the timer was set. The timer
    /// may step just after a store into it (GA22-7000 "Interval Timer": bit 23 is decremented 300
    /// times a second, so a period can be up to 1/300 s short; here it is short by the time that
    /// accrued since the last timer update), so five periods take at least 5 x 6.67 = 34 ms of TOD
    /// time (how much more depends on the host). CP's QUERY TIME answer comes back through the
    /// DIAGNOSE X'08' response buffer.
    /// </summary>
    public static IReadOnlyList<ExpectedLine> Clock()
    {
        var timer = new Regex(@"^CLOCK: 5 INTERVAL TIMER INTERRUPTIONS IN (\d+) MS BY THE TOD CLOCK$");
        var time = new Regex(@"^CLOCK: CP SAYS TIME IS \d\d:\d\d:\d\d \S+ \S+ \d\d/\d\d/\d\d");
        return
        [
            new("CLOCK: 5 INTERVAL TIMER INTERRUPTIONS IN (at least 34) MS BY THE TOD CLOCK",
                line => timer.Match(line) is { Success: true } m && long.TryParse(m.Groups[1].Value, out long ms) && ms >= 34 && ms < 60_000),
            new("CLOCK: CP SAYS TIME IS hh:mm:ss zone weekday mm/dd/yy", time.IsMatch),
        ];
    }
}
