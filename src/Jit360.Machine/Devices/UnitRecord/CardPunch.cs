using System.Text;
using Jit360.Architecture;
using Jit360.Machine.Channels;

namespace Jit360.Machine.Devices.UnitRecord;

/// <summary>
/// A 2540 punch or 3525 card punch. Statement (Hercules): <c>devnum 3525 FILE [ascii|ebcdic] [crlf] [noclear]</c>.
/// Each WRITE (X'01' with any stacker-select modifier) punches one card, appended to the file:
/// ebcdic (the default) as an 80-byte image padded with blanks, ascii as a text line (trailing
/// blanks dropped, LF or CR LF). Fewer than 80 bytes punch a card padded with blanks; more are
/// not taken (residual count). Data chaining builds one card from several CCWs.
/// </summary>
public sealed class CardPunch : IDevice
{
    readonly object gate = new();
    readonly OutputFile output;
    readonly byte[] card = new byte[CardDeck.CardLength];
    int cardAt;
    readonly byte[] sense = new byte[1];

    public ushort Number { get; }
    public string Type { get; }
    public IDeviceHost? Host { get; set; }
    public bool Ascii { get; }
    public bool CrLf { get; }
    /// <summary>Cards punched since the device was created.</summary>
    public int CardCount { get; private set; }

    public CardPunch(ushort number, string type, string path, bool ascii = false, bool crlf = false, bool noclear = false)
    {
        Number = number;
        Type = type;
        Ascii = ascii;
        CrLf = crlf;
        output = new OutputFile(path, noclear);
    }

    public static IDevice Create(ushort number, string type, IReadOnlyList<string> args, DeviceContext context)
    {
        if (args.Count == 0) throw new DeviceConfigException($"{type} needs an output file");
        bool ascii = false, crlf = false, noclear = false;
        foreach (var a in args.Skip(1))
        {
            switch (a.ToLowerInvariant())
            {
                case "ascii": ascii = true; break;
                case "ebcdic": ascii = false; break;
                case "crlf": crlf = true; break;
                case "noclear": noclear = true; break;
                default: throw new DeviceConfigException($"{type}: unknown option '{a}' (known: ascii, ebcdic, crlf, noclear)");
            }
        }
        return new CardPunch(number, type, context.Resolve(args[0]), ascii, crlf, noclear);
    }

    public void Execute(CcwExecution ccw)
    {
        lock (gate) Run(ccw);
    }

    void Run(CcwExecution ccw)
    {
        ccw.More = false;
        byte cmd = ccw.Command;
        if ((cmd & 0x3F) == 0x01) { Punch(ccw); return; }   // write, feed, select stacker (bits 0-1)
        switch (cmd)
        {
            case 0x03: ccw.Complete(0); return;   // control: no data (immediate; residual is the count)
            case 0x04:
                sense.CopyTo(ccw.Buffer, 0);
                ccw.Complete(sense.Length);
                Array.Clear(sense);
                return;
            case 0xE4 when Type == "3525":
                SenseId.Put(ccw, 0x3505, 0x01, 0x3525, 0x01);
                return;
        }
        sense[0] = Sense0.CommandReject;
        ccw.Reject();
    }

    void Punch(CcwExecution ccw)
    {
        if (!ccw.DataChained) cardAt = 0;
        int n = Math.Min(ccw.Count, card.Length - cardAt);
        ccw.Buffer.AsSpan(0, n).CopyTo(card.AsSpan(cardAt));
        cardAt += n;
        ccw.Residual = ccw.Count - n;
        ccw.Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd;
        if ((ccw.Flags & CcwFlags.ChainData) != 0 && cardAt < card.Length)
        {
            ccw.More = true;    // the card goes on in the next CCW
            return;
        }
        card.AsSpan(cardAt).Fill(Ebcdic.Blank);
        if (!output.Write(Image(), out _))
        {
            sense[0] = Sense0.InterventionRequired;
            ccw.Status |= UnitStatus.UnitCheck;
            return;
        }
        CardCount++;
    }

    byte[] Image()
    {
        if (!Ascii) return (byte[])card.Clone();
        string text = Ebcdic.ToString(card).TrimEnd(' ');
        return Encoding.Latin1.GetBytes(text + (CrLf ? "\r\n" : "\n"));
    }

    public void Halt() { }

    public void Reset()
    {
        lock (gate) { Array.Clear(sense); cardAt = 0; }
    }

    public string Describe() => $"{output.Path}{(Ascii ? " ascii" : " ebcdic")}{(CrLf ? " crlf" : "")} {CardCount} cards";

    public void Dispose() => output.Dispose();
}
