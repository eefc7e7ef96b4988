namespace Jit360.Machine.Devices.UnitRecord;

/// <summary>
/// The file a punch or printer writes, opened at the first output as Hercules does: emptied
/// then, unless <c>noclear</c> asked to append. Every card or line reaches the operating system
/// at once, so another program can follow the file.
/// </summary>
sealed class OutputFile(string path, bool append) : IDisposable
{
    FileStream? stream;

    public string Path { get; } = path;

    /// <summary>Writes the bytes; false (with <paramref name="error"/>) when the file cannot be opened or written.</summary>
    public bool Write(ReadOnlySpan<byte> bytes, out string? error)
    {
        error = null;
        try
        {
            stream ??= new FileStream(Path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read);
            stream.Write(bytes);
            stream.Flush();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = e.Message;
            return false;
        }
    }

    public void Dispose()
    {
        stream?.Dispose();
        stream = null;
    }
}
