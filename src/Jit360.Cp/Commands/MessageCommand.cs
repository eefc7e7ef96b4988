using Jit360.Cp.Messages;

namespace Jit360.Cp.Commands;

/// <summary>
/// MESSAGE|MSG userid|*|OPerator|ALL text: a line to another user's terminal ("MSG FROM sender: text");
/// OPERATOR reaches the primary system operator whatever its user id; ALL (classes A and B) every
/// connected user but the sender. A user who is not logged on, is disconnected or has SET MSG OFF
/// does not get it, and the sender is told. WARNING userid|ALL text (classes A and B) is the same
/// with "WNG FROM" and SET WNG.
/// </summary>
static class MessageCommand
{
    public static void Msg(CommandContext c) => Send(c, warning: false);

    public static void Warning(CommandContext c) => Send(c, warning: true);

    static void Send(CommandContext c, bool warning)
    {
        if (c.Operands.Count < 1) throw new CpCommandException(CpMessages.UserIdMissing);
        string to = c.Operands[0].ToUpperInvariant();
        string text = c.OperandText[c.Operands[0].Length..].Trim();
        string from = c.Session.UserId ?? "LOGON";
        string line = warning ? CpResponses.WarningFrom(from, text) : CpResponses.MessageFrom(from, text);
        if (to == "ALL" && (warning || c.Session.PrivilegeClasses.IndexOfAny(['A', 'B']) >= 0))
        {
            foreach (var s in c.System.Sessions.Where(s => s != c.Session && !s.Disconnected && (warning ? s.ReceiveWarnings : s.ReceiveMessages)))
                s.Terminal.Write(line);
            return;
        }
        if (to.Length >= 2 && "OPERATOR".StartsWith(to, StringComparison.Ordinal)) to = c.System.OperatorUserId;
        CpSession? target = to == "*" ? c.Session : c.System.Find(to);
        if (target == null || !target.LoggedOn) throw new CpCommandException(CpMessages.NotLoggedOn, to);
        if (target.Disconnected) throw new CpCommandException(CpMessages.NotReceiving, to, "DISCONNECTED");
        if (!(warning ? target.ReceiveWarnings : target.ReceiveMessages)) throw new CpCommandException(CpMessages.NotReceiving, to, warning ? "WARNINGS OFF" : "MESSAGES OFF");
        target.Terminal.Write(line);
    }
}
