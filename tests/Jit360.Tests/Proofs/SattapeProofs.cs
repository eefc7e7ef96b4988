using System.Text.RegularExpressions;
using Jit360.Cli;
using Jit360.Tests.Support;

namespace Jit360.Tests.Proofs;

/// <summary>
/// The bare-metal sample programs of SATTAPE (shared/guests/tapes/sattape-decks), IPLed from a
/// 3505 card reader with a 3215-C console, as tapes/README.md records them running on Hercules
/// 3.13: 3215 SIO/TIO and READ, IPL from cards, interval-timer external interruptions in BC mode.
/// </summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class SattapeProofs(string engine)
{
    ProofRig? rig;

    [TearDown]
    public void TearDown()
    {
        if (rig != null && TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            TestContext.Out.WriteLine(rig.Transcript());
        rig?.Dispose();
        rig = null;
    }

    ProofRig Ipl(string deck, bool deterministic, Action<ProofRig>? beforeIpl = null)
    {
        string path = Shared.Require($"guests/tapes/sattape-decks/{deck}.saipl");
        rig = ProofRig.Create(engine, $"""
            ARCHMODE S/370
            MAINSIZE 1
            0009 3215-C / noprompt
            000C 3505 {path} ebcdic
            """, deterministic);
        beforeIpl?.Invoke(rig);
        rig.Rc("ipl 00c\n");
        return rig;
    }

    static readonly string[] Menu = ["MENU", "----------------", "1: DISPLAY PSW", "2: DISPLAY CSW", "3: DISPLAY LOW CORE", "4: QUIT"];

    void ExpectMenu(ProofRig r)
    {
        var c = r.Console(0x009);
        Assert.That(r.Expect(c, "MENU"), Is.EqualTo("MENU"));
        foreach (var line in Menu.Skip(1)) Assert.That(r.NextLine(c), Is.EqualTo(line), r.Transcript());
    }

    /// <summary>Types a line once the program reads (a READ pending), as an operator at the console would.</summary>
    void Type(ProofRig r, string line)
    {
        var c = r.Console(0x009);
        if (!c.WaitForRead(ProofRig.Wait)) Assert.Fail($"no READ on 0009 within {ProofRig.Wait.TotalSeconds} s\n{r.Transcript()}");
        c.SendLine(line);
    }

    void ExpectAllDone(ProofRig r)
    {
        r.Expect(r.Console(0x009), "ALL DONE");
        Assert.That(r.WaitForStop(), Is.EqualTo(MachineState.DisabledWait), r.Transcript());
        // The README's Hercules display, 00020000 8099FACE, carries the ILC and CC of a stored PSW; the current PSW has none.
        Assert.That(r.Machine.PswText, Is.EqualTo("00020000 0099FACE"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void T3215_menu_echo_and_quit(bool deterministic)
    {
        var r = Ipl("T3215", deterministic);
        ExpectMenu(r);
        Type(r, "1");
        Assert.That(r.Expect(r.Console(0x009), "YOU SAID:"), Is.EqualTo("YOU SAID: 1: DISPLAY PSW"));
        // T3215 only echoes (the menu is printed once); T3215-1 acts on the choice.
        Type(r, "2");
        Assert.That(r.NextLine(r.Console(0x009)), Is.EqualTo("YOU SAID: 2: DISPLAY CSW"));
        Type(r, "4");
        ExpectAllDone(r);
    }

    [Test]
    public void T3215_1_displays_psw_ccw_low_core_and_rejects_other_input()
    {
        var r = Ipl("T3215-1", deterministic: true);
        var c = r.Console(0x009);
        ExpectMenu(r);

        Type(r, "1");
        Assert.That(r.Expect(c, "RESTART NEW PSW:"), Is.EqualTo("RESTART NEW PSW: 0000000000000800"));
        ExpectMenu(r);

        Type(r, "2");
        Assert.That(r.Expect(c, "LAST CCW:"), Is.EqualTo("LAST CCW: 09000BBC00000013"), "the console write CCW");
        ExpectMenu(r);

        Type(r, "3");
        // The heading is written without carrier return (WRITE X'01'), so the first doubleword shares its line.
        string heading = r.Expect(c, "FIRST 160 BYTES OF LOW CORE:");
        Assert.That(heading, Does.StartWith("FIRST 160 BYTES OF LOW CORE: "));
        var hex = new List<string> { heading["FIRST 160 BYTES OF LOW CORE: ".Length..] };
        for (int i = 1; i < 20; i++)
            hex.Add(r.NextLine(c));
        Assert.That(hex, Has.All.Matches(@"^[0-9A-F]{16}$"), r.Transcript());
        Assert.That(hex.Take(3), Is.EqualTo(new[] { "0000000000000800", "0200200060000050", "0800200000000000" }));
        ExpectMenu(r);

        Type(r, "X");
        r.Expect(c, "YOU SAID:");
        r.Expect(c, "INVALID CHOICE");
        r.Expect(c, "TRY AGAIN");
        ExpectMenu(r);

        Type(r, "4");
        ExpectAllDone(r);
    }

    [Test]
    public void TSWTCH_switches_tasks_on_interval_timer_interruptions()
    {
        var r = Ipl("TSWTCH", deterministic: true);
        var c = r.Console(0x009);
        var counter = new Regex(@"^COUNTER VALUE: (ONE|TWO) (\d{16})\+$");
        var seen = new List<(string Task, long Count)>();
        for (int i = 0; i < 12; i++)
        {
            string line = r.Expect(c, "COUNTER VALUE:");
            var m = counter.Match(line);
            Assert.That(m.Success, $"line \"{line}\"\n{r.Transcript()}");
            seen.Add((m.Groups[1].Value, long.Parse(m.Groups[2].Value)));
        }
        r.Rc("stop\n");
        Assert.That(r.Machine.State, Is.EqualTo(MachineState.Stopped));
        for (int i = 1; i < seen.Count; i++)
            Assert.That(seen[i].Task, Is.Not.EqualTo(seen[i - 1].Task), $"the tasks alternate: {string.Join(", ", seen)}");
        foreach (var task in new[] { "ONE", "TWO" })
        {
            var counts = seen.Where(s => s.Task == task).Select(s => s.Count).ToList();
            Assert.That(counts, Is.Ordered.Ascending, task);
            Assert.That(counts[^1], Is.GreaterThan(counts[0]), $"{task}'s count rises");
        }
    }

    [Test]
    public void ITIMRCL2_stopwatch_ticks_each_second_of_virtual_time()
    {
        // The machine time at which each line is printed, taken on the device's side as the line completes.
        var printedAt = new System.Collections.Concurrent.ConcurrentQueue<(string Line, long Micros)>();
        var started = DateTime.UtcNow;
        var r = Ipl("ITIMRCL2", deterministic: true, rig =>
            rig.Console(0x009).LineWritten += l => printedAt.Enqueue((l, rig.Machine.Cpu.Clock.Micros)));
        var c = r.Console(0x009);
        foreach (var tick in new[] { "00:00:01", "00:00:02", "00:00:03", "00:00:04" })
            Assert.That(r.NextLine(c), Is.EqualTo(tick));
        var elapsed = DateTime.UtcNow - started;
        r.Rc("stop\n");
        var t = printedAt.Take(4).Select(p => p.Micros).ToList();
        string times = string.Join(", ", printedAt.Take(4)) + "\n" + r.Transcript();
        // The program's listing (SATTAPE ITIMRCL2 LISTING): INITIALZ branches straight into the
        // external handler, which prints 00:00:01 at once; the interval timer at X'50' (zero
        // after IPL) went from zero to negative meanwhile, and that interruption condition stays
        // pending (GA22-7000 "Interval Timer") until the first enabled wait takes it: 00:00:02
        // follows a few instructions later. From then on each tick is X'012C00' timer units
        // (bit 23 = 1/300 s) = one second of machine time apart.
        Assert.That(t[1] - t[0], Is.LessThan(1000), "the pending zero-to-negative condition: " + times);
        Assert.That(t[2] - t[1], Is.InRange(999_000, 1_001_000), times);
        Assert.That(t[3] - t[2], Is.InRange(999_000, 1_001_000), times);
        // Deterministic time: the enabled wait jumps the clock to the timer event instead of sleeping.
        Assert.That(elapsed.TotalSeconds, Is.LessThan(2.5), "an idle deterministic machine does not wait in real time");
    }

    [Test]
    public void ITIMRCLK_needs_a_3270() =>
        Assert.Ignore("ITIMRCLK writes to a 3270 at 0C1 (tapes/README.md); Jit360 has no 3270 device yet");
}
