using Jit360.Cp.Messages;

namespace Jit360.Cp.Commands;

/// <summary>
/// LOGON, LOGOFF and DISCONN: CP checks the user; the I/O layer builds and tears down the virtual
/// machine. A LOGON of a disconnected user reconnects its running machine to the terminal typing it
/// (CP Command Reference GC20-1820, LOGON usage note 3 and DISCONN usage note 3: the terminal is
/// placed in CP console function mode and BEGIN resumes the machine).
/// </summary>
static class SessionCommands
{
    /// <summary>LOGON userid [password] [Mask] [Noipl]; without the password CP asks ENTER PASSWORD: and reads it hidden.</summary>
    public static void Logon(CommandContext c)
    {
        var s = c.Session;
        if (s.LoggedOn) throw new CpCommandException(CpMessages.AlreadyLoggedOn, s.UserId!);
        if (c.Operands.Count == 0 || c.Operands[0].Length > 8) throw new CpCommandException(CpMessages.LogonUserIdMissing);
        string id = c.Operands[0].ToUpperInvariant();
        var user = c.System.Directory.Find(id);
        if (user == null || user.NoLog) throw new CpCommandException(CpMessages.NotInDirectory, id);
        if (c.System.Find(id) is { Disconnected: false }) throw new CpCommandException(CpMessages.AlreadyLoggedOn, id);
        // The word after the userid is the password unless it is an option that is not the password.
        string? password = null;
        int first = 1;
        if (c.Operands.Count > 1 && (Option(c.Operands[1]) == null || c.Operands[1].Equals(user.Password, StringComparison.OrdinalIgnoreCase)))
        {
            password = c.Operands[1];
            first = 2;
        }
        bool automaticIpl = true;
        foreach (var o in c.Operands.Skip(first))
        {
            switch (Option(o))
            {
                case "NOIPL": automaticIpl = false; break;
                case "MASK": break;   // the password read is print-inhibited on every terminal, so no mask is needed
                default: throw new CpCommandException(CpMessages.InvalidOption, o.ToUpperInvariant());
            }
        }
        if (password == null)
        {
            c.Write(CpResponses.EnterPassword);
            if (s.Terminal is IConnectableTerminal t) t.ReadHidden();
            s.AwaitLine(line => Guarded(s, () => Complete(c.System, s, user, line.Trim(), automaticIpl)));
            return;
        }
        Complete(c.System, s, user, password, automaticIpl);
    }

    /// <summary>M/MA/MAS/MASK and N/NO/NOI/NOIP/NOIPL.</summary>
    static string? Option(string word)
    {
        string o = word.ToUpperInvariant();
        if (o.Length > 0 && "MASK".StartsWith(o, StringComparison.Ordinal)) return "MASK";
        if (o.Length > 0 && "NOIPL".StartsWith(o, StringComparison.Ordinal)) return "NOIPL";
        return null;
    }

    static void Complete(CpSystem system, CpSession s, Directory.UserEntry user, string password, bool automaticIpl)
    {
        if (!password.Equals(user.Password, StringComparison.OrdinalIgnoreCase)) throw new CpCommandException(CpMessages.PasswordIncorrect);
        if (system.Find(user.UserId) is { } existing)
        {
            if (!existing.Disconnected) throw new CpCommandException(CpMessages.AlreadyLoggedOn, user.UserId);
            Reconnect(system, s, existing);
            return;
        }
        LogOn(system, s, user, automaticIpl);
    }

    /// <summary>Logs a user on at a session without a password (the operator at CP's IPL); the I/O layer builds the machine.</summary>
    internal static void LogOn(CpSystem system, CpSession s, Directory.UserEntry user, bool automaticIpl)
    {
        var devices = system.Devices ?? throw new CpUnavailableException("LOGON needs the I/O layer, which this CP does not have");
        s.UserId = user.UserId;
        s.User = user;
        s.PrivilegeClasses = user.PrivilegeClasses;
        s.LogonTime = system.Now;
        s.Disconnected = false;
        s.Machine = devices.CreateVirtualMachine(s, user, automaticIpl);
        system.Register(s);
        s.Terminal.Write(CpResponses.LogonAt(s.LogonTime, system.ZoneName));
    }

    /// <summary>
    /// The disconnected user's machine comes to this terminal: its output is shown here and what is
    /// typed here goes to it. The terminal is in CP console function mode; BEGIN resumes the machine.
    /// </summary>
    static void Reconnect(CpSystem system, CpSession physical, CpSession user)
    {
        user.State = SessionState.CpRead;
        if (user.Terminal is IConnectableTerminal t && !ReferenceEquals(user.Terminal, physical.Terminal)) t.Reconnect(physical.Terminal);
        else user.Terminal = physical.Terminal;
        user.Disconnected = false;
        user.Terminal.Write(CpResponses.ReconnectedAt(system.Now, system.ZoneName));
    }

    /// <summary>Runs part of a command outside the command processor (a pending password line) with its error handling.</summary>
    static int Guarded(CpSession s, Action action)
    {
        try { action(); return 0; }
        catch (CpCommandException e) { s.Write(e.CpMessage, e.Args); return e.CpMessage.Number; }
        catch (CpUnavailableException e) { s.Terminal.Write(e.Message); return -1; }
    }

    public static void Logoff(CommandContext c)
    {
        CheckHold(c);
        LogOff(c.System, c.Session);
    }

    /// <summary>
    /// Ends a user: the machine is destroyed, the connect time and LOGOFF AT shown (with
    /// <paramref name="how"/> after it, e.g. " BY SYSTEM" for FORCE), the user id free again.
    /// </summary>
    internal static void LogOff(CpSystem system, CpSession s, string how = "")
    {
        system.Devices?.DestroyVirtualMachine(s);
        var now = system.Now;
        s.Terminal.Write(CpResponses.Connect(now - s.LogonTime, s.VirtualCpu, s.TotalCpu));
        s.Terminal.Write(CpResponses.LogoffAt(now, system.ZoneName) + how);
        system.Unregister(s);
        s.Machine = null; s.User = null; s.UserId = null; s.PrivilegeClasses = "";
        s.Disconnected = false;
        s.State = SessionState.CpRead;
    }

    /// <summary>LOGOFF and DISCONN take HOLD (HO at least) and nothing else.</summary>
    static void CheckHold(CommandContext c)
    {
        foreach (var o in c.Operands)
            if (o.Length < 2 || !"HOLD".StartsWith(o, StringComparison.OrdinalIgnoreCase) || c.Operands.Count > 1)
                throw new CpCommandException(CpMessages.InvalidOption, o.ToUpperInvariant());
    }

    /// <summary>
    /// DISCONN [HOld]: the machine runs on without the terminal (its console output is dropped, a
    /// console read waits) until a LOGON reconnects it; the terminal's line is dropped, or with
    /// HOLD it goes back to the online message.
    /// </summary>
    public static void Disconnect(CommandContext c)
    {
        CheckHold(c);
        var s = c.Session;
        c.Write(CpResponses.DisconnectAt(c.System.Now, c.System.ZoneName));
        s.Disconnected = true;
        s.State = SessionState.Running;   // the machine goes on without its terminal
        if (s.Terminal is IConnectableTerminal t) t.Disconnect(hold: c.Operands.Count == 1);
    }

    /// <summary>
    /// SHUTDOWN (class A): every user is told, then the host stops CP (<see cref="CpSystem.ShutdownRequested"/>),
    /// which logs everyone off with <see cref="SystemShutdown.LogOffEveryone"/> once their machines have stopped.
    /// </summary>
    public static void Shutdown(CommandContext c)
    {
        if (c.Operands.Count > 0) throw new CpCommandException(CpMessages.InvalidOption, c.Operands[0].ToUpperInvariant());
        c.System.RequestShutdown();
    }
}

/// <summary>The end of CP: every logged-on user is logged off (for the host, after the users' machines have stopped running).</summary>
public static class SystemShutdown
{
    public static void LogOffEveryone(CpSystem system)
    {
        foreach (var s in system.Sessions.ToList()) SessionCommands.LogOff(system, s);
    }

    /// <summary>Logs the system operator on at a session (as VM/370 does at IPL): no password; false when the directory has no such user.</summary>
    public static bool LogOnOperator(CpSystem system, CpSession session)
    {
        var user = system.Directory.Find(system.OperatorUserId);
        if (user == null || system.Find(user.UserId) != null) return false;
        SessionCommands.LogOn(system, session, user, automaticIpl: false);
        return true;
    }
}
