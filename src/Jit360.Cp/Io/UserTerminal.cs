using System.Collections.Concurrent;
using Jit360.Cp.Commands;
using Jit360.Machine.Devices.Consoles;

namespace Jit360.Cp.Io;

/// <summary>
/// A user's terminal as CP holds it: one printed transcript for CP's responses and the virtual
/// console's output, and one keyboard whose lines CP routes (console function mode, the guest's
/// console READ, or <c>#CP</c>). A telnet session or a test's script sits on the other side:
/// <see cref="SendLine"/> types, <see cref="Output"/> and <see cref="WaitForOutput"/> read.
/// </summary>
public sealed class UserTerminal : ICpTerminal
{
    readonly ConsoleTranscript transcript = new();
    readonly BlockingCollection<string> keyboard = new();
    List<string>? capture;

    /// <summary>Printed text as it comes ('\n' ends lines), for a terminal to show.</summary>
    public event Action<string>? Output;

    /// <summary>CP's responses: one line each (captured instead while a DIAGNOSE X'08' asks for a response buffer).</summary>
    public void Write(string line)
    {
        var c = capture;
        if (c != null) { lock (c) c.Add(line); return; }
        Print(line + "\n");
    }

    /// <summary>Text from the virtual console (a 3215 write).</summary>
    public void Print(string text)
    {
        transcript.Write(text);
        Output?.Invoke(text);
    }

    /// <summary>Whether typed lines are printed in the transcript (a typewriter shows what was typed; a host terminal or telnet client echoes itself).</summary>
    public bool Echo { get; init; } = true;

    /// <summary>The user types a line.</summary>
    public void SendLine(string line)
    {
        if (Echo) Print(line + "\n");
        else transcript.Write(line + "\n");
        keyboard.Add(line);
        LineTyped?.Invoke();
    }

    /// <summary>Raised after a line is typed (a scheduler makes the user's machine ready instead of polling the keyboard).</summary>
    public event Action? LineTyped;

    /// <summary>The next typed line, waiting up to <paramref name="timeout"/>.</summary>
    public bool TryTakeLine(TimeSpan timeout, out string line)
    {
        if (keyboard.TryTake(out var l, timeout)) { line = l; return true; }
        line = "";
        return false;
    }

    /// <summary>Runs <paramref name="action"/> with CP's responses kept in a list (DIAGNOSE X'08' response buffer).</summary>
    public List<string> Capture(Action action)
    {
        var list = new List<string>();
        capture = list;
        try { action(); }
        finally { capture = null; }
        return list;
    }

    public IReadOnlyList<string> Lines => transcript.Lines;

    public string WaitForOutput(Func<string, bool> match, TimeSpan timeout)
    {
        if (transcript.TryWait(match, timeout, out var line)) return line;
        throw new TimeoutException($"no matching terminal output within {timeout.TotalSeconds:0.#}s; last lines:\n{transcript.Tail()}");
    }

    public bool TryWaitForOutput(Func<string, bool> match, TimeSpan timeout, out string line) => transcript.TryWait(match, timeout, out line);
}
