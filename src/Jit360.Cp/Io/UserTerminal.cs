using System.Collections.Concurrent;
using Jit360.Cp.Commands;
using Jit360.Machine.Devices.Consoles;

namespace Jit360.Cp.Io;

/// <summary>
/// A user's terminal as CP holds it: one printed transcript for CP's responses and the virtual
/// console's output, and one keyboard whose lines CP routes (console function mode, the guest's
/// console READ, or <c>#CP</c>). A telnet session or a test's script sits on the other side:
/// <see cref="SendLine"/> types, <see cref="Output"/> and <see cref="WaitForOutput"/> read.
/// <para>
/// A session's terminal can be disconnected (DISCONN, a dropped line): what the machine writes is
/// dropped and nothing is typed to it. A LOGON at another terminal reconnects it: from then on this
/// terminal is shown on that one (<see cref="Reconnect"/>), whose typed lines come here.
/// </para>
/// </summary>
public sealed class UserTerminal : IConnectableTerminal
{
    readonly ConsoleTranscript transcript = new();
    readonly BlockingCollection<string> keyboard = new();
    readonly Lock gate = new();
    List<string>? capture;
    /// <summary>Where this session's output is shown after a reconnect (null: here).</summary>
    UserTerminal? shownOn;
    /// <summary>The reconnected session whose keyboard gets the lines typed here (null: this keyboard).</summary>
    UserTerminal? typingInto;
    bool disconnected, hiddenLine;

    /// <summary>Printed text as it comes ('\n' ends lines), for a terminal to show.</summary>
    public event Action<string>? Output;

    /// <summary>
    /// CP gives this physical terminal up (DISCONN): the argument is true for HOLD (show the online
    /// message again and take a new LOGON) and false to drop the line.
    /// </summary>
    public event Action<bool>? Hangup;

    /// <summary>The next line is a password (true) or it has been typed (false): a telnet server turns its echo on and off.</summary>
    public event Action<bool>? HiddenInput;

    /// <summary>CP's responses: one line each (captured instead while a DIAGNOSE X'08' asks for a response buffer).</summary>
    public void Write(string line)
    {
        var c = capture;
        if (c != null) { lock (c) c.Add(line); return; }
        Print(line + "\n");
    }

    /// <summary>Text from the virtual console (a 3215 write); dropped while disconnected, as VM/370 ignores console writes then.</summary>
    public void Print(string text)
    {
        UserTerminal? there;
        lock (gate)
        {
            if (disconnected) return;
            there = shownOn;
        }
        if (there != null) { there.Print(text); return; }
        Show(text);
    }

    void Show(string text)
    {
        transcript.Write(text);
        Output?.Invoke(text);
    }

    /// <summary>Whether typed lines are printed in the transcript (a typewriter shows what was typed; a host terminal or telnet client echoes itself).</summary>
    public bool Echo { get; init; } = true;

    /// <summary>Whether this terminal is disconnected from its session (DISCONN or a dropped line).</summary>
    public bool Disconnected { get { lock (gate) return disconnected; } }

    /// <summary>The user types a line (a password line after <see cref="ReadHidden"/> is not printed).</summary>
    public void SendLine(string line)
    {
        bool hidden;
        UserTerminal? into;
        lock (gate)
        {
            hidden = hiddenLine;
            hiddenLine = false;
            into = typingInto;
        }
        if (hidden)
        {
            transcript.Write("\n");
            HiddenInput?.Invoke(false);
        }
        else if (Echo) Show(line + "\n");
        else transcript.Write(line + "\n");
        var target = into ?? this;
        target.keyboard.Add(line);
        target.LineTyped?.Invoke();
    }

    /// <summary>Raised after a line is typed (a scheduler makes the user's machine ready instead of polling the keyboard).</summary>
    public event Action? LineTyped;

    /// <summary>The next typed line is not printed: print inhibit, as VM/370 reads the LOGON password on terminals that have it.</summary>
    public void ReadHidden()
    {
        UserTerminal? there;
        lock (gate) there = shownOn;
        if (there != null) { there.ReadHidden(); return; }
        lock (gate) hiddenLine = true;
        HiddenInput?.Invoke(true);
    }

    /// <summary>Whether the next typed line will be hidden.</summary>
    public bool ReadingHidden { get { lock (gate) return hiddenLine; } }

    public void Disconnect(bool hold)
    {
        UserTerminal physical;
        lock (gate)
        {
            physical = shownOn ?? this;
            shownOn = null;
            disconnected = true;
            hiddenLine = false;
        }
        if (physical != this)
            lock (physical.gate)
                if (physical.typingInto == this) physical.typingInto = null;
        physical.Hangup?.Invoke(hold);
    }

    public void Reconnect(ICpTerminal physical)
    {
        if (physical is not UserTerminal p || p == this) throw new ArgumentException("a session reconnects to another UserTerminal", nameof(physical));
        lock (gate)
        {
            shownOn = p;
            disconnected = false;
        }
        lock (p.gate) p.typingInto = this;
    }

    /// <summary>This session's output goes to another line now (a LOGON reconnected it there).</summary>
    internal bool ShownElsewhere { get { lock (gate) return shownOn != null; } }

    /// <summary>The reconnected session's terminal that gets the lines typed here, if any.</summary>
    internal UserTerminal? TypingInto { get { lock (gate) return typingInto; } }

    /// <summary>Lines typed and not yet taken.</summary>
    public int PendingLines => keyboard.Count;

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
