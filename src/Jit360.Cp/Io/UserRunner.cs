using Jit360.Cp.Commands;
using Jit360.Cp.Scheduling;
using Jit360.Cp.VirtualMachines;
using Jit360.Machine;
using Jit360.Machine.Channels;

namespace Jit360.Cp.Io;

/// <summary>
/// One terminal and the user behind it, as the <see cref="Scheduler"/> dispatches them. Each
/// dispatch reads what was typed and routes it (CP console function mode: to CP; while the
/// guest runs: to the virtual console, or to CP after <c>#CP</c>), carries out a pending FORCE,
/// then runs the virtual machine for one time slice on the calling scheduler thread. A guest
/// in an enabled wait, a user in CP mode and a sleeping terminal are parked: the terminal's
/// typed lines, the guest's channel subsystem (an interruption pending), the guest's timers
/// and SLEEP's end signal it back onto the run queue. The execution engine is one per virtual
/// machine, made at its first slice and dropped with it.
/// <para>
/// Lines for the guest are held by CP until its console READ waits for one (as VM/370 CP unlocks
/// the keyboard for a VM READ): a line handed to a console that is not reading becomes typeahead
/// with an attention interruption, which CMS takes for an attention line and drops, and a line typed
/// just after <c>Ready;</c> often arrives before CMS's READ. A guest that does not read gets the line
/// with the attention after all once it has sat in the same enabled wait for
/// <see cref="AttentionDelay"/> or run <see cref="AttentionInstructions"/> instructions meanwhile
/// (how a user interrupts a running program).
/// </para>
/// </summary>
public sealed class UserRunner : Dispatchable, IDisposable
{
    readonly CpSystem system;
    readonly VirtualDeviceServices devices;
    readonly Func<IExecutionEngine> engineFactory;
    IExecutionEngine? engine;
    VirtualMachine? engineMachine;
    ChannelSubsystem? watched;
    VirtualConsole? watchedConsole;
    volatile bool disposed;

    /// <summary>How long a guest must sit in one enabled wait without reading before a held line comes with an attention.</summary>
    public static readonly TimeSpan AttentionDelay = TimeSpan.FromMilliseconds(100);
    /// <summary>Instructions a guest may run without reading before a held line comes with an attention.</summary>
    public const long AttentionInstructions = 20_000_000;

    readonly Queue<string> held = new();
    long heldAtInstructions, waitAtInstructions = -1;
    long waitSince;

    public Scheduler Scheduler { get; }
    public VirtualDeviceServices Devices => devices;
    public override CpSession Session { get; }
    public UserTerminal Terminal { get; }
    /// <summary>What ended the user's dispatching when something unexpected did (reported on the terminal too).</summary>
    public Exception? Failure { get; private set; }

    /// <summary>A terminal on the system's scheduler (made with the default settings if the system has none).</summary>
    public UserRunner(CpSystem system, VirtualDeviceServices devices, UserTerminal terminal, Func<IExecutionEngine> engineFactory)
        : this(Scheduler.Of(system), system, devices, terminal, engineFactory) { }

    public UserRunner(Scheduler scheduler, CpSystem system, VirtualDeviceServices devices, UserTerminal terminal, Func<IExecutionEngine> engineFactory)
    {
        this.system = system;
        this.devices = devices;
        this.engineFactory = engineFactory;
        Scheduler = scheduler;
        Terminal = terminal;
        Session = new CpSession(terminal);
        terminal.LineTyped += Signal;
        scheduler.Add(this);
    }

    protected internal override DispatchOutcome Dispatch()
    {
        if (disposed) return DispatchOutcome.Finished;
        var mark = ThreadCpuTime.Now();
        while (Terminal.TryTakeLine(TimeSpan.Zero, out var line))
        {
            var before = Session.Machine;
            Handle(line);
            Charge(before ?? Session.Machine, ref mark);
            if (disposed) return DispatchOutcome.Finished;
        }
        if (TakeForce() is { } by)
        {
            var before = Session.Machine;
            ForceCommand.Logoff(system, Session, by);
            Charge(before, ref mark);
        }
        Watch();
        var vm = Session.Machine;
        if (vm != engineMachine) { engine = null; engineMachine = null; }   // the old machine's translations go with it
        if (vm == null) held.Clear();
        if (vm == null || Session.State != SessionState.Running) return Parked();
        if (held.Count > 0 && (ReadWaiting() || vm.Cpu.Instructions - heldAtInstructions >= AttentionInstructions)) Deliver(vm);

        if (engine == null) { engine = engineFactory(); engineMachine = vm; }
        vm.CountDispatch();
        vm.Cpu.Attention = true;   // time passed off the run queue: the engine looks at timers and pending interruptions first
        Charge(vm, ref mark);
        var exit = Dispatcher.RunSlice(Session, engine, Scheduler.SliceInstructions, Scheduler.TimeSlice);
        mark = ThreadCpuTime.Now();
        if (exit == ExitReason.EnabledWait && Session.Machine == vm && Session.State == SessionState.Running)
        {
            var outcome = Idle(vm);
            Charge(vm, ref mark);
            return outcome;
        }
        return DispatchOutcome.Preempted;
    }

    /// <summary>CP mode or asleep: nothing to run until a line is typed (or SLEEP's time is up).</summary>
    DispatchOutcome Parked()
    {
        if (Session.State == SessionState.Sleeping && Session.SleepUntil is { } until)
        {
            var left = until - system.Now;
            if (left > TimeSpan.Zero) return DispatchOutcome.Wait(left);
            Session.State = SessionState.CpRead;
        }
        return DispatchOutcome.Wait();
    }

    /// <summary>A typed line: CP's in CP mode; while the guest runs, the virtual console's unless it starts with #CP.</summary>
    void Handle(string line)
    {
        if (Session.Machine != null && Session.State == SessionState.Running) { Route(line); return; }
        if (Session.State == SessionState.Sleeping) Session.State = SessionState.CpRead;   // a line wakes a sleeping terminal
        system.Execute(Session, line);
    }

    /// <summary>A line typed while the guest runs: <c>#CP command</c> goes to CP, anything else to the virtual console's keyboard.</summary>
    void Route(string line)
    {
        string t = line.TrimStart();
        if (t.StartsWith("#CP", StringComparison.OrdinalIgnoreCase) && (t.Length == 3 || t[3] == ' '))
        {
            string command = t[3..].Trim();
            if (command.Length == 0) Session.State = SessionState.CpRead;
            else system.Execute(Session, command);
            return;
        }
        var vm = Session.Machine;
        if (devices.Guest(Session)?.Console == null || vm == null) { system.Execute(Session, line); return; }
        if (held.Count == 0) heldAtInstructions = vm.Cpu.Instructions;
        held.Enqueue(line);
    }

    bool ReadWaiting() => devices.Guest(Session)?.Console?.ReadPending == true;

    /// <summary>The oldest held line goes to the virtual console (to its READ, or as typeahead with an attention).</summary>
    void Deliver(VirtualMachine vm)
    {
        var console = devices.Guest(Session)?.Console;
        if (console == null) { held.Clear(); return; }
        console.SendLine(held.Dequeue());
        heldAtInstructions = vm.Cpu.Instructions;
        waitAtInstructions = -1;
    }

    /// <summary>
    /// An enabled wait: ready again at once if an enabled interruption is already pending;
    /// otherwise parked until the channel subsystem signals one, or until the guest's next
    /// timer event when external interruptions are enabled for it.
    /// </summary>
    DispatchOutcome Idle(VirtualMachine vm)
    {
        var cpu = vm.Cpu;
        var channels = devices.Guest(Session)?.Channels;
        bool io = cpu.AnyIoEnabled && channels != null;
        // With zero timeout this only looks (and in deterministic mode gives parked channel programs their turn).
        if (io && channels!.WaitForInterrupt(cpu, TimeSpan.Zero)) return DispatchOutcome.Ready;
        TimeSpan? attention = null;
        if (held.Count > 0)
        {
            if (ReadWaiting()) { Deliver(vm); return DispatchOutcome.Ready; }
            // Still in the same wait (no instruction since) for long enough: the guest is not going to read.
            if (waitAtInstructions != cpu.Instructions) { waitAtInstructions = cpu.Instructions; waitSince = Environment.TickCount64; }
            var waited = TimeSpan.FromMilliseconds(Environment.TickCount64 - waitSince);
            if (waited >= AttentionDelay) { Deliver(vm); return DispatchOutcome.Ready; }
            attention = AttentionDelay - waited;
        }
        long? micros = cpu.Clock.MicrosUntilTimer(presentableOnly: true);
        if (cpu.Clock.Deterministic)
        {
            // Deterministic time does not pass while parked: jump to the timer event, as the bare machine does.
            if (micros != null) { cpu.Clock.AdvanceIdle(micros.Value); return DispatchOutcome.Ready; }
            // A channel program that spent its deterministic budget needs another turn: look again soon.
            return DispatchOutcome.Wait(io ? TimeSpan.FromMilliseconds(20) : null);
        }
        TimeSpan? timer = micros is { } m ? TimeSpan.FromMicroseconds(m) : null;
        return DispatchOutcome.Wait(timer is { } t && (attention == null || t < attention) ? t : attention);
    }

    /// <summary>Listens to the current guest's channel subsystem and console (and to no other): its interruptions and READs make the user ready.</summary>
    void Watch()
    {
        var guest = disposed ? null : devices.Guest(Session);
        var channels = guest?.Channels;
        if (channels != watched)
        {
            if (watched != null) watched.InterruptionPending -= Signal;
            watched = channels;
            if (channels != null) channels.InterruptionPending += Signal;
        }
        var console = guest?.Console;
        if (console != watchedConsole)
        {
            if (watchedConsole != null) watchedConsole.ReadWaiting -= Signal;
            watchedConsole = console;
            if (console != null) console.ReadWaiting += Signal;
        }
    }

    static void Charge(VirtualMachine? vm, ref TimeSpan mark)
    {
        var now = ThreadCpuTime.Now();
        vm?.ChargeOverhead(now - mark);
        mark = now;
    }

    protected internal override void Failed(Exception e)
    {
        Failure = e;
        Terminal.Write($"JIT360 CP: dispatching the user failed: {e.GetType().Name}: {e.Message}");
    }

    public void Dispose()
    {
        disposed = true;
        Terminal.LineTyped -= Signal;
        Scheduler.Remove(this, TimeSpan.FromSeconds(5));
        if (watched != null) watched.InterruptionPending -= Signal;
        if (watchedConsole != null) watchedConsole.ReadWaiting -= Signal;
        watched = null; watchedConsole = null;
        engine = null; engineMachine = null;
        if (Session.LoggedOn) devices.DestroyVirtualMachine(Session);
    }
}
