using System.Globalization;
using Jit360.Cp.Messages;

namespace Jit360.Cp.Commands;

/// <summary>
/// TERMINAL: LINEND, LINEDEL, CHARDEL, ESCAPE (a character or OFF), MODE VM|CP, APL, TEXT,
/// ATTN, HILIGHT (ON|OFF), LINESIZE nnn; several pairs may follow one another.
/// </summary>
static class TerminalCommand
{
    public static void Terminal(CommandContext c)
    {
        var t = c.Session.TerminalSettings;
        var w = c.Operands;
        if (w.Count == 0 || w.Count % 2 != 0) throw new CpCommandException(CpMessages.OperandMissing);
        for (int i = 0; i < w.Count; i += 2)
        {
            string option = w[i].ToUpperInvariant(), value = w[i + 1];
            string v = value.ToUpperInvariant();
            switch (option)
            {
                case "LINEND": t.LineEnd = Character(value); break;
                case "LINEDEL": t.LineDelete = Character(value); break;
                case "CHARDEL": t.CharacterDelete = Character(value); break;
                case "ESCAPE": t.Escape = Character(value); break;
                case "MODE": t.ModeCp = v switch { "CP" => true, "VM" => false, _ => throw new CpCommandException(CpMessages.InvalidOption, v) }; break;
                case "APL": t.Apl = OnOff(v); break;
                case "TEXT": t.Text = OnOff(v); break;
                case "ATTN": t.Attention = OnOff(v); break;
                case "HILIGHT": t.Hilight = OnOff(v); break;
                case "LINESIZE":
                    t.LineSize = int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 38 && n <= 255
                        ? n : throw new CpCommandException(CpMessages.InvalidOption, v);
                    break;
                default: throw new CpCommandException(CpMessages.InvalidOption, option);
            }
        }
    }

    static char? Character(string v) => v.Equals("OFF", StringComparison.OrdinalIgnoreCase) ? null
        : v.Length == 1 && !char.IsAsciiLetterOrDigit(v[0]) ? v[0] : throw new CpCommandException(CpMessages.InvalidOption, v.ToUpperInvariant());

    static bool OnOff(string v) => v switch { "ON" => true, "OFF" => false, _ => throw new CpCommandException(CpMessages.InvalidOption, v) };
}
