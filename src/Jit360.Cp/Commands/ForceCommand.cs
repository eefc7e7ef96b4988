using Jit360.Cp.Messages;

namespace Jit360.Cp.Commands;

/// <summary>
/// FORCE userid (class A; VM/370 Operator's Guide GC20-1806, "FORCE"): logs another user off.
/// The user gets the normal accounting message and "LOGOFF AT hh:mm:ss zone weekday mm/dd/yy
/// BY SYSTEM"; the primary system operator gets "{GRAF|LINE raddr | DEV rid | DSCONNECT}
/// LOGOFF AS userid USERS = nnn FORCED". Terminals here are not real devices and have no raddr:
/// a connected user is shown as "USER", a disconnected one as DSCONNECT; the issuer gets the
/// same line when it is not the operator. The machine leaves the run queue, its devices close
/// and its storage is dropped, exactly as at LOGOFF. A user not logged on: "userid NOT LOGGED ON".
/// </summary>
public static class ForceCommand
{
    public static void Force(CommandContext c)
    {
        if (c.Operands.Count == 0 || c.Operands[0].Length > 8) throw new CpCommandException(CpMessages.UserIdMissing);
        if (c.Operands.Count > 1) throw new CpCommandException(CpMessages.InvalidOption, c.Operands[1].ToUpperInvariant());
        var target = c.System.Find(c.Operands[0]) ?? throw new CpCommandException(CpMessages.NotLoggedOn, c.Operands[0].ToUpperInvariant());
        // A running machine is taken apart by the thread that runs it; one nothing runs (or the
        // issuer's own) is logged off here.
        if (target == c.Session || c.System.Scheduler?.Force(target, c.Session) != true)
            Logoff(c.System, target, c.Session);
    }

    /// <summary>
    /// The forced logoff itself (run by whatever runs <paramref name="target"/>, never while its
    /// machine is executing): devices closed, accounting and logoff messages, the user released.
    /// </summary>
    public static void Logoff(CpSystem system, CpSession target, CpSession by)
    {
        string? userId = target.UserId;
        if (userId == null) return;   // logged off meanwhile
        bool disconnected = target.Disconnected;
        SessionCommands.LogOff(system, target, " BY SYSTEM");
        string report = $"{(disconnected ? "DSCONNECT" : "USER")} LOGOFF AS {userId,-8} USERS = {system.Sessions.Count():D3} FORCED";
        var op = system.Find(system.OperatorUserId);
        if (op != null && op != target) op.Terminal.Write(report);
        if (by != op && by != target) by.Terminal.Write(report);
    }
}
