using Jit360.Cp.Commands;

namespace Jit360.Cp.Scheduling;

/// <summary>Where a user stands with the scheduler.</summary>
public enum DispatchState
{
    /// <summary>On the run queue, waiting for a host thread.</summary>
    Ready,
    /// <summary>A host thread is running its slice.</summary>
    Running,
    /// <summary>Off the run queue until something signals it (typed line, I/O interruption, timer, FORCE).</summary>
    Waiting,
    /// <summary>Removed from the scheduler, or its dispatching failed.</summary>
    Gone,
}

/// <summary>What a dispatch leaves the user wanting.</summary>
public enum OutcomeKind
{
    /// <summary>It used its slice and can go on: to the back of the run queue.</summary>
    Preempted,
    /// <summary>It can run at once without having used a slice (an interruption is already pending).</summary>
    Ready,
    /// <summary>Nothing to do until signalled, or until <see cref="DispatchOutcome.WakeAfter"/> has passed.</summary>
    Wait,
    /// <summary>Never to be dispatched again.</summary>
    Finished,
}

public readonly record struct DispatchOutcome(OutcomeKind Kind, TimeSpan? WakeAfter = null)
{
    public static DispatchOutcome Preempted => new(OutcomeKind.Preempted);
    public static DispatchOutcome Ready => new(OutcomeKind.Ready);
    public static DispatchOutcome Finished => new(OutcomeKind.Finished);
    public static DispatchOutcome Wait(TimeSpan? wakeAfter = null) => new(OutcomeKind.Wait, wakeAfter);
}

/// <summary>
/// Something the <see cref="Scheduler"/> dispatches: a user's session and virtual machine.
/// The scheduler owns the fields below (under its lock); the subclass does the work of one
/// dispatch and calls <see cref="Signal"/> (from any thread) when an event may make it ready.
/// </summary>
public abstract class Dispatchable
{
    internal Scheduler? Owner;
    internal DispatchState state = DispatchState.Waiting;
    internal bool signalled, removed;
    internal int runningThread;
    internal Timer? timer;
    long dispatches;
    CpSession? forcedBy;

    /// <summary>The session this user is (FORCE looks users up by session).</summary>
    public abstract CpSession Session { get; }

    public DispatchState State => Owner?.StateOf(this) ?? state;

    /// <summary>Slices given so far (also when the dispatch found nothing to run).</summary>
    public long Dispatches => Interlocked.Read(ref dispatches);
    internal void CountDispatch() => Interlocked.Increment(ref dispatches);

    /// <summary>Something happened that may let the user run: it goes (back) on the run queue if it was waiting.</summary>
    public void Signal() => Owner?.Signal(this);

    /// <summary>Does the work of one dispatch on a scheduler thread: at most one time slice of the guest.</summary>
    protected internal abstract DispatchOutcome Dispatch();

    /// <summary>A failure the dispatch threw: the user is finished.</summary>
    protected internal virtual void Failed(Exception e) { }

    internal void RequestForce(CpSession by) => Interlocked.Exchange(ref forcedBy, by);

    /// <summary>The issuer of a FORCE waiting to be carried out, taken once.</summary>
    protected CpSession? TakeForce() => Interlocked.Exchange(ref forcedBy, null);
}
