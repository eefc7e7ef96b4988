using Jit360.Cli.Config;
using Jit360.Machine.Channels;
using Jit360.Machine.Devices.Consoles;

namespace Jit360.Cli;

/// <summary>
/// The operator's terminal once the rc script has run, as Hercules' panel: a line starting with
/// an integrated console's prefix ("/" by default) is typed on that 1052-C/3215-C; any other line
/// is a panel command (the rc script's commands). What integrated consoles print appears here.
/// A wrong command is reported and the panel goes on; the end of input just ends the reading.
/// </summary>
public sealed class OperatorPanel
{
    readonly RcRunner runner;
    readonly TextWriter output;
    readonly List<IntegratedConsole> consoles;
    readonly object printing = new();
    bool lineOpen;

    /// <summary>Raised when a <c>quit</c> command has been carried out.</summary>
    public event Action? Quit;

    public OperatorPanel(RcRunner runner, IEnumerable<IDevice> devices, TextWriter output)
    {
        this.runner = runner;
        this.output = output;
        consoles = devices.OfType<IntegratedConsole>().ToList();
        foreach (var c in consoles)
        {
            c.TextWritten += Print;
            c.Message += Say;
        }
    }

    public IReadOnlyList<IntegratedConsole> Consoles => consoles;

    /// <summary>Reads <paramref name="input"/> on a background thread until its end or <c>quit</c>.</summary>
    public Thread Start(TextReader input)
    {
        var t = new Thread(() => ReadAll(input)) { Name = "operator panel", IsBackground = true };
        t.Start();
        return t;
    }

    /// <summary>Carries out lines until the end of input or quit.</summary>
    public void ReadAll(TextReader input)
    {
        while (true)
        {
            string? line;
            try { line = input.ReadLine(); }
            catch (IOException) { return; }
            if (line == null || Handle(line)) return;
        }
    }

    /// <summary>One line from the operator; true if it was <c>quit</c>.</summary>
    public bool Handle(string line)
    {
        // Hercules con1052c: the first integrated console whose prefix starts the line takes it, echoed as "prefix(devn) text".
        var console = consoles.FirstOrDefault(c => line.StartsWith(c.Prefix, StringComparison.OrdinalIgnoreCase));
        if (console != null)
        {
            string text = line[console.Prefix.Length..];
            Say($"{console.Prefix}({console.Number:X4}) {text}");
            console.SendLine(text);
            return false;
        }
        if (line.Trim().Length == 0) return false;
        if (consoles.Count == 0 && line.StartsWith(IntegratedConsole.DefaultPrefix))
        {
            Say($"<terminal>: no integrated console (1052-C or 3215-C) takes \"{line}\"");
            return false;
        }
        try
        {
            var script = RcScript.Parse(line, "<terminal>");
            foreach (var command in script.Commands)
            {
                if (runner.Execute(command, script.File))
                {
                    Quit?.Invoke();
                    return true;
                }
            }
        }
        catch (Exception e)
        {
            // Never fatal: the operator reads the reason and types again.
            Say(e is ConfigError ? e.Message : $"<terminal>: {e.Message}");
        }
        return false;
    }

    /// <summary>Console text as printed (a line may stay open until its carrier return).</summary>
    void Print(string text)
    {
        lock (printing)
        {
            string shown = text.Replace("\a", "");
            if (shown.Length == 0) return;
            output.Write(shown);
            output.Flush();
            lineOpen = !shown.EndsWith('\n');
        }
    }

    /// <summary>A message of its own line, after any console line left open.</summary>
    void Say(string message)
    {
        lock (printing)
        {
            if (lineOpen) output.WriteLine();
            lineOpen = false;
            output.WriteLine(message);
            output.Flush();
        }
    }
}
