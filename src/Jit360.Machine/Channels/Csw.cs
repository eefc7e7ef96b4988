using System.Buffers.Binary;

namespace Jit360.Machine.Channels;

/// <summary>
/// A channel status word (GA22-7000 "Channel Status Word", stored at location 64): bits 0-3
/// the subchannel key, 8-31 the CCW address (the last CCW used + 8), 32-39 unit status, 40-47
/// channel status, 48-63 the residual count.
/// </summary>
public readonly record struct Csw(int Key, uint CcwAddress, UnitStatus Unit, ChannelStatus Channel, int Count)
{
    /// <summary>Status from a device alone (attention, a device end after channel end): key, address and count are zero.</summary>
    public static Csw StatusOnly(UnitStatus unit) => new(0, 0, unit, ChannelStatus.None, 0);

    public ulong Doubleword => (ulong)(Key & 0xF) << 60 | (ulong)(CcwAddress & 0x00FF_FFFF) << 32
                             | (ulong)(byte)Unit << 24 | (ulong)(byte)Channel << 16 | (ushort)Count;

    public static Csw FromDoubleword(ulong w) => new((int)(w >> 60), (uint)(w >> 32) & 0x00FF_FFFF, (UnitStatus)(byte)(w >> 24), (ChannelStatus)(byte)(w >> 16), (int)(w & 0xFFFF));

    public Csw With(UnitStatus more) => this with { Unit = Unit | more };
    public Csw With(ChannelStatus more) => this with { Channel = Channel | more };

    /// <summary>Stores the whole CSW at location 64 (key 0: the CSW location is not protected against the channel).</summary>
    public void Store(Storage storage)
    {
        storage.WriteDoublewordAbsolute(Low.Csw, Doubleword);   // tells the code watch
        storage.Keys[Low.Csw >> Storage.BlockShift] |= Storage.Reference | Storage.Change;
    }

    /// <summary>Stores only the status portion, bytes 68-69 (HALT I/O, HALT DEVICE): the other fields keep what they held.</summary>
    public void StoreStatusPortion(Storage storage)
    {
        BinaryPrimitives.WriteUInt16BigEndian(storage.Bytes.AsSpan((int)Low.Csw + 4, 2), (ushort)((byte)Unit << 8 | (byte)Channel));
        Written(storage, Low.Csw + 4, 2);
    }

    static void Written(Storage storage, uint at, int length)
    {
        storage.Keys[at >> Storage.BlockShift] |= Storage.Reference | Storage.Change;
        storage.Written(at, length);
    }

    public override string ToString() => $"{(uint)(Doubleword >> 32):X8} {(uint)Doubleword:X8}";
}
