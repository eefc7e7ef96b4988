using System.Diagnostics;
using System.Runtime.InteropServices;
using Jit360.Architecture;
using Jit360.Cli.Config;
using Jit360.Machine;

namespace Jit360.Cli;

/// <summary>How a bare-machine run ended.</summary>
public enum MachineState
{
    /// <summary>Not started yet, or stopped by the operator (quit, SIGINT).</summary>
    Stopped,
    Running,
    /// <summary>The PSW has the wait bit on and every interruption is masked off: the program is finished.</summary>
    DisabledWait,
    /// <summary>An enabled wait that nothing configured can ever end (no timer running, no channels).</summary>
    EnabledWaitForever,
    /// <summary>Program interruptions recurred without any instruction completing (an invalid program new PSW).</summary>
    ProgramInterruptLoop,
}

/// <summary>
/// One CPU and its storage, run by an engine on its own thread in slices. The operator (the
/// rc script, tests) loads storage, sets the PSW, starts and stops it; when the CPU stops the
/// machine reports the PSW, the instruction count and the speed in MIPS (instructions per
/// second of CPU time spent executing, so waits and start-up do not count).
/// </summary>
public sealed class BareMachine
{
    public CpuState Cpu { get; }
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
    }

    public BareMachine(HerculesConfig config, IExecutionEngine engine, bool deterministic = false, TextWriter? output = null)
        : this(config.Level, config.MainSize, engine, deterministic, output) => Config = config;

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
    /// An enabled wait: sleeps until the next timer event could end it. Returns false when
    /// nothing ever can (no timer counting, no channel subsystem to present an interruption).
    /// </summary>
    bool Idle()
    {
        // Only an enabled external interruption lets a timer end the wait.
        long? micros = Cpu.ExternalEnabled ? Cpu.Clock.MicrosUntilTimer() : null;
        if (micros == null || Cpu.Clock.Deterministic)
        {
            // (Deterministic time: the engine itself jumps to the next timer event, so a wait
            // that comes back here has only I/O left to end it.)
            if (Cpu.Io is NoChannels) return false;
            Thread.Sleep(1);
            return true;
        }
        // Short sleeps keep a stop request responsive.
        Thread.Sleep(TimeSpan.FromMicroseconds(Math.Clamp(micros.Value, 50, 20_000)));
        return true;
    }

    /// <summary>The operator's report when the CPU has stopped.</summary>
    public string Report()
    {
        string why = state switch
        {
            MachineState.DisabledWait => "disabled wait state",
            MachineState.EnabledWaitForever => "enabled wait state that nothing can end (no timer running, no channels)",
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
