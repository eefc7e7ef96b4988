using System.CommandLine;
using System.Runtime.InteropServices;
using Jit360.Cli.Config;

namespace Jit360.Cli;

/// <summary>
/// <c>jit360 run -f FILE.cnf [-r FILE.rc]</c>: a bare machine from a Hercules-style
/// configuration, driven by an rc script of Hercules panel commands. The run ends when the
/// script has ended and the CPU has stopped (a disabled wait, <c>quit</c>, Ctrl-C or SIGTERM);
/// the devices are then closed, so their media are complete even when the run is killed.
/// </summary>
public sealed class RunVerb : IVerb
{
    public Command Build()
    {
        var config = new Option<FileInfo>("--config", "-f") { Description = "Hercules-style configuration file (MAINSIZE, ARCHLVL, NUMCPU, ...)", Required = true };
        var rc = new Option<FileInfo?>("--rc", "-r") { Description = "rc script of panel commands (default: $HERCULES_RC, else ./hercules.rc)" };
        var engine = new Option<string>("--engine") { Description = $"execution engine ({string.Join(", ", Engines.Names)})", DefaultValueFactory = _ => "interp" };
        engine.AcceptOnlyFromAmong(Engines.Names);
        var deterministic = new Option<bool>("--deterministic") { Description = "virtual time: one microsecond per instruction (reproducible runs)" };
        var trace = new Option<FileInfo?>("--trace") { Description = "write an instruction trace (as Hercules' t+) to FILE, '-' for the terminal; runs the interpreter one instruction at a time" };
        var cmd = new Command("run", "Run a bare machine from a Hercules-style configuration and rc script") { config, rc, engine, deterministic, trace };
        cmd.SetAction(p => Run(p.GetValue(config)!, p.GetValue(rc), p.GetValue(engine)!, p.GetValue(deterministic), p.GetValue(trace)));
        return cmd;
    }

    static int Run(FileInfo configFile, FileInfo? rcFile, string engineName, bool deterministic, FileInfo? traceFile)
    {
        BareMachine machine;
        RcScript script;
        using var traceWriter = traceFile == null ? null
            : traceFile.ToString() == "-" ? new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true }
            : new StreamWriter(traceFile.FullName);
        try
        {
            var config = HerculesConfig.Load(configFile.ToString());
            // Hercules' order: the rc named on the command line, then $HERCULES_RC, then ./hercules.rc.
            string? rcPath = rcFile?.ToString();
            if (rcPath == null && Environment.GetEnvironmentVariable("HERCULES_RC") is { Length: > 0 } env) rcPath = env;
            if (rcPath == null && File.Exists("hercules.rc")) rcPath = "hercules.rc";
            if (rcPath == null)
            {
                Console.Error.WriteLine("jit360 run: no rc script (give -r FILE.rc, or put a hercules.rc with `ipl DEVNUM` or `start` here)");
                return 1;
            }
            script = RcScript.Load(rcPath);
            var engine = traceWriter != null ? new Interpreter.TracingEngine(traceWriter) : Engines.Create(engineName);
            machine = new BareMachine(config, engine, deterministic || Engines.NeedsDeterministicTime(engineName));
        }
        catch (ConfigError e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }

        // Ctrl-C (and SIGTERM, SIGHUP) stop the CPU at an instruction boundary; the report is
        // printed as for any stop, and the devices are closed on the way out.
        bool interrupted = false;
        var runner = new RcRunner(machine, Console.Out);
        void Interrupt() { interrupted = true; runner.Abandoned = true; if (machine.IsRunning) machine.Stop(); }
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; Interrupt(); };
        Console.CancelKeyPress += onCancel;
        var signals = new List<PosixSignalRegistration>();
        if (!OperatingSystem.IsWindows())
            foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP })
                signals.Add(PosixSignalRegistration.Create(signal, ctx => { ctx.Cancel = true; Interrupt(); }));
        try
        {
            // The operator's terminal: panel commands and integrated consoles. It listens to the
            // consoles before the script runs, so what a program prints right after `ipl` is shown.
            var panel = new OperatorPanel(runner, machine.Channels.Devices, Console.Out);
            bool quit;
            try { quit = runner.Run(script); }
            catch (ConfigError e)
            {
                if (machine.IsRunning) machine.Stop();
                Console.Error.WriteLine(e.Message);
                return 1;
            }
            bool quitTyped = false;
            panel.Quit += () => quitTyped = true;
            var reading = quit ? null : panel.Start(Console.In);
            while (!quit && !interrupted)
            {
                machine.WaitForStop();
                // As Hercules' panel, an operator's `stop` does not end the session: wait for
                // `start` (or `ipl`), `quit`, or the end of the operator's input.
                if (!runner.StoppedByOperator || quitTyped) break;
                while (!machine.IsRunning && !quitTyped && !interrupted && reading!.IsAlive) Thread.Sleep(50);
                if (!machine.IsRunning) break;
            }
            if (machine.Started) Console.WriteLine(machine.Report());
            if (interrupted) return 130;
            if (machine.Failure != null) return 3;
            return machine.State is MachineState.ProgramInterruptLoop or MachineState.EnabledWaitForever ? 2 : 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            foreach (var r in signals) r.Dispose();
            machine.Shutdown();
        }
    }
}
