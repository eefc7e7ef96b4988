using System.CommandLine;
using System.Globalization;
using Jit360.Architecture;

namespace Jit360.Cli;

/// <summary>
/// <c>jit360 disasm FILE [--origin ADDR] [--arch ...]</c>: disassembles a core image (raw bytes) from the
/// opcode table, one instruction per line: address, hex, assembler text.
/// </summary>
public sealed class DisasmVerb : IVerb
{
    public Command Build()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "raw storage bytes (a core image)" };
        var origin = new Option<string?>("--origin") { Description = "hex address of the first byte (default 0)" };
        var arch = new Option<string>("--arch") { Description = "architecture: S/360, S/360-67 or S/370", DefaultValueFactory = _ => "S/370" };
        var cmd = new Command("disasm", "Disassemble a core image") { file, origin, arch };
        cmd.SetAction(p => Run(p.GetValue(file)!, p.GetValue(origin), p.GetValue(arch)!));
        return cmd;
    }

    /// <summary>Hex addresses as Hercules users write them: 200, 0x200, X'200'.</summary>
    public static bool TryParseAddress(string text, out uint address)
    {
        string t = text.Trim();
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) t = t[2..];
        else if (t.Length > 3 && (t[0] is 'X' or 'x') && t[1] == '\'' && t[^1] == '\'') t = t[2..^1];
        return uint.TryParse(t, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out address) && address <= 0xFFFFFF;
    }

    static int Run(FileInfo file, string? originText, string arch)
    {
        if (!ArchLevels.TryParse(arch, out var level)) { Console.Error.WriteLine($"jit360 disasm: unknown architecture '{arch}'"); return 1; }
        uint origin = 0;
        if (originText != null && !TryParseAddress(originText, out origin)) { Console.Error.WriteLine($"jit360 disasm: bad origin '{originText}' (a hex address)"); return 1; }
        byte[] bytes;
        try { bytes = File.ReadAllBytes(file.FullName); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Console.Error.WriteLine($"jit360 disasm: cannot read {file}: {e.Message}"); return 1; }
        foreach (var line in Disassembler.Listing(bytes, origin, level)) Console.WriteLine(line);
        return 0;
    }
}
