using Jit360.Machine.Channels;

namespace Jit360.Tests.Channels;

/// <summary>A minimal card reader for IPL tests: each read takes the next 80-byte card; an empty hopper is unit exception.</summary>
public sealed class CardReader(ushort number, byte[] deck) : IDevice
{
    int next;
    public ushort Number => number;
    public string Type => "TESTRDR";
    public IDeviceHost? Host { get; set; }
    public int CardsRead => next / 80;

    public void Execute(CcwExecution x)
    {
        if (x.IsRead)
        {
            if (next >= deck.Length) { x.Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd | UnitStatus.UnitException; x.Residual = x.Count; return; }
            deck.AsSpan(next, 80).CopyTo(x.Buffer);
            next += 80;
            x.Complete(80);
        }
        else if (x.Command == 0x03) x.Complete(0);
        else x.Reject();
    }

    public void Halt() { }
    public void Reset() { }
    public string Describe() => $"{deck.Length / 80} cards, {CardsRead} read";
    public void Dispose() { }
}
