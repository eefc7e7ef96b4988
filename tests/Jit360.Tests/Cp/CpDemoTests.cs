using System.Diagnostics;
using Jit360.Cli;
using Jit360.Cli.Demo;
using Jit360.Cp.Directory;
using Jit360.Tests.Support;

namespace Jit360.Tests.Cp;

/// <summary>
/// The README's <c>jit360 demo</c> on every engine: CP with a built-in directory, one virtual
/// machine per user, each IPLing an assembled guest program from its virtual reader, all at once.
/// Each guest's console must show what it computed; the counts of primes are facts of arithmetic,
/// the ledger and sort lines are worked out independently on the host (<see cref="Reference"/>).
/// </summary>
[NonParallelizable]
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class CpDemoEngineTests(string engine)
{
    // The JIT translates at first sight as in every engine test; lockstep keeps the CLI's own rounds:
    // the tests' 64-instruction rounds compare 16M guest storages far too often for millions of instructions.
    DemoSettings Settings(int users = CpDemo.DefaultUsers) => new()
    {
        Engine = engine, EngineFactory = engine == "lockstep" ? null : () => TestEngines.Create(engine),
        Users = users, Repeat = 1, Timeout = TimeSpan.FromSeconds(120),
    };

    static string Transcripts(DemoOutcome o) => string.Join("\n", o.Users.Select(u => $"---- {u.UserId}: {u.Problem}\n" + string.Join("\n", u.Transcript)));

    [Test]
    public void Every_virtual_machine_writes_its_result_on_its_console_and_logs_itself_off()
    {
        var outcome = CpDemo.Run(Settings());
        string all = Transcripts(outcome);
        Assert.That(outcome.Users.Select(u => u.UserId), Is.EqualTo(new[] { "PRIMES", "SIEVE", "LEDGER", "SORT", "CLOCK" }));
        Assert.That(outcome.Users.Where(u => !u.Ok).Select(u => u.UserId), Is.Empty, all);

        var by = outcome.Users.ToDictionary(u => u.UserId);
        // pi(10^4) = 1229, the largest prime below 10^4 is 9973; pi(10^5) = 9592, their sum 454396537.
        Assert.That(by["PRIMES"].Results, Is.EqualTo(new[] { "PRIMES: 1229 PRIMES BELOW 10000 BY TRIAL DIVISION, THE LARGEST 9973" }), all);
        Assert.That(by["SIEVE"].Results, Is.EqualTo(new[] { "SIEVE: 9592 PRIMES BELOW 100000, SUM 454396537" }), all);
        Assert.That(by["LEDGER"].Results, Is.EqualTo(new[] { Reference.Ledger() }), all);
        Assert.That(by["SORT"].Results, Is.EqualTo(new[] { Reference.Sort() }), all);
        Assert.That(by["CLOCK"].Results, Has.Count.EqualTo(2), all);
        Assert.That(by["CLOCK"].Results[1], Does.StartWith("CLOCK: CP SAYS TIME IS "), all);

        foreach (var u in outcome.Users)
        {
            // What the user typed and what CP answered, in order: the guest ran between IPL and LOGOFF.
            var t = u.Transcript.ToList();
            int ipl = t.IndexOf("IPL 00C"), logoff = t.FindIndex(l => l.StartsWith("LOGOFF AT", StringComparison.Ordinal));
            Assert.That(ipl, Is.GreaterThan(t.FindIndex(l => l.StartsWith("LOGON AT", StringComparison.Ordinal))), all);
            Assert.That(logoff, Is.GreaterThan(ipl), all);
            foreach (var r in u.Results) Assert.That(t.IndexOf(r), Is.InRange(ipl + 1, logoff - 1), all);
            // DIAGNOSE X'08': LOGOFF for every guest, QUERY TIME as well for CLOCK; nothing else.
            Assert.That(u.Diagnoses, Is.EqualTo(new Dictionary<int, long> { [0x08] = u.UserId == "CLOCK" ? 2 : 1 }), u.UserId);
            Assert.That(u.Elapsed, Is.GreaterThan(TimeSpan.Zero), u.UserId);
        }
        // The computing guests run millions of instructions; CLOCK waits for its timer nearly all the time.
        Assert.That(outcome.Users.Where(u => u.UserId != "CLOCK").Select(u => u.Instructions), Has.All.GreaterThan(1_000_000));
        Assert.That(by["CLOCK"].Instructions, Is.InRange(50, 10_000));
        Assert.That(outcome.Instructions, Is.EqualTo(outcome.Users.Sum(u => u.Instructions)));
    }

    [Test]
    public void The_summary_has_a_row_per_machine_a_total_and_their_console_lines()
    {
        var output = new StringWriter();
        int exit = DemoVerb.Run(Settings(users: 2), verbose: true, output);
        string text = output.ToString();
        Assert.That(exit, Is.Zero, text);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.That(lines, Has.One.Match(@"^USERID +PROGRAM +CHECK +INSTRUCTIONS +ELAPSED +MIPS +DIAGNOSE$"), text);
        Assert.That(lines, Has.One.Match(@"^PRIMES +primes +ok +[\d,]+ +\d+\.\d{3} s +\d+\.\d  08 x1$"), text);
        Assert.That(lines, Has.One.Match(@"^SIEVE +sieve +ok +[\d,]+ +\d+\.\d{3} s +\d+\.\d  08 x1$"), text);
        Assert.That(lines, Has.One.Match(@"^TOTAL +2 VMs +2/2 +[\d,]+ +\d+\.\d{3} s +\d+\.\d  08 x2$"), text);
        Assert.That(lines, Has.One.EqualTo("PRIMES   PRIMES: 1229 PRIMES BELOW 10000 BY TRIAL DIVISION, THE LARGEST 9973"), text);
        Assert.That(lines, Has.One.EqualTo("SIEVE    SIEVE: 9592 PRIMES BELOW 100000, SUM 454396537"), text);
        Assert.That(lines, Has.One.EqualTo("---- PRIMES's terminal ----"), "--verbose shows each terminal: " + text);
        Assert.That(lines, Has.One.EqualTo("LOGON SIEVE EVEIS"), text);
        Assert.That(lines.Last(l => l.Length > 0), Is.EqualTo("JIT360 demo: all 2 virtual machines computed what they should"), text);
    }
}

/// <summary>The demo's parts (directory, guest sources, checking) and the built command as a process.</summary>
[NonParallelizable]
public class CpDemoTests
{
    [Test]
    public void The_built_in_directory_is_read_by_the_real_parser_and_gives_out_the_programs_in_turn()
    {
        var directory = DirectoryParser.Parse(CpDemo.Directory(7), "DEMO DIRECT");
        var users = directory.Users.ToList();
        Assert.That(users.Select(u => u.UserId), Is.EqualTo(new[] { "PRIMES", "SIEVE", "LEDGER", "SORT", "CLOCK", "PRIMES2", "SIEVE2" }));
        Assert.That(CpDemo.ProgramOf(5).Name, Is.EqualTo("primes"));
        foreach (var u in users)
        {
            Assert.That(u.Password, Is.EqualTo(CpDemo.Password(u.UserId)));
            Assert.That(u.Console?.Address, Is.EqualTo((ushort)0x009), u.UserId);
            Assert.That(u.Spool.Select(s => s.Address), Does.Contain((ushort)0x00C), u.UserId);
        }
    }

    static IEnumerable<string> GuestSources()
    {
        string programs = Path.Combine(Shared.RepositoryRoot, "src/Jit360.Cli/Programs");
        return Directory.GetFiles(programs, "*.asm").Concat(Directory.GetFiles(Path.Combine(programs, "Macros"), "*.mac"))
            .Where(f => Path.GetFileName(f) != "demo.asm").Order();
    }

    [Test]
    public void Guest_sources_keep_to_columns_1_to_71()
    {
        // Column 72 is the continuation column: a remark that reaches it swallows the next statement.
        var sources = GuestSources().ToList();
        Assert.That(sources.Select(Path.GetFileName), Is.SupersetOf(new[] { "primes.asm", "sieve.asm", "ledger.asm", "sort.asm", "clock.asm", "VMRUNTIM.mac" }));
        foreach (var f in sources)
        {
            var lines = File.ReadAllLines(f);
            for (int i = 0; i < lines.Length; i++)
                Assert.That(lines[i].Length, Is.LessThan(72), $"{Path.GetFileName(f)}:{i + 1}: {lines[i]}");
        }
    }

    [Test]
    public void Each_guest_assembles_clean_with_its_repeat_count_and_an_IPL_deck()
    {
        foreach (var p in GuestProgram.All)
        {
            var g = BuiltInPrograms.Guest(p.Source, 3);
            Assert.That(g.Repeats, Is.EqualTo(p.RepeatUnit == 0 ? 1 : 3), p.Name);
            Assert.That(g.IplDeck.Length % 80, Is.Zero, p.Name);
            Assert.That(g.IplDeck.Length / 80, Is.GreaterThan(g.Image.Bytes.Length / 80), $"{p.Name}: text cards and CCW lists");
            Assert.That(g.Entry, Is.EqualTo(0x200u), p.Name);
        }
    }

    [Test]
    public void More_repeats_run_more_instructions_for_the_same_result()
    {
        var primes = new[] { GuestProgram.Find("primes")! };
        DemoOutcome Run(int repeat) => CpDemo.Run(new DemoSettings { Users = 1, Repeat = repeat, Programs = primes, Timeout = TimeSpan.FromSeconds(60) });
        var one = Run(1);
        var two = Run(2);
        Assert.That(one.AllOk && two.AllOk, Is.True, one.Users[0].Problem + two.Users[0].Problem);
        Assert.That(two.Users[0].Results, Is.EqualTo(one.Users[0].Results));
        Assert.That((double)two.Instructions / one.Instructions, Is.InRange(1.9, 2.1));
    }

    [Test]
    public void A_guest_whose_console_does_not_say_what_is_expected_fails_the_demo()
    {
        var wrong = GuestProgram.Find("primes")! with { Expected = [ExpectedLine.Exactly("PRIMES: 1228 PRIMES BELOW 10000 BY TRIAL DIVISION, THE LARGEST 9973")] };
        var output = new StringWriter();
        int exit = DemoVerb.Run(new DemoSettings { Users = 1, Repeat = 1, Programs = [wrong], Timeout = TimeSpan.FromSeconds(60) }, verbose: false, output);
        string text = output.ToString();
        Assert.That(exit, Is.EqualTo(2), text);
        Assert.That(text, Does.Match(@"\nPRIMES +primes +FAILED "), text);
        Assert.That(text, Does.Match(@"\nTOTAL +1 VMs +0/1 "), text);
        Assert.That(text, Does.Contain("PRIMES   FAILED: expected \"PRIMES: 1228 PRIMES"), text);
        Assert.That(text, Does.Contain("1 of 1 virtual machines did not"), text);
    }

    static string CliDll()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "jit360.dll");
        if (!File.Exists(dll)) Assert.Ignore($"needs the built CLI at {dll}");
        return dll;
    }

    static (int Exit, string Out, string Err) Jit360(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(CliDll());
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(180)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"jit360 {string.Join(' ', args)} did not end in 180 s\n{output.Result}");
        }
        return (p.ExitCode, output.Result, error.Result);
    }

    [TestCaseSource(typeof(TestEngines), nameof(TestEngines.Names))]
    public void Jit360_demo_as_a_process_reports_every_machine_and_exits_0(string engine)
    {
        var (exit, stdout, stderr) = Jit360("demo", "--engine", engine, "--repeat", "1");
        string all = $"exit {exit}\nstdout:\n{stdout}\nstderr:\n{stderr}";
        Assert.That(exit, Is.Zero, all);
        Assert.That(stdout, Does.StartWith($"JIT360 demo: CP with 5 virtual machines on the {engine} engine"), all);
        foreach (var line in new[]
        {
            "PRIMES   PRIMES: 1229 PRIMES BELOW 10000 BY TRIAL DIVISION, THE LARGEST 9973",
            "SIEVE    SIEVE: 9592 PRIMES BELOW 100000, SUM 454396537",
            "LEDGER   " + Reference.Ledger(),
            "SORT     " + Reference.Sort(),
            "CLOCK    CLOCK: CP SAYS TIME IS ",
        })
            Assert.That(stdout, Does.Contain("\n" + line), all);
        Assert.That(stdout, Does.Match(@"\nTOTAL +5 VMs +5/5 +[\d,]+ +\d+\.\d{3} s +\d+\.\d  08 x6\n"), all);
        Assert.That(stdout, Does.EndWith("JIT360 demo: all 5 virtual machines computed what they should\n"), all);
        Assert.That(stderr, Is.Empty, all);
    }

    [Test]
    public void Jit360_demo_bare_still_runs_the_sieve_on_a_bare_machine()
    {
        var (exit, stdout, stderr) = Jit360("demo", "--bare", "--repeat", "10");
        Assert.That(exit, Is.Zero, stdout + stderr);
        Assert.That(stdout, Does.Contain("JIT360 demo computed 168 primes below 1000 (sum 76127, largest 997)"), stdout);
        Assert.That(stdout, Does.Contain("disabled wait state, PSW 00020000 000000A8"), stdout);
    }

    [Test]
    public void Jit360_demo_refuses_a_number_of_users_out_of_range()
    {
        var (exit, stdout, stderr) = Jit360("demo", "--users", "0");
        Assert.That(exit, Is.Not.Zero, stdout + stderr);
        Assert.That(stderr + stdout, Does.Contain("--users must be 1 to 20"));
    }
}

/// <summary>A guest that ends in a disabled wait instead of logging off: CP's DMKDSP450W is the user's failure.</summary>
[NonParallelizable]
public class CpDemoFailureTests
{
    [Test]
    public void A_guest_that_stops_in_a_disabled_wait_fails_with_CPs_message()
    {
        // demo.asm, the bare-machine sieve, ends in the disabled wait X'00020000 000000A8' and never logs off.
        var bare = new GuestProgram("bare", "demo.asm's sieve", 1, [ExpectedLine.Exactly("never written")]) { Source = "demo" };
        var outcome = CpDemo.Run(new DemoSettings { Users = 1, Repeat = 1, Programs = [bare], Timeout = TimeSpan.FromSeconds(60) });
        var u = outcome.Users.Single();
        Assert.That(u.UserId, Is.EqualTo("BARE"));
        Assert.That(u.Ok, Is.False);
        Assert.That(u.Problem, Does.StartWith("DMKDSP450W CP ENTERED; DISABLED WAIT PSW '00020000 000000A8'"), string.Join("\n", u.Transcript));
        Assert.That(u.Problem, Does.Contain("expected \"never written\""));
        Assert.That(u.Instructions, Is.GreaterThan(1000));
        Assert.That(u.Diagnoses, Is.Empty);
        Assert.That(DemoSummary.Format(outcome), Does.Match(@"\nBARE +bare +FAILED +[\d,]+ +\d+\.\d{3} s +\d+\.\d  -\n"));
    }
}
