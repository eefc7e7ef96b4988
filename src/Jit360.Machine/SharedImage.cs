using Microsoft.Win32.SafeHandles;

namespace Jit360.Machine;

/// <summary>
/// Read-only bytes that many storages load at the same guest address (a saved system's pages):
/// <see cref="Storage.LoadShared"/> maps them copy-on-write, so every machine reads the same host
/// pages until it stores into one, and only that page is copied, by the host kernel.
/// <para>
/// A guest address lands at host address <c>array data + guest address</c>, and the array's data is
/// not page-aligned (.NET puts a 16-byte header before it; 16M storages come out at X'38' past a
/// page boundary). A host page can only show a file page, so the memory file must hold the image
/// at the same offset within its pages as the storage does: one memory file per distinct offset,
/// made on first use and kept (<see cref="Layouts"/>). Large pinned arrays each start a GC region of
/// their own, so in practice every 16M storage has the same offset and there is one file per image.
/// </para>
/// </summary>
public sealed class SharedImage : IDisposable
{
    public string Name { get; }
    public ReadOnlyMemory<byte> Bytes { get; }

    readonly Dictionary<int, SafeFileHandle?> files = [];

    public SharedImage(string name, ReadOnlyMemory<byte> bytes)
    {
        Name = name;
        Bytes = bytes;
    }

    /// <summary>Memory files made so far, one per host page offset the image was loaded at.</summary>
    public int Layouts { get { lock (files) return files.Values.Count(f => f != null); } }

    /// <summary>
    /// The memory file holding the image at <paramref name="offset"/> bytes into its first page,
    /// or null if none can be made (then that offset copies, and the failure is reported once).
    /// </summary>
    internal SafeFileHandle? File(int offset)
    {
        lock (files)
        {
            if (files.TryGetValue(offset, out var file)) return file;
            file = HostPages.MemoryFile($"jit360 {Name} +{offset}", Bytes.Span, offset, out string? error);
            if (file == null) SharedPages.Fallback($"no memory file for {Name}: {error}");
            files[offset] = file;
            return file;
        }
    }

    /// <summary>
    /// Closes the memory files. Storages that mapped them keep their pages (a mapping holds its
    /// file); later loads make new files.
    /// </summary>
    public void Dispose()
    {
        lock (files)
        {
            foreach (var f in files.Values) f?.Dispose();
            files.Clear();
        }
    }
}
