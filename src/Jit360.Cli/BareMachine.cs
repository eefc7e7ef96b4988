using System.Diagnostics;
using System.Runtime.InteropServices;
using Jit360.Architecture;
using Jit360.Cli.Config;
using Jit360.Machine;
using Jit360.Machine.Channels;

namespace Jit360.Cli;

/// <summary>How a bare-machine run ended.</summary>
public enum MachineState
{
    /// <summary>Not started yet, or stopped by the operator (quit, SIGINT).</summary>
    Stopped,
    Running,
    /// <summary>The PSW has the wait bit on and every interruption is masked off: the program is finished.</summary>
    DisabledWait,
    /// <summary>An enabled wait that nothing configured can ever end (no timer running, no I/O under way, no device that raises status on its own).</summary>
    EnabledWaitForever,
    /// <summary>Program interruptions recurred without any instruction completing (an invalid program new PSW).</summary>
    ProgramInterruptLoop,
}

/// <summary>
/// One CPU and its storage, run by an engine on its own thread in slices. The operator (the
/// rc script, tests) loads storage, sets the PSW, starts and stops it; when the CPU stops the
/// machine reports the PSW, the instruction count and the speed in MIPS (instructions per
/// second of CPU time spent executing, so waits and start-up do not count).
/// The machine owns its channel subsystem and devices; <see cref="Shutdown"/> closes them.
/// </summary>
public sealed class BareMachine : IDisposable
{
    public CpuState Cpu { get; }
    /// <summary>The channels and the devices attached to them (none until configured or attached).</summary>
    public ChannelSubsystem Channels { get; }
    /// <summary>What device factories know: the configuration's folder and system statements, shared services.</summary>
    public DeviceContext DeviceContext { get; }
    public IExecutionEngine Engine { get; }
    public HerculesConfig? Config { get; }
    public TextWriter Out { get; }

    /// <summary>Instructions per call of the engine: large enough to cost nothing, small enough to notice a stop.</summary>
    public const long SliceInstructions = 1 << 22;

    Thread? thread;
    volatile MachineState state = MachineState.Stopped;
    volatile bool stopWanted;
    readonly ManualResetEventSlim stopped = new(true);
    long startInstructions;
    double cpuSeconds;
    Exception? failure;

    public BareMachine(ArchLevel level, uint mainSize, IExecutionEngine engine, bool deterministic = false, TextWriter? output = null)
    {
        Cpu = new CpuState(level, mainSize, deterministic);
        Engine = engine;
        Out = output ?? Console.Out;
        Channels = new ChannelSubsystem(Cpu);
        DeviceContext = new DeviceContext(Directory.GetCurrentDirectory());
    }

    /// <summary>
    /// A machine as a configuration describes it, its devices built from the device statements
    /// (a statement that cannot be carried out is a <see cref="ConfigError"/> at its line).
    /// </summary>
    public BareMachine(HerculesConfig config, IExecutionEngine engine, bool deterministic = false, TextWriter? output = null)
    {
        Config = config;
        Cpu = new CpuState(config.Level, config.MainSize, deterministic);
        Engine = engine;
        Out = output ?? Console.Out;
        Channels = new ChannelSubsystem(Cpu);
        string folder = Path.GetDirectoryName(Path.GetFullPath(config.File)) ?? Directory.GetCurrentDirectory();
        DeviceContext = new DeviceContext(folder, config.Settings);
        try
        {
            foreach (var d in config.Devices)
                foreach (var number in d.Numbers)
                {
                    try { Attach(number, d.Type, d.Arguments); }
                    catch (DeviceConfigException e) { throw new ConfigError(config.File, d.Line, $"device {number:X4} {d.Type}: {e.Message}"); }
                }
        }
        catch
        {
            Shutdown();
            throw;
        }
    }

    /// <summary>Builds a device from the catalog and attaches it (the panel's <c>attach</c>); throws <see cref="DeviceConfigException"/>.</summary>
    public IDevice Attach(ushort number, string type, IReadOnlyList<string> arguments)
    {
        if (Channels.Find(number) != null) throw new DeviceConfigException($"device {number:X4} already exists");
        var device = DeviceCatalog.Create(number, type, arguments, DeviceContext);
        try { Channels.Attach(device); }
        catch { device.Dispose(); throw; }
        return device;
    }

    /// <summary>
    /// IPL from a device (the panel's <c>ipl</c>; the CPU must be stopped). On success the PSW
    /// is loaded and the caller starts the CPU; on failure the CPU stays stopped.
    /// </summary>
    public InitialProgramLoad.Result Ipl(ushort number)
    {
        if (IsRunning) throw new InvalidOperationException("the CPU is running; stop it before IPL");
        var result = InitialProgramLoad.Run(Cpu, Channels, number);
        Cpu.Clock.Update();
        return result;
    }

    bool shutDown;

    /// <summary>Stops the CPU and closes every device (flushing its media) and shared device service. Safe to call twice.</summary>
    public void Shutdown()
    {
        lock (stopped)
        {
            if (shutDown) return;
            shutDown = true;
        }
        if (IsRunning) Stop();
        Channels.Dispose();
        foreach (var service in DeviceContext.Services)
            if (service is IDisposable d)
            {
                try { d.Dispose(); }
                catch (Exception e) { Out.WriteLine($"JIT360 closing {service.GetType().Name} failed: {e.Message}"); }
            }
    }

    public void Dispose() => Shutdown();

    public MachineState State => state;
    public bool IsRunning => state == MachineState.Running;
    /// <summary>True once the CPU has been started.</summary>
    public bool Started { get; private set; }
    /// <summary>Instructions executed by the last start (to its stop).</summary>
    public long InstructionsRun => Cpu.Instructions - startInstructions;
    /// <summary>CPU time of the CPU thread during the last start, in seconds.</summary>
    public double CpuSeconds => cpuSeconds;
    /// <summary>The current PSW as the operator sees it: without an interruption code or ILC (those belong to a stored old PSW).</summary>
    public string PswText => Cpu.PswText(Cpu.CurrentPsw(0, 0));
    public double Mips => cpuSeconds > 0 ? InstructionsRun / cpuSeconds / 1e6 : 0;
    /// <summary>What the engine threw, if it failed (a lockstep divergence, a host error).</summary>
    public Exception? Failure => failure;

    /// <summary>Loads a core image at an absolute address; an image that does not fit is refused.</summary>
    public void LoadCore(ReadOnlySpan<byte> image, uint address)
    {
        if ((ulong)address + (ulong)image.Length > Cpu.Storage.Size)
            throw new InvalidOperationException(
                $"{image.Length} bytes at {address:X6} do not fit in storage of {SizeText(Cpu.Storage.Size)} (ends at {Cpu.Storage.Size - 1:X6}); raise MAINSIZE");
        Cpu.Storage.Load(address, image);
        Cpu.Clock.Update();
    }

    static string SizeText(uint bytes) => bytes % (1 << 20) == 0 ? $"{bytes >> 20}M" : $"{bytes >> 10}K";

    /// <summary>Starts the CPU on its own thread (Hercules' <c>start</c>: the operator can go on typing).</summary>
    public void Start()
    {
        if (IsRunning) return;
        stopWanted = false;
        Cpu.StopRequested = false;
        state = MachineState.Running;
        Started = true;
        stopped.Reset();
        thread = new Thread(RunCpu) { Name = "CPU0000", IsBackground = true };
        thread.Start();
    }

    /// <summary>Asks the CPU to stop at the next instruction boundary and waits until it has.</summary>
    public void Stop()
    {
        stopWanted = true;
        Cpu.StopRequested = true;
        Cpu.Attention = true;
        Channels.Wake();
        stopped.Wait();
    }

    /// <summary>Waits until the CPU stops, at most <paramref name="timeout"/>; true if it has stopped.</summary>
    public bool WaitForStop(TimeSpan timeout) => stopped.Wait(timeout);

    public void WaitForStop() => stopped.Wait();

    /// <summary>Runs the CPU on the calling thread until it stops (tests, the demo).</summary>
    public MachineState Run()
    {
        Start();
        WaitForStop();
        if (failure != null) throw new InvalidOperationException("the engine failed", failure);
        return state;
    }

    void RunCpu()
    {
        var final = MachineState.Stopped;
        startInstructions = Cpu.Instructions;
        double t0 = ThreadCpuTime.Seconds();
        try
        {
            final = Loop();
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            cpuSeconds = ThreadCpuTime.Seconds() - t0;
            state = final;
            stopped.Set();
        }
    }

    MachineState Loop()
    {
        while (true)
        {
            if (stopWanted) return MachineState.Stopped;
            var exit = Engine.Run(Cpu, SliceInstructions);
            switch (exit)
            {
                case ExitReason.InstructionLimit:
                case ExitReason.Interrupt:
                    continue;
                case ExitReason.DisabledWait:
                    return MachineState.DisabledWait;
                case ExitReason.EnabledWait:
                    if (!Idle()) return MachineState.EnabledWaitForever;
                    continue;
                case ExitReason.Stopped:
                    if (stopWanted) return MachineState.Stopped;
                    continue;
                case ExitReason.ProgramInterruptLoop:
                    return MachineState.ProgramInterruptLoop;
                case ExitReason.Diagnose:
                    // DIAGNOSE is model-dependent (GA22-7000 "DIAGNOSE"); a bare machine has no
                    // service processor behind it, so the instruction completes with no effect.
                    continue;
                case ExitReason.IoInstruction:
                case ExitReason.ProgramIntercept:
                    // Only returned when no channels are attached or the host intercepts; the bare machine does neither.
                    continue;
                default:
                    throw new InvalidOperationException($"unexpected exit {exit}");
            }
        }
    }

    /// <summary>
    /// An enabled wait: blocks until an I/O interruption becomes pending (the channels wake the
    /// CPU at once) or the next timer event could end the wait, so an idle machine costs no
    /// CPU. Returns false when nothing ever can: no timer counting and no I/O that could still
    /// interrupt (nothing under way, no device that raises status on its own).
    /// </summary>
    bool Idle()
    {
        // Only an enabled external interruption lets a timer end the wait.
        long? micros = Cpu.ExternalEnabled ? Cpu.Clock.MicrosUntilTimer() : null;
        bool io = Cpu.AnyIoEnabled && Channels.CanEndWait(Cpu);
        // (A paced clock, lockstep's on host time, waits in host time like a real-time one.)
        if (Cpu.Clock.Deterministic && !Cpu.Clock.Paced)
        {
            // Deterministic time: channel programs that used their budget get their turn; then,
            // if no interruption came of it, time jumps to the next timer event (the engine does
            // this itself unless an interruption is pending but masked).
            if (io && Channels.WaitForInterrupt(Cpu, TimeSpan.Zero)) return true;
            if (micros != null) { Cpu.Clock.AdvanceIdle(micros.Value); Cpu.Attention = true; return true; }
            if (!io) return false;
            Channels.WaitForInterrupt(Cpu, TimeSpan.FromMilliseconds(100));
            return true;
        }
        if (micros == null)
        {
            if (!io) return false;
            // Woken at once by an interruption or a stop; the timeout only re-checks the state.
            Channels.WaitForInterrupt(Cpu, TimeSpan.FromMilliseconds(100));
            return true;
        }
        // Short waits keep a stop request responsive.
        Channels.WaitForInterrupt(Cpu, TimeSpan.FromMicroseconds(Math.Clamp(micros.Value, 50, 20_000)));
        return true;
    }

    /// <summary>The operator's report when the CPU has stopped.</summary>
    public string Report()
    {
        string why = state switch
        {
            MachineState.DisabledWait => "disabled wait state",
            MachineState.EnabledWaitForever => "enabled wait state that nothing can end (no timer running, no I/O under way)",
            MachineState.ProgramInterruptLoop => $"program interruption loop ({ProgramInterruptCode.Name(Cpu.LastInterrupt.Code)} exception)",
            MachineState.Running => "running",
            _ => "stopped",
        };
        string report = $"JIT360 CPU0000 {why}, PSW {PswText}\n" +
                        $"JIT360 {InstructionsRun:N0} instructions in {cpuSeconds:F3} CPU-seconds: {Mips:F2} MIPS ({Engine.Name})";
        // The translating engine also says what it translated and how the cache fared.
        if (Engines.StatisticsOf(Engine) is { } stats)
            report += "\n" + string.Join("\n", stats.ToString().TrimEnd().Split('\n').Select(l => "JIT360 " + l));
        if (Engine is Jit.LockstepEngine lockstep && failure == null)
            report += $"\nJIT360 lockstep: {lockstep.Rounds:N0} rounds compared, {lockstep.Resyncs:N0} resyncs from the interpreter, no divergence";
        if (failure != null)
            report += "\nJIT360 the engine failed: " + failure.Message.TrimEnd();
        return report;
    }
}

/// <summary>CPU time consumed by the calling thread (Linux clock_gettime; elsewhere the process's CPU time).</summary>
static class ThreadCpuTime
{
    [StructLayout(LayoutKind.Sequential)]
    struct Timespec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    static extern int ClockGetTime(int clock, out Timespec ts);

    const int ClockThreadCpuTime = 3;
    static bool unavailable = !OperatingSystem.IsLinux();

    public static double Seconds()
    {
        if (!unavailable)
        {
            try
            {
                if (ClockGetTime(ClockThreadCpuTime, out var ts) == 0) return ts.Seconds + ts.Nanoseconds * 1e-9;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
            unavailable = true;
        }
        return Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
    }
}
