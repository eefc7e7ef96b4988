using Jit360.Cp.Messages;

namespace Jit360.Cp.Commands;

/// <summary>
/// Reads a CP command line: the first word names the command (by abbreviation), the rest are
/// its operands. A command that does not exist and a command outside the user's privilege
/// classes get the same answer, as in VM/370, which looks only among the commands the user's
/// classes allow. The return code is 0, or the number of the error message (the convention of
/// DIAGNOSE X'08'); an unknown command returns 1.
/// </summary>
public static class CommandProcessor
{
    public static int Execute(CpSystem system, CpSession session, string line)
    {
        // A line CP asked for (the password after ENTER PASSWORD:) is not a command.
        if (session.TakePendingLine() is { } pending) return pending(line);
        string text = line.Trim();
        if (text.Length == 0) return 0;
        int blank = text.IndexOfAny([' ', '\t']);
        string word = blank < 0 ? text : text[..blank];
        string rest = blank < 0 ? "" : text[(blank + 1)..].Trim();
        var command = system.Commands.Find(word);
        if (command == null || !command.AllowedFor(session.PrivilegeClasses))
        {
            session.Write(CpMessages.UnknownCommand, word.ToUpperInvariant());
            return 1;
        }
        var operands = rest.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        try
        {
            command.Handler(new CommandContext(system, session, command, operands, rest));
            return 0;
        }
        catch (CpCommandException e)
        {
            session.Write(e.CpMessage, e.Args);
            return e.CpMessage.Number;
        }
        catch (CpUnavailableException e)
        {
            session.Terminal.Write(e.Message);
            return -1;
        }
    }
}
