using System.Runtime.CompilerServices;

namespace Jit360.Machine.Semantics;

/// <summary>
/// Binary arithmetic (GA22-6821 "Fixed-Point Arithmetic"; GA22-7000 chapter 7). Each method
/// returns the condition code; overflow is reported through the code (3), the caller decides
/// on the fixed-point-overflow interruption from the program mask.
/// </summary>
public static class FixedPoint
{
    /// <summary>ADD: cc 0 zero, 1 negative, 2 positive, 3 overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Add(uint a, uint b, out uint r)
    {
        r = a + b;
        if ((int)((a ^ r) & (b ^ r)) < 0) return 3;
        return Sign(r);
    }

    /// <summary>SUBTRACT: as ADD of the two's complement.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Subtract(uint a, uint b, out uint r)
    {
        r = a - b;
        if ((int)((a ^ b) & (a ^ r)) < 0) return 3;
        return Sign(r);
    }

    /// <summary>ADD LOGICAL: cc 0 zero no carry, 1 nonzero no carry, 2 zero carry, 3 nonzero carry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int AddLogical(uint a, uint b, out uint r)
    {
        r = a + b;
        return (r != 0 ? 1 : 0) | (r < a ? 2 : 0);
    }

    /// <summary>SUBTRACT LOGICAL: cc 1 nonzero no carry, 2 zero carry, 3 nonzero carry (never 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SubtractLogical(uint a, uint b, out uint r)
    {
        r = a - b;
        return (r != 0 ? 1 : 0) | (a >= b ? 2 : 0);
    }

    /// <summary>cc for a signed result: 0 zero, 1 negative, 2 positive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Sign(uint r) => r == 0 ? 0 : (int)r < 0 ? 1 : 2;

    /// <summary>COMPARE: 0 equal, 1 first low, 2 first high.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Compare(int a, int b) => a == b ? 0 : a < b ? 1 : 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CompareLogical(uint a, uint b) => a == b ? 0 : a < b ? 1 : 2;

    /// <summary>SHIFT LEFT SINGLE (arithmetic): the sign stays; overflow if any bit unlike the sign is shifted out.</summary>
    public static int ShiftLeftArithmetic(uint a, int n, out uint r)
    {
        uint sign = a & 0x8000_0000;
        uint v = a & 0x7FFF_FFFF;
        bool overflow = false;
        for (int i = 0; i < n; i++)
        {
            v <<= 1;
            if ((v & 0x8000_0000) != sign) overflow = true;
            v &= 0x7FFF_FFFF;
        }
        r = sign | v;
        return overflow ? 3 : Sign(r);
    }

    /// <summary>SHIFT LEFT DOUBLE (arithmetic), on the 64-bit even-odd pair.</summary>
    public static int ShiftLeftDoubleArithmetic(ulong a, int n, out ulong r)
    {
        ulong sign = a & 0x8000_0000_0000_0000;
        ulong v = a & 0x7FFF_FFFF_FFFF_FFFF;
        bool overflow = false;
        for (int i = 0; i < n; i++)
        {
            v <<= 1;
            if ((v & 0x8000_0000_0000_0000) != sign) overflow = true;
            v &= 0x7FFF_FFFF_FFFF_FFFF;
        }
        r = sign | v;
        return overflow ? 3 : r == 0 ? 0 : (long)r < 0 ? 1 : 2;
    }
}
