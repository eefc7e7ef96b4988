namespace Jit360.Architecture;

/// <summary>The facility an instruction belongs to (PoO appendix "Instruction lists").</summary>
public enum Feature : byte
{
    Standard,
    Decimal,
    FloatingPoint,
    /// <summary>System/360 Model 67 additions.</summary>
    Model67,
    /// <summary>System/370 additions (1975 set, GA22-7000-4).</summary>
    S370,
    /// <summary>System/370 extended-precision floating point.</summary>
    ExtendedFloat,
}

/// <summary>What an instruction does, as translators, tracers and generators need to know.</summary>
[Flags]
public enum OpFlags : ushort
{
    None = 0,
    Privileged = 1 << 0,
    Branch = 1 << 1,
    SetsCc = 1 << 2,
    ReadsCc = 1 << 3,
    ReadsStorage = 1 << 4,
    WritesStorage = 1 << 5,
    Io = 1 << 6,
    /// <summary>Ends a translation block: changes the PSW beyond the IA, or needs the machine.</summary>
    EndsBlock = 1 << 7,
    /// <summary>May be interrupted by a program check after storing part of its result.</summary>
    Interruptible = 1 << 8,
}
