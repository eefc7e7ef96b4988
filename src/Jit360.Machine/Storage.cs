using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Jit360.Machine;

/// <summary>
/// Main storage and its storage keys (GA22-7000 "Storage Key", one key per 2K block;
/// GA22-6821 "Protection Features"). The byte array carries 8 bytes of padding after the
/// configured size so that instruction fetch can read 8 bytes at once; the padding is never
/// addressable (addressing is checked against <see cref="Size"/>).
/// </summary>
public sealed class Storage
{
    public const int BlockShift = 11;            // 2K-byte blocks
    public const byte KeyMask = 0xF0;            // access-control bits 0-3
    public const byte FetchProtect = 0x08;       // bit 4
    public const byte Reference = 0x04;          // bit 5 (S/370)
    public const byte Change = 0x02;             // bit 6 (S/370)

    public readonly byte[] Bytes;
    public readonly byte[] Keys;
    public readonly uint Size;

    /// <summary>Number of blocks whose fetch-protection bit is on; zero lets instruction fetch skip key checks.</summary>
    public int FetchProtectedBlocks { get; private set; }

    public Storage(uint size)
    {
        if (size == 0 || size % 2048 != 0)
            throw new ArgumentException($"storage size {size} is not a positive multiple of 2048 bytes");
        if (size > 0x7FFF_0000u)
            throw new ArgumentException($"storage size {size} is larger than this host can allocate");
        Size = size;
        Bytes = new byte[size + 8];
        Keys = new byte[size >> BlockShift];
    }

    public bool Exists(uint address) => address < Size;

    public byte GetKey(uint address) => Keys[address >> BlockShift];

    /// <summary>Changes whenever a storage key is set, so that translated code can be re-checked against fetch protection.</summary>
    public int KeyGeneration { get; private set; }

    public void SetKey(uint address, byte key)
    {
        KeyGeneration++;
        ref byte k = ref Keys[address >> BlockShift];
        if ((k & FetchProtect) != 0) FetchProtectedBlocks--;
        k = key;
        if ((k & FetchProtect) != 0) FetchProtectedBlocks++;
    }

    public Span<byte> Span(uint address, int length) => Bytes.AsSpan((int)address, length);

    /// <summary>
    /// Observer of every write into storage (CPU stores, loads by the host, and channel data):
    /// translated code uses it to notice that its bytes changed.
    /// </summary>
    public IStoreWatch? CodeWatch;

    /// <summary>Reports that len bytes at address were written by any agent.</summary>
    public void Written(uint address, int length) => CodeWatch?.Stored(address, length);

    /// <summary>Loads bytes at an absolute address (loadcore, IPL, tests); no keys, no wrap.</summary>
    public void Load(uint address, ReadOnlySpan<byte> data)
    {
        if ((ulong)address + (ulong)data.Length > Size)
            throw new ArgumentOutOfRangeException(nameof(address),
                $"{data.Length} bytes at {address:X6} do not fit in {Size} bytes of storage");
        data.CopyTo(Bytes.AsSpan((int)address));
        Written(address, data.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadWordAbsolute(uint a) => BinaryPrimitives.ReadUInt32BigEndian(Bytes.AsSpan((int)a, 4));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadDoublewordAbsolute(uint a) => BinaryPrimitives.ReadUInt64BigEndian(Bytes.AsSpan((int)a, 8));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteWordAbsolute(uint a, uint v) => BinaryPrimitives.WriteUInt32BigEndian(Bytes.AsSpan((int)a, 4), v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteDoublewordAbsolute(uint a, ulong v) => BinaryPrimitives.WriteUInt64BigEndian(Bytes.AsSpan((int)a, 8), v);
}
