using Jit360.Machine.Channels;

namespace Jit360.Tests.Devices;

/// <summary>One CCW of a test channel program (format 0: command, data address, flags, count).</summary>
public readonly record struct Ccw(byte Command, int Address, byte Flags, int Count)
{
    public const byte CD = CcwFlags.ChainData, CC = CcwFlags.ChainCommand, SLI = CcwFlags.SuppressLengthIndication;
}

/// <summary>What the channel would put in the CSW: unit and channel status, the residual count, and which CCW ended.</summary>
public readonly record struct CcwResult(UnitStatus Unit, ChannelStatus Channel, int Residual, int LastIndex, int Executed)
{
    public override string ToString() => $"unit {Unit} channel {Channel} residual {Residual} at CCW {LastIndex}";
}

/// <summary>
/// A minimal channel for device tests: runs a list of CCWs against an <see cref="IDevice"/>
/// with a byte array as main storage, one <see cref="IDevice.Execute"/> per CCW, as
/// GA22-7000 "Chaining" describes: data chaining continues the operation with the next CCW's
/// address and count when the count runs out and the device has more (More); incorrect length
/// (residual or more data) is reported unless SLI, an immediate control command, or unit check
/// or unit exception, and ends the chain; unit check or unit exception end it; status
/// modifier skips one CCW of a command chain. Read backward stores at descending addresses
/// from the CCW's address (which names the rightmost byte).
/// </summary>
public sealed class CcwDriver(IDevice device, int storageSize = 0x10000)
{
    public byte[] Storage { get; } = new byte[storageSize];
    readonly CcwExecution x = new();

    public CcwResult Run(params Ccw[] program)
    {
        int i = 0, seq = 0, executed = 0;
        byte previous = 0, operation = 0;
        bool dataChained = false;
        while (true)
        {
            var c = program[i];
            x.Command = dataChained ? operation : c.Command;
            x.Flags = c.Flags;
            x.DataChained = dataChained;
            x.CommandChained = !dataChained && seq > 0;
            x.PreviousCommand = previous;
            x.Sequence = seq;
            x.Count = c.Count;
            x.Status = UnitStatus.None;
            x.Residual = 0;
            x.More = false;
            bool toDevice = x.IsWrite || x.IsControl;
            if (toDevice)
                for (int k = 0; k < c.Count; k++) x.Buffer[k] = Storage[(c.Address + k) % Storage.Length];
            device.Execute(x);
            executed++;
            if (!toDevice)
            {
                int n = c.Count - x.Residual;
                for (int k = 0; k < n; k++)
                {
                    int at = x.IsReadBackward ? c.Address - k : c.Address + k;
                    Storage[((at % Storage.Length) + Storage.Length) % Storage.Length] = x.Buffer[k];
                }
            }
            seq++;
            previous = x.Command;
            operation = x.Command;
            bool ending = (x.Status & (UnitStatus.UnitCheck | UnitStatus.UnitException)) != 0
                          || (x.Status & UnitStatus.ChannelEnd) == 0;
            var result = new CcwResult(x.Status, ChannelStatus.None, x.Residual, i, executed);
            if (!ending && (c.Flags & Ccw.CD) != 0 && x.Residual == 0 && x.More && i + 1 < program.Length)
            {
                dataChained = true;
                i++;
                continue;
            }
            // An immediate control command (no data moved) and a CCW with chain data signal no incorrect length.
            bool immediate = x.IsControl && x.Residual == c.Count && !x.More;
            bool wrongLength = (x.Residual != 0 || x.More) && !immediate && (c.Flags & Ccw.CD) == 0;
            if (wrongLength && !ending && (c.Flags & Ccw.SLI) == 0)
                return result with { Channel = ChannelStatus.IncorrectLength };
            if (ending || (c.Flags & Ccw.CC) == 0) return result;
            i += (x.Status & UnitStatus.StatusModifier) != 0 ? 2 : 1;
            if (i >= program.Length) return result;
            dataChained = false;
        }
    }

    /// <summary>Runs a single CCW.</summary>
    public CcwResult Run(byte command, int address, int count, byte flags = 0) => Run(new Ccw(command, address, flags, count));

    /// <summary>SENSE into storage at <paramref name="address"/>; returns the sense bytes.</summary>
    public byte[] Sense(int count = 24, int address = 0xF000)
    {
        var r = Run(0x04, address, count, Ccw.SLI);
        return Storage.AsSpan(address, count - r.Residual).ToArray();
    }

    public void Put(int address, params byte[] bytes) => bytes.CopyTo(Storage, address);
    public byte[] Get(int address, int count) => Storage.AsSpan(address, count).ToArray();
}
