using System.Diagnostics;
using Jit360.Cp.Commands;
using Jit360.Cp.Directory;
using Jit360.Cp.Io;
using Jit360.Cp.Spool;
using Jit360.Cp.SavedSystems;
using Jit360.Cp.VirtualMachines;
using Jit360.Machine.Devices.UnitRecord;

namespace Jit360.Cli.Demo;

/// <summary>How to run the demo.</summary>
public sealed record DemoSettings
{
    /// <summary>The engine's name (see <see cref="Engines"/>); lockstep also makes the machines' time deterministic.</summary>
    public string Engine { get; init; } = "interp";
    /// <summary>How to make each user's engine, when not by <see cref="Engine"/>'s name alone (tests tune the JIT).</summary>
    public Func<Jit360.Machine.IExecutionEngine>? EngineFactory { get; init; }
    public int Users { get; init; } = CpDemo.DefaultUsers;
    public int Repeat { get; init; } = CpDemo.DefaultRepeat;
    /// <summary>How long the guests may take, all together, from the first IPL.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>The programs given out to the users in turn.</summary>
    public IReadOnlyList<GuestProgram> Programs { get; init; } = GuestProgram.All;
}

/// <summary>What one virtual machine of the demo did.</summary>
public sealed record UserOutcome(
    string UserId, GuestProgram Program, int Repeats, bool Ok, IReadOnlyList<string> Results, string? Problem,
    long Instructions, TimeSpan Elapsed, IReadOnlyDictionary<int, long> Diagnoses, IReadOnlyList<string> Transcript)
{
    /// <summary>Millions of guest instructions per second of this user's elapsed time.</summary>
    public double Mips => Elapsed.TotalSeconds > 0 ? Instructions / Elapsed.TotalSeconds / 1e6 : 0;
}

/// <summary>The whole demo: every user's outcome and the wall-clock time from the first IPL to the last LOGOFF.</summary>
public sealed record DemoOutcome(string Engine, IReadOnlyList<UserOutcome> Users, TimeSpan Elapsed)
{
    public bool AllOk => Users.All(u => u.Ok);
    public long Instructions => Users.Sum(u => u.Instructions);
    public double Mips => Elapsed.TotalSeconds > 0 ? Instructions / Elapsed.TotalSeconds / 1e6 : 0;
}

/// <summary>
/// The README's demo: a Control Program with a built-in directory of several users, each of whom
/// logs on at a terminal of its own, finds an IPL deck of a guest program in its virtual reader
/// (punched by the assembler when the demo starts), types <c>IPL 00C</c> and lets the guest run.
/// The guests run at the same time, each in its own virtual machine in the virtual supervisor
/// state, write their results on their virtual consoles (SIO to 009, DIAGNOSE X'08') and log
/// themselves off. Everything goes through CP's public surface: the directory parser, CpSystem,
/// the I/O layer and a terminal per user.
/// </summary>
public static class CpDemo
{
    public const int DefaultUsers = 5, MaxUsers = 20, DefaultRepeat = 10;

    /// <summary>The user id of user <paramref name="n"/> (0-based): its program's name, numbered from the second round on.</summary>
    public static string UserId(int n, IReadOnlyList<GuestProgram>? programs = null)
    {
        programs ??= GuestProgram.All;
        int round = n / programs.Count;
        return ProgramOf(n, programs).Name.ToUpperInvariant() + (round == 0 ? "" : (round + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>User <paramref name="n"/>'s program: the programs are given out in turn.</summary>
    public static GuestProgram ProgramOf(int n, IReadOnlyList<GuestProgram>? programs = null)
    {
        programs ??= GuestProgram.All;
        return programs[n % programs.Count];
    }

    /// <summary>
    /// The built-in USER DIRECT: one user per virtual machine, 1M of storage, class G, a 3215
    /// console at 009 and the usual unit-record devices (the reader at 00C holds its IPL deck).
    /// The password is the user id backwards.
    /// </summary>
    public static string Directory(int users, IReadOnlyList<GuestProgram>? programs = null)
    {
        var cards = new List<string>
        {
            "*  JIT360 DEMO DIRECTORY: ONE USER PER GUEST PROGRAM",
            "DIRECTORY 123 3350 JITRES",
        };
        for (int n = 0; n < users; n++)
        {
            string id = UserId(n, programs);
            cards.Add($"USER {id} {Password(id)} 1M 2M G");
            cards.Add(" CONSOLE 009 3215");
            cards.Add(" SPOOL 00C 2540 READER *");
            cards.Add(" SPOOL 00D 2540 PUNCH A");
            cards.Add(" SPOOL 00E 1403 A");
        }
        return string.Join("\n", cards) + "\n";
    }

    public static string Password(string userId) => new(userId.Reverse().ToArray());

    /// <summary>
    /// Runs the demo: <see cref="DemoSettings.Users"/> virtual machines on the engine, each guest
    /// repeating its computation <see cref="DemoSettings.Repeat"/> times its program's unit. Throws
    /// <see cref="TimeoutException"/> only for a logon that does not answer; a guest that does not
    /// finish in time is a failed user in the outcome.
    /// </summary>
    public static DemoOutcome Run(DemoSettings settings, Action<string>? log = null)
    {
        string engine = settings.Engine;
        int users = settings.Users, repeat = settings.Repeat;
        var programs = settings.Programs;
        if (users < 1 || users > MaxUsers) throw new ArgumentOutOfRangeException(nameof(settings), $"1 to {MaxUsers} users");
        if (repeat < 1) throw new ArgumentOutOfRangeException(nameof(settings), "a repeat of at least 1");
        var limit = settings.Timeout;
        var newEngine = settings.EngineFactory ?? (() => Engines.Create(engine));
        var images = Enumerable.Range(0, users).Select(n => ProgramOf(n, programs)).Distinct()
            .ToDictionary(p => p, p => BuiltInPrograms.Guest(p.Source, Math.Max(1, repeat * p.RepeatUnit)));

        using var volumes = new RealVolumes();
        var devices = new VirtualDeviceServices(volumes, new SavedSystemCatalog(), deterministic: Engines.NeedsDeterministicTime(engine));
        var system = new CpSystem(DirectoryParser.Parse(Directory(users, programs), "DEMO DIRECT"), devices);
        devices.System = system;

        var seats = new List<Seat>();
        try
        {
            for (int n = 0; n < users; n++)
            {
                var seat = new Seat(UserId(n, programs), ProgramOf(n, programs), new UserRunner(system, devices, new UserTerminal(), newEngine));
                seats.Add(seat);
                seat.Logon(limit);
                seat.PunchToReader(devices, images[seat.Program]);
            }
            log?.Invoke($"{users} users logged on; each IPLs its guest from its virtual reader (IPL 00C)");
            var wall = Stopwatch.StartNew();
            foreach (var seat in seats) seat.Ipl(wall);
            var deadline = DateTime.UtcNow + limit;
            foreach (var seat in seats) seat.Done.Wait(Max(deadline - DateTime.UtcNow, TimeSpan.Zero));
            var elapsed = seats.Max(s => s.Finished ?? wall.Elapsed);
            return new DemoOutcome(engine, seats.Select(s => s.Outcome(images[s.Program].Repeats, wall.Elapsed)).ToList(), elapsed);
        }
        finally
        {
            foreach (var seat in seats) seat.Dispose();
        }
    }

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>One user at its terminal.</summary>
    sealed class Seat(string userId, GuestProgram program, UserRunner runner) : IDisposable
    {
        public string UserId { get; } = userId;
        public GuestProgram Program { get; } = program;
        public ManualResetEventSlim Done { get; } = new();
        public TimeSpan? Finished { get; private set; }
        UserTerminal Terminal => runner.Terminal;
        VirtualMachine? machine;
        TimeSpan started;
        string? ending;

        public void Logon(TimeSpan limit)
        {
            Terminal.SendLine($"LOGON {UserId} {Password(UserId)}");
            if (!Terminal.TryWaitForOutput(l => l.StartsWith("LOGON AT", StringComparison.Ordinal) || l.StartsWith("DMK", StringComparison.Ordinal), limit, out var answer)
                || !answer.StartsWith("LOGON AT", StringComparison.Ordinal))
                throw new TimeoutException($"{UserId}: LOGON was not answered with LOGON AT:\n  " + string.Join("\n  ", Terminal.Lines));
            machine = runner.Session.Machine;
        }

        /// <summary>
        /// The IPL deck goes into the virtual reader at 00C, as the assembler's punch would send
        /// it there; a machine without a reader gets one (no spool system needed).
        /// </summary>
        public void PunchToReader(VirtualDeviceServices devices, GuestImage image)
        {
            var guest = devices.Guest(runner.Session) ?? throw new InvalidOperationException($"{UserId}: no virtual machine after LOGON");
            if (guest.Find(0x00C) == null)
                throw new InvalidOperationException($"{UserId}: no virtual reader at 00C (the directory's SPOOL 00C statement)");
            // As a deck punched to the user by the system: one spool file of 80-byte cards in its reader queue.
            var cards = image.IplDeck.Chunk(80).Select(card => new SpoolRecord(0x01, card)).ToList();
            if (devices.SpoolFiles.Add(UserId, "SYSTEM", SpoolQueue.Reader, "PUN", 'A', cards, image.Name.ToUpperInvariant(), "IPL") == null)
                throw new InvalidOperationException($"{UserId}: the spool is full");
        }

        public void Ipl(Stopwatch wall)
        {
            Terminal.Output += text =>
            {
                if (Finished != null) return;
                if (text.StartsWith("LOGOFF AT", StringComparison.Ordinal)) End(wall, null);
                else if (text.StartsWith("DMK", StringComparison.Ordinal)) End(wall, text.TrimEnd());
            };
            started = wall.Elapsed;
            Terminal.SendLine("IPL 00C");
        }

        void End(Stopwatch wall, string? why)
        {
            Finished = wall.Elapsed;
            ending = why;
            Done.Set();
        }

        /// <summary>The user's result; one that has not finished by <paramref name="now"/> has been running until then.</summary>
        public UserOutcome Outcome(int repeats, TimeSpan now)
        {
            var lines = Terminal.Lines.ToList();
            var results = new List<string>();
            var problems = new List<string>();
            foreach (var e in Program.Expected)
            {
                var found = lines.FirstOrDefault(e.Matches);
                if (found != null) results.Add(found);
                else problems.Add($"expected \"{e.Text}\"");
            }
            if (ending != null) problems.Insert(0, ending);
            if (Finished == null) problems.Insert(0, runner.Failure is { } f ? $"the user's thread failed: {f.Message}" : "did not log off in time");
            var vm = machine;
            return new UserOutcome(UserId, Program, repeats, problems.Count == 0, results, problems.Count == 0 ? null : string.Join("; ", problems),
                vm?.Cpu.Instructions ?? 0, (Finished ?? now) - started, vm?.Diagnose.Counts ?? new Dictionary<int, long>(), lines);
        }

        public void Dispose()
        {
            runner.Dispose();
            Done.Dispose();
        }
    }
}
