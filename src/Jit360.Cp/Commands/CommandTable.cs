namespace Jit360.Cp.Commands;

/// <summary>
/// The CP command table, searched in order: the first command whose name starts with the
/// typed word, with at least its minimum abbreviation, is the command (so LOGOFF, listed before
/// LOGON, takes LOG and LOGO).
/// </summary>
public sealed class CommandTable
{
    readonly List<CpCommand> commands = [];

    public IReadOnlyList<CpCommand> Commands => commands;

    public CommandTable Add(CpCommand command)
    {
        if (command.MinimumLength < 1 || command.MinimumLength > command.Name.Length)
            throw new ArgumentException($"{command.Name}: minimum abbreviation {command.MinimumLength} out of range");
        if (commands.Any(c => c.Name == command.Name)) throw new ArgumentException($"{command.Name} is already in the table");
        commands.Add(command);
        return this;
    }

    public CommandTable Add(string name, int minimum, string classes, CommandHandler handler, bool beforeLogon = false)
        => Add(new CpCommand(name, minimum, classes, handler, beforeLogon));

    /// <summary>The command a word names, or null.</summary>
    public CpCommand? Find(string word) => commands.FirstOrDefault(c => c.Matches(word));
}
