namespace Jit360.Machine;

/// <summary>
/// Whether <see cref="Storage.LoadShared"/> can share pages on this host, and the one report
/// when it cannot (non-Linux host, or a memory file or mapping that failed): loads then copy,
/// which is slower to start and costs host memory per machine but behaves the same for the guest.
/// </summary>
public static class SharedPages
{
    /// <summary>True on a host whose pages can be remapped (64-bit Linux).</summary>
    public static bool Supported => HostPages.Unavailable == null;

    /// <summary>Why loads copy instead of sharing: the host, or the first failure seen; null while sharing works.</summary>
    public static string? FallbackReason { get; private set; } = HostPages.Unavailable;

    static int reported;

    internal static void Fallback(string why)
    {
        FallbackReason ??= why;
        if (Interlocked.Exchange(ref reported, 1) == 0)
            Console.Error.WriteLine($"jit360: saved-system pages are copied into each machine, not shared: {why}");
    }

    /// <summary>Reports the host's own reason once, the first time a shared load has to copy because of it.</summary>
    internal static void ReportUnsupported()
    {
        if (HostPages.Unavailable != null) Fallback(HostPages.Unavailable);
    }
}
