using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Jit360.Machine;

/// <summary>
/// Main storage and its storage keys (GA22-7000 "Storage Key", one key per 2K block;
/// GA22-6821 "Protection Features"). The byte array carries 8 bytes of padding after the
/// configured size so that instruction fetch can read 8 bytes at once; the padding is never
/// addressable (addressing is checked against <see cref="Size"/>).
/// <para>
/// Host pages (Linux, storage of <see cref="HostMappedSize"/> or more): the array is pinned (the
/// pinned object heap never moves it) and zeroed by giving its whole host pages back to the
/// kernel as fresh zero pages, so untouched guest storage costs no host memory. That lets
/// <see cref="LoadShared"/> map a saved system's pages copy-on-write: machines that IPL the same
/// system share its host pages until each stores into one. The interpreter, the channels and
/// translated code keep indexing <see cref="Bytes"/> directly; the sharing is the MMU's, free on
/// every access. (The alternatives: a per-page indirection in software costs every load and
/// store, translated ones included; copying costs each machine the whole system in host memory
/// and a copy at every IPL.) The price is bookkeeping here: memory the GC owns shows a file until
/// <see cref="Release"/>, <see cref="Clear"/> or the finalizer of <see cref="MappedPages"/> puts
/// zero pages back. Elsewhere the array is an ordinary one and shared loads copy.
/// </para>
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
        Keys = new byte[size >> BlockShift];
        if (size >= HostMappedSize && HostPages.Unavailable == null)
        {
            Bytes = GC.AllocateUninitializedArray<byte>((int)size + 8, pinned: true);
            hostBase = Marshal.UnsafeAddrOfPinnedArrayElement(Bytes, 0);
            if (ZeroHostPages()) return;
            hostBase = 0;
            Array.Clear(Bytes);
            SharedPages.Fallback($"cannot remap storage pages: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        else Bytes = new byte[size + 8];
    }

    /// <summary>Storage at least this large is host-mapped (see the class comment); smaller storage is an ordinary array.</summary>
    public const uint HostMappedSize = 1 << 20;

    /// <summary>Address of Bytes[0] when the array is pinned and its pages can be remapped; 0 otherwise.</summary>
    readonly nint hostBase;
    /// <summary>Pages that show a shared image; created by the first shared load.</summary>
    MappedPages? mappedPages;
    readonly Lock pagesLock = new();

    nint FirstHostPage => HostPages.RoundUp(hostBase);
    nint EndHostPage => HostPages.RoundDown(hostBase + Bytes.Length);

    /// <summary>Zeroes the whole array: fresh zero pages for the whole host pages, plain stores for the partial pages at both ends.</summary>
    bool ZeroHostPages()
    {
        nint first = FirstHostPage, end = EndHostPage;
        if (!HostPages.MapZero(first, end - first)) return false;
        Bytes.AsSpan(0, (int)(first - hostBase)).Clear();
        Bytes.AsSpan((int)(end - hostBase)).Clear();
        return true;
    }

    /// <summary>Host pages that currently show a shared image (a page a store has since copied still counts); 0 when nothing is shared.</summary>
    public int SharedHostPages { get { lock (pagesLock) return mappedPages?.Count ?? 0; } }

    /// <summary>
    /// Loads <paramref name="image"/> at an absolute address like <see cref="Load"/>, sharing its
    /// host pages copy-on-write with every other storage that loaded it (see the class comment):
    /// the whole host pages inside the range become a private view of the image's memory file,
    /// the partial pages at both ends are copied. A later store into a page, by the CPU, a
    /// channel or the host, gets a private copy of that page; the image and the other machines
    /// never see it. Returns whether any page is shared; false means the bytes were copied.
    /// </summary>
    public bool LoadShared(uint address, SharedImage image)
    {
        var data = image.Bytes.Span;
        if ((ulong)address + (ulong)data.Length > Size)
            throw new ArgumentOutOfRangeException(nameof(address),
                $"{data.Length} bytes at {address:X6} do not fit in {Size} bytes of storage");
        if (hostBase == 0)
        {
            SharedPages.ReportUnsupported();
            Load(address, data);
            return false;
        }
        nint start = hostBase + (nint)address, end = start + data.Length;
        nint first = HostPages.RoundUp(start), last = HostPages.RoundDown(end);
        var file = last > first ? image.File((int)(start - HostPages.RoundDown(start))) : null;
        bool shared = false;
        if (file != null)
        {
            lock (pagesLock)
            {
                var pages = mappedPages ??= new MappedPages(Bytes, FirstHostPage, (int)((EndHostPage - FirstHostPage) / HostPages.Size));
                // Mark first: a mapping that fails half way must still be returned by Release or the finalizer.
                pages.Mark(first, last, true);
                shared = HostPages.MapPrivate(first, last - first, file, first - HostPages.RoundDown(start), out string? error);
                if (!shared)
                {
                    pages.Mark(first, last, false);
                    SharedPages.Fallback($"cannot map {image.Name}: {error}");
                }
            }
        }
        if (shared)
        {
            int head = (int)(first - start), tail = (int)(last - start);
            data[..head].CopyTo(Bytes.AsSpan((int)address));
            data[tail..].CopyTo(Bytes.AsSpan((int)address + tail));
            Written(address, data.Length);
        }
        else Load(address, data);
        return shared;
    }

    /// <summary>
    /// Every byte and key zero (IPL CLEAR). Host-mapped storage gets fresh zero pages, which also
    /// drops its shared and private pages; the code watch is told that everything was written.
    /// </summary>
    public void Clear()
    {
        Release();
        if (hostBase == 0) Array.Clear(Bytes);
        Array.Clear(Keys);
        FetchProtectedBlocks = 0;
        KeyGeneration++;
        Written(0, (int)Size);
    }

    /// <summary>
    /// Gives the host memory behind host-mapped storage back now (LOGOFF): shared and private
    /// pages become zero pages. The storage stays usable and its bytes then read zero; keys are
    /// kept and the code watch is not told (the machine is ending; <see cref="Clear"/> is the full
    /// reset). Storage that is not host-mapped is left as it is: the GC frees it.
    /// </summary>
    public void Release()
    {
        if (hostBase == 0) return;
        lock (pagesLock)
        {
            if (!ZeroHostPages())
            {
                mappedPages?.Return();
                Array.Clear(Bytes);
            }
            if (mappedPages != null)
            {
                GC.SuppressFinalize(mappedPages);
                mappedPages = null;
            }
        }
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
    // Writes by the machine itself (old PSWs, the CSW, the timer, IPL) and by the host: the code
    // watch hears of them as of any store, so translated code and a lockstep copy stay current.
    public void WriteWordAbsolute(uint a, uint v)
    {
        BinaryPrimitives.WriteUInt32BigEndian(Bytes.AsSpan((int)a, 4), v);
        Written(a, 4);
    }

    public void WriteDoublewordAbsolute(uint a, ulong v)
    {
        BinaryPrimitives.WriteUInt64BigEndian(Bytes.AsSpan((int)a, 8), v);
        Written(a, 8);
    }
}
