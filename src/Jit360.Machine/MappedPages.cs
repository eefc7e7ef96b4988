namespace Jit360.Machine;

/// <summary>
/// The host pages of one storage array that show a <see cref="SharedImage"/> memory file, and the
/// duty that comes with them: before the GC may free the array and hand its memory to other
/// objects, those pages must be plain zero memory again. Otherwise memory the GC believes it
/// owns would still be a view of a file (the GC's own page resets, madvise DONTNEED, would bring
/// the file's bytes back instead of zeros). This object references the array, so the array stays
/// alive until the finalizer has run; <see cref="Storage.Release"/> does the same work earlier.
/// </summary>
internal sealed class MappedPages
{
    readonly byte[] array;      // kept alive by this reference until the pages are returned
    readonly nint first;        // first whole host page inside the array
    readonly bool[] mapped;     // per host page from first: shows a memory file

    public MappedPages(byte[] array, nint first, int pages)
    {
        this.array = array;
        this.first = first;
        mapped = new bool[pages];
    }

    public int Count { get; private set; }

    /// <summary>Records whether the whole pages from start to end show a file.</summary>
    public void Mark(nint start, nint end, bool showsFile)
    {
        for (nint p = start; p < end; p += HostPages.Size)
        {
            ref bool m = ref mapped[(p - first) / HostPages.Size];
            if (m != showsFile) { m = showsFile; Count += showsFile ? 1 : -1; }
        }
    }

    /// <summary>Makes every page that shows a file zero memory again (one mmap per run of pages).</summary>
    public void Return()
    {
        int i = 0;
        while (i < mapped.Length)
        {
            if (!mapped[i]) { i++; continue; }
            int j = i;
            while (j < mapped.Length && mapped[j]) mapped[j++] = false;
            nint at = first + (nint)i * HostPages.Size, length = (nint)(j - i) * HostPages.Size;
            if (!HostPages.MapZero(at, length))
                Environment.FailFast($"jit360: cannot return {length} bytes at {at:X} of a storage array to zero memory");
            i = j;
        }
        Count = 0;
        GC.KeepAlive(array);
    }

    ~MappedPages() => Return();
}
