using Jit360.Machine.Channels;

namespace Jit360.Tests.Channels;

/// <summary>
/// A scripted device for channel tests: reads hand out <see cref="ReadData"/> in order, writes
/// collect into <see cref="Written"/>, sense returns <see cref="Sense"/>, control commands take
/// their data; <see cref="Script"/> may take over any command; a command equal to
/// <see cref="BlockOn"/> blocks (saying it awaits input) until released or halted.
/// </summary>
public sealed class FakeDevice(ushort number, string type = "FAKE") : IDevice
{
    public record Call(byte Command, byte Flags, bool DataChained, bool CommandChained, byte PreviousCommand, int Sequence, int Count, byte[] Data);

    public ushort Number => number;
    public string Type => type;
    public IDeviceHost? Host { get; set; }
    public bool Unsolicited;
    public bool RaisesUnsolicitedStatus => Unsolicited;

    public readonly List<Call> Calls = [];
    /// <summary>What reads hand out, from the start again whenever it is set.</summary>
    public byte[] ReadData { get => readData; set { readData = value; readPosition = 0; } }
    byte[] readData = [];
    int readPosition;
    public readonly List<byte> Written = [];
    public byte[] Sense = [0];
    /// <summary>Takes over a command when it returns true.</summary>
    public Func<CcwExecution, bool>? Script;
    public int? BlockOn;
    public readonly SemaphoreSlim Release = new(0);
    public int Halts, Resets;
    public bool Disposed;
    volatile bool halted;

    public void Execute(CcwExecution x)
    {
        lock (Calls)
            Calls.Add(new Call(x.Command, x.Flags, x.DataChained, x.CommandChained, x.PreviousCommand, x.Sequence, x.Count,
                                x.IsRead || x.IsSense || x.IsReadBackward ? [] : x.Buffer.AsSpan(0, x.Count).ToArray()));
        if (BlockOn == x.Command)
        {
            halted = false;
            Host?.AwaitingInput(this);
            Release.Wait();
            if (halted) { x.Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd; x.Residual = x.Count; return; }
        }
        if (Script?.Invoke(x) == true) return;
        if (x.IsSense)
        {
            Sense.CopyTo(x.Buffer, 0);
            x.Complete(Sense.Length);
        }
        else if (x.IsRead || x.IsReadBackward)
        {
            int available = ReadData.Length - readPosition;
            int n = Math.Min(available, x.Count);
            var piece = ReadData.AsSpan(readPosition, n).ToArray();
            if (x.IsReadBackward) Array.Reverse(piece);
            piece.CopyTo(x.Buffer, 0);
            readPosition += n;
            x.Complete(available);
        }
        else
        {
            if (x.IsWrite) Written.AddRange(x.Buffer.AsSpan(0, x.Count).ToArray());
            x.Complete(x.Count);
        }
    }

    public void Halt() { Halts++; halted = true; if (BlockOn != null) Release.Release(); }
    public void Reset() { Resets++; readPosition = 0; }
    public string Describe() => $"fake, {Calls.Count} CCWs";
    public void Dispose() => Disposed = true;

    public Call[] Snapshot() { lock (Calls) return Calls.ToArray(); }
}
