using Jit360.Architecture;
using Jit360.Assembler;

namespace Jit360.Tests.Assembler;

/// <summary>Helpers for assembler tests: assemble a snippet, look at its bytes.</summary>
static class Asm
{
    public static AssemblyResult Run(string source, ArchLevel level = ArchLevel.S370, uint origin = 0, IReadOnlyList<string>? libraries = null)
        => Jit360.Assembler.Assembler.Assemble(source, "test.asm", new AssemblerOptions { Level = level, Origin = origin, Libraries = libraries ?? [] });

    /// <summary>Assembles and requires success.</summary>
    public static AssemblyResult Ok(string source, ArchLevel level = ArchLevel.S370, uint origin = 0, IReadOnlyList<string>? libraries = null)
    {
        var r = Run(source, level, origin, libraries);
        Assert.That(r.Success, Is.True, r.DiagnosticText + "\n" + r.Listing);
        return r;
    }

    /// <summary>The whole core image in hex.</summary>
    public static string Hex(string source, ArchLevel level = ArchLevel.S370) => Convert.ToHexString(Ok(source, level).CoreImage.Bytes);

    /// <summary>The core image in hex, with library directories for macros and COPY.</summary>
    public static string Hex2(string source, IReadOnlyList<string> libraries) => Convert.ToHexString(Ok(source, libraries: libraries).CoreImage.Bytes);

    /// <summary>The bytes of one statement (given as its operation and operands) assembled alone at location 0, no USING.</summary>
    public static string One(string statement, ArchLevel level = ArchLevel.S370)
        => Hex($"         {statement}\n         END\n", level);
}
