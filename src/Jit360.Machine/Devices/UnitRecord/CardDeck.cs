using Jit360.Architecture;
using Jit360.Machine.Channels;

namespace Jit360.Machine.Devices.UnitRecord;

/// <summary>How the bytes of a card file are cards: 80-byte EBCDIC images, or ASCII text lines.</summary>
public enum CardCode { Detect, Ebcdic, Ascii }

/// <summary>
/// A deck of 80-column cards made from a file or from bytes, with Hercules' reader options:
/// EBCDIC images (a short last card is padded with X'00' under autopad, refused otherwise),
/// or ASCII lines (CR ignored, tabs to the next multiple of 8, X'1A' ends the deck; each line
/// becomes one card, blank-padded, translated by code page 037; a line longer than 80 is cut
/// under trunc, refused otherwise). Detect looks at the first 160 bytes as Hercules does.
/// </summary>
public sealed class CardDeck
{
    public const int CardLength = 80;

    public string Name { get; }
    public IReadOnlyList<byte[]> Cards { get; }

    public CardDeck(string name, IReadOnlyList<byte[]> cards)
    {
        Name = name;
        Cards = cards;
    }

    /// <summary>Reads a card file; a file that is not a deck throws <see cref="DeviceConfigException"/> naming it.</summary>
    public static CardDeck FromFile(string path, CardCode code, bool autopad, bool trunc)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new DeviceConfigException($"{path}: cannot read the card file: {e.Message}");
        }
        return FromBytes(path, bytes, code, autopad, trunc);
    }

    public static CardDeck FromBytes(string name, byte[] bytes, CardCode code, bool autopad, bool trunc)
    {
        if (code == CardCode.Detect) code = LooksLikeText(bytes) ? CardCode.Ascii : CardCode.Ebcdic;
        return code == CardCode.Ascii ? FromText(name, bytes, trunc) : FromImages(name, bytes, autopad);
    }

    /// <summary>Text if the first 160 bytes are all printable ASCII, CR, LF, tab or X'1A' (Hercules' test).</summary>
    public static bool LooksLikeText(ReadOnlySpan<byte> bytes)
    {
        var head = bytes[..Math.Min(bytes.Length, 2 * CardLength)];
        foreach (byte b in head)
            if (!(b is >= 0x20 and < 0x7F or (byte)'\r' or (byte)'\n' or (byte)'\t' or 0x1A)) return false;
        return true;
    }

    static CardDeck FromImages(string name, byte[] bytes, bool autopad)
    {
        int whole = bytes.Length / CardLength, rest = bytes.Length % CardLength;
        if (rest != 0 && !autopad)
            throw new DeviceConfigException($"{name}: {bytes.Length} bytes is not a whole number of 80-byte cards (the last card has {rest}; add autopad to pad it)");
        var cards = new List<byte[]>(whole + 1);
        for (int i = 0; i < whole; i++) cards.Add(bytes.AsSpan(i * CardLength, CardLength).ToArray());
        if (rest != 0)
        {
            var last = new byte[CardLength];
            bytes.AsSpan(whole * CardLength).CopyTo(last);
            cards.Add(last);
        }
        return new CardDeck(name, cards);
    }

    static CardDeck FromText(string name, byte[] bytes, bool trunc)
    {
        var cards = new List<byte[]>();
        byte[]? card = null;
        int col = 0, line = 1;
        foreach (byte b in bytes)
        {
            if (b == 0x1A) break;
            if (b == (byte)'\r') continue;
            if (b == (byte)'\n')
            {
                cards.Add(card ?? Blank());
                card = null; col = 0; line++;
                continue;
            }
            card ??= Blank();
            if (b == (byte)'\t')
            {
                do col++; while ((col & 7) != 0 && col < CardLength);
                continue;
            }
            if (col >= CardLength)
            {
                if (trunc) continue;
                throw new DeviceConfigException($"{name}: line {line} is longer than 80 characters (add trunc to cut long lines)");
            }
            card[col++] = Ebcdic.FromChar((char)b);
        }
        if (card != null) cards.Add(card);
        return new CardDeck(name, cards);
    }

    static byte[] Blank()
    {
        var c = new byte[CardLength];
        Array.Fill(c, Ebcdic.Blank);
        return c;
    }
}
