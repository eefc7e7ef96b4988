using System.Runtime.CompilerServices;

namespace Jit360.Machine.Semantics;

/// <summary>
/// Hexadecimal floating point (GA22-6821 "Floating-Point Arithmetic"; GA22-7000 chapter 9).
/// A number is a sign, a 7-bit excess-64 characteristic and a fraction of 6 (short), 14 (long)
/// or 28 (extended) hexadecimal digits. Everything is done on integers: the fraction is held
/// right-aligned in a <see cref="UInt128"/>, with one extra low-order digit where the PoO speaks
/// of the guard digit.
///
/// Operations return the value to store plus the program-interruption code to recognise after
/// storing it (0 for none): exponent overflow (C) and underflow (D) and significance (E) complete
/// the operation with the architected result. Floating-point divide (F) means nothing is stored.
/// The caller passes the PSW program mask (bit 2 = exponent underflow, bit 1 = significance).
/// </summary>
public static class HexFloat
{
    public const int ShortDigits = 6, LongDigits = 14, ExtendedDigits = 28;

    const int UnderflowMask = 2, SignificanceMask = 1;

    /// <summary>An unpacked number: the characteristic may leave 0-127 while an operation is in progress.</summary>
    public struct Number
    {
        public bool Negative;
        public int Characteristic;
        public UInt128 Fraction;

        public Number(bool negative, int characteristic, UInt128 fraction)
        { Negative = negative; Characteristic = characteristic; Fraction = fraction; }
    }

    // ------------------------------------------------------------------ formats

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Number UnpackShort(uint v) => new((int)v < 0, (int)(v >> 24) & 0x7F, v & 0x00FF_FFFF);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Number UnpackLong(ulong v) => new((long)v < 0, (int)(v >> 56) & 0x7F, v & 0x00FF_FFFF_FFFF_FFFF);

    /// <summary>Extended: 14 digits from the high-order register and 14 from the low-order one, whose sign and characteristic are ignored.</summary>
    public static Number UnpackExtended(ulong high, ulong low) =>
        new((long)high < 0, (int)(high >> 56) & 0x7F,
            (UInt128)(high & 0x00FF_FFFF_FFFF_FFFF) << 56 | (low & 0x00FF_FFFF_FFFF_FFFF));

    public static uint PackShort(in Number n) =>
        (n.Negative ? 0x8000_0000u : 0) | (uint)(n.Characteristic & 0x7F) << 24 | (uint)n.Fraction & 0x00FF_FFFF;

    public static ulong PackLong(in Number n) =>
        (n.Negative ? 0x8000_0000_0000_0000ul : 0) | (ulong)(n.Characteristic & 0x7F) << 56 | (ulong)n.Fraction & 0x00FF_FFFF_FFFF_FFFF;

    /// <summary>
    /// Extended result (GA22-7000 "Extended Floating-Point Number"): the low-order part carries the
    /// same sign and a characteristic 14 less than the high-order one, modulo 128. A true zero
    /// (plus, zero characteristic, zero fraction) is zero in both parts. A zero fraction kept by a
    /// significance exception is not a true zero, even with characteristic 0: its low-order part
    /// still gets the characteristic 14 less (GA22-7000 "ADD NORMALIZED": with the significance
    /// mask one, the characteristic of the intermediate result is kept).
    /// </summary>
    public static (ulong High, ulong Low) PackExtended(in Number n, bool significance = false)
    {
        ulong sign = n.Negative ? 0x8000_0000_0000_0000ul : 0;
        ulong high = sign | (ulong)(n.Characteristic & 0x7F) << 56 | (ulong)(n.Fraction >> 56) & 0x00FF_FFFF_FFFF_FFFF;
        if (high == 0 && n.Fraction == 0 && !significance) return (0, 0);
        ulong low = sign | (ulong)((n.Characteristic - 14) & 0x7F) << 56 | (ulong)n.Fraction & 0x00FF_FFFF_FFFF_FFFF;
        return (high, low);
    }

    /// <summary>Condition code of a result: 0 zero fraction (whatever the sign), 1 negative, 2 positive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Cc(in Number n) => n.Fraction == 0 ? 0 : n.Negative ? 1 : 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CcShort(uint v) => (v & 0x00FF_FFFF) == 0 ? 0 : (int)v < 0 ? 1 : 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CcLong(ulong v) => (v & 0x00FF_FFFF_FFFF_FFFF) == 0 ? 0 : (long)v < 0 ? 1 : 2;

    static readonly Number TrueZero = default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static UInt128 DigitMask(int digits) => (UInt128.One << (4 * digits)) - 1;

    /// <summary>Shifts left until the leftmost of <paramref name="digits"/> digits is nonzero, lowering the characteristic.</summary>
    static void Normalize(ref Number n, int digits)
    {
        if (n.Fraction == 0) return;
        int top = 4 * (digits - 1);
        while ((n.Fraction >> top) == 0) { n.Fraction <<= 4; n.Characteristic--; }
    }

    /// <summary>
    /// Exponent overflow and underflow of a result with a nonzero fraction (GA22-7000 "Exponent
    /// Overflow"/"Exponent Underflow"): overflow stores the characteristic 128 too small and always
    /// interrupts; underflow stores it 128 too large and interrupts when the mask bit is one,
    /// otherwise the result is a true zero.
    /// </summary>
    static int OverUnderflow(ref Number n, int programMask)
    {
        if (n.Characteristic > 127) { n.Characteristic -= 128; return ProgramInterruptCode.ExponentOverflow; }
        if (n.Characteristic < 0)
        {
            if ((programMask & UnderflowMask) != 0) { n.Characteristic += 128; return ProgramInterruptCode.ExponentUnderflow; }
            n = TrueZero;
        }
        return 0;
    }

    // ------------------------------------------------------------------ add, subtract, compare

    /// <summary>
    /// The intermediate sum of two operands of <paramref name="digits"/> digits (GA22-7000 "ADD
    /// NORMALIZED"): the fraction with the smaller characteristic is shifted right, keeping one
    /// guard digit (digits shifted beyond it are lost); the fractions are added algebraically.
    /// Returned with digits+1 digits (guard digit rightmost) and a possible carry digit.
    /// </summary>
    static Number IntermediateSum(in Number a, in Number b, int digits)
    {
        UInt128 x = a.Fraction << 4, y = b.Fraction << 4;
        int c = Math.Max(a.Characteristic, b.Characteristic);
        int shiftX = c - a.Characteristic, shiftY = c - b.Characteristic;
        x = shiftX > digits ? 0 : x >> (4 * shiftX);
        y = shiftY > digits ? 0 : y >> (4 * shiftY);
        if (a.Negative == b.Negative) return new Number(a.Negative, c, x + y);
        return x >= y ? new Number(a.Negative, c, x - y) : new Number(b.Negative, c, y - x);
    }

    /// <summary>
    /// ADD NORMALIZED / ADD UNNORMALIZED for any format (SUBTRACT inverts the second operand's sign first).
    /// The intermediate sum keeps one guard digit; a carry shifts it right one digit. Normalized:
    /// the guard digit takes part in normalisation and in recognising a zero fraction. Unnormalized:
    /// the sum is truncated, and a zero fraction is recognised without the guard digit (GA22-7000
    /// "ADD UNNORMALIZED"). A zero result fraction is a significance exception: with the mask bit
    /// one, the intermediate characteristic is kept with a plus sign and the program interrupts;
    /// with it zero, the result is a true zero.
    /// </summary>
    public static Number Add(in Number a, in Number b, int digits, bool normalize, int programMask, out int interrupt)
    {
        Number s = IntermediateSum(a, b, digits);
        interrupt = 0;
        if ((s.Fraction >> (4 * (digits + 1))) != 0) { s.Fraction >>= 4; s.Characteristic++; }   // carry
        if (normalize) Normalize(ref s, digits + 1);
        s.Fraction >>= 4;                                                                        // drop the guard digit
        if (s.Fraction == 0)
        {
            if ((programMask & SignificanceMask) == 0) return TrueZero;
            s.Negative = false;
            interrupt = ProgramInterruptCode.Significance;
            return s;
        }
        interrupt = OverUnderflow(ref s, programMask);
        return s;
    }

    /// <summary>
    /// COMPARE: as subtraction, operands unchanged; equal when the intermediate difference,
    /// guard digit included, is zero (zero fractions are equal whatever their signs and characteristics).
    /// </summary>
    public static int Compare(in Number a, in Number b, int digits)
    {
        var negB = new Number(!b.Negative, b.Characteristic, b.Fraction);
        Number s = IntermediateSum(a, negB, digits);
        return s.Fraction == 0 ? 0 : s.Negative ? 1 : 2;
    }

    public static int CompareShort(uint a, uint b) => Compare(UnpackShort(a), UnpackShort(b), ShortDigits);
    public static int CompareLong(ulong a, ulong b) => Compare(UnpackLong(a), UnpackLong(b), LongDigits);

    /// <summary>AER/AE/AUR/AU (and SER/SE/SUR/SU with <paramref name="subtract"/>): short operands, short result.</summary>
    public static uint AddShort(uint a, uint b, bool subtract, bool normalize, int programMask, out int cc, out int interrupt)
    {
        if (subtract) b ^= 0x8000_0000;
        Number r = Add(UnpackShort(a), UnpackShort(b), ShortDigits, normalize, programMask, out interrupt);
        cc = Cc(r);
        return PackShort(r);
    }

    /// <summary>ADR/AD/AWR/AW (and SDR/SD/SWR/SW): long operands, long result.</summary>
    public static ulong AddLong(ulong a, ulong b, bool subtract, bool normalize, int programMask, out int cc, out int interrupt)
    {
        if (subtract) b ^= 0x8000_0000_0000_0000;
        Number r = Add(UnpackLong(a), UnpackLong(b), LongDigits, normalize, programMask, out interrupt);
        cc = Cc(r);
        return PackLong(r);
    }

    /// <summary>AXR/SXR: extended operands and result, always normalized.</summary>
    public static (ulong High, ulong Low) AddExtended(ulong aHigh, ulong aLow, ulong bHigh, ulong bLow, bool subtract, int programMask, out int cc, out int interrupt)
    {
        if (subtract) bHigh ^= 0x8000_0000_0000_0000;
        Number r = Add(UnpackExtended(aHigh, aLow), UnpackExtended(bHigh, bLow), ExtendedDigits, normalize: true, programMask, out interrupt);
        cc = Cc(r);
        return PackExtended(r, interrupt == ProgramInterruptCode.Significance);
    }

    // ------------------------------------------------------------------ halve

    /// <summary>
    /// HALVE, System/370 (GA22-7000 "HALVE"): the fraction is shifted right one bit, the bit shifted
    /// out entering the guard digit, and the result is normalized (underflow possible). A zero
    /// fraction gives a true zero; no significance exception.
    /// </summary>
    public static Number Halve(in Number a, int digits, int programMask, out int interrupt)
    {
        interrupt = 0;
        if (a.Fraction == 0) return TrueZero;
        var r = new Number(a.Negative, a.Characteristic, a.Fraction << 3);   // guard digit appended, then one bit right
        Normalize(ref r, digits + 1);
        r.Fraction >>= 4;
        interrupt = OverUnderflow(ref r, programMask);
        return r;
    }

    /// <summary>HALVE, System/360 (GA22-6821 "Halve"): the fraction shifts right one bit; sign and characteristic are unchanged; no normalization, no zero test.</summary>
    public static uint HalveShort360(uint a) => (a & 0xFF00_0000) | (a & 0x00FF_FFFF) >> 1;
    public static ulong HalveLong360(ulong a) => (a & 0xFF00_0000_0000_0000) | (a & 0x00FF_FFFF_FFFF_FFFF) >> 1;

    public static uint HalveShort(uint a, int programMask, out int interrupt) =>
        PackShort(Halve(UnpackShort(a), ShortDigits, programMask, out interrupt));

    public static ulong HalveLong(ulong a, int programMask, out int interrupt) =>
        PackLong(Halve(UnpackLong(a), LongDigits, programMask, out interrupt));

    // ------------------------------------------------------------------ multiply

    /// <summary>
    /// MULTIPLY (GA22-7000 "MULTIPLY"): both operands are prenormalized; the characteristic of the
    /// intermediate product is the sum of the normalized characteristics less 64; the fraction is the
    /// exact product, shifted left one digit if it has a leading zero digit (bringing in the guard
    /// digit), then truncated to <paramref name="resultDigits"/>. A zero operand fraction gives a true
    /// zero with no exception; overflow and underflow as for every result.
    /// </summary>
    public static Number Multiply(Number a, Number b, int digits, int resultDigits, int programMask, out int interrupt)
    {
        interrupt = 0;
        if (a.Fraction == 0 || b.Fraction == 0) return TrueZero;
        Normalize(ref a, digits);
        Normalize(ref b, digits);
        var r = new Number(a.Negative != b.Negative, a.Characteristic + b.Characteristic - 64, 0);
        int productDigits = 2 * digits;
        if (digits <= LongDigits)
        {
            UInt128 p = a.Fraction * b.Fraction;   // at most 28 digits: exact in 112 bits
            if ((p >> (4 * (productDigits - 1))) == 0) { p <<= 4; r.Characteristic--; }
            r.Fraction = resultDigits >= productDigits ? p << (4 * (resultDigits - productDigits)) : p >> (4 * (productDigits - resultDigits));
        }
        else
        {
            (UInt128 high, UInt128 low) = Multiply128(a.Fraction, b.Fraction);   // 56 digits in 224 bits
            if ((high >> (4 * (productDigits - 1) - 128)) == 0)
            {
                high = high << 4 | low >> 124; low <<= 4; r.Characteristic--;
            }
            // Keep the leftmost resultDigits (28) of the 56: bits 112-223 of the product.
            int drop = 4 * (productDigits - resultDigits);   // 112
            r.Fraction = high << (128 - drop) | low >> drop;
        }
        interrupt = OverUnderflow(ref r, programMask);
        return r;
    }

    /// <summary>The 256-bit product of two 128-bit values, as (high, low).</summary>
    static (UInt128 High, UInt128 Low) Multiply128(UInt128 a, UInt128 b)
    {
        ulong a1 = (ulong)(a >> 64), a0 = (ulong)a, b1 = (ulong)(b >> 64), b0 = (ulong)b;
        UInt128 p00 = (UInt128)a0 * b0, p01 = (UInt128)a0 * b1, p10 = (UInt128)a1 * b0, p11 = (UInt128)a1 * b1;
        UInt128 middle = (p00 >> 64) + (ulong)p01 + (ulong)p10;
        UInt128 low = middle << 64 | (ulong)p00;
        UInt128 high = p11 + (p01 >> 64) + (p10 >> 64) + (middle >> 64);
        return (high, low);
    }

    /// <summary>MER/ME: short multiplier and multiplicand, long product (the two rightmost digits are zero).</summary>
    public static ulong MultiplyShort(uint a, uint b, int programMask, out int interrupt) =>
        PackLong(Multiply(UnpackShort(a), UnpackShort(b), ShortDigits, LongDigits, programMask, out interrupt));

    /// <summary>MDR/MD: long operands, product truncated to 14 digits.</summary>
    public static ulong MultiplyLong(ulong a, ulong b, int programMask, out int interrupt) =>
        PackLong(Multiply(UnpackLong(a), UnpackLong(b), LongDigits, LongDigits, programMask, out interrupt));

    /// <summary>MXDR/MXD: long operands, exact 28-digit extended product.</summary>
    public static (ulong High, ulong Low) MultiplyLongToExtended(ulong a, ulong b, int programMask, out int interrupt) =>
        PackExtended(Multiply(UnpackLong(a), UnpackLong(b), LongDigits, ExtendedDigits, programMask, out interrupt));

    /// <summary>MXR: extended operands, product truncated to 28 digits.</summary>
    public static (ulong High, ulong Low) MultiplyExtended(ulong aHigh, ulong aLow, ulong bHigh, ulong bLow, int programMask, out int interrupt) =>
        PackExtended(Multiply(UnpackExtended(aHigh, aLow), UnpackExtended(bHigh, bLow), ExtendedDigits, ExtendedDigits, programMask, out interrupt));

    // ------------------------------------------------------------------ divide

    /// <summary>
    /// DIVIDE (GA22-7000 "DIVIDE"): a zero divisor fraction is a floating-point-divide exception and
    /// nothing is stored; a zero dividend fraction gives a true zero. Both operands are prenormalized;
    /// the characteristic is the difference plus 64; when the dividend fraction is not less than the
    /// divisor fraction it is shifted right one digit (all its digits still take part) and the
    /// characteristic raised by one. The quotient is truncated, and is normalized by construction.
    /// </summary>
    public static Number Divide(Number a, Number b, int digits, int programMask, out int interrupt)
    {
        interrupt = 0;
        if (b.Fraction == 0) { interrupt = ProgramInterruptCode.FloatingPointDivide; return a; }
        if (a.Fraction == 0) return TrueZero;
        Normalize(ref a, digits);
        Normalize(ref b, digits);
        var r = new Number(a.Negative != b.Negative, a.Characteristic - b.Characteristic + 64, 0);
        int scale = digits;
        if (a.Fraction >= b.Fraction) { scale--; r.Characteristic++; }
        r.Fraction = (a.Fraction << (4 * scale)) / b.Fraction;
        interrupt = OverUnderflow(ref r, programMask);
        return r;
    }

    public static uint DivideShort(uint a, uint b, int programMask, out int interrupt) =>
        PackShort(Divide(UnpackShort(a), UnpackShort(b), ShortDigits, programMask, out interrupt));

    public static ulong DivideLong(ulong a, ulong b, int programMask, out int interrupt) =>
        PackLong(Divide(UnpackLong(a), UnpackLong(b), LongDigits, programMask, out interrupt));

    // ------------------------------------------------------------------ load rounded (S/370)

    /// <summary>
    /// LOAD ROUNDED (GA22-7000 "LOAD ROUNDED"): a one is added at the leftmost bit position that does
    /// not fit the next smaller format, ignoring the sign; a carry out of the fraction shifts it right
    /// one digit and raises the characteristic (exponent overflow possible). No normalization; the
    /// sign is kept; underflow and significance cannot occur.
    /// </summary>
    static Number Round(Number a, int digits, int resultDigits, out int interrupt)
    {
        int drop = 4 * (digits - resultDigits);
        UInt128 f = a.Fraction + (UInt128.One << (drop - 1));
        if ((f >> (4 * digits)) != 0) { f >>= 4; a.Characteristic++; }
        a.Fraction = f >> drop;
        interrupt = a.Characteristic > 127 ? ProgramInterruptCode.ExponentOverflow : 0;
        if (interrupt != 0) a.Characteristic -= 128;
        return a;
    }

    /// <summary>LRER: long to short; bit 32 of the long operand is the rounding position.</summary>
    public static uint RoundLongToShort(ulong a, out int interrupt) =>
        PackShort(Round(UnpackLong(a), LongDigits, ShortDigits, out interrupt));

    /// <summary>LRDR: extended to long; bit 72 (bit 8 of the low-order register) is the rounding position.</summary>
    public static ulong RoundExtendedToLong(ulong high, ulong low, out int interrupt) =>
        PackLong(Round(UnpackExtended(high, low), ExtendedDigits, LongDigits, out interrupt));
}
