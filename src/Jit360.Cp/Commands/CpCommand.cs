using Jit360.Cp.Messages;

namespace Jit360.Cp.Commands;

/// <summary>Runs one command: the context carries the session, the system and the operands.</summary>
public delegate void CommandHandler(CommandContext context);

/// <summary>
/// One row of the CP command table: the name, the shortest abbreviation CP accepts (the
/// capitalised part of the name in the CP Command Reference, e.g. DISConn = 4), the privilege
/// classes that may use it (VM/370 classes A-G; <see cref="PrivilegeClasses.Any"/> for commands
/// every user has, <see cref="BeforeLogon"/> for those a terminal may give before LOGON),
/// and the handler.
/// </summary>
public sealed record CpCommand(string Name, int MinimumLength, string Classes, CommandHandler Handler, bool BeforeLogon = false)
{
    /// <summary>Whether a word names this command: a prefix of the name at least the minimum abbreviation long.</summary>
    public bool Matches(string word)
        => word.Length >= MinimumLength && word.Length <= Name.Length && Name.StartsWith(word, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a user with these classes may issue the command ("" before logon).</summary>
    public bool AllowedFor(string userClasses)
        => userClasses.Length == 0 ? BeforeLogon : Classes == PrivilegeClasses.Any || Classes.Any(c => userClasses.Contains(c));
}

/// <summary>VM/370 privilege classes (Operator's Guide "Privilege Classes for CP Commands").</summary>
public static class PrivilegeClasses
{
    /// <summary>Any logged-on user.</summary>
    public const string Any = "*";
    public const string Operator = "A", Resources = "B", SystemProgrammer = "C", Spooling = "D", Analyst = "E", ServiceRepresentative = "F", General = "G";
}

/// <summary>What a handler sees: who issued it, the operands (the words after the command), the system.</summary>
public sealed class CommandContext(CpSystem system, CpSession session, CpCommand command, IReadOnlyList<string> operands, string operandText)
{
    public CpSystem System { get; } = system;
    public CpSession Session { get; } = session;
    public CpCommand Command { get; } = command;
    public IReadOnlyList<string> Operands { get; } = operands;
    /// <summary>The operands as typed, blanks included (MSG text, PF key text).</summary>
    public string OperandText { get; } = operandText;

    public void Write(string line) => Session.Terminal.Write(line);

    /// <summary>The virtual machine, or an error if the session has none (not logged on).</summary>
    public Jit360.Cp.VirtualMachines.VirtualMachine Machine
        => Session.Machine ?? throw new CpCommandException(CpMessages.OperandMissing);

    /// <summary>The I/O layer, or a plain error if this CP runs without one.</summary>
    public IDeviceServices Devices
        => System.Devices ?? throw new CpUnavailableException($"{Command.Name} needs the I/O layer, which this CP does not have");
}

/// <summary>A command error: the processor shows the message (as SET EMSG says) and returns its number as the return code.</summary>
public sealed class CpCommandException(CpMessage message, params object[] args) : Exception(message.ToString())
{
    public CpMessage CpMessage { get; } = message;
    public object[] Args { get; } = args;
}

/// <summary>A command this CP cannot carry out in its present configuration (no I/O layer); shown as it is, return code -1.</summary>
public sealed class CpUnavailableException(string message) : Exception(message);
