namespace Jit360.Assembler;

/// <summary>
/// A self-loading card deck: IPL from a card reader loads the program and starts it at its entry.
/// IPL (PoO "Initial Program Loading") reads 24 bytes of the first card into location 0 with
/// command chaining, then the channel continues with the CCWs at locations 8 and 16, and when
/// the channel program ends the PSW at location 0 is loaded.
/// <code>
/// card 1        bytes 0-7   IPL PSW: BC mode, disabled, key 0, instruction address = entry
///               bytes 8-15  CCW  READ   X'02', list area L, flags CC+SLI, count 80
///               bytes 16-23 CCW  TIC    X'08', L
/// card 2        CCW list 1 (read into L): up to 9 text READs (80 bytes each, CC+SLI), then a
///               READ of the next list card into L+80 (CC+SLI); the channel runs on into that list
/// cards 3..     80-byte text cards, loaded at origin, origin+80, ...; every 10th card after the
///               first list is the next CCW list. The last READ has no chaining, ending the program.
/// </code>
/// The text is the core image; if it covers location 0-7, those bytes are replaced by the IPL PSW
/// (the last text card to load location 0 would otherwise overwrite it before it is loaded).
/// The CCW lists go in storage just above the last text card (L = origin + 80 x text cards,
/// rounded up to a doubleword); the program may reuse that storage once it runs.
/// </summary>
public static class IplDeck
{
    const byte Read = 0x02, Tic = 0x08, CommandChain = 0x40, SuppressLength = 0x20;
    const int TextReadsPerList = 9;

    public static byte[] Build(CoreImage image, uint entry)
    {
        var text = image.Bytes.ToArray();
        if (text.Length == 0) text = new byte[8];
        ulong psw = entry & 0x00FF_FFFFu;   // BC mode, disabled for I/O and external, supervisor, key 0
        if (image.Origin < 8)
            for (long a = image.Origin; a < 8 && a - image.Origin < text.Length; a++)
                text[a - image.Origin] = (byte)(psw >> (int)(56 - 8 * a));
        int textCards = (text.Length + 79) / 80;
        long listArea = (image.Origin + 80L * textCards + 7) & ~7L;

        var cards = new List<byte[]>();
        var ipl = new byte[80];
        for (int i = 0; i < 8; i++) ipl[i] = (byte)(psw >> (56 - 8 * i));
        Ccw(ipl, 8, Read, listArea, CommandChain | SuppressLength, 80);
        Ccw(ipl, 16, Tic, listArea, 0, 0);
        cards.Add(ipl);

        int done = 0, list = 0;
        while (done < textCards)
        {
            int n = Math.Min(TextReadsPerList, textCards - done);
            bool more = done + n < textCards;
            var ccws = new byte[80];
            for (int k = 0; k < n; k++)
            {
                bool last = !more && k == n - 1;
                Ccw(ccws, 8 * k, Read, image.Origin + 80L * (done + k), last ? SuppressLength : CommandChain | SuppressLength, 80);
            }
            // The next list is read to the address just after this one, where the channel fetches its next CCW.
            if (more) Ccw(ccws, 8 * TextReadsPerList, Read, listArea + 80L * (list + 1), CommandChain | SuppressLength, 80);
            cards.Add(ccws);
            for (int k = 0; k < n; k++)
            {
                var card = new byte[80];
                int from = (done + k) * 80;
                Array.Copy(text, from, card, 0, Math.Min(80, text.Length - from));
                cards.Add(card);
            }
            done += n;
            list++;
        }
        return Cards.Concatenate(cards);
    }

    static void Ccw(byte[] b, int at, byte command, long address, int flags, int count)
    {
        b[at] = command;
        b[at + 1] = (byte)(address >> 16); b[at + 2] = (byte)(address >> 8); b[at + 3] = (byte)address;
        b[at + 4] = (byte)flags;
        b[at + 5] = 0;
        b[at + 6] = (byte)(count >> 8); b[at + 7] = (byte)count;
    }
}
