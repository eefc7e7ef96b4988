using System.Runtime.InteropServices;

namespace Jit360.Machine;

/// <summary>
/// The host's virtual memory, page by page (Linux only): replace whole host pages of a pinned
/// array with fresh zero pages, or with a private copy-on-write view of a memory file. Nothing
/// here allocates, frees or moves managed memory; it only changes what backs pages the array
/// already owns, so the array keeps its address and every index stays valid.
/// </summary>
internal static partial class HostPages
{
    /// <summary>Host page size (4096 on x86-64 and most arm64 Linux systems).</summary>
    public static readonly int Size = Environment.SystemPageSize;

    /// <summary>
    /// Why pages cannot be remapped on this host, or null when they can: 64-bit Linux on x86-64 or
    /// arm64 (the two whose mmap flag values are written below).
    /// </summary>
    public static readonly string? Unavailable =
        !OperatingSystem.IsLinux() ? $"the host is not Linux ({RuntimeInformation.OSDescription})"
        : RuntimeInformation.ProcessArchitecture is not (System.Runtime.InteropServices.Architecture.X64 or System.Runtime.InteropServices.Architecture.Arm64) ? $"the host architecture is {RuntimeInformation.ProcessArchitecture}"
        : Size < 4096 || (Size & (Size - 1)) != 0 ? $"the host page size is {Size}"
        : null;

    const int ProtRead = 1, ProtWrite = 2;
    const int MapPrivateFlag = 0x02, MapFixedFlag = 0x10, MapAnonymousFlag = 0x20;
    const uint MfdCloexec = 1;

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MemfdCreate(string name, uint flags);

    /// <summary>The first host page boundary at or above <paramref name="address"/>.</summary>
    public static nint RoundUp(nint address) => (address + Size - 1) & ~(nint)(Size - 1);

    /// <summary>The host page boundary at or below <paramref name="address"/>.</summary>
    public static nint RoundDown(nint address) => address & ~(nint)(Size - 1);

    /// <summary>
    /// Replaces whole pages with private anonymous zero pages (the kernel hands out its zero page
    /// until a page is written, so untouched storage costs no host memory). False on failure.
    /// </summary>
    public static bool MapZero(nint address, nint length)
    {
        if (length <= 0) return true;
        return Mmap(address, (nuint)length, ProtRead | ProtWrite, MapPrivateFlag | MapFixedFlag | MapAnonymousFlag, -1, 0) == address;
    }

    /// <summary>
    /// Replaces whole pages with a private view of <paramref name="file"/> from <paramref name="offset"/>:
    /// reads share the file's pages; the first store into a page gets a private copy of that page
    /// (MAP_PRIVATE), so no store ever reaches the file. False and the reason on failure; then the
    /// range is zero pages.
    /// </summary>
    public static bool MapPrivate(nint address, nint length, SafeHandle file, long offset, out string? error)
    {
        error = null;
        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            int fd = (int)file.DangerousGetHandle();
            if (Mmap(address, (nuint)length, ProtRead | ProtWrite, MapPrivateFlag | MapFixedFlag, fd, offset) == address) return true;
            error = "mmap: " + Marshal.GetLastPInvokeErrorMessage();
        }
        finally { if (added) file.DangerousRelease(); }
        // A failed MAP_FIXED may already have removed part of the old mapping: the range must be
        // memory again before anyone touches the array.
        if (!MapZero(address, length))
            Environment.FailFast($"jit360: cannot restore {length} bytes of host memory at {address:X} after a failed mmap");
        return false;
    }

    /// <summary>An anonymous memory file (memfd) holding <paramref name="contents"/> at <paramref name="at"/>, its length rounded up to whole pages; null and the reason on failure.</summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle? MemoryFile(string name, ReadOnlySpan<byte> contents, int at, out string? error)
    {
        error = null;
        int fd = MemfdCreate(name, MfdCloexec);
        if (fd < 0)
        {
            error = "memfd_create: " + Marshal.GetLastPInvokeErrorMessage();
            return null;
        }
        var file = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        try
        {
            RandomAccess.SetLength(file, RoundUp((nint)(at + contents.Length)));
            RandomAccess.Write(file, contents, at);
            return file;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            file.Dispose();
            error = e.Message;
            return null;
        }
    }
}
