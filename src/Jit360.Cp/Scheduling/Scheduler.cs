using Jit360.Cp.Commands;

namespace Jit360.Cp.Scheduling;

/// <summary>
/// CP's dispatcher: the users' virtual machines share a pool of host threads (one per host core
/// unless told otherwise), as VM/370's DMKSCH/DMKDSP share the real CPU between the virtual
/// machines in its dispatch list.
/// <list type="bullet">
/// <item>A user runs one time slice per dispatch (an instruction budget, cut short by elapsed
/// time) and, if it could go on, goes to the back of the run queue: users that use whole slices
/// share the threads round-robin, so a loop in one machine only ever takes its share.</item>
/// <item>A user that waits (an enabled wait, terminal input, CP mode, a disabled wait or a
/// program-interruption loop that put it in CP mode, SLEEP) is off the run queue and costs
/// nothing: no thread looks at it until a typed line, an I/O interruption, its timer or FORCE
/// signals it.</item>
/// <item>A user woken from a wait goes ahead of those that used up a slice (VM/370's
/// interactive users in Q1 ahead of the CPU-bound ones in Q2), so a terminal's command is
/// answered within about one slice; every fourth dispatch still takes the oldest preempted
/// user first, so that a crowd of interactive users cannot starve the CPU-bound ones.</item>
/// </list>
/// The threads exist while users are attached (started by the first, ended with the last).
/// </summary>
public sealed class Scheduler : ISessionScheduler, IDisposable
{
    public const long DefaultSliceInstructions = 200_000;
    public static readonly TimeSpan DefaultTimeSlice = TimeSpan.FromMilliseconds(20);
    const int PreemptedTurn = 4;

    /// <summary>Host threads dispatching virtual machines.</summary>
    public int Cpus { get; }
    /// <summary>Instructions in one time slice.</summary>
    public long SliceInstructions { get; }
    /// <summary>Elapsed time after which a slice ends even if its instructions are not used up.</summary>
    public TimeSpan TimeSlice { get; }

    readonly object sync = new();
    readonly LinkedList<Dispatchable> woken = new(), preempted = new();
    readonly List<Dispatchable> members = [];
    Workers? workers;
    long dispatches;
    int turn;

    sealed class Workers { public bool Stop; }

    public Scheduler(CpSystem? system = null, int cpus = 0, long sliceInstructions = DefaultSliceInstructions, TimeSpan? timeSlice = null)
    {
        if (cpus < 0) throw new ArgumentOutOfRangeException(nameof(cpus), "the number of CPUs must be positive");
        if (sliceInstructions <= 0) throw new ArgumentOutOfRangeException(nameof(sliceInstructions));
        Cpus = cpus == 0 ? Environment.ProcessorCount : cpus;
        SliceInstructions = sliceInstructions;
        TimeSlice = timeSlice ?? DefaultTimeSlice;
        if (system != null)
        {
            if (system.Scheduler != null && system.Scheduler != this) throw new InvalidOperationException("the system already has a scheduler");
            system.Scheduler = this;
        }
    }

    static readonly object defaults = new();

    /// <summary>The system's scheduler, made with the default settings if it has none yet.</summary>
    public static Scheduler Of(CpSystem system)
    {
        lock (defaults)
        {
            if (system.Scheduler is Scheduler s) return s;
            if (system.Scheduler != null) throw new InvalidOperationException("the system's scheduler is not a Scheduler");
            return new Scheduler(system);
        }
    }

    // ------------------------------------------------------------------ statistics

    /// <summary>Dispatches since the scheduler was made.</summary>
    public long Dispatches => Interlocked.Read(ref dispatches);

    public IReadOnlyList<Dispatchable> Members { get { lock (sync) return members.ToList(); } }

    /// <summary>The run queue now: woken users first, then preempted ones.</summary>
    public IReadOnlyList<Dispatchable> RunQueue { get { lock (sync) return woken.Concat(preempted).ToList(); } }

    internal DispatchState StateOf(Dispatchable d) { lock (sync) return d.state; }

    // ------------------------------------------------------------------ membership

    /// <summary>Attaches a user; it is dispatched once at once (to read what may already be typed).</summary>
    public void Add(Dispatchable d)
    {
        lock (sync)
        {
            if (d.Owner != null) throw new InvalidOperationException("already scheduled");
            d.Owner = this;
            members.Add(d);
            d.state = DispatchState.Ready;
            woken.AddLast(d);
            workers ??= Start();
            Monitor.PulseAll(sync);
        }
    }

    /// <summary>
    /// Detaches a user: off the run queue, its timer stopped; if a thread is running its slice,
    /// waits (up to <paramref name="timeout"/>) for the slice to end. True if it is no longer running.
    /// </summary>
    public bool Remove(Dispatchable d, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        lock (sync)
        {
            if (d.Owner != this) return true;
            d.removed = true;
            woken.Remove(d);
            preempted.Remove(d);
            d.timer?.Dispose();
            d.timer = null;
            while (d.state == DispatchState.Running && d.runningThread != Environment.CurrentManagedThreadId)
            {
                var left = until - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !Monitor.Wait(sync, left)) break;
            }
            bool stopped = d.state != DispatchState.Running || d.runningThread == Environment.CurrentManagedThreadId;
            if (d.state != DispatchState.Running) d.state = DispatchState.Gone;
            members.Remove(d);
            if (members.Count == 0) StopWorkers();
            return stopped;
        }
    }

    public void Dispose()
    {
        foreach (var d in Members) Remove(d, TimeSpan.FromSeconds(5));
        lock (sync) StopWorkers();
    }

    Workers Start()
    {
        var set = new Workers();
        for (int i = 0; i < Cpus; i++)
            new Thread(() => Work(set)) { IsBackground = true, Name = $"CP dispatcher {i}" }.Start();
        return set;
    }

    void StopWorkers()
    {
        if (workers == null) return;
        workers.Stop = true;
        workers = null;
        Monitor.PulseAll(sync);
    }

    // ------------------------------------------------------------------ events

    internal void Signal(Dispatchable d)
    {
        lock (sync)
        {
            if (d.removed || d.Owner != this) return;
            if (d.state == DispatchState.Waiting)
            {
                d.state = DispatchState.Ready;
                woken.AddLast(d);
                Monitor.PulseAll(sync);
            }
            else if (d.state != DispatchState.Gone) d.signalled = true;
        }
    }

    /// <summary>FORCE: the user's own dispatch logs it off (at once if it waits, after its slice if it runs).</summary>
    public bool Force(CpSession target, CpSession by)
    {
        Dispatchable? d;
        lock (sync) d = members.FirstOrDefault(m => m.Session == target && !m.removed && m.state != DispatchState.Gone);
        if (d == null) return false;
        d.RequestForce(by);
        Signal(d);
        return true;
    }

    // ------------------------------------------------------------------ the dispatcher threads

    bool TryTake(out Dispatchable d)
    {
        var first = woken;
        var second = preempted;
        if (++turn % PreemptedTurn == 0) (first, second) = (second, first);
        var node = first.First ?? second.First;
        if (node == null) { d = null!; return false; }
        node.List!.Remove(node);
        d = node.Value;
        return true;
    }

    void Work(Workers set)
    {
        while (true)
        {
            Dispatchable d;
            lock (sync)
            {
                while (true)
                {
                    if (set.Stop) return;
                    if (TryTake(out d)) break;
                    Monitor.Wait(sync);
                }
                d.state = DispatchState.Running;
                d.signalled = false;
                d.runningThread = Environment.CurrentManagedThreadId;
                d.timer?.Change(Timeout.Infinite, Timeout.Infinite);
                dispatches++;
            }
            d.CountDispatch();
            DispatchOutcome outcome;
            try { outcome = d.Dispatch(); }
            catch (Exception e)
            {
                try { d.Failed(e); } catch (Exception) { }
                outcome = DispatchOutcome.Finished;
            }
            lock (sync)
            {
                d.runningThread = 0;
                if (d.removed || outcome.Kind == OutcomeKind.Finished) d.state = DispatchState.Gone;
                else if (outcome.Kind == OutcomeKind.Preempted) { d.state = DispatchState.Ready; preempted.AddLast(d); }
                else if (outcome.Kind == OutcomeKind.Ready || d.signalled) { d.state = DispatchState.Ready; woken.AddLast(d); }
                else
                {
                    d.state = DispatchState.Waiting;
                    if (outcome.WakeAfter is { } after)
                    {
                        var due = after < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : after;
                        d.timer ??= new Timer(static o => ((Dispatchable)o!).Signal(), d, Timeout.Infinite, Timeout.Infinite);
                        d.timer.Change(due, Timeout.InfiniteTimeSpan);
                    }
                }
                Monitor.PulseAll(sync);
            }
        }
    }
}
