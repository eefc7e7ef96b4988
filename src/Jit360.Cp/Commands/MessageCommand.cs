using Jit360.Cp.Messages;

namespace Jit360.Cp.Commands;

/// <summary>MSG userid|* text: a line to another user's terminal ("MSG FROM sender: text").</summary>
static class MessageCommand
{
    public static void Msg(CommandContext c)
    {
        if (c.Operands.Count < 1) throw new CpCommandException(CpMessages.UserIdMissing);
        string to = c.Operands[0].ToUpperInvariant();
        string text = c.OperandText[c.Operands[0].Length..].Trim();
        string from = c.Session.UserId ?? "LOGON";
        CpSession? target = to == "*" ? c.Session : c.System.Find(to);
        if (target == null || !target.LoggedOn) throw new CpCommandException(CpMessages.NotLoggedOn, to);
        if (target.Disconnected) throw new CpCommandException(CpMessages.NotReceiving, to, "DISCONNECTED");
        if (!target.ReceiveMessages) throw new CpCommandException(CpMessages.NotReceiving, to, "MESSAGES OFF");
        target.Terminal.Write(CpResponses.MessageFrom(from, text));
    }
}
