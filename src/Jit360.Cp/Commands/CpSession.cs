using Jit360.Cp.Messages;
using Jit360.Cp.VirtualMachines;

namespace Jit360.Cp.Commands;

/// <summary>Where the session is: in CP console function mode, running the guest, or asleep.</summary>
public enum SessionState { CpRead, Running, Sleeping }

/// <summary>
/// One terminal session with CP: before LOGON only a terminal; after it a user with privilege
/// classes, a virtual machine and the settings SET and TERMINAL change.
/// </summary>
public sealed class CpSession(ICpTerminal terminal)
{
    /// <summary>Where CP writes to the user (after a reconnect, a terminal that is not an <see cref="IConnectableTerminal"/> is replaced by the new one).</summary>
    public ICpTerminal Terminal { get; internal set; } = terminal;
    public string? UserId { get; internal set; }
    /// <summary>The user's privilege classes; empty before LOGON.</summary>
    public string PrivilegeClasses { get; internal set; } = "";
    public VirtualMachine? Machine { get; set; }
    /// <summary>The user's directory entry (storage size for QUERY STORAGE and DEFINE STORAGE).</summary>
    public Directory.UserEntry? User { get; internal set; }
    public DateTimeOffset LogonTime { get; internal set; }
    /// <summary>DISCONN, or the terminal's line dropped: the virtual machine goes on without a terminal until a LOGON reconnects it.</summary>
    public bool Disconnected { get => disconnected; internal set => disconnected = value; }
    volatile bool disconnected;
    public bool LoggedOn => UserId != null;

    /// <summary>The line CP waits for (the password after ENTER PASSWORD:), which is not a command; null when none.</summary>
    Func<string, int>? pendingLine;
    public bool AwaitingPassword => pendingLine != null;
    internal void AwaitLine(Func<string, int> handler) => pendingLine = handler;
    /// <summary>The handler waiting for the next typed line, taken (it runs once).</summary>
    internal Func<string, int>? TakePendingLine() { var h = pendingLine; pendingLine = null; return h; }

    /// <summary>
    /// The terminal's connection ended without DISCONN (a telnet client closed): a logged-on user's
    /// virtual machine goes on disconnected, as after DISCONN, until a LOGON reconnects it. A session
    /// not logged on simply ends (returns false).
    /// </summary>
    public bool LineDropped()
    {
        pendingLine = null;
        if (!LoggedOn) return false;
        Disconnected = true;
        if (Terminal is IConnectableTerminal t) t.Disconnect(hold: true);
        return true;
    }

    public SessionState State { get; set; } = SessionState.CpRead;
    /// <summary>SLEEP with a time: when it ends (null: until the user presses attention).</summary>
    public DateTimeOffset? SleepUntil { get; set; }

    // ---- SET ----
    public EmsgMode Emsg { get; set; } = EmsgMode.On;
    public bool ReceiveMessages { get; set; } = true;
    public bool ReceiveWarnings { get; set; } = true;
    public bool InformationMessages { get; set; } = true;
    public bool Run { get; set; }
    /// <summary>PF key settings: the command text and whether it runs at once (IMMED) or is put in the input area (DELAYED).</summary>
    public Dictionary<int, (string Text, bool Immediate)> PfKeys { get; } = new();

    public TerminalSettings TerminalSettings { get; } = new();

    /// <summary>Writes a message as SET EMSG asks.</summary>
    public void Write(CpMessage message, params object[] args)
    {
        if (message.Format(Emsg, args) is { } text) Terminal.Write(text);
    }

    /// <summary>Virtual CPU time: host CPU time the scheduler measured running this session's guest (zero for a machine nothing runs).</summary>
    public TimeSpan VirtualCpu => Machine?.VirtualCpuTime ?? TimeSpan.Zero;
    /// <summary>Total CPU time: the virtual CPU time plus CP's work for the session (its commands, simulation outside the guest's slices).</summary>
    public TimeSpan TotalCpu => Machine?.TotalCpuTime ?? TimeSpan.Zero;
}

/// <summary>
/// A terminal CP can take away from a session and give back (DISCONN and a reconnecting LOGON),
/// and on which a line can be read without being shown (the password after ENTER PASSWORD:).
/// </summary>
public interface IConnectableTerminal : ICpTerminal
{
    /// <summary>The next line typed is a password: not printed (print inhibit; over telnet the client's echo is turned off).</summary>
    void ReadHidden();
    /// <summary>
    /// The session goes on without this terminal: output is dropped and nothing is typed to it until
    /// <see cref="Reconnect"/>. The physical terminal it was shown on is given up: its line is dropped,
    /// or with <paramref name="hold"/> it goes back to the VM/370 online message for another LOGON.
    /// </summary>
    void Disconnect(bool hold);
    /// <summary>A LOGON typed at <paramref name="physical"/> reconnects this session: its output goes there and the lines typed there come here.</summary>
    void Reconnect(ICpTerminal physical);
}

/// <summary>TERMINAL settings (VM/370 defaults: line end #, line delete @, character delete @ on typewriters is ¢; escape ").</summary>
public sealed class TerminalSettings
{
    public char? LineEnd { get; set; } = '#';
    public char? LineDelete { get; set; } = '¢';
    public char? CharacterDelete { get; set; } = '@';
    public char? Escape { get; set; } = '"';
    /// <summary>MODE CP: every line goes to CP; MODE VM: to the virtual machine unless it starts with #CP.</summary>
    public bool ModeCp { get; set; }
    public bool Apl { get; set; }
    public bool Text { get; set; }
    public bool Attention { get; set; } = true;
    public bool Hilight { get; set; }
    public int LineSize { get; set; } = 130;
}
