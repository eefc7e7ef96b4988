using Jit360.Cp.Commands;
using Jit360.Cp.VirtualMachines;
using Jit360.Machine;

namespace Jit360.Cp.Io;

/// <summary>
/// One host thread per terminal: it reads the user's lines and routes them (CP console function
/// mode: to CP; while the guest runs: to the virtual console, or to CP after <c>#CP</c>), and
/// runs the user's virtual machine in slices, idling in an enabled wait until an interruption,
/// the interval timer or a typed line can end it. Each user has a thread of its own, so a guest
/// that loops forever only ever occupies its own thread.
/// </summary>
public sealed class UserRunner : IDisposable
{
    /// <summary>Instructions per slice: between slices the runner looks at the keyboard.</summary>
    public const long SliceInstructions = 200_000;

    readonly CpSystem system;
    readonly VirtualDeviceServices devices;
    public VirtualDeviceServices Devices => devices;
    readonly Func<IExecutionEngine> engineFactory;
    readonly Thread thread;
    volatile bool stopping;

    public CpSession Session { get; }
    public UserTerminal Terminal { get; }
    /// <summary>What ended the thread when something unexpected did (reported on the terminal too).</summary>
    public Exception? Failure { get; private set; }

    public UserRunner(CpSystem system, VirtualDeviceServices devices, UserTerminal terminal, Func<IExecutionEngine> engineFactory)
    {
        this.system = system;
        this.devices = devices;
        this.engineFactory = engineFactory;
        Terminal = terminal;
        Session = new CpSession(terminal);
        thread = new Thread(Loop) { IsBackground = true, Name = "CP user" };
        thread.Start();
    }

    void Loop()
    {
        var engine = engineFactory();
        try
        {
            while (!stopping)
            {
                var vm = Session.Machine;
                if (vm != null && Session.State == SessionState.Running)
                {
                    while (Terminal.TryTakeLine(TimeSpan.Zero, out var typed)) Route(typed);
                    if (Session.Machine != vm || Session.State != SessionState.Running) continue;
                    var exit = Dispatcher.RunSlice(Session, engine, SliceInstructions);
                    if (exit == ExitReason.EnabledWait) Idle(vm);
                }
                else if (Terminal.TryTakeLine(TimeSpan.FromMilliseconds(50), out var line))
                {
                    if (Session.State == SessionState.Sleeping) Session.State = SessionState.CpRead;   // a line wakes a sleeping terminal
                    system.Execute(Session, line);
                }
                else if (Session.State == SessionState.Sleeping && Session.SleepUntil is { } until && system.Now >= until)
                    Session.State = SessionState.CpRead;
            }
        }
        catch (Exception e)
        {
            Failure = e;
            Terminal.Write($"JIT360 CP: the user's thread failed: {e.GetType().Name}: {e.Message}");
        }
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
        var console = devices.Guest(Session)?.Console;
        if (console != null) console.SendLine(line);
        else system.Execute(Session, line);
    }

    /// <summary>
    /// An enabled wait: wait for an I/O interruption on the VM's channels, for the interval timer
    /// when external interruptions are enabled, or for a typed line, whichever comes first.
    /// </summary>
    void Idle(VirtualMachine vm)
    {
        var cpu = vm.Cpu;
        var channels = devices.Guest(Session)?.Channels;
        long? micros = cpu.ExternalEnabled ? cpu.Clock.MicrosUntilTimer() : null;
        var wait = TimeSpan.FromMilliseconds(20);
        if (micros != null) wait = TimeSpan.FromMicroseconds(Math.Clamp(micros.Value, 50, 20_000));
        if (channels != null) channels.WaitForInterrupt(cpu, wait);
        else Thread.Sleep(wait);
        cpu.Attention = true;
    }

    public void Dispose()
    {
        stopping = true;
        devices.Guest(Session)?.Channels.Wake();
        thread.Join(TimeSpan.FromSeconds(5));
        if (Session.LoggedOn) devices.DestroyVirtualMachine(Session);
    }
}
