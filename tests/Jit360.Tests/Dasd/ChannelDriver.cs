using System.Buffers.Binary;
using Jit360.Machine.Channels;

namespace Jit360.Tests.Dasd;

/// <summary>
/// A minimal S/370 channel for device tests: runs a channel program from byte[] storage against
/// one device, one CCW per Execute call, with the chaining rules of GA22-7000 "Chaining": command
/// chaining, data chaining (the operation continues in the next CCW), status modifier skipping the
/// next CCW, TIC (not to another TIC), skip flag on input, incorrect length unless SLI (which also
/// stops command chaining), and a CSW-like result.
/// </summary>
public sealed class ChannelDriver(IDevice device, byte[] storage)
{
    public sealed record Csw(uint Address, UnitStatus Unit, ChannelStatus Channel, int Residual, IReadOnlyList<byte> Executed);

    readonly CcwExecution ccw = new();

    public Csw Run(uint caw, int limit = 1000)
    {
        uint at = caw;
        byte previous = 0, operation = 0;
        bool dataChained = false, commandChained = false, lastWasTic = false;
        int sequence = 0;
        var executed = new List<byte>();
        while (limit-- > 0)
        {
            byte cmd = storage[at];
            uint address = BinaryPrimitives.ReadUInt32BigEndian(storage.AsSpan((int)at)) & 0xFFFFFF;
            byte flags = storage[at + 4];
            int count = BinaryPrimitives.ReadUInt16BigEndian(storage.AsSpan((int)at + 6));
            if (!dataChained && (cmd & 0x0F) == 0x08)
            {
                if (lastWasTic || sequence == 0) return new(at + 8, UnitStatus.None, ChannelStatus.ProgramCheck, count, executed);
                lastWasTic = true;
                at = address;
                continue;
            }
            lastWasTic = false;
            if (count == 0 || (!dataChained && cmd == 0)) return new(at + 8, UnitStatus.None, ChannelStatus.ProgramCheck, count, executed);
            if (!dataChained) operation = cmd;
            ccw.Command = operation;
            ccw.Flags = flags;
            ccw.DataChained = dataChained;
            ccw.CommandChained = commandChained && !dataChained;
            ccw.PreviousCommand = previous;
            ccw.Sequence = sequence++;
            ccw.Count = count;
            ccw.Status = UnitStatus.None; ccw.Residual = 0; ccw.More = false;
            bool input = ccw.IsRead || ccw.IsSense;
            if (!input) storage.AsSpan((int)address, count).CopyTo(ccw.Buffer);
            device.Execute(ccw);
            if (!dataChained) executed.Add(operation);
            if (input && (flags & CcwFlags.Skip) == 0)
                ccw.Buffer.AsSpan(0, count - ccw.Residual).CopyTo(storage.AsSpan((int)address));
            var unit = ccw.Status;
            if ((unit & (UnitStatus.UnitCheck | UnitStatus.UnitException)) != 0)
                return new(at + 8, unit, ChannelStatus.None, ccw.Residual, executed);
            bool chainData = (flags & CcwFlags.ChainData) != 0;
            if (chainData && ccw.Residual == 0)
            {
                dataChained = true;
                at += 8;
                continue;
            }
            var channel = ChannelStatus.None;
            bool sli = (flags & CcwFlags.SuppressLengthIndication) != 0;
            if ((ccw.Residual != 0 || ccw.More) && !sli) channel |= ChannelStatus.IncorrectLength;
            bool chainCommand = (flags & CcwFlags.ChainCommand) != 0 && channel == ChannelStatus.None;
            if (!chainCommand) return new(at + 8, unit, channel, ccw.Residual, executed);
            previous = operation;
            dataChained = false;
            commandChained = true;
            at += (unit & UnitStatus.StatusModifier) != 0 ? 16u : 8u;
        }
        throw new InvalidOperationException("channel program did not end (loop limit)");
    }
}

/// <summary>Writes CCWs and data into test storage so tests read like channel programs.</summary>
public sealed class ChannelProgram(byte[] storage, uint origin)
{
    uint next = origin;

    public uint Origin => origin;

    /// <summary>Appends a CCW; returns its address.</summary>
    public uint Ccw(byte command, uint data, byte flags, int count)
    {
        uint at = next;
        BinaryPrimitives.WriteUInt32BigEndian(storage.AsSpan((int)at), data & 0xFFFFFF);
        storage[at] = command;
        storage[at + 4] = flags;
        storage[at + 5] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(storage.AsSpan((int)at + 6), (ushort)count);
        next += 8;
        return at;
    }

    /// <summary>TIC to the CCW at <paramref name="target"/>.</summary>
    public uint Tic(uint target) => Ccw(0x08, target, 0, 1);

    public const byte CC = CcwFlags.ChainCommand, CD = CcwFlags.ChainData, SLI = CcwFlags.SuppressLengthIndication, SKIP = CcwFlags.Skip;
}
