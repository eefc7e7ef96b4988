namespace Jit360.Architecture;

/// <summary>The architecture a machine implements (Hercules' ARCHLVL/ARCHMODE).</summary>
[Flags]
public enum ArchLevel : byte
{
    None = 0,
    /// <summary>System/360 (GA22-6821): standard, decimal and floating-point instructions.</summary>
    S360 = 1,
    /// <summary>System/360 Model 67 (GA27-2719): S/360 plus BAS, BASR, LMC, STMC, LRA, extended PSW.</summary>
    S360_67 = 2,
    /// <summary>System/370 (GA22-7000), BC mode and EC mode.</summary>
    S370 = 4,

    All = S360 | S360_67 | S370,
    S360Family = S360 | S360_67,
}

public static class ArchLevels
{
    /// <summary>Parses the names users write: S/360, S/360-67, S/370 (and Hercules' aliases).</summary>
    public static bool TryParse(string text, out ArchLevel level)
    {
        level = text.Trim().ToUpperInvariant() switch
        {
            "S/360" or "S360" or "360" => ArchLevel.S360,
            "S/360-67" or "S360-67" or "S/360/67" or "360-67" or "360/67" or "S/360-M67" => ArchLevel.S360_67,
            "S/370" or "S370" or "370" => ArchLevel.S370,
            _ => ArchLevel.None,
        };
        return level != ArchLevel.None;
    }

    public static string Name(this ArchLevel level) => level switch
    {
        ArchLevel.S360 => "S/360",
        ArchLevel.S360_67 => "S/360-67",
        ArchLevel.S370 => "S/370",
        _ => level.ToString(),
    };
}
