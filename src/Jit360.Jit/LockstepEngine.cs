using System.Text;
using Jit360.Architecture;
using Jit360.Interpreter;
using Jit360.Machine;

namespace Jit360.Jit;

/// <summary>
/// Runs the interpreter and the JIT side by side on two copies of one machine and stops at the
/// first point where they disagree.
/// <para>
/// The CPU given to <see cref="Run"/> is the real machine: the interpreter runs it and it alone
/// talks to the channels. A private copy of it (the shadow) runs under <see cref="Jit"/>. The
/// engines alternate in rounds: the JIT runs the shadow for up to <see cref="RoundInstructions"/>
/// instructions, then the interpreter runs the real CPU for exactly as many, and the two states
/// are compared (registers, PSW, control registers, instruction count, last interruption,
/// timing conditions, every storage key and the first page after every round; every storage
/// byte as often as it stays cheap next to running, see <see cref="StorageComparisonDue"/>).
/// A difference raises <see cref="LockstepDivergence"/>, which shows both states side by side,
/// the guest addresses, the last instructions the interpreter executed, and the differing storage.
/// </para>
/// <para>
/// The interpreter is authoritative for everything the outside world sees: I/O instructions,
/// I/O interruptions, stop requests and whatever the host changes between calls of Run.
/// An I/O instruction stops the shadow before it executes (it has no channels); the interpreter
/// executes it, once, against the real channels and its whole state is copied to the shadow.
/// I/O interruptions are held back while a round runs and presented between rounds by the
/// interpreter alone, after which the shadow is again made equal to it. During a round both
/// copies get the same answer to "is an I/O interruption pending?" (the real one when the round
/// began), so an enabled wait ends the round on both when one is. What the channels stored
/// (data, reference and change bits) is taken over into the shadow between rounds: a read that
/// waits for the operator's line completes whenever the line comes, and both copies see its data.
/// </para>
/// <para>
/// Time: both copies see the same time at the same instruction. A deterministic clock already
/// does (one microsecond per instruction). A real-time clock is paced (<see cref="MachineClock.Pace"/>):
/// the leader reads the host clock once before each round, the shadow takes that value over,
/// and time stands still during the round. So timers fall due at the same instruction on both
/// copies, a divergence means the engines disagree, not the clocks, and the guest's time is
/// the host's to within one round. An enabled wait ends the round and the host waits it out
/// in its own time.
/// </para>
/// </summary>
public sealed class LockstepEngine : IExecutionEngine
{
    public string Name => "lockstep";

    /// <summary>The engine under test (normally a <see cref="JitEngine"/>); it runs the shadow copy.</summary>
    public IExecutionEngine UnderTest { get; }

    /// <summary>The translating engine under test, when it is one (for its statistics).</summary>
    public JitEngine? Jit => UnderTest as JitEngine;

    /// <summary>
    /// Instructions per round (between comparisons); 0 chooses by storage size so that comparing
    /// storage costs little next to running (JIT360_LOCKSTEP_ROUND=n overrides).
    /// </summary>
    public long RoundInstructions { get; init; } = long.TryParse(Environment.GetEnvironmentVariable("JIT360_LOCKSTEP_ROUND"), out long n) ? n : 0;

    /// <summary>How many of the interpreter's last instructions are kept for a divergence report.</summary>
    public const int RecentInstructions = 24;

    public long Rounds { get; private set; }
    /// <summary>Times the shadow was made equal to the real CPU (run start, I/O, interruptions presented by the interpreter alone).</summary>
    public long Resyncs { get; private set; }

    readonly Interpreter.Interpreter interpreter = new();
    // The interpreter side of a round: the interpreter's loop, recording instruction addresses.
    readonly RecordingInterpreter recorder = new(RecentInstructions);
    CpuState? real, shadow;

    public LockstepEngine(IExecutionEngine? underTest = null) => UnderTest = underTest ?? new JitEngine();

    // Watches the real CPU's storage from the first run on (also between runs, when the host
    // changes storage): what it records is taken over into the shadow. See ForeignWrites.
    ForeignWrites? foreign;

    public ExitReason Run(CpuState cpu, long maxInstructions)
    {
        // Both copies must see the same time at the same instruction: host time enters only between rounds.
        cpu.Clock.Pace();
        cpu.Clock.CatchUpWithHost();
        var thread = Environment.CurrentManagedThreadId;
        if (real != cpu || !Mine() || foreign == null || cpu.Storage.CodeWatch != foreign)
        {
            if (foreign != null && real?.Storage.CodeWatch == foreign) real.Storage.CodeWatch = foreign.Next;
            real = cpu;
            shadow = ShareShadows ? TakeShadow(cpu) : OwnShadow(cpu);
            foreign = new ForeignWrites(cpu.Storage.CodeWatch, thread);
            cpu.Storage.CodeWatch = foreign;
        }
        else
        {
            // A scheduler may run this machine's next slice on another host thread: stores made
            // on that thread while the engines run are the machine's own, not foreign.
            foreign.CpuThread = thread;
            // Whatever the host changed since the last call is authoritative.
            Sync();
        }
        shadow.Io = new ShadowIo(null);
        if (cpu.StoreWatch != null)
        {
            // A host observer of the real CPU's stores may act on the machine (raise attention, as
            // a pending interruption would); the copy cannot reproduce that, so the interpreter runs alone.
            var alone = interpreter.Run(cpu, maxInstructions);
            FullSync();
            return alone;
        }
        var io = cpu.Io;
        var gate = new GatedIo(io);
        shadow.Io = new ShadowIo(gate);
        cpu.Io = gate;
        try
        {
            return Loop(cpu, shadow, gate, foreign, cpu.Instructions + maxInstructions);
        }
        finally
        {
            cpu.Io = io;
        }
    }

    /// <summary>
    /// Whether engines on one thread share a pool of shadows (see below): right for many short-lived
    /// engines on one thread (tests), wrong for engines that live on and move between threads (a
    /// CP scheduler's pool), where one engine could take over a shadow another is still using.
    /// </summary>
    public bool ShareShadows { get; init; }

    /// <summary>Which engine each shadow belongs to now (a pooled one may have been taken over).</summary>
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CpuState, LockstepEngine> owners = new();

    /// <summary>
    /// Whether the shadow is still this engine's. It stays so on whatever thread the engine runs
    /// next: changing copies on a thread switch would bring back a copy whose translations stopped
    /// hearing about stores (see below), which showed as false divergences under CP's scheduler.
    /// </summary>
    bool Mine() => shadow != null && owners.TryGetValue(shadow, out var owner) && owner == this;

    /// <summary>This engine's own shadow, kept across runs on any thread.</summary>
    CpuState OwnShadow(CpuState cpu)
    {
        CpuState copy;
        if (Mine() && shadow!.Level == cpu.Level && shadow.Storage.Size == cpu.Storage.Size && shadow.Clock.Deterministic == cpu.Clock.Deterministic)
        {
            shadow.CopyFrom(cpu);
            copy = shadow;
        }
        else copy = cpu.Clone();
        owners.AddOrUpdate(copy, this);
        return copy;
    }

    // Shadows are reused on the thread that ran them, by the next lockstep engine that needs one
    // of the same shape: test vectors create an engine and a 16 MiB machine per case, and
    // allocating and filling a fresh copy each time would cost more than running the case. An
    // engine whose shadow was taken over makes a new one (copying only what differs).
    [ThreadStatic] static Dictionary<(ArchLevel, uint, bool), (CpuState Shadow, LockstepEngine Owner)>? shadows;

    CpuState TakeShadow(CpuState cpu)
    {
        shadows ??= new();
        var shape = (cpu.Level, cpu.Storage.Size, cpu.Clock.Deterministic);
        CpuState copy;
        // (Never the copy this engine had before another took it: its JIT's translations of that
        // copy stopped hearing about stores when the other engine's JIT attached to it.)
        if (shadows.TryGetValue(shape, out var pooled) && pooled.Shadow != shadow)
        {
            copy = pooled.Shadow;
            copy.CopyFrom(cpu);
        }
        else
        {
            copy = cpu.Clone();
        }
        shadows[shape] = (copy, this);
        owners.AddOrUpdate(copy, this);
        return copy;
    }

    ExitReason Loop(CpuState cpu, CpuState copy, GatedIo gate, ForeignWrites foreign, long target)
    {
        long round = RoundInstructions > 0 ? RoundInstructions : Math.Clamp(cpu.Storage.Size / 64, 4096, 1 << 20);
        bool first = true;
        while (true)
        {
            long left = target - cpu.Instructions;
            if (!first && left <= 0) return ExitReason.InstructionLimit;
            first = false;
            if ((cpu.AnyIoEnabled && gate.Inner.InterruptPending) || cpu.StopRequested)
            {
                // Only the interpreter presents I/O interruptions and notices stop requests.
                var exit = Alone(cpu, gate, 0);
                if (exit != ExitReason.InstructionLimit) return exit;
            }
            // The host clock, read once by the leader; the shadow takes the same value.
            if (cpu.Clock.CatchUpWithHost()) copy.CopyProcessorFrom(cpu);
            var result = Round(cpu, copy, gate, foreign, Math.Clamp(left, 0, round));
            if (result != ExitReason.InstructionLimit) return result;
        }
    }

    /// <summary>The interpreter alone, with I/O interruptions presented, for n instructions; then the shadow follows it.</summary>
    ExitReason Alone(CpuState cpu, GatedIo gate, long n)
    {
        gate.Open = true;
        cpu.Attention = true;
        ExitReason exit;
        try { exit = interpreter.Run(cpu, n); }
        finally { gate.Open = false; }
        Sync();
        return exit;
    }

    /// <summary>
    /// Makes the shadow equal to the real CPU after the host or the interpreter alone changed it:
    /// the processor, the storage keys, the first page (old and new PSWs, CSW, timer: written
    /// without being reported), and every storage write not made by an engine in a round (the
    /// host's, the channels', the interpreter's while it ran alone). Storage that differs
    /// otherwise is left as it is, to be found by the next storage comparison.
    /// </summary>
    void Sync()
    {
        var (from, to) = (real!, shadow!);
        to.CopyProcessorFrom(from);
        CopyKeys(from, to);
        int low = (int)Math.Min(from.Storage.Size, LowPage);
        for (int l = 0; l < low; l += CpuState.SnapshotLine)
        {
            int n = Math.Min(CpuState.SnapshotLine, low - l);
            var a = from.Storage.Bytes.AsSpan(l, n);
            var b = to.Storage.Bytes.AsSpan(l, n);
            if (a.SequenceEqual(b)) continue;
            a.CopyTo(b);
            to.Storage.Written((uint)l, n);
        }
        foreign!.CopyPending(from, to);
        Resyncs++;
    }

    /// <summary>Storage below this is compared after every round and copied at every resync.</summary>
    const int LowPage = 4096;

    /// <summary>Makes the shadow equal to the real CPU in everything (a stop inside a round, a host store observer).</summary>
    void FullSync()
    {
        // Attention is copied too; a change to storage or keys raises it on the shadow by itself
        // (invalidation), so the JIT looks at the machine when the interpreter would.
        shadow!.CopyFrom(real!);
        foreign!.Clear();
        Resyncs++;
    }

    static void CopyKeys(CpuState from, CpuState to)
    {
        var (mine, theirs) = (to.Storage.Keys, from.Storage.Keys);
        if (mine.AsSpan().SequenceEqual(theirs)) return;
        const byte RefChange = Storage.Reference | Storage.Change;
        for (int i = 0; i < mine.Length; i++)
        {
            if (mine[i] == theirs[i]) continue;
            if ((mine[i] & ~RefChange) == (theirs[i] & ~RefChange)) mine[i] = theirs[i];
            else
            {
                to.Storage.SetKey((uint)i << Storage.BlockShift, theirs[i]);
                to.Attention = true;   // translated code checks keys when it looks at the machine
            }
        }
    }

    ExitReason Round(CpuState cpu, CpuState copy, GatedIo gate, ForeignWrites foreign, long budget)
    {
        Rounds++;
        long start = cpu.Instructions;
        uint startIa = cpu.Ia;
        if (copy.Instructions != start) throw Divergence(cpu, copy, "the copies entered a round at different instruction counts", null);
        // What the channels did since the last look goes to both copies, and both see the same
        // answer to "is an I/O interruption pending?" for the whole round.
        // On host time (a paced clock), both see one pending, so that an enabled wait ends the
        // round and is waited out by the host in its own time instead of jumping ahead in time.
        gate.Frozen = TakeOverChannels(cpu, copy, gate, foreign) || cpu.Clock.Paced;
        ExitReason jitExit, interpExit;
        uint? ioAt = null;
        long k;
        bool atBoundary;
        foreign.EnginesRunning = true;
        try
        {
            try
            {
                jitExit = UnderTest.Run(copy, budget);
            }
            catch (ShadowIoTrap trap)
            {
                // Stopped inside the I/O instruction: back to the boundary before it.
                ioAt = trap.InstructionAddress;
                copy.Ia = trap.InstructionAddress;
                jitExit = ExitReason.InstructionLimit;
            }
            // The interpreter looks at the machine (timers, pending interruptions) at the instruction
            // where its budget ends before it returns; the JIT may return without. Both are
            // compared at a boundary where each has looked.
            atBoundary = jitExit == ExitReason.InstructionLimit;
            if (atBoundary)
            {
                copy.Attention = true;
                jitExit = UnderTest.Run(copy, 0);
            }
            k = copy.Instructions - start;
            if (k < 0 || k > budget) throw Divergence(cpu, copy, $"the JIT ran {k} instructions on a budget of {budget}", null);

            // The interpreter runs exactly as many, in one run so that it looks at the machine at the
            // points it always does. When the JIT's exit came with an instruction that did not
            // complete (a program interruption under stop-on-interrupt or interception, an
            // interruption loop), the interpreter may try one more: it must stop at the same point.
            bool oneMore = !atBoundary && jitExit != ExitReason.InstructionLimit;
            recorder.Clear();
            interpExit = recorder.Run(cpu, k + (oneMore ? 1 : 0));
        }
        finally { foreign.EnginesRunning = false; }
        if (interpExit == ExitReason.Stopped)
        {
            // A stop request reaches only the real CPU: the shadow follows it, nothing to compare.
            FullSync();
            return ExitReason.Stopped;
        }

        TakeOverChannels(cpu, copy, gate, foreign);
        // The interval timer in storage and the CPU timer are brought up to date only when an
        // engine looks at the machine; bring both copies up to date (the same on both, whenever
        // it is done) before comparing them.
        BringTimersUpToDate(cpu);
        BringTimersUpToDate(copy);
        bool full = StorageComparisonDue(cpu, interpExit);
        var differences = Compare(cpu, copy, full);
        for (int again = 0; differences.Count > 0 && again < 3; again++)
        {
            // A channel may have stored data it has not reported yet: give it a moment, take it over and look again.
            Thread.Sleep(1);
            TakeOverChannels(cpu, copy, gate, foreign);
            differences = Compare(cpu, copy, full);
        }
        if (differences.Count > 0 || interpExit != jitExit)
            throw Divergence(cpu, copy, $"after {k} instructions from instruction {start} (guest address {startIa:X6}): interpreter exit {interpExit}, JIT exit {jitExit}{(ioAt != null ? $" before the I/O instruction at {ioAt:X6}" : "")}", differences);

        if (ioAt != null && interpExit == ExitReason.InstructionLimit)
        {
            // The interpreter executes the I/O instruction against the real channels.
            return Alone(cpu, gate, 1);
        }
        return interpExit;
    }

    /// <summary>
    /// Lets the real channel subsystem bring storage up to date (the data and the reference and
    /// change bits of what its channel programs fetched and stored) and gives the shadow the same.
    /// Returns whether an I/O interruption is pending.
    /// </summary>
    static bool TakeOverChannels(CpuState cpu, CpuState copy, GatedIo gate, ForeignWrites foreign)
    {
        var keys = cpu.Storage.Keys;
        var before = System.Buffers.ArrayPool<byte>.Shared.Rent(keys.Length);
        try
        {
            keys.AsSpan().CopyTo(before);
            bool pending = gate.Inner.InterruptPending;
            // Channel accesses only add reference and change bits.
            var theirs = copy.Storage.Keys;
            if (!keys.AsSpan().SequenceEqual(before.AsSpan(0, keys.Length)))
            {
                for (int i = 0; i < keys.Length; i++)
                {
                    int added = keys[i] & ~before[i];
                    if (added != 0) theirs[i] |= (byte)added;
                }
            }
            foreign.CopyPending(cpu, copy);
            return pending;
        }
        finally { System.Buffers.ArrayPool<byte>.Shared.Return(before); }
    }

    long lastStorageComparison, storageComparisonCost;

    /// <summary>
    /// Whether this round compares all of storage. The processor, the keys and the first page are
    /// compared after every round; all of storage after every round of a machine of up to 1 MiB,
    /// and on a larger one when the time since the last full comparison is 16 times what it cost
    /// (so that it costs little next to running, however often the host takes control, as CP
    /// does at every privileged instruction), and whenever the machine waits or stops. A storage
    /// difference is kept until it is compared (resyncs copy only what the host and the channels
    /// wrote), so it is found, only later.
    /// </summary>
    bool StorageComparisonDue(CpuState cpu, ExitReason exit)
        => cpu.Storage.Size <= 1 << 20
           || exit is not (ExitReason.InstructionLimit or ExitReason.ProgramIntercept or ExitReason.Interrupt or ExitReason.Diagnose or ExitReason.IoInstruction)
           || System.Diagnostics.Stopwatch.GetElapsedTime(lastStorageComparison).Ticks >= 16 * storageComparisonCost;

    List<StateDifference> Compare(CpuState cpu, CpuState copy, bool full)
    {
        if (!full)
        {
            var d = CpuComparison.Compare(cpu, copy, storage: false);
            int low = (int)Math.Min(cpu.Storage.Size, LowPage);
            if (cpu.Storage.Bytes.AsSpan(0, low).SequenceEqual(copy.Storage.Bytes.AsSpan(0, low))) return d;
        }
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        var all = CpuComparison.Compare(cpu, copy);
        lastStorageComparison = System.Diagnostics.Stopwatch.GetTimestamp();
        storageComparisonCost = System.Diagnostics.Stopwatch.GetElapsedTime(t0, lastStorageComparison).Ticks;
        return all;
    }

    static void BringTimersUpToDate(CpuState cpu)
    {
        // A condition that becomes pending here is taken at this boundary, as it would be had
        // the engine looked now.
        if (cpu.Clock.Update()) cpu.Attention = true;
    }

    LockstepDivergence Divergence(CpuState cpu, CpuState copy, string what, List<StateDifference>? differences)
    {
        differences ??= CpuComparison.Compare(cpu, copy);
        var sb = new StringBuilder();
        sb.AppendLine($"lockstep divergence ({cpu.Level}): {what}");
        sb.AppendLine($"guest address: interpreter at {cpu.Ia:X6}, JIT at {copy.Ia:X6}, instruction {cpu.Instructions}");
        sb.Append(CpuComparison.SideBySide(cpu, "interpreter", copy, "JIT", differences));
        sb.AppendLine("last instructions the interpreter executed (oldest first):");
        foreach (uint ia in recorder.Recent())
            sb.AppendLine($"  {ia:X6}  {InstructionText(cpu, ia)}");
        sb.AppendLine((Jit is { } jit ? $"JIT: {jit.Statistics.BlocksTranslated} blocks translated, {jit.Statistics.Invalidations} invalidations; " : $"{UnderTest.Name}: ")
                      + $"{Rounds} rounds, {Resyncs} resyncs");
        return new LockstepDivergence(sb.ToString(), differences);
    }

    static string InstructionText(CpuState cpu, uint ia)
    {
        if (ia >= cpu.Storage.Size) return "(outside storage)";
        int len = Math.Min(Formats.LengthOfOpcode(cpu.Storage.Bytes[ia]), (int)(cpu.Storage.Size - ia));
        var bytes = cpu.Storage.Bytes.AsSpan((int)ia, len);
        return $"{Convert.ToHexString(bytes),-12} {Disassembler.Disassemble(bytes, cpu.Level, out _)}";
    }
}

/// <summary>The two copies in lockstep disagree; the message shows both states and where.</summary>
public sealed class LockstepDivergence(string report, IReadOnlyList<StateDifference> differences) : Exception(report)
{
    public IReadOnlyList<StateDifference> Differences { get; } = differences;
}
