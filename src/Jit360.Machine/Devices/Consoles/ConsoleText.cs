using Jit360.Architecture;

namespace Jit360.Machine.Devices.Consoles;

/// <summary>
/// What a line-mode console prints and what its keyboard sends, as text (Latin-1 characters)
/// against EBCDIC code page 037. Hercules' convention both ways: a character without a printable
/// graphic becomes a blank; on output the program's carrier return (X'0D') and line feed
/// (X'25') pass through.
/// </summary>
public static class ConsoleText
{
    /// <summary>Characters a console prints: ASCII graphics and the Latin-1 graphics code page 037 has (¢, ¬, ...).</summary>
    public static bool IsPrintable(char c) => c is >= ' ' and < '\x7F' or >= '\xA0' and <= '\xFF';

    /// <summary>Guest bytes as printed text: CR and LF kept, anything unprintable a blank.</summary>
    public static string FromGuest(ReadOnlySpan<byte> data)
    {
        var c = new char[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            char ch = Ebcdic.ToChar(data[i]);
            c[i] = ch is '\r' or '\n' || IsPrintable(ch) ? ch : ' ';
        }
        return new string(c);
    }

    /// <summary>An operator's line as the keyboard sends it: at most <paramref name="max"/> EBCDIC bytes, unprintable characters as blanks.</summary>
    public static byte[] ToGuest(string line, int max)
    {
        var b = new byte[Math.Min(line.Length, max)];
        for (int i = 0; i < b.Length; i++)
            b[i] = IsPrintable(line[i]) ? Ebcdic.FromChar(line[i]) : Ebcdic.Blank;
        return b;
    }
}
