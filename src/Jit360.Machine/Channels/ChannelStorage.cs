using System.Collections.Concurrent;

namespace Jit360.Machine.Channels;

/// <summary>
/// Main storage as a channel reaches it (GA22-7000 "Protection" and "Storage Key": channel
/// accesses use the subchannel key from the CAW; key 0 matches every block; a mismatch is a
/// protection check for a store, and for a fetch only when the block is fetch-protected; an
/// address outside storage is a program check). Channel accesses run on device threads, while
/// reference/change recording and invalidation of translated code belong to the CPU thread: each
/// access is queued here and <see cref="Apply"/> replays the queue on the CPU thread before the
/// CPU can see the operation's end (an interruption, or an I/O instruction storing a CSW).
/// </summary>
public sealed partial class ChannelStorage(Storage storage)
{
    readonly ConcurrentQueue<(uint Address, int Length, bool Store)> accesses = new();

    public Storage Storage { get; } = storage;

    /// <summary>Whether the byte at an address may be accessed with a key; the error to report if not.</summary>
    public ChannelStatus Check(uint address, int key, bool store)
    {
        if (address >= Storage.Size) return ChannelStatus.ProgramCheck;
        if (key == 0) return ChannelStatus.None;
        byte k = Storage.Keys[address >> Storage.BlockShift];
        if ((k >> 4) == key) return ChannelStatus.None;
        return store || (k & Storage.FetchProtect) != 0 ? ChannelStatus.ProtectionCheck : ChannelStatus.None;
    }

    /// <summary>Fetches a CCW (8 bytes, the address already checked to be doubleword aligned).</summary>
    public ChannelStatus FetchCcw(uint address, int key, out ulong ccw)
    {
        ccw = 0;
        var error = Check(address, key, store: false);
        if (error != ChannelStatus.None) return error;
        ccw = Storage.ReadDoublewordAbsolute(address);
        accesses.Enqueue((address, 8, false));
        return ChannelStatus.None;
    }

    /// <summary>
    /// Fetches up to <paramref name="into"/>.Length bytes from ascending addresses; stops at the
    /// first byte that cannot be accessed. Returns the bytes fetched and the error that stopped it.
    /// </summary>
    public int Fetch(uint address, Span<byte> into, int key, out ChannelStatus error)
    {
        int n = Accessible(address, into.Length, key, store: false, out error);
        if (n == 0) return 0;
        Storage.Bytes.AsSpan((int)address, n).CopyTo(into);
        accesses.Enqueue((address, n, false));
        return n;
    }

    /// <summary>
    /// Stores data at ascending addresses from <paramref name="address"/>, or (read backward) at
    /// descending addresses from <paramref name="address"/> down, the first byte highest. Stops at
    /// the first byte that cannot be stored; returns the bytes stored.
    /// </summary>
    public int Store(uint address, ReadOnlySpan<byte> data, int key, bool backward, out ChannelStatus error)
    {
        if (!backward)
        {
            int n = Accessible(address, data.Length, key, store: true, out error);
            if (n == 0) return 0;
            data[..n].CopyTo(Storage.Bytes.AsSpan((int)address, n));
            accesses.Enqueue((address, n, true));
            return n;
        }
        error = ChannelStatus.None;
        int done = 0;
        for (; done < data.Length; done++)
        {
            long a = (long)address - done;
            if (a < 0) { error = ChannelStatus.ProgramCheck; break; }
            error = Check((uint)a, key, store: true);
            if (error != ChannelStatus.None) break;
            Storage.Bytes[a] = data[done];
        }
        if (done > 0) accesses.Enqueue((address + 1 - (uint)done, done, true));
        return done;
    }

    /// <summary>How many bytes from an address can be accessed, block by block; the error at the first that cannot.</summary>
    int Accessible(uint address, int length, int key, bool store, out ChannelStatus error)
    {
        error = ChannelStatus.None;
        int n = 0;
        while (n < length)
        {
            uint a = address + (uint)n;
            error = Check(a, key, store);
            if (error != ChannelStatus.None) break;
            int inBlock = (int)(0x800 - (a & 0x7FF));
            n = Math.Min(length, n + inBlock);
        }
        return n;
    }

    /// <summary>
    /// CPU thread: records reference and change in the storage keys (S/370 keys carry them; on
    /// S/360 the bits are unused) and tells the observer of storage writes (translated code).
    /// </summary>
    public void Apply()
    {
        while (accesses.TryDequeue(out var x))
        {
            byte bits = x.Store ? (byte)(Storage.Reference | Storage.Change) : Storage.Reference;
            for (uint b = x.Address >> Storage.BlockShift; b <= (x.Address + (uint)x.Length - 1) >> Storage.BlockShift; b++)
                Storage.Keys[b] |= bits;
            if (x.Store) Storage.Written(x.Address, x.Length);
        }
    }

    public bool HasPending => !accesses.IsEmpty;
}
