using Jit360.Architecture;

namespace Jit360.Tests.Oracle;

/// <summary>Instruction families, as the differential tests select them.</summary>
public enum Family { FixedPoint, Logical, Shift, Branch, Character, Decimal, Float, Control, Io, S370 }

public static class Families
{
    static readonly HashSet<string> shift = ["SLL", "SRL", "SRA", "SLA", "SLDL", "SRDL", "SRDA", "SLDA"];
    static readonly HashSet<string> logical = ["NR", "OR", "XR", "CLR", "N", "O", "X", "CL", "ALR", "SLR", "AL", "SL", "IC", "STC", "LA"];
    static readonly HashSet<string> character = ["MVC", "MVN", "MVZ", "NC", "OC", "XC", "CLC", "TR", "TRT", "MVI", "CLI", "TM", "NI", "OI", "XI", "TS"];
    static readonly HashSet<string> decimalStandard = ["CVB", "CVD", "PACK", "UNPK", "MVO"];

    public static Family Of(Opcode op)
    {
        if (op.Has(OpFlags.Io)) return Family.Io;
        if (op.Feature is Feature.FloatingPoint or Feature.ExtendedFloat) return Family.Float;
        if (op.Feature == Feature.Decimal || decimalStandard.Contains(op.Mnemonic)) return Family.Decimal;
        if (op.IsPrivileged || op.Mnemonic is "SVC" or "MC") return Family.Control;
        if (op.Feature is Feature.S370 or Feature.Model67) return Family.S370;
        if (shift.Contains(op.Mnemonic)) return Family.Shift;
        if (op.Has(OpFlags.Branch) || op.Mnemonic == "EX") return Family.Branch;
        if (character.Contains(op.Mnemonic)) return Family.Character;
        if (logical.Contains(op.Mnemonic)) return Family.Logical;
        return Family.FixedPoint;
    }

    /// <summary>Parses a comma-separated family list (JIT360_ORACLE_FAMILIES), or null for "all".</summary>
    public static HashSet<Family>? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "all") return null;
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                   .Select(s => Enum.Parse<Family>(s, ignoreCase: true)).ToHashSet();
    }
}
