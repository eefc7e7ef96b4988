using Jit360.Architecture;

namespace Jit360.Assembler;

/// <summary>80-byte EBCDIC card images, with the deck id and a sequence number in columns 73-80.</summary>
public static class Cards
{
    public const int Length = 80;

    public static byte[] Blank() => Enumerable.Repeat(Ebcdic.Blank, Length).ToArray();

    /// <summary>Puts the deck id (4 characters) and sequence number (4 digits) in columns 73-80.</summary>
    public static void Sequence(byte[] card, string deckId, int number)
    {
        string id = (deckId + "    ")[..4] + (number % 10000).ToString("D4");
        Ebcdic.FromString(id).CopyTo(card, 72);
    }

    /// <summary>Cards back to back in one array.</summary>
    public static byte[] Concatenate(List<byte[]> cards)
    {
        var r = new byte[cards.Count * Length];
        for (int i = 0; i < cards.Count; i++) cards[i].CopyTo(r, i * Length);
        return r;
    }

    public static void Put(byte[] card, int column, ReadOnlySpan<byte> bytes) => bytes.CopyTo(card.AsSpan(column - 1));
    public static void PutText(byte[] card, int column, string text) => Put(card, column, Ebcdic.FromString(text));

    public static void Put16(byte[] card, int column, int v) { card[column - 1] = (byte)(v >> 8); card[column] = (byte)v; }
    public static void Put24(byte[] card, int column, long v) { card[column - 1] = (byte)(v >> 16); card[column] = (byte)(v >> 8); card[column + 1] = (byte)v; }
}
