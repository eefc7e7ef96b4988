using System.Buffers.Binary;

namespace Jit360.Machine.Media;

/// <summary>
/// The AWS tape file format (P/390 AWSTAPE, as Hercules' <c>AWSTAPE_BLKHDR</c> has it): the tape
/// is a sequence of chunks, each a 6-byte header followed by its data. Header: current chunk
/// length (u16 little-endian), previous chunk length (u16 LE), flags1, flags2. A block is the
/// chunks from one with start-of-record to one with end-of-record; a tape mark is a header
/// alone, flagged tape mark.
/// </summary>
public static class AwsTapeFormat
{
    public const int HeaderLength = 6;
    public const byte StartOfRecord = 0x80;
    public const byte TapeMark = 0x40;
    public const byte EndOfRecord = 0x20;
    /// <summary>Largest data a chunk can carry (its length is 16 bits).</summary>
    public const int MaxChunk = 0xFFFF;

    public readonly record struct Header(int Length, int PreviousLength, byte Flags1, byte Flags2)
    {
        public bool IsTapeMark => (Flags1 & TapeMark) != 0;
        public bool Starts => (Flags1 & StartOfRecord) != 0;
        public bool Ends => (Flags1 & EndOfRecord) != 0;
    }

    public static Header Decode(ReadOnlySpan<byte> h) =>
        new(BinaryPrimitives.ReadUInt16LittleEndian(h), BinaryPrimitives.ReadUInt16LittleEndian(h[2..]), h[4], h[5]);

    public static void Encode(Span<byte> h, int length, int previous, byte flags1)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(h, (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[2..], (ushort)previous);
        h[4] = flags1;
        h[5] = 0;
    }
}

/// <summary>One block of an AWS tape as found by the scan: where its first header is, how long its data is.</summary>
public readonly record struct AwsBlock(long Offset, int Length, bool IsTapeMark, int LastChunkLength, long End);

/// <summary>An AWS file that is not a well-formed tape: names the file, the offset and what is wrong.</summary>
public sealed class AwsTapeException(string message) : Exception(message);

/// <summary>The outcome of a tape motion or read, in the terms the drive reports.</summary>
public enum TapeResult
{
    /// <summary>A data block was read or spaced over.</summary>
    Block,
    /// <summary>A tape mark was read or spaced over.</summary>
    TapeMark,
    /// <summary>Forward motion past the last thing written (the rest of the reel is blank).</summary>
    EndOfData,
    /// <summary>Backward motion at load point.</summary>
    LoadPoint,
    /// <summary>The file no longer matches what was scanned (changed behind our back, I/O error).</summary>
    DataCheck,
}
