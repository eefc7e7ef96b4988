using Jit360.Cp.Messages;

namespace Jit360.Cp.Commands;

/// <summary>
/// MESSAGE|MSG userid|*|OPerator text: a line to another user's terminal ("MSG FROM sender: text");
/// OPERATOR reaches the primary system operator whatever its user id. A user who is not logged
/// on, is disconnected or has SET MSG OFF does not get it, and the sender is told.
/// </summary>
static class MessageCommand
{
    public static void Msg(CommandContext c)
    {
        if (c.Operands.Count < 1) throw new CpCommandException(CpMessages.UserIdMissing);
        string to = c.Operands[0].ToUpperInvariant();
        string text = c.OperandText[c.Operands[0].Length..].Trim();
        string from = c.Session.UserId ?? "LOGON";
        if (to.Length >= 2 && "OPERATOR".StartsWith(to, StringComparison.Ordinal)) to = c.System.OperatorUserId;
        CpSession? target = to == "*" ? c.Session : c.System.Find(to);
        if (target == null || !target.LoggedOn) throw new CpCommandException(CpMessages.NotLoggedOn, to);
        if (target.Disconnected) throw new CpCommandException(CpMessages.NotReceiving, to, "DISCONNECTED");
        if (!target.ReceiveMessages) throw new CpCommandException(CpMessages.NotReceiving, to, "MESSAGES OFF");
        target.Terminal.Write(CpResponses.MessageFrom(from, text));
    }
}
