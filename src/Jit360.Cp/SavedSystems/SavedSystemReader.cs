using System.Buffers.Binary;

namespace Jit360.Cp.SavedSystems;

/// <summary>
/// Reads a saved-system file: a 4096-byte state page (PSW at +0, GPRs at +8, FPRs 0/2/4/6 at
/// +72, CRs at +104, then 2N storage-key bytes at +168, one per 2K block) followed by N page
/// images. The file's size must be (N + 1) × 4096 with N ≥ 1, and the key bytes must fit in
/// the state page.
/// </summary>
public static class SavedSystemReader
{
    const int PswOffset = 0, GprOffset = 8, FprOffset = 72, CrOffset = 104, KeyOffset = 168;

    /// <summary>The largest N whose 2N key bytes still fit in the state page.</summary>
    public const int MaxPages = (SavedSystem.PageSize - KeyOffset) / 2;

    public static SavedSystem Read(string path, string name, int loadPage, bool iplable)
    {
        byte[] data;
        try { data = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SavedSystemException($"saved system {name}: cannot read {path}: {e.Message}");
        }
        return Parse(data, $"saved system {name} ({path})", name, loadPage, iplable);
    }

    /// <summary>Parses the bytes of a saved-system file; <paramref name="what"/> names it in errors.</summary>
    public static SavedSystem Parse(byte[] data, string what, string name, int loadPage, bool iplable)
    {
        const int page = SavedSystem.PageSize;
        if (data.Length % page != 0)
            throw new SavedSystemException($"{what}: size {data.Length} is not a multiple of {page}");
        int n = data.Length / page - 1;
        if (n < 1)
            throw new SavedSystemException($"{what}: size {data.Length} holds no page after the state page");
        if (n > MaxPages)
            throw new SavedSystemException($"{what}: {n} pages need {2 * n} key bytes, more than the state page holds after offset {KeyOffset}");
        if (loadPage < 0 || ((long)loadPage + n) * page > 1L << 24)
            throw new SavedSystemException($"{what}: {n} pages at page {loadPage} do not fit in 16M of storage");
        var state = data.AsSpan(0, page);
        var gpr = new uint[16];
        var cr = new uint[16];
        var fpr = new ulong[4];
        for (int i = 0; i < 16; i++)
        {
            gpr[i] = BinaryPrimitives.ReadUInt32BigEndian(state[(GprOffset + 4 * i)..]);
            cr[i] = BinaryPrimitives.ReadUInt32BigEndian(state[(CrOffset + 4 * i)..]);
        }
        for (int i = 0; i < 4; i++) fpr[i] = BinaryPrimitives.ReadUInt64BigEndian(state[(FprOffset + 8 * i)..]);
        return new SavedSystem
        {
            Name = name,
            LoadPage = loadPage,
            Iplable = iplable,
            Psw = BinaryPrimitives.ReadUInt64BigEndian(state[PswOffset..]),
            Gpr = gpr,
            Fpr = fpr,
            Cr = cr,
            Keys = state.Slice(KeyOffset, 2 * n).ToArray(),
            Pages = data.AsMemory(page, n * page),
        };
    }
}
