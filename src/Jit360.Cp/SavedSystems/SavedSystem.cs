namespace Jit360.Cp.SavedSystems;

/// <summary>
/// A named saved system or shared segment, loaded once and shared by every virtual machine
/// that IPLs or attaches it (the format: ../shared/guests/vm370r6-cms/README.md "Segment file
/// layout"). The saved state is what the machine held at SAVESYS; the pages are read-only
/// here: virtual machines map them copy-on-write through <see cref="Image"/>, or copy them
/// (see <see cref="NamedSystemLoader"/>).
/// </summary>
public sealed class SavedSystem
{
    public const int PageSize = 4096;
    public const int BlockSize = 2048;

    public required string Name { get; init; }
    /// <summary>The first page the pages are loaded at (CMS 0, CMSSEG 3840 = X'F00000').</summary>
    public required int LoadPage { get; init; }
    /// <summary>Whether IPL name is allowed: only a saved system whose state is meant to be resumed (CMS), not a segment (CMSSEG).</summary>
    public required bool Iplable { get; init; }

    public required ulong Psw { get; init; }
    public required uint[] Gpr { get; init; }
    /// <summary>Floating-point registers 0, 2, 4, 6.</summary>
    public required ulong[] Fpr { get; init; }
    public required uint[] Cr { get; init; }
    /// <summary>One storage-key byte per 2K block, two per page.</summary>
    public required byte[] Keys { get; init; }
    /// <summary>The page images, back to back (<see cref="PageCount"/> × 4096 bytes).</summary>
    public required ReadOnlyMemory<byte> Pages { get; init; }

    /// <summary>
    /// The pages as a host-shared image, when the catalog shares pages (<see cref="SavedSystemCatalog.SharePages"/>);
    /// null: every machine gets a copy.
    /// </summary>
    public Jit360.Machine.SharedImage? Image { get; internal set; }

    public int PageCount => Pages.Length / PageSize;
    public uint LoadAddress => (uint)LoadPage * PageSize;
    public uint EndAddress => LoadAddress + (uint)Pages.Length;

    public override string ToString() => $"{Name}: {PageCount} pages at X'{LoadAddress:X6}'{(Iplable ? ", IPL-able" : "")}";
}
