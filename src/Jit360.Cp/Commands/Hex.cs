using System.Globalization;
using Jit360.Cp.Messages;

namespace Jit360.Cp.Commands;

/// <summary>Hexadecimal operands of DISPLAY, STORE and BEGIN.</summary>
static class Hex
{
    public static bool TryParse(string text, int maxDigits, out uint value)
    {
        value = 0;
        return text.Length >= 1 && text.Length <= maxDigits
               && uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A storage address: 1 to 6 hexadecimal digits.</summary>
    public static uint Location(string text)
        => TryParse(text, 6, out uint v) ? v : throw new CpCommandException(CpMessages.InvalidHexloc, text.ToUpperInvariant());

    /// <summary>A register number: 0-15 in decimal or one hex digit, as CP accepts both (G12 and GC).</summary>
    public static int Register(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int d) && d <= 15) return d;
        if (text.Length == 1 && TryParse(text, 1, out uint h)) return (int)h;
        throw new CpCommandException(CpMessages.InvalidRegister, text.ToUpperInvariant());
    }
}
