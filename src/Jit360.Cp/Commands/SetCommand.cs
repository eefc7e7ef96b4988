using System.Globalization;
using Jit360.Cp.Messages;

namespace Jit360.Cp.Commands;

/// <summary>SET EMSG, MSG, WNG, IMSG, RUN, and PFnn [IMMED|DELAYED] text.</summary>
static class SetCommand
{
    public static void Set(CommandContext c)
    {
        var s = c.Session;
        if (c.Operands.Count == 0) throw new CpCommandException(CpMessages.OperandMissing);
        string what = c.Operands[0].ToUpperInvariant();
        if (what.StartsWith("PF") && what.Length > 2) { PfKey(c, what); return; }
        if (c.Operands.Count != 2) throw new CpCommandException(CpMessages.OperandMissing);
        string value = c.Operands[1].ToUpperInvariant();
        switch (what)
        {
            case "EMSG":
                s.Emsg = value switch
                {
                    "ON" => EmsgMode.On, "OFF" => EmsgMode.Off, "CODE" => EmsgMode.Code, "TEXT" => EmsgMode.Text,
                    _ => throw new CpCommandException(CpMessages.InvalidOption, value),
                };
                break;
            case "MSG": s.ReceiveMessages = OnOff(value); break;
            case "WNG": s.ReceiveWarnings = OnOff(value); break;
            case "IMSG": s.InformationMessages = OnOff(value); break;
            case "RUN": s.Run = OnOff(value); break;
            default: throw new CpCommandException(CpMessages.InvalidOption, what);
        }
    }

    static bool OnOff(string v) => v switch { "ON" => true, "OFF" => false, _ => throw new CpCommandException(CpMessages.InvalidOption, v) };

    /// <summary>PFnn (1-24): with no text the key is cleared; IMMED (the default) runs the text at once, DELAYED puts it in the input area.</summary>
    static void PfKey(CommandContext c, string key)
    {
        if (!int.TryParse(key[2..], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > 24)
            throw new CpCommandException(CpMessages.InvalidOption, key);
        string text = c.OperandText[c.Operands[0].Length..].Trim();
        bool immediate = true;
        if (c.Operands.Count > 1 && c.Operands[1].ToUpperInvariant() is "IMMED" or "DELAYED")
        {
            immediate = c.Operands[1].Equals("IMMED", StringComparison.OrdinalIgnoreCase);
            text = text[c.Operands[1].Length..].Trim();
        }
        if (text.Length == 0) c.Session.PfKeys.Remove(n);
        else c.Session.PfKeys[n] = (text, immediate);
    }
}
