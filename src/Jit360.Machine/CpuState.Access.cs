using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Jit360.Machine;

// Operand access with addressing, key-controlled protection, reference and change recording
// (GA22-7000 "Protection", "Storage Key"; GA22-6821 "Protection Features"). Every CPU access
// to storage goes through here so the JIT and the interpreter see the same rules. Addresses
// passed in are already wrapped; an operand that runs past the top of the address space wraps
// to location 0.
public sealed partial class CpuState
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    bool FastFetch(uint a, uint len) => Key == 0 && a <= size - len && ((a & 0x7FF) + len) <= 0x800;

    /// <summary>The storage byte at an address already checked to lie within storage (no bounds check).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    ref byte At(uint a) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(mem), a);

    /// <summary>The storage key of the block holding an address already checked to lie within storage.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    ref byte KeyOf(uint a) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(keys), a >> Storage.BlockShift);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void Referenced(uint a) { ref byte k = ref KeyOf(a); if ((k & Storage.Reference) == 0) k |= Storage.Reference; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void Changed(uint a) => KeyOf(a) |= Storage.Reference | Storage.Change;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte FetchByte(uint a)
    {
        if (Key == 0 && a < size) { Referenced(a); return At(a); }
        CheckAccess(a, 1, store: false);
        return Storage.Bytes[a];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint FetchHalf(uint a)
    {
        if (FastFetch(a, 2)) { Referenced(a); return (uint)BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(ref At(a))); }
        return (uint)FetchSlow(a, 2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint FetchWord(uint a)
    {
        if (FastFetch(a, 4)) { Referenced(a); return BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(ref At(a))); }
        return (uint)FetchSlow(a, 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong FetchDouble(uint a)
    {
        if (FastFetch(a, 8)) { Referenced(a); return BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref At(a))); }
        return FetchSlow(a, 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreByte(uint a, byte v)
    {
        if (Key == 0 && a < size) { Changed(a); At(a) = v; OnStore(a, 1); return; }
        CheckAccess(a, 1, store: true);
        Storage.Bytes[a] = v;
        OnStore(a, 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreHalf(uint a, uint v)
    {
        if (FastFetch(a, 2)) { Changed(a); Unsafe.WriteUnaligned(ref At(a), BinaryPrimitives.ReverseEndianness((ushort)v)); OnStore(a, 2); return; }
        StoreSlow(a, 2, v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreWord(uint a, uint v)
    {
        if (FastFetch(a, 4)) { Changed(a); Unsafe.WriteUnaligned(ref At(a), BinaryPrimitives.ReverseEndianness(v)); OnStore(a, 4); return; }
        StoreSlow(a, 4, v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreDouble(uint a, ulong v)
    {
        if (FastFetch(a, 8)) { Changed(a); Unsafe.WriteUnaligned(ref At(a), BinaryPrimitives.ReverseEndianness(v)); OnStore(a, 8); return; }
        StoreSlow(a, 8, v);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    ulong FetchSlow(uint a, int len)
    {
        CheckAccess(a, len, store: false);
        ulong v = 0;
        for (int i = 0; i < len; i++) v = (v << 8) | Storage.Bytes[Wrap(a + (uint)i)];
        return v;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    void StoreSlow(uint a, int len, ulong v)
    {
        CheckAccess(a, len, store: true);
        for (int i = len - 1; i >= 0; i--, v >>= 8) Storage.Bytes[Wrap(a + (uint)i)] = (byte)v;
        OnStore(a, len);
    }

    /// <summary>
    /// Checks that every byte of an operand exists and may be accessed, before any of it is
    /// changed (so the instruction is suppressed, not partially completed), and records the
    /// reference (and, for stores, change) in the storage keys.
    /// </summary>
    public void CheckAccess(uint a, int len, bool store)
    {
        if (len <= 0) return;
        // Fast path: key 0 (no protection) and the operand within one 2K block of storage.
        if (Key == 0 && a <= size - (uint)len && (a & 0x7FF) + (uint)len <= 0x800)
        {
            if (store) Changed(a); else Referenced(a);
            return;
        }
        CheckAccessSlow(a, len, store);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    void CheckAccessSlow(uint a, int len, bool store)
    {
        // Each 2K block the operand touches, in address order, with wrap-around.
        uint remaining = (uint)len;
        uint p = a;
        while (true)
        {
            if (p >= Storage.Size) throw Fault(ProgramInterruptCode.Addressing);
            uint inBlock = 0x800 - (p & 0x7FF);
            if (Key != 0)
            {
                byte k = Storage.Keys[p >> Storage.BlockShift];
                bool mismatch = (k >> 4) != Key;
                if (mismatch && (store || (k & Storage.FetchProtect) != 0))
                    throw Fault(ProgramInterruptCode.Protection);
            }
            if (inBlock >= remaining) break;
            remaining -= inBlock;
            p = Wrap(p + inBlock);
        }
        // Only now record: a suppressed access leaves the keys as they were.
        remaining = (uint)len; p = a;
        while (true)
        {
            if (store) Changed(p); else Referenced(p);
            uint inBlock = 0x800 - (p & 0x7FF);
            if (inBlock >= remaining) break;
            remaining -= inBlock;
            p = Wrap(p + inBlock);
        }
    }

    /// <summary>Reads a byte of an operand already passed through <see cref="CheckAccess"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ByteAt(uint a) => mem[a & AddressMask];

    /// <summary>Writes a byte of an operand already passed through <see cref="CheckAccess"/> for store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetByteAt(uint a, byte v) => mem[a & AddressMask] = v;

    /// <summary>Reports a completed store of len bytes at a (for translated-code invalidation).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnStore(uint a, int len)
    {
        var w = StoreWatch;
        if (w != null) w.Stored(a, len);
        var c = Storage.CodeWatch;
        if (c != null) c.Stored(a, len);
    }

    /// <summary>Observer of this CPU's stores (tracing, tests). Translated code watches <see cref="Storage.CodeWatch"/>.</summary>
    public IStoreWatch? StoreWatch;

    /// <summary>True if the operand lies in contiguous storage (no wrap) so handlers may use spans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contiguous(uint a, int len) => a + (uint)len <= size;
}

public interface IStoreWatch
{
    void Stored(uint address, int length);
}
