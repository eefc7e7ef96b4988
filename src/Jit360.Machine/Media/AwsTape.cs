namespace Jit360.Machine.Media;

/// <summary>
/// A reel of tape kept in an AWS file (<see cref="AwsTapeFormat"/>). Mounting scans the whole
/// file once and refuses a malformed one with the file, offset and fault; the scan becomes an
/// index of blocks, and the tape position is the index of the next block (0 = load point).
/// Writing truncates everything beyond the write point, as on a real reel where a write leaves
/// whatever followed unreadable. Writes reach the file at once (flushed to the operating system).
/// </summary>
public sealed class AwsTape : IDisposable
{
    readonly FileStream file;
    readonly List<AwsBlock> blocks;

    public string FilePath { get; }
    public bool ReadOnly { get; }
    /// <summary>The block the next forward read meets (0 is load point).</summary>
    public int Position { get; private set; }
    public IReadOnlyList<AwsBlock> Blocks => blocks;
    public bool AtLoadPoint => Position == 0;
    /// <summary>What went wrong on the last <see cref="TapeResult.DataCheck"/>.</summary>
    public string? LastError { get; private set; }

    AwsTape(string path, FileStream file, bool readOnly, List<AwsBlock> blocks)
    {
        FilePath = path;
        this.file = file;
        ReadOnly = readOnly;
        this.blocks = blocks;
    }

    /// <summary>
    /// Mounts an existing AWS file (a missing one is created empty unless read-only).
    /// Throws <see cref="AwsTapeException"/> for a file that cannot be opened or is malformed.
    /// </summary>
    public static AwsTape Open(string path, bool readOnly = false)
    {
        FileStream fs;
        try
        {
            // Unbuffered: every read sees the file as it is now, and a write is in the file when Write returns.
            fs = readOnly
                ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0)
                : new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new AwsTapeException($"{path}: cannot open the tape file: {e.Message}");
        }
        try
        {
            return new AwsTape(path, fs, readOnly, Scan(fs, path));
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }

    /// <summary>A fresh, empty tape (an existing file of that name is emptied).</summary>
    public static AwsTape Create(string path)
    {
        try { File.WriteAllBytes(path, []); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new AwsTapeException($"{path}: cannot create the tape file: {e.Message}");
        }
        return Open(path);
    }

    /// <summary>Checks every header of an AWS file and lists its blocks; throws <see cref="AwsTapeException"/> at the first fault.</summary>
    public static List<AwsBlock> Scan(Stream s, string name)
    {
        var list = new List<AwsBlock>();
        long length = s.Length, offset = 0;
        int previous = 0;
        long blockStart = -1;
        int blockLength = 0;
        Span<byte> h = stackalloc byte[AwsTapeFormat.HeaderLength];
        s.Position = 0;
        string Where(long at) => $"{name}: offset {at} (X'{at:X}')";
        while (offset < length)
        {
            if (length - offset < AwsTapeFormat.HeaderLength)
                throw new AwsTapeException($"{Where(offset)}: truncated header ({length - offset} of {AwsTapeFormat.HeaderLength} bytes before the end of the file)");
            s.Position = offset;
            s.ReadExactly(h);
            var hdr = AwsTapeFormat.Decode(h);
            if (hdr.PreviousLength != previous)
                throw new AwsTapeException($"{Where(offset)}: previous-length field is {hdr.PreviousLength} but the chunk before is {previous} bytes long");
            long dataEnd = offset + AwsTapeFormat.HeaderLength + hdr.Length;
            if (dataEnd > length)
                throw new AwsTapeException($"{Where(offset)}: chunk of {hdr.Length} bytes runs past the end of the file ({length} bytes)");
            if (hdr.IsTapeMark)
            {
                if (blockStart >= 0)
                    throw new AwsTapeException($"{Where(offset)}: tape mark inside the block that starts at offset {blockStart}");
                if (hdr.Length != 0)
                    throw new AwsTapeException($"{Where(offset)}: tape mark header carries {hdr.Length} data bytes");
                list.Add(new AwsBlock(offset, 0, true, 0, dataEnd));
            }
            else
            {
                if (hdr.Starts && blockStart >= 0)
                    throw new AwsTapeException($"{Where(offset)}: start of record inside the block that starts at offset {blockStart}");
                if (!hdr.Starts && blockStart < 0)
                    throw new AwsTapeException($"{Where(offset)}: chunk without start of record outside any block (flags X'{hdr.Flags1:X2}')");
                if (hdr.Starts) { blockStart = offset; blockLength = 0; }
                blockLength += hdr.Length;
                if (hdr.Ends)
                {
                    // A block of no data reads as a tape mark on a real drive (Hercules does the same).
                    list.Add(new AwsBlock(blockStart, blockLength, blockLength == 0, hdr.Length, dataEnd));
                    blockStart = -1;
                }
            }
            previous = hdr.Length;
            offset = dataEnd;
        }
        if (blockStart >= 0)
            throw new AwsTapeException($"{Where(blockStart)}: the file ends inside this block (no end-of-record chunk)");
        return list;
    }

    /// <summary>Reads the next block. A tape mark or the end of data returns no bytes.</summary>
    public TapeResult ReadForward(out byte[] data)
    {
        data = [];
        if (Position >= blocks.Count) return TapeResult.EndOfData;
        var b = blocks[Position];
        if (!b.IsTapeMark && !TryReadBlock(b, out data)) return TapeResult.DataCheck;
        Position++;
        return b.IsTapeMark ? TapeResult.TapeMark : TapeResult.Block;
    }

    /// <summary>
    /// Reads the previous block, leaving the tape before it. Returns the block's bytes in
    /// recorded order (the drive sends them last byte first; that is the device's business).
    /// </summary>
    public TapeResult ReadBackward(out byte[] data)
    {
        data = [];
        if (Position == 0) return TapeResult.LoadPoint;
        var b = blocks[Position - 1];
        if (!b.IsTapeMark && !TryReadBlock(b, out data)) return TapeResult.DataCheck;
        Position--;
        return b.IsTapeMark ? TapeResult.TapeMark : TapeResult.Block;
    }

    public TapeResult ForwardSpaceBlock()
    {
        if (Position >= blocks.Count) return TapeResult.EndOfData;
        return blocks[Position++].IsTapeMark ? TapeResult.TapeMark : TapeResult.Block;
    }

    public TapeResult BackspaceBlock()
    {
        if (Position == 0) return TapeResult.LoadPoint;
        return blocks[--Position].IsTapeMark ? TapeResult.TapeMark : TapeResult.Block;
    }

    /// <summary>Spaces forward past the next tape mark (TapeMark), or stops at the end of data (EndOfData).</summary>
    public TapeResult ForwardSpaceFile()
    {
        while (true)
        {
            var r = ForwardSpaceBlock();
            if (r != TapeResult.Block) return r;
        }
    }

    /// <summary>Spaces backward over the previous tape mark, leaving the tape before it (TapeMark), or stops at load point (LoadPoint).</summary>
    public TapeResult BackspaceFile()
    {
        while (true)
        {
            var r = BackspaceBlock();
            if (r != TapeResult.Block) return r;
        }
    }

    public void Rewind()
    {
        Position = 0;
        Flush();
    }

    /// <summary>The file number the tape is in (1 before the first tape mark).</summary>
    public int FileNumber
    {
        get
        {
            int n = 1;
            for (int i = 0; i < Position; i++) if (blocks[i].IsTapeMark) n++;
            return n;
        }
    }

    /// <summary>Writes one data block at the current position; everything after it is gone.</summary>
    public bool Write(ReadOnlySpan<byte> data) => Record(data, tapeMark: false);

    public bool WriteTapeMark() => Record([], tapeMark: true);

    /// <summary>Erases from the current position to the end of the reel (DATA SECURITY ERASE).</summary>
    public bool EraseToEnd()
    {
        if (ReadOnly) return Fail("the tape is read-only");
        try
        {
            file.SetLength(WritePoint());
            blocks.RemoveRange(Position, blocks.Count - Position);
            file.Flush();
            return true;
        }
        catch (IOException e) { return Fail(e.Message); }
    }

    long WritePoint() => Position < blocks.Count ? blocks[Position].Offset : blocks.Count > 0 ? blocks[^1].End : 0;

    bool Record(ReadOnlySpan<byte> data, bool tapeMark)
    {
        if (ReadOnly) return Fail("the tape is read-only");
        long start = WritePoint();
        int previous = Position > 0 ? blocks[Position - 1].LastChunkLength : 0;
        int chunks = tapeMark ? 1 : Math.Max(1, (data.Length + AwsTapeFormat.MaxChunk - 1) / AwsTapeFormat.MaxChunk);
        var bytes = new byte[chunks * AwsTapeFormat.HeaderLength + data.Length];
        int at = 0, from = 0, last = 0;
        for (int c = 0; c < chunks; c++)
        {
            int n = tapeMark ? 0 : Math.Min(AwsTapeFormat.MaxChunk, data.Length - from);
            byte flags = tapeMark ? AwsTapeFormat.TapeMark
                : (byte)((c == 0 ? AwsTapeFormat.StartOfRecord : 0) | (c == chunks - 1 ? AwsTapeFormat.EndOfRecord : 0));
            AwsTapeFormat.Encode(bytes.AsSpan(at), n, previous, flags);
            data.Slice(from, n).CopyTo(bytes.AsSpan(at + AwsTapeFormat.HeaderLength));
            at += AwsTapeFormat.HeaderLength + n;
            from += n;
            previous = last = n;
        }
        try
        {
            file.Position = start;
            file.Write(bytes);
            file.SetLength(start + bytes.Length);
            file.Flush();
        }
        catch (IOException e) { return Fail(e.Message); }
        blocks.RemoveRange(Position, blocks.Count - Position);
        blocks.Add(new AwsBlock(start, tapeMark ? 0 : data.Length, tapeMark || data.Length == 0, last, start + bytes.Length));
        Position++;
        return true;
    }

    /// <summary>Reads a block's chunks, checking them against the scan (the file may have changed since).</summary>
    bool TryReadBlock(AwsBlock b, out byte[] data)
    {
        data = new byte[b.Length];
        Span<byte> h = stackalloc byte[AwsTapeFormat.HeaderLength];
        try
        {
            long offset = b.Offset;
            int got = 0;
            while (true)
            {
                if (offset + AwsTapeFormat.HeaderLength > file.Length)
                    return Fail($"offset {offset}: the file ends inside a block header");
                file.Position = offset;
                file.ReadExactly(h);
                var hdr = AwsTapeFormat.Decode(h);
                if (hdr.IsTapeMark || (offset == b.Offset) != hdr.Starts || got + hdr.Length > data.Length)
                    return Fail($"offset {offset}: the block no longer matches what was scanned at mount");
                file.ReadExactly(data.AsSpan(got, hdr.Length));
                got += hdr.Length;
                offset += AwsTapeFormat.HeaderLength + hdr.Length;
                if (hdr.Ends) break;
            }
            if (got != data.Length) return Fail($"offset {b.Offset}: the block is {got} bytes, {data.Length} when scanned");
            return true;
        }
        catch (IOException e)
        {
            return Fail(e.Message);
        }
    }

    bool Fail(string why)
    {
        LastError = $"{FilePath}: {why}";
        return false;
    }

    public void Flush()
    {
        if (ReadOnly) return;
        try { file.Flush(true); } catch (IOException) { }
    }

    public void Dispose()
    {
        Flush();
        file.Dispose();
    }
}
