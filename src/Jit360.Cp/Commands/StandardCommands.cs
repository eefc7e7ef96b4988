namespace Jit360.Cp.Commands;

/// <summary>
/// The VM/370 R6 CP commands with their minimum abbreviations and privilege classes (CP Command
/// Reference for General Users GC20-1820, Operator's Guide GC20-1806, and the R6 CMS HELP files
/// that reproduce them). Abbreviations and classes were checked against the syntax boxes of
/// DISConn (Any), LOGoff/LOGout (Any), Logon/Login (Any), Message/Msg (Any), Display (G), STore (G)
/// and SLeep (Any);
/// the others follow the same manuals' conventions and are to be re-checked.
/// The order matters where abbreviations collide: the first match wins.
/// </summary>
public static class StandardCommands
{
    const string G = "G", Any = PrivilegeClasses.Any;

    public static CommandTable Create() => new CommandTable()
        // Session
        .Add("LOGOFF", 3, Any, SessionCommands.Logoff)
        .Add("LOGOUT", 6, Any, SessionCommands.Logoff)
        .Add("LOGON", 1, Any, SessionCommands.Logon, beforeLogon: true)
        .Add("LOGIN", 1, Any, SessionCommands.Logon, beforeLogon: true)
        .Add("DISCONN", 4, Any, SessionCommands.Disconnect)
        .Add("FORCE", 5, PrivilegeClasses.Operator, ForceCommand.Force)
        .Add("MSG", 1, Any, MessageCommand.Msg, beforeLogon: true)
        .Add("MESSAGE", 1, Any, MessageCommand.Msg, beforeLogon: true)
        // Operator
        .Add("WARNING", 1, "AB", MessageCommand.Warning)
        .Add("SHUTDOWN", 8, "A", SessionCommands.Shutdown)
        // Virtual machine control (no I/O)
        .Add("BEGIN", 1, G, RunCommands.Begin)
        .Add("DISPLAY", 1, "ABCDEFG", DisplayCommand.Display)
        .Add("STORE", 2, G, StoreCommand.Store)
        .Add("QUERY", 1, "ABCDEFG", QueryCommand.Query)
        .Add("SET", 3, "ABCDEFG", SetCommand.Set)
        .Add("SLEEP", 2, Any, RunCommands.Sleep)
        .Add("TERMINAL", 4, Any, TerminalCommand.Terminal)
        // Through the I/O layer
        .Add("IPL", 1, G, DeviceCommands.Ipl)
        .Add("LINK", 4, G, DeviceCommands.Link)
        .Add("ATTACH", 3, "B", c => c.Devices.Attach(c.Session, c.Operands))
        .Add("DETACH", 3, "BG", c => c.Devices.Detach(c.Session, c.Operands))
        .Add("DEFINE", 3, G, c => c.Devices.Define(c.Session, c.Operands))
        .Add("SPOOL", 2, "DG", c => c.Devices.Spool(c.Session, c.Operands))
        .Add("CLOSE", 1, "DG", c => c.Devices.Close(c.Session, c.Operands))
        // Spool files
        .Add("PURGE", 3, "DG", DeviceCommands.Purge)
        .Add("TRANSFER", 4, "DG", DeviceCommands.Transfer)
        .Add("ORDER", 3, "DG", DeviceCommands.Order)
        .Add("CHANGE", 2, "DG", DeviceCommands.Change);
}
