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
    public ICpTerminal Terminal { get; } = terminal;
    public string? UserId { get; internal set; }
    /// <summary>The user's privilege classes; empty before LOGON.</summary>
    public string PrivilegeClasses { get; internal set; } = "";
    public VirtualMachine? Machine { get; set; }
    /// <summary>The user's directory entry (storage size for QUERY STORAGE and DEFINE STORAGE).</summary>
    public Directory.UserEntry? User { get; internal set; }
    public DateTimeOffset LogonTime { get; internal set; }
    public bool Disconnected { get; internal set; }
    public bool LoggedOn => UserId != null;

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
