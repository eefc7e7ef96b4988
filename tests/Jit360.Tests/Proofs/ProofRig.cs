using Jit360.Cli;
using Jit360.Cli.Config;
using Jit360.Machine.Devices.Consoles;
using Jit360.Tests.Support;

namespace Jit360.Tests.Proofs;

/// <summary>
/// A bare machine built from a configuration written into a temporary folder, as a user would
/// run it: devices from device statements, panel commands through the rc runner, the console
/// operated through <see cref="IConsoleEndpoint"/>. Every wait has a timeout; <see cref="Transcript"/>
/// gives what the console printed and what the panel said, for a failing test's message.
/// </summary>
public sealed class ProofRig : IDisposable
{
    /// <summary>Generous: other builds share the two cores; the happy paths take well under a second.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    public string Folder { get; }
    public BareMachine Machine { get; }
    public StringWriter Panel { get; } = new();
    public RcRunner Runner { get; }
    bool ownFolder;

    ProofRig(string folder, bool ownFolder, BareMachine machine)
    {
        Folder = folder;
        this.ownFolder = ownFolder;
        Machine = machine;
        Runner = new RcRunner(machine, TextWriter.Synchronized(Panel));
        foreach (var c in machine.Channels.Devices.OfType<IConsoleEndpoint>())
        {
            var queue = new System.Collections.Concurrent.BlockingCollection<string>();
            c.LineWritten += queue.Add;
            completed[c.Number] = queue;
        }
    }

    readonly Dictionary<ushort, System.Collections.Concurrent.BlockingCollection<string>> completed = [];

    /// <summary>A new temporary folder (deleted by <see cref="Dispose"/> unless given).</summary>
    public static string NewFolder()
    {
        var d = Path.Combine(Path.GetTempPath(), "jit360-proofs-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>Writes <paramref name="config"/> as proof.cnf in <paramref name="folder"/> (a new temporary one if null) and builds the machine.</summary>
    public static ProofRig Create(string engine, string config, bool deterministic, string? folder = null)
    {
        bool own = folder == null;
        folder ??= NewFolder();
        var file = Path.Combine(folder, "proof.cnf");
        File.WriteAllText(file, config);
        try
        {
            var machine = new BareMachine(HerculesConfig.Load(file), TestEngines.Create(engine), deterministic, TextWriter.Null);
            return new ProofRig(folder, own, machine);
        }
        catch
        {
            if (own) Directory.Delete(folder, true);
            throw;
        }
    }

    /// <summary>Panel commands, as an rc script.</summary>
    public void Rc(string text) => Runner.Run(RcScript.Parse(text, "proof.rc"));

    public IConsoleEndpoint Console(ushort number) =>
        Machine.Channels.Devices.OfType<IConsoleEndpoint>().Single(c => c.Number == number);

    /// <summary>
    /// Waits for a complete console line (its carrier return came) containing <paramref name="text"/>,
    /// expect-style: lines passed over are consumed. Trailing blanks are dropped from the line returned.
    /// </summary>
    public string Expect(IConsoleEndpoint console, string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Wait);
        var queue = completed[console.Number];
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left < TimeSpan.Zero || !queue.TryTake(out string? line, left)) break;
            if (line.Contains(text, StringComparison.Ordinal)) return line.TrimEnd();
        }
        Assert.Fail($"no console line with \"{text}\" within {(timeout ?? Wait).TotalSeconds} s\n{Transcript()}");
        return "";
    }

    /// <summary>The next complete console line, trailing blanks dropped.</summary>
    public string NextLine(IConsoleEndpoint console, TimeSpan? timeout = null)
    {
        if (completed[console.Number].TryTake(out string? line, timeout ?? Wait)) return line.TrimEnd();
        Assert.Fail($"no further console line within {(timeout ?? Wait).TotalSeconds} s\n{Transcript()}");
        return "";
    }

    /// <summary>Waits until the CPU stops; fails with the transcript on a timeout.</summary>
    public MachineState WaitForStop(TimeSpan? timeout = null)
    {
        if (!Machine.WaitForStop(timeout ?? Wait))
            Assert.Fail($"the CPU did not stop within {(timeout ?? Wait).TotalSeconds} s\n{Transcript()}");
        return Machine.State;
    }

    /// <summary>Every console's paper, then the panel's output and the machine's report.</summary>
    public string Transcript()
    {
        var s = new System.Text.StringBuilder();
        foreach (var c in Machine.Channels.Devices.OfType<IConsoleEndpoint>())
        {
            s.AppendLine($"--- console {c.Number:X4} ---");
            foreach (var l in c.Lines) s.AppendLine(l);
        }
        s.AppendLine("--- panel ---").Append(Panel.ToString());
        s.AppendLine("--- machine ---").AppendLine(Machine.IsRunning ? "running, PSW " + Machine.PswText : Machine.Report());
        return s.ToString();
    }

    public void Dispose()
    {
        Machine.Shutdown();
        if (ownFolder)
        {
            try { Directory.Delete(Folder, true); }
            catch (IOException) { }
        }
    }
}
