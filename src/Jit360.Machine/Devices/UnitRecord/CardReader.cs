using Jit360.Machine.Channels;

namespace Jit360.Machine.Devices.UnitRecord;

/// <summary>
/// A 2540 reader or 3505 card reader. Statement (Hercules):
/// <c>devnum 3505 FILE... [ebcdic|ascii] [autopad] [trunc] [eof|intrq] [multifile]</c>, or <c>*</c>
/// for an empty hopper. Decks are read in order; at the end of one, <c>eof</c> presents unit
/// exception and <c>intrq</c> (the default) unit check with intervention required, as an empty
/// hopper does, until more cards are loaded; <c>multifile</c> goes on into the next deck
/// without a stop. Commands (GA21-9124 3505 component description; Hercules cardrdr.c):
/// READ with any feed/stacker modifier, feed and NO-OP control, SENSE, and SENSE ID on the 3505.
/// </summary>
public sealed class CardReader : IDevice
{
    /// <summary>Sense byte 1: retry when the intervention-required condition is cleared (Hercules).</summary>
    public const byte RetryAfterIntervention = 0x10;

    readonly object gate = new();
    readonly List<CardDeck> decks = [];
    int next;                       // next card of decks[0]
    readonly byte[] sense;
    byte[] card = [];
    int cardAt;

    public ushort Number { get; }
    public string Type { get; }
    public IDeviceHost? Host { get; set; }
    public bool EndOfFileStatus { get; }
    public bool MultiFile { get; }

    public CardReader(ushort number, string type, bool endOfFileStatus = false, bool multiFile = false)
    {
        Number = number;
        Type = type;
        EndOfFileStatus = endOfFileStatus;
        MultiFile = multiFile;
        sense = new byte[type == "3505" ? 4 : 1];
    }

    public static IDevice Create(ushort number, string type, IReadOnlyList<string> args, DeviceContext context)
    {
        var files = new List<string>();
        CardCode code = CardCode.Detect;
        bool autopad = false, trunc = false, eof = false, multi = false;
        foreach (var a in args)
        {
            switch (a.ToLowerInvariant())
            {
                case "ebcdic": code = CardCode.Ebcdic; break;
                case "ascii": code = CardCode.Ascii; break;
                case "autopad": autopad = true; break;
                case "trunc": trunc = true; break;
                case "eof": eof = true; break;
                case "intrq": eof = false; break;
                case "multifile": multi = true; break;
                default:
                    if (a.Contains('=')) throw new DeviceConfigException($"{type}: unknown option '{a}' (known: ebcdic, ascii, autopad, trunc, eof, intrq, multifile)");
                    files.Add(a);
                    break;
            }
        }
        var r = new CardReader(number, type, eof, multi);
        foreach (var f in files)
            if (f != "*") r.Load(CardDeck.FromFile(context.Resolve(f), code, autopad, trunc));
        return r;
    }

    /// <summary>Puts a deck in the hopper behind what is there; a reader that was empty becomes ready (device end).</summary>
    public void Load(CardDeck deck)
    {
        bool wasEmpty;
        lock (gate)
        {
            wasEmpty = CardCount == 0;
            decks.Add(deck);
        }
        if (wasEmpty && deck.Cards.Count > 0) Host?.RaiseStatus(this, UnitStatus.DeviceEnd);
    }

    /// <summary>Loads 80-byte EBCDIC card images (a short last card padded with X'00').</summary>
    public void Load(string name, byte[] ebcdic) => Load(CardDeck.FromBytes(name, ebcdic, CardCode.Ebcdic, autopad: true, trunc: false));

    public void LoadFile(string path, CardCode code = CardCode.Detect, bool autopad = false, bool trunc = false) =>
        Load(CardDeck.FromFile(path, code, autopad, trunc));

    /// <summary>Cards still in the hopper, over all decks.</summary>
    public int CardCount
    {
        get
        {
            lock (gate)
            {
                int n = 0;
                for (int i = 0; i < decks.Count; i++) n += decks[i].Cards.Count - (i == 0 ? next : 0);
                return n;
            }
        }
    }

    public void Execute(CcwExecution ccw)
    {
        lock (gate) Run(ccw);
    }

    void Run(CcwExecution ccw)
    {
        ccw.More = false;
        byte cmd = ccw.Command;
        if (ccw.DataChained && ccw.IsRead) { Give(ccw); return; }
        if ((cmd & 0x17) == 0x02) { Read(ccw); return; }      // read, feed, select stacker
        if ((cmd & 0x37) == 0x23 || cmd == 0x03) { ccw.Complete(0); return; }   // feed/select stacker without read; NO-OP
        switch (cmd)
        {
            case 0x04:
                if (sense[0] == 0 && CardCount == 0 && !EndOfFileStatus)
                {
                    sense[0] = Sense0.InterventionRequired;
                    if (sense.Length > 1) sense[1] = RetryAfterIntervention;
                }
                sense.CopyTo(ccw.Buffer, 0);
                ccw.Complete(sense.Length);
                Array.Clear(sense);
                return;
            case 0xE4 when Type == "3505":
                SenseId.Put(ccw, 0x3505, 0x01, 0x3505, 0x01);
                return;
        }
        Array.Clear(sense);
        sense[0] = Sense0.CommandReject;
        ccw.Reject();
    }

    void Read(CcwExecution ccw)
    {
        while (true)
        {
            if (decks.Count > 0 && next < decks[0].Cards.Count)
            {
                card = decks[0].Cards[next++];
                cardAt = 0;
                Give(ccw);
                return;
            }
            if (decks.Count == 0) break;
            decks.RemoveAt(0);      // this deck is read out
            next = 0;
            if (!(MultiFile && decks.Count > 0)) break;
        }
        // End of the deck: an empty hopper.
        Array.Clear(sense);
        ccw.Residual = ccw.Count;
        if (EndOfFileStatus)
        {
            ccw.Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd | UnitStatus.UnitException;
            return;
        }
        sense[0] = Sense0.InterventionRequired;
        if (sense.Length > 1) sense[1] = RetryAfterIntervention;
        ccw.Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd | UnitStatus.UnitCheck;
    }

    void Give(CcwExecution ccw)
    {
        int available = card.Length - cardAt;
        int n = Math.Min(available, ccw.Count);
        card.AsSpan(cardAt, n).CopyTo(ccw.Buffer);
        cardAt += n;
        ccw.Complete(available);
    }

    public void Halt() { }

    public void Reset()
    {
        lock (gate)
        {
            Array.Clear(sense);
            card = [];
            cardAt = 0;
        }
    }

    public string Describe()
    {
        lock (gate)
        {
            if (decks.Count == 0) return $"* (hopper empty){(EndOfFileStatus ? " eof" : " intrq")}";
            return $"{decks[0].Name} card {next + 1} of {decks[0].Cards.Count}{(decks.Count > 1 ? $" (+{decks.Count - 1} decks)" : "")}{(EndOfFileStatus ? " eof" : " intrq")}{(MultiFile ? " multifile" : "")}";
        }
    }

    public void Dispose() { }
}
