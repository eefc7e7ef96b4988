using System.CommandLine;
using Jit360.Architecture;
using Jit360.Assembler;

namespace Jit360.Cli;

/// <summary>
/// <c>jit360 asm FILE [-o OUT] [--listing FILE] [--arch S/360|S/360-67|S/370] [--format core|object|ipl]</c>:
/// assembles IBM assembler language. Messages go to standard error as file:line:column; the exit
/// code is the assembler's return code: 0 clean, 4 warnings, 8 errors (no output is written).
/// </summary>
public sealed class AsmVerb : IVerb
{
    public Command Build()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "assembler source" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "output file (default: FILE with .core, .obj or .ipl)" };
        var listing = new Option<FileInfo?>("--listing") { Description = "write the listing to this file" };
        var arch = new Option<string>("--arch") { Description = "architecture: S/360, S/360-67 or S/370", DefaultValueFactory = _ => "S/370" };
        var format = new Option<string>("--format") { Description = "core (a core image for loadcore), object (OS/360 object deck) or ipl (self-loading card deck)", DefaultValueFactory = _ => "core" };
        format.AcceptOnlyFromAmong("core", "object", "ipl");
        var origin = new Option<string?>("--origin") { Description = "hex address of the first section when START gives none (default 0)" };
        var maclib = new Option<string[]>("--maclib") { Description = "directory of macros and COPY members (repeatable)", AllowMultipleArgumentsPerToken = true };
        var cmd = new Command("asm", "Assemble IBM assembler language into a core image, object deck or IPL deck") { file, output, listing, arch, format, origin, maclib };
        cmd.SetAction(p => Run(p.GetValue(file)!, p.GetValue(output), p.GetValue(listing), p.GetValue(arch)!, p.GetValue(format)!, p.GetValue(origin), p.GetValue(maclib) ?? []));
        return cmd;
    }

    static int Run(FileInfo file, FileInfo? output, FileInfo? listing, string arch, string format, string? originText, string[] maclib)
    {
        if (!ArchLevels.TryParse(arch, out var level)) { Console.Error.WriteLine($"jit360 asm: unknown architecture '{arch}' (S/360, S/360-67, S/370)"); return 8; }
        uint origin = 0;
        if (originText != null && !DisasmVerb.TryParseAddress(originText, out origin)) { Console.Error.WriteLine($"jit360 asm: bad origin '{originText}' (a hex address)"); return 8; }
        string source;
        try { source = File.ReadAllText(file.FullName); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Console.Error.WriteLine($"jit360 asm: cannot read {file}: {e.Message}"); return 8; }

        var result = Jit360.Assembler.Assembler.Assemble(source, file.ToString(), new AssemblerOptions { Level = level, Origin = origin, Libraries = maclib });
        foreach (var d in result.Diagnostics) Console.Error.WriteLine(d);
        try
        {
            if (listing != null) File.WriteAllText(listing.FullName, result.Listing);
            if (!result.Success) return 8;
            string ext = format switch { "object" => ".obj", "ipl" => ".ipl", _ => ".core" };
            var path = output?.FullName ?? Path.ChangeExtension(file.FullName, ext);
            byte[] bytes = format switch { "object" => result.ObjectDeck, "ipl" => result.IplDeck, _ => result.CoreImage.Bytes };
            File.WriteAllBytes(path, bytes);
            Console.Error.WriteLine($"{path}: {bytes.Length} bytes, origin {result.CoreImage.Origin:X6}, entry {result.EntryPoint:X6}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Console.Error.WriteLine($"jit360 asm: {e.Message}"); return 8; }
        return result.Diagnostics.Any(d => d.Severity == Severity.Warning) ? 4 : 0;
    }
}
