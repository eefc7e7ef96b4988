using System.Buffers.Binary;
using System.CommandLine;
using Jit360.Architecture;
using Jit360.Machine.Media;

namespace Jit360.Cli;

/// <summary>
/// <c>jit360 tape map FILE</c>: the files of an AWS tape, like Hercules' tapemap (file number,
/// block count, smallest and largest block), standard labels among a file's first four blocks,
/// each tape mark, and the end of the tape. A file
/// of 80-byte blocks whose first block holds an IPL PSW and a read CCW is named an IPL deck.
/// </summary>
public sealed class TapeVerb : IVerb
{
    public Command Build()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "an AWS tape file" };
        var map = new Command("map", "List the files and blocks of an AWS tape") { file };
        map.SetAction(p => Map(p.GetValue(file)!.FullName, Console.Out, Console.Error));
        return new Command("tape", "AWS tape tools") { map };
    }

    /// <summary>Writes the map; 0 on success, 1 (with the reason on <paramref name="error"/>) for a malformed or unreadable tape.</summary>
    public static int Map(string path, TextWriter output, TextWriter error)
    {
        AwsTape tape;
        try { tape = AwsTape.Open(path, readOnly: true); }
        catch (AwsTapeException e) { error.WriteLine($"jit360 tape: {e.Message}"); return 1; }
        using (tape)
        {
            int file = 1, blocks = 0, min = 0, max = 0;
            byte[]? first = null;
            bool all80 = true;
            while (true)
            {
                var r = tape.ReadForward(out var data);
                if (r == TapeResult.Block)
                {
                    if (blocks == 0) { first = data; min = max = data.Length; }
                    min = Math.Min(min, data.Length);
                    max = Math.Max(max, data.Length);
                    all80 &= data.Length == 80;
                    if (blocks < 4 && Label(data) is { } label) output.WriteLine($"Tape label: {label}");
                    blocks++;
                    continue;
                }
                if (r == TapeResult.DataCheck) { error.WriteLine($"jit360 tape: {tape.LastError}"); return 1; }
                if (blocks > 0 || r == TapeResult.TapeMark)
                {
                    output.WriteLine($"File {file}: Blocks={blocks}, block size min={min}, max={max}");
                    if (blocks > 0 && all80 && first != null && IplDeck(first) is { } ipl) output.WriteLine($"  {ipl}");
                }
                if (r == TapeResult.EndOfData) break;
                output.WriteLine($"Tape mark (block {tape.Position})");
                file++; blocks = 0; min = max = 0; first = null; all80 = true;
            }
            output.WriteLine($"End of tape: {tape.Blocks.Count} blocks and tape marks, {new FileInfo(path).Length} bytes.");
            return 0;
        }
    }

    /// <summary>
    /// A self-loading card deck: the first card is the IPL PSW (bytes 0-7) and the IPL CCWs
    /// (bytes 8-23) the channel runs after reading it (GA22-7000 "Initial Program Loading");
    /// the first of them must be a read with command chaining.
    /// </summary>
    static string? IplDeck(byte[] card)
    {
        byte cmd = card[8], flags = card[12];
        int count = BinaryPrimitives.ReadUInt16BigEndian(card.AsSpan(14));
        bool read = (cmd & 0x03) == 0x02 || (cmd & 0x0F) == 0x0C;
        if (!read || (flags & 0x40) == 0 || count == 0) return null;
        return $"looks like an IPL deck: IPL PSW {Hex(card, 0)} {Hex(card, 4)}, first CCW {Hex(card, 8)} {Hex(card, 12)}";
    }

    /// <summary>An IBM standard label (VOL1, HDR1/2, EOF1/2, EOV1/2: 80 EBCDIC bytes) as text; null for any other block.</summary>
    static string? Label(byte[] block)
    {
        if (block.Length != 80) return null;
        string text = Ebcdic.ToString(block);
        return text.StartsWith("VOL") || text.StartsWith("HDR") || text.StartsWith("EOF") || text.StartsWith("EOV")
            ? Ebcdic.Printable(block).TrimEnd() : null;
    }

    static string Hex(byte[] b, int at) => Convert.ToHexString(b, at, 4);
}
