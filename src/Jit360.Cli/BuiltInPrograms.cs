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

    static uint Word(byte[] storage, int at) => BinaryPrimitives.ReadUInt32BigEndian(storage.AsSpan(at, 4));

    static string Read(string resource)
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"resource {resource} missing from the jit360 assembly");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
