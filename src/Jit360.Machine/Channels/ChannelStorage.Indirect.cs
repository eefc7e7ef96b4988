namespace Jit360.Machine.Channels;

/// <summary>
/// Channel indirect data addressing (GA22-7000 "Channel Indirect Data Addressing", S/370 only):
/// a CCW with the IDA flag designates a list of IDAWs; each IDAW (bits 0-7 zero, 8-31 an address)
/// moves data up to the next 2K-byte boundary, or for read backward down to the previous one. The
/// first IDAW may designate any byte; each later one must designate the first byte of a 2K block
/// (the last byte, for read backward). An IDAW is fetched only when it takes control of the
/// transfer, so an error in an IDAW that is never needed is never reported. An unavailable IDAW
/// address or a malformed IDAW is a program check; protection of the IDAW list and of the data is
/// checked with the CAW key as for direct addressing.
/// </summary>
public sealed partial class ChannelStorage
{
    const uint BlockSize = 0x800;

    /// <summary><see cref="Fetch"/> through the IDAW list at <paramref name="idawList"/>.</summary>
    public int FetchIndirect(uint idawList, Span<byte> into, int key, out ChannelStatus error)
    {
        int done = 0;
        error = ChannelStatus.None;
        for (uint at = idawList; done < into.Length; at += 4)
        {
            error = NextIdaw(at, first: at == idawList, backward: false, key, out uint address);
            if (error != ChannelStatus.None) return done;
            int n = (int)Math.Min(into.Length - done, BlockSize - (address & (BlockSize - 1)));
            int got = Fetch(address, into.Slice(done, n), key, out error);
            done += got;
            if (error != ChannelStatus.None) return done;
        }
        return done;
    }

    /// <summary><see cref="Store"/> through the IDAW list at <paramref name="idawList"/>.</summary>
    public int StoreIndirect(uint idawList, ReadOnlySpan<byte> data, int key, bool backward, out ChannelStatus error)
    {
        int done = 0;
        error = ChannelStatus.None;
        for (uint at = idawList; done < data.Length; at += 4)
        {
            error = NextIdaw(at, first: at == idawList, backward, key, out uint address);
            if (error != ChannelStatus.None) return done;
            uint offset = address & (BlockSize - 1);
            int n = (int)Math.Min(data.Length - done, backward ? offset + 1 : BlockSize - offset);
            int put = Store(address, data.Slice(done, n), key, backward, out error);
            done += put;
            if (error != ChannelStatus.None) return done;
        }
        return done;
    }

    ChannelStatus NextIdaw(uint at, bool first, bool backward, int key, out uint address)
    {
        address = 0;
        if (at + 3 < at || at + 3 >= Storage.Size) return ChannelStatus.ProgramCheck;   // invalid IDAW address
        var error = Check(at, key, store: false);
        if (error == ChannelStatus.None) error = Check(at + 3, key, store: false);
        if (error != ChannelStatus.None) return error;
        uint idaw = (uint)(Storage.Bytes[at] << 24 | Storage.Bytes[at + 1] << 16 | Storage.Bytes[at + 2] << 8 | Storage.Bytes[at + 3]);
        accesses.Enqueue((at, 4, false));
        if ((idaw & 0xFF00_0000) != 0) return ChannelStatus.ProgramCheck;               // bits 0-7 must be zero
        address = idaw;
        uint offset = address & (BlockSize - 1);
        if (!first && offset != (backward ? BlockSize - 1 : 0)) return ChannelStatus.ProgramCheck;
        return ChannelStatus.None;
    }
}
