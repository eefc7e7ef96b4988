using System.Runtime.CompilerServices;

namespace Jit360.Machine;

/// <summary>Sixteen 32-bit registers (general or control) held inline in the CPU object.</summary>
[InlineArray(16)]
public struct Registers16
{
    uint element;
}

/// <summary>The floating-point registers, indexed by register number; only 0, 2, 4, 6 exist.</summary>
[InlineArray(8)]
public struct FloatRegisters
{
    ulong element;
}
