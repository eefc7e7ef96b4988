using Jit360.Architecture;

namespace Jit360.Assembler;

/// <summary>How to assemble: the architecture level, where the first section starts, where macros and COPY members are.</summary>
public sealed class AssemblerOptions
{
    /// <summary>The instruction set accepted (S/360, S/360-67, S/370).</summary>
    public ArchLevel Level { get; init; } = ArchLevel.S370;
    /// <summary>The assembled address of the first control section when START gives none.</summary>
    public uint Origin { get; init; }
    /// <summary>Directories searched for macro definitions (NAME.mac, NAME.asm, NAME) and COPY members.</summary>
    public IReadOnlyList<string> Libraries { get; init; } = [];
    /// <summary>The deck name punched in columns 73-76 of object and IPL cards.</summary>
    public string DeckId { get; init; } = "J360";
    /// <summary>The ordinary macro definitions available to every assembly, as source text (name -> text).</summary>
    public IReadOnlyDictionary<string, string> BuiltinMacros { get; init; } = new Dictionary<string, string>();
}
