using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Jit360.Cp.Commands;
using Jit360.Cp.Directory;
using Jit360.Cp.Io;
using Jit360.Cp.SavedSystems;
using Jit360.Cp.Scheduling;
using Jit360.Tests.Support;

namespace Jit360.Tests.Cp;

/// <summary>
/// The scheduler: virtual machines share a pool of two host threads. Guests are small programs
/// put in storage with STORE and started with BEGIN (no CMS needed): BC 15 to itself loops,
/// a wait PSW waits. Time bounds are generous; what is asserted is what a pool of threads
/// per-user could not give (dispatch counts, run-queue membership) or would break (prompt
/// answers with more looping users than threads).
/// </summary>
[NonParallelizable]
[TestFixture("interp")]
[TestFixture("jit")]
public class SchedulerTests(string engine)
{
    static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    const string Directory = """
        DIRECTORY 6A1 3350 VM50-1
        USER OP OPPW 1M 16M AG
        USER L1 PW 1M 16M G
        USER L2 PW 1M 16M G
        USER L3 PW 1M 16M G
        USER L4 PW 1M 16M G
        USER I1 PW 1M 16M G
        USER W1 PW 1M 16M G
        USER W2 PW 1M 16M G
        USER W3 PW 1M 16M G
        """;

    /// <summary>A CP with no real volumes, its users on a scheduler of two threads.</summary>
    sealed class Cp : IDisposable
    {
        public readonly RealVolumes Volumes = new();
        public readonly VirtualDeviceServices Devices;
        public readonly CpSystem System;
        public readonly Scheduler Scheduler;
        readonly List<UserRunner> runners = [];
        readonly string engine;

        public Cp(string engine)
        {
            this.engine = engine;
            Devices = new VirtualDeviceServices(Volumes, new SavedSystemCatalog());
            System = new CpSystem(DirectoryParser.Parse(Directory + "\n"), Devices);
            Devices.System = System;
            Scheduler = new Scheduler(System, cpus: 2);
        }

        public UserRunner Dial()
        {
            var r = new UserRunner(Scheduler, System, Devices, new UserTerminal(), () => TestEngines.Create(engine));
            runners.Add(r);
            return r;
        }

        public UserRunner LogOn(string user, string password = "PW")
        {
            var r = Dial();
            Command(r, $"LOGON {user} {password}", "LOGON AT");
            return r;
        }

        public void Dispose()
        {
            foreach (var r in runners) r.Dispose();
            Scheduler.Dispose();
            Volumes.Dispose();
        }
    }

    /// <summary>Types a line and waits for a new line containing <paramref name="expected"/>; returns it and how long it took.</summary>
    static (string Line, TimeSpan Took) Command(UserRunner user, string line, string expected, TimeSpan? within = null)
    {
        int from = user.Terminal.Lines.Count;
        var watch = Stopwatch.StartNew();
        user.Terminal.SendLine(line);
        var limit = within ?? Long;
        while (watch.Elapsed < limit)
        {
            var lines = user.Terminal.Lines;
            for (int i = from; i < lines.Count; i++)
                if (lines[i].Contains(expected, StringComparison.Ordinal)) return (lines[i], watch.Elapsed);
            Thread.Sleep(2);
        }
        Assert.Fail($"no '{expected}' within {limit.TotalSeconds}s after '{line}'; transcript:\n{string.Join("\n", user.Terminal.Lines)}\nfailure: {user.Failure}");
        throw new UnreachableException();
    }

    /// <summary>BC 15,X'800' at X'800': a branch to itself, forever.</summary>
    static void Loop(UserRunner user)
    {
        Command(user, "STORE 800 47F00800", "");   // STORE answers nothing: the echo is the new line
        user.Terminal.SendLine("BEGIN 800");
        WaitUntil(() => user.Session.Machine?.Cpu.Instructions > 100_000, "the loop runs", user);
    }

    static void WaitUntil(Func<bool> condition, string what, UserRunner? user = null)
    {
        var deadline = DateTime.UtcNow + Long;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out: {what}" + (user == null ? "" : "\n" + string.Join("\n", user.Terminal.Lines)));
            Thread.Sleep(5);
        }
    }

    static long Instructions(UserRunner user) => user.Session.Machine?.Cpu.Instructions ?? 0;

    [Test]
    public void An_interactive_user_answers_promptly_while_four_users_loop_on_two_threads()
    {
        using var cp = new Cp(engine);
        var loopers = new[] { "L1", "L2", "L3", "L4" }.Select(u => cp.LogOn(u)).ToArray();
        foreach (var l in loopers) Loop(l);
        var user = cp.LogOn("I1");

        var slowest = TimeSpan.Zero;
        for (int i = 0; i < 10; i++)
        {
            var (_, took) = Command(user, "QUERY USERID", "I1 AT JIT360", TimeSpan.FromSeconds(5));
            if (took > slowest) slowest = took;
        }
        TestContext.Out.WriteLine($"slowest answer {slowest.TotalMilliseconds:F0} ms; {cp.Scheduler.Dispatches} dispatches");
        Assert.That(slowest, Is.LessThan(TimeSpan.FromSeconds(2)));
        // The loopers are still looping, and the #CP line of a looping user reaches CP too.
        Command(loopers[0], "#CP QUERY USERID", "L1 AT JIT360", TimeSpan.FromSeconds(5));
        Assert.That(loopers[0].Session.State, Is.EqualTo(SessionState.Running));
    }

    [Test]
    public void CPU_bound_users_get_comparable_shares()
    {
        using var cp = new Cp(engine);
        var loopers = new[] { "L1", "L2", "L3", "L4" }.Select(u => cp.LogOn(u)).ToArray();
        foreach (var l in loopers) Loop(l);
        var start = loopers.Select(Instructions).ToArray();
        var dispatchStart = loopers.Select(l => l.Dispatches).ToArray();
        Thread.Sleep(1500);
        var run = loopers.Select((l, i) => Instructions(l) - start[i]).ToArray();
        var slices = loopers.Select((l, i) => l.Dispatches - dispatchStart[i]).ToArray();
        TestContext.Out.WriteLine($"instructions {string.Join(", ", run)}; slices {string.Join(", ", slices)}");
        Assert.That(run.Min(), Is.GreaterThan(0));
        // Round-robin on equal slices: no user gets more than three times another's share.
        Assert.That(run.Max(), Is.LessThan(3 * run.Min()), "instructions per user");
        Assert.That(slices.Max(), Is.LessThan(3 * slices.Min()), "slices per user");
    }

    [Test]
    public void Disabled_wait_and_program_check_loops_do_not_stop_others()
    {
        using var cp = new Cp(engine);
        var looper = cp.LogOn("L1");
        Loop(looper);
        // A disabled wait: CP mode with DMKDSP450W.
        var waiter = cp.LogOn("W1");
        Command(waiter, "STORE PSW 00020000 00000ABC", "");
        Command(waiter, "BEGIN", "DISABLED WAIT PSW");
        // The program new PSW points at X'0000', an invalid operation: no instruction ever completes (DMKDSP452W).
        var checker = cp.LogOn("W2");
        Command(checker, "STORE 68 00000000 00000900", "");
        Command(checker, "BEGIN 900", "PROGRAM INTERRUPT LOOP");
        // A program-check loop that makes progress (NOPR, then X'0000'): as CPU-bound as a loop, reflected by CP each time.
        var reflector = cp.LogOn("W3");
        Command(reflector, "STORE 68 00000000 00000900 ", "");
        Command(reflector, "STORE 900 07000000", "");
        reflector.Terminal.SendLine("BEGIN 900");
        WaitUntil(() => reflector.Session.Machine!.Reflected > 1000, "the guest reflects program checks", reflector);

        var user = cp.LogOn("I1");
        for (int i = 0; i < 5; i++)
            Assert.That(Command(user, "QUERY USERID", "I1 AT JIT360", TimeSpan.FromSeconds(5)).Took, Is.LessThan(TimeSpan.FromSeconds(2)));
        long before = Instructions(looper), reflected = reflector.Session.Machine!.Reflected;
        WaitUntil(() => Instructions(looper) > before + 1_000_000 && reflector.Session.Machine!.Reflected > reflected + 1000, "both CPU-bound users go on");
        // The users in CP mode are off the run queue and nothing dispatches them.
        long waiterSlices = waiter.Dispatches, checkerSlices = checker.Dispatches;
        Thread.Sleep(300);
        Assert.That(waiter.Dispatches, Is.EqualTo(waiterSlices));
        Assert.That(checker.Dispatches, Is.EqualTo(checkerSlices));
        Assert.That(waiter.State, Is.EqualTo(DispatchState.Waiting));
        Assert.That(cp.Scheduler.RunQueue, Does.Not.Contain(waiter).And.Not.Contain(checker));
    }

    [Test]
    public void Waiting_users_cost_no_dispatches_until_something_happens()
    {
        using var cp = new Cp(engine);
        // Two guests in an enabled wait for I/O (external interruptions off), two terminals in CP mode.
        var waiters = new[] { "W1", "W2" }.Select(u => cp.LogOn(u)).ToArray();
        foreach (var w in waiters)
        {
            // The I/O new PSW is a disabled wait at X'ABC': an I/O interruption ends up as DMKDSP450W.
            Command(w, "STORE 78 00020000 00000ABC", "");
            Command(w, "STORE PSW FE020000 00000800", "");
            w.Terminal.SendLine("BEGIN");
        }
        var idle = new[] { "L1", "L2" }.Select(u => cp.LogOn(u)).ToArray();
        WaitUntil(() => waiters.All(w => w.State == DispatchState.Waiting && w.Session.State == SessionState.Running), "the guests wait");
        Thread.Sleep(100);
        long dispatches = cp.Scheduler.Dispatches;
        Thread.Sleep(500);
        Assert.That(cp.Scheduler.Dispatches - dispatches, Is.LessThanOrEqualTo(1), "dispatches while every user waits");
        Assert.That(cp.Scheduler.RunQueue, Is.Empty);

        // A line typed to the waiting guest's console is an attention interruption: the guest runs and takes it.
        Command(waiters[0], "HELLO", "DISABLED WAIT PSW");
        Assert.That(waiters[0].Terminal.Lines, Has.Some.Contains("00000ABC"));
        Assert.That(waiters[1].Session.State, Is.EqualTo(SessionState.Running), "the other guest still waits");
        Command(idle[0], "QUERY USERID", "L1 AT JIT360");
    }

    [Test]
    public void FORCE_reclaims_a_looping_user()
    {
        using var cp = new Cp(engine);
        var op = cp.LogOn("OP", "OPPW");
        var looper = cp.LogOn("L1");
        Loop(looper);
        Thread.Sleep(300);   // a few hundredths of a second of CPU for VIRTCPU to show
        var machine = Reference(looper);

        Command(op, "FORCE L1", "LOGOFF AS L1");
        Assert.That(looper.Terminal.Lines, Has.Some.Matches(@"^CONNECT= \d\d:\d\d:\d\d VIRTCPU= \d{3}:\d\d\.\d\d TOTCPU= \d{3}:\d\d\.\d\d$"));
        Assert.That(looper.Terminal.Lines, Has.Some.Matches(@"^LOGOFF AT \d\d:\d\d:\d\d UTC \w+ \d\d/\d\d/\d\d BY SYSTEM$"));
        Assert.That(VirtualCpu(looper.Terminal.Lines), Is.GreaterThan(TimeSpan.Zero), "the loop's CPU time is accounted");
        Assert.That(looper.Session.LoggedOn, Is.False);
        Assert.That(cp.System.Find("L1"), Is.Null);
        Assert.That(cp.Scheduler.RunQueue, Does.Not.Contain(looper));
        WaitUntil(() => looper.State == DispatchState.Waiting, "the terminal waits in CP mode");
        Assert.That(Command(op, "QUERY NAMES", "OP").Line, Does.Not.Contain("L1"));
        Assert.That(machine.IsAlive ? Collected(machine) : true, Is.True, "the forced machine's storage is garbage");

        Command(op, "FORCE L1", "L1 NOT LOGGED ON");
        Command(Dial(cp), "LOGON L1 PW", "LOGON AT");
        Assert.That(Command(op, "QUERY NAMES", "OP").Line, Does.Contain("L1"));
    }

    static UserRunner Dial(Cp cp) => cp.Dial();

    [Test]
    public void LOGOFF_of_a_looping_user_reports_its_CPU_time_and_a_new_LOGON_works()
    {
        using var cp = new Cp(engine);
        var looper = cp.LogOn("L1");
        Loop(looper);
        var other = cp.LogOn("L2");
        Loop(other);
        Thread.Sleep(200);
        var machine = Reference(looper);
        Command(looper, "#CP LOGOFF", "LOGOFF AT");
        var cpu = VirtualCpu(looper.Terminal.Lines);
        Assert.That(cpu, Is.GreaterThan(TimeSpan.Zero).And.LessThan(TimeSpan.FromMinutes(1)));
        Assert.That(looper.Session.Machine, Is.Null);
        Assert.That(cp.Devices.Guest(looper.Session), Is.Null);
        Assert.That(machine.IsAlive ? Collected(machine) : true, Is.True, "the machine's storage is garbage");
        long running = Instructions(other);
        WaitUntil(() => Instructions(other) > running + 100_000, "the other user goes on");

        Command(looper, "LOGON L1 PW", "LOGON AT");
        Command(looper, "QUERY USERID", "L1 AT JIT360");
    }

    /// <summary>The CPU time in the first CONNECT= line (VIRTCPU= mmm:ss.hh).</summary>
    static TimeSpan VirtualCpu(IEnumerable<string> lines)
    {
        var m = lines.Select(l => Regex.Match(l, @"VIRTCPU= (\d{3}):(\d\d)\.(\d\d)")).First(m => m.Success);
        return TimeSpan.FromMinutes(int.Parse(m.Groups[1].Value)) + TimeSpan.FromSeconds(int.Parse(m.Groups[2].Value)) + TimeSpan.FromMilliseconds(10 * int.Parse(m.Groups[3].Value));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static WeakReference Reference(UserRunner user) => new(user.Session.Machine!.Cpu);

    static bool Collected(WeakReference reference)
    {
        for (int i = 0; i < 10 && reference.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(20);
        }
        return !reference.IsAlive;
    }
}
