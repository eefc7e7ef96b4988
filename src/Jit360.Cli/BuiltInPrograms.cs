using System.Buffers.Binary;
using System.Reflection;
using Jit360.Architecture;
using Jit360.Assembler;

namespace Jit360.Cli;

/// <summary>
/// A program built into jit360: a core image for absolute address 0, where to start it, and
/// how to read what it computed from storage when it has stopped in its disabled wait.
/// </summary>
public sealed record BuiltInProgram(
    string Name, ArchLevel Level, uint StorageSize, byte[] Image, uint Entry,
    string SuccessPsw, string Description, Func<byte[], string> Result);

/// <summary>A demo guest program assembled: its core image (origin 0), entry, IPL deck (80-byte EBCDIC cards) and the repeat count set in it.</summary>
public sealed record GuestImage(string Name, CoreImage Image, uint Entry, byte[] IplDeck, int Repeats);

/// <summary>Programs that ship inside jit360 as assembler source (embedded resources), assembled when used.</summary>
public static class BuiltInPrograms
{
    public const string DemoResource = "Jit360.Cli.Programs.demo.asm";

    /// <summary>The source of the demo (src/Jit360.Cli/Programs/demo.asm).</summary>
    public static string DemoSource => Read(DemoResource);

    /// <summary>
    /// The README's default program: the sieve of Eratosthenes below 1000 in System/360
    /// instructions, repeated <paramref name="repetitions"/> times, ending in the disabled wait
    /// X'00020000 000000A8' (168 primes).
    /// </summary>
    public static BuiltInProgram Demo(int repetitions = 20_000)
    {
        if (repetitions < 1) throw new ArgumentOutOfRangeException(nameof(repetitions), "at least one repetition");
        var asm = Assembler.Assembler.Assemble(DemoSource, "demo.asm", new AssemblerOptions { Level = ArchLevel.S360, Origin = 0 });
        if (!asm.Success)
            throw new InvalidOperationException("the built-in demo does not assemble:\n" + string.Join("\n", asm.Diagnostics));
        var image = asm.CoreImage.Bytes.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan((int)asm.Symbols["REPEATS"]), (uint)repetitions);
        int count = (int)asm.Symbols["COUNTP"], sum = (int)asm.Symbols["SUMP"], largest = (int)asm.Symbols["LARGEST"];
        return new BuiltInProgram(
            "demo", ArchLevel.S360, 64 * 1024, image, asm.EntryPoint, "00020000 000000A8",
            $"the sieve of Eratosthenes below 1000, {repetitions:N0} times (System/360 instructions, assembled from demo.asm)",
            storage => $"{Word(storage, count)} primes below 1000 (sum {Word(storage, sum)}, largest {Word(storage, largest)})");
    }

    /// <summary>
    /// A guest program of the CP demo (src/Jit360.Cli/Programs/NAME.asm), assembled for System/370
    /// at origin 0 with the demo's macros (Programs/Macros: VMPUT, VMNUM, VMTYPE, VMCP, VMLOGOFF,
    /// VMRUNTIM), its REPEATS word (when it has one) set to <paramref name="repeats"/>, and punched
    /// as a self-loading IPL deck for the virtual reader.
    /// </summary>
    public static GuestImage Guest(string name, int repeats)
    {
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), "at least one repetition");
        string file = name + ".asm";
        var asm = Assembler.Assembler.Assemble(Read("Jit360.Cli.Programs." + file), file,
            new AssemblerOptions { Level = ArchLevel.S370, Origin = 0, BuiltinMacros = GuestMacros.Value, DeckId = name.ToUpperInvariant()[..Math.Min(4, name.Length)] });
        if (!asm.Success)
            throw new InvalidOperationException($"the built-in guest program {file} does not assemble:\n" + asm.DiagnosticText);
        var image = asm.CoreImage.Bytes.ToArray();
        bool repeated = asm.Symbols.TryGetValue("REPEATS", out long at);
        if (repeated) BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan((int)at), (uint)repeats);
        var core = asm.CoreImage with { Bytes = image };
        return new GuestImage(name, core, asm.EntryPoint, IplDeck.Build(core, asm.EntryPoint), repeated ? repeats : 1);
    }

    /// <summary>The demo guests' macros, NAME.mac resources under Programs/Macros, by name.</summary>
    static readonly Lazy<IReadOnlyDictionary<string, string>> GuestMacros = new(() =>
    {
        const string prefix = "Jit360.Cli.Programs.Macros.";
        return Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".mac", StringComparison.Ordinal))
            .ToDictionary(n => n[prefix.Length..^4], Read, StringComparer.OrdinalIgnoreCase);
    });

    static uint Word(byte[] storage, int at) => BinaryPrimitives.ReadUInt32BigEndian(storage.AsSpan(at, 4));

    static string Read(string resource)
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"resource {resource} missing from the jit360 assembly");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
