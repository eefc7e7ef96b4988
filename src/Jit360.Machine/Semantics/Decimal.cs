using System.Runtime.CompilerServices;

namespace Jit360.Machine.Semantics;

/// <summary>
/// Packed-decimal semantics (GA22-6821 "Decimal Arithmetic" and "Editing"; GA22-7000 chapter 8
/// "Decimal Instructions"). A packed field is 1-16 bytes: two digits a byte, the rightmost
/// four bits the sign. Digits 0-9 are valid, signs A-F (plus A C E F, minus B D). Results get
/// the preferred signs: C/D, or in S/360 USASCII-8 mode (PSW bit 12) A/B, and zoned digits get
/// zone F, or 5 in USASCII-8 mode.
///
/// The methods work on copies of the operands already fetched by the caller after access
/// checking, and change the first-operand copy only when they return normally, so a data,
/// specification or decimal-divide exception leaves storage untouched (suppression). Named
/// <c>PackedDecimal</c> so it does not collide with <see cref="System.Decimal"/>.
/// </summary>
public static class PackedDecimal
{
    /// <summary>Largest field: 16 bytes, 31 digits.</summary>
    public const int MaxLength = 16;

    static readonly UInt128[] pow10 = Powers();

    static UInt128[] Powers()
    {
        var p = new UInt128[39];
        p[0] = 1;
        for (int i = 1; i < p.Length; i++) p[i] = p[i - 1] * 10;
        return p;
    }

    /// <summary>10^n for n in 0..38.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt128 Pow10(int n) => pow10[n];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsMinus(int sign) => sign == 0xB || sign == 0xD;

    /// <summary>Preferred sign code: plus 1100, minus 1101; USASCII-8 plus 1010, minus 1011 (GA22-6821 "Decimal Number Representation").</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PreferredSign(bool negative, bool ascii) => ascii ? (negative ? 0xB : 0xA) : (negative ? 0xD : 0xC);

    /// <summary>Zone of a zoned digit: 1111, or 0101 in USASCII-8 mode.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Zone(bool ascii) => ascii ? 0x50 : 0xF0;

    /// <summary>Number of digits in a packed field of n bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Digits(int n) => 2 * n - 1;

    /// <summary>Reads a packed field. False if any digit or the sign code is invalid.</summary>
    public static bool TryRead(ReadOnlySpan<byte> field, out UInt128 magnitude, out bool negative)
    {
        if (field.Length <= MaxLength64)
        {
            bool ok = TryRead64(field, out ulong m, out negative);
            magnitude = m;
            return ok;
        }
        magnitude = 0; negative = false;
        int last = field.Length - 1;
        for (int i = 0; i < last; i++)
        {
            int b = field[i], hi = b >> 4, lo = b & 0xF;
            if (hi > 9 || lo > 9) return false;
            magnitude = magnitude * 100 + (uint)(hi * 10 + lo);
        }
        int s = field[last], d = s >> 4, sign = s & 0xF;
        if (d > 9 || sign < 0xA) return false;
        magnitude = magnitude * 10 + (uint)d;
        negative = IsMinus(sign);
        return true;
    }

    // ---- 64-bit fast paths: a field of up to 9 bytes has at most 17 digits, so it, a sum of
    // two such fields and 10^17 all fit in a ulong, whose division by constants is a multiply
    // (UInt128 division is a library call). The same results as the general code.

    /// <summary>Longest field read in 64 bits.</summary>
    const int MaxLength64 = 9;

    static readonly ulong[] pow10_64 = Enumerable.Range(0, 20).Select(n => (ulong)Pow10(n)).ToArray();

    static bool TryRead64(ReadOnlySpan<byte> field, out ulong magnitude, out bool negative)
    {
        magnitude = 0; negative = false;
        int last = field.Length - 1;
        for (int i = 0; i < last; i++)
        {
            int b = field[i], hi = b >> 4, lo = b & 0xF;
            if (hi > 9 || lo > 9) return false;
            magnitude = magnitude * 100 + (uint)(hi * 10 + lo);
        }
        int s = field[last], d = s >> 4, sign = s & 0xF;
        if (d > 9 || sign < 0xA) return false;
        magnitude = magnitude * 10 + (uint)d;
        negative = IsMinus(sign);
        return true;
    }

    static void Write64(Span<byte> field, ulong magnitude, bool negative, bool ascii)
    {
        int last = field.Length - 1;
        field[last] = (byte)((int)(magnitude % 10) << 4 | PreferredSign(negative, ascii));
        magnitude /= 10;
        for (int i = last - 1; i >= 0; i--)
        {
            int two = (int)(magnitude % 100);
            magnitude /= 100;
            field[i] = (byte)((two / 10) << 4 | two % 10);
        }
    }

    /// <summary>Reads a packed field, recognising a data exception for an invalid digit or sign.</summary>
    public static UInt128 Read(ReadOnlySpan<byte> field, out bool negative)
    {
        if (!TryRead(field, out var m, out negative)) throw CpuState.Fault(ProgramInterruptCode.Data);
        return m;
    }

    /// <summary>
    /// Writes the rightmost digits of a magnitude with a preferred sign. Returns true if nonzero
    /// digits did not fit (decimal overflow); the field then holds the truncated result.
    /// </summary>
    public static bool Write(Span<byte> field, UInt128 magnitude, bool negative, bool ascii)
    {
        int digits = Digits(field.Length);
        if (magnitude <= ulong.MaxValue && digits < pow10_64.Length)
        {
            ulong m = (ulong)magnitude;
            Write64(field, m, negative, ascii);
            return m >= pow10_64[digits];
        }
        int last = field.Length - 1;
        field[last] = (byte)((int)(magnitude % 10) << 4 | PreferredSign(negative, ascii));
        magnitude /= 10;
        for (int i = last - 1; i >= 0; i--)
        {
            int two = (int)(magnitude % 100);
            magnitude /= 100;
            field[i] = (byte)((two / 10) << 4 | two % 10);
        }
        return magnitude != 0;
    }

    static int ResultCc(bool overflow, UInt128 stored, bool negative) =>
        overflow ? 3 : stored == 0 ? 0 : negative ? 1 : 2;

    /// <summary>
    /// ADD DECIMAL / SUBTRACT DECIMAL (GA22-7000 "Add Decimal", "Subtract Decimal"): both operands
    /// checked, the algebraic sum replaces op1. A zero result is made positive unless overflow
    /// occurred, when it keeps the sign of the correct sum. Returns the condition code (3 overflow).
    /// </summary>
    public static int AddSubtract(Span<byte> op1, ReadOnlySpan<byte> op2, bool subtract, bool ascii)
    {
        if (op1.Length <= MaxLength64 && op2.Length <= MaxLength64)
        {
            bool ok1 = TryRead64(op1, out ulong x, out bool nx);
            bool ok2 = TryRead64(op2, out ulong y, out bool ny);
            if (!ok1 || !ok2) throw CpuState.Fault(ProgramInterruptCode.Data);
            if (subtract) ny = !ny;
            if (nx == ny) return Store64(op1, x + y, nx, ascii);
            return x >= y ? Store64(op1, x - y, nx, ascii) : Store64(op1, y - x, ny, ascii);
        }
        bool n1Ok = TryRead(op1, out var a, out bool na);
        bool n2Ok = TryRead(op2, out var b, out bool nb);
        if (!n1Ok || !n2Ok) throw CpuState.Fault(ProgramInterruptCode.Data);
        if (subtract) nb = !nb;
        UInt128 m; bool neg;
        if (na == nb) { m = a + b; neg = na; }
        else if (a >= b) { m = a - b; neg = na; }
        else { m = b - a; neg = nb; }
        return Store(op1, m, neg, ascii);
    }

    /// <summary><see cref="Store"/> for a field of up to 9 bytes and a magnitude below 2 x 10^17.</summary>
    static int Store64(Span<byte> op1, ulong m, bool neg, bool ascii)
    {
        ulong limit = pow10_64[Digits(op1.Length)];
        bool overflow = m >= limit;
        ulong stored = overflow ? m % limit : m;
        if (stored == 0 && !overflow) neg = false;
        Write64(op1, stored, neg, ascii);
        return overflow ? 3 : stored == 0 ? 0 : neg ? 1 : 2;
    }

    /// <summary>Stores a signed result with the AP/SP/ZAP/SRP rules for the sign of zero; returns the cc.</summary>
    static int Store(Span<byte> op1, UInt128 m, bool neg, bool ascii)
    {
        UInt128 limit = Pow10(Digits(op1.Length));
        bool overflow = m >= limit;
        UInt128 stored = overflow ? m % limit : m;
        if (stored == 0 && !overflow) neg = false;
        Write(op1, stored, neg, ascii);
        return ResultCc(overflow, stored, neg);
    }

    /// <summary>
    /// ZERO AND ADD (GA22-7000 "Zero and Add"): only the second operand is checked; on overflow a
    /// zero result keeps the second operand's sign.
    /// </summary>
    public static int ZeroAndAdd(Span<byte> op1, ReadOnlySpan<byte> op2, bool ascii)
    {
        if (op1.Length <= MaxLength64 && op2.Length <= MaxLength64)
        {
            if (!TryRead64(op2, out ulong v, out bool nv)) throw CpuState.Fault(ProgramInterruptCode.Data);
            return Store64(op1, v, nv, ascii);
        }
        var m = Read(op2, out bool neg);
        return Store(op1, m, neg, ascii);
    }

    /// <summary>COMPARE DECIMAL: 0 equal (plus zero equals minus zero), 1 first low, 2 first high.</summary>
    public static int Compare(ReadOnlySpan<byte> op1, ReadOnlySpan<byte> op2)
    {
        bool ok1 = TryRead(op1, out var a, out bool na);
        bool ok2 = TryRead(op2, out var b, out bool nb);
        if (!ok1 || !ok2) throw CpuState.Fault(ProgramInterruptCode.Data);
        if (a == 0) na = false;
        if (b == 0) nb = false;
        if (na != nb) return na ? 1 : 2;
        if (a == b) return 0;
        bool less = na ? a > b : a < b;
        return less ? 1 : 2;
    }

    /// <summary>
    /// MP/DP length rule (GA22-7000 "Multiply Decimal", "Divide Decimal"): L2 above 7 (more than
    /// 15 digits and sign) or L2 not less than L1 is a specification exception.
    /// </summary>
    public static void CheckMultiplyDivideLengths(int l1, int l2)
    {
        if (l2 > 7 || l2 >= l1) throw CpuState.Fault(ProgramInterruptCode.Specification);
    }

    /// <summary>
    /// MULTIPLY DECIMAL: the multiplicand (op1) must have at least as many leftmost zero bytes as
    /// the multiplier has bytes, otherwise a data exception. The sign follows the rules of algebra
    /// even when an operand is zero, so a minus zero can result. No overflow is possible.
    /// </summary>
    public static void Multiply(Span<byte> op1, ReadOnlySpan<byte> op2, bool ascii)
    {
        bool ok1 = TryRead(op1, out var a, out bool na);
        bool ok2 = TryRead(op2, out var b, out bool nb);
        if (!ok1 || !ok2) throw CpuState.Fault(ProgramInterruptCode.Data);
        for (int i = 0; i < op2.Length; i++)
            if (op1[i] != 0) throw CpuState.Fault(ProgramInterruptCode.Data);
        Write(op1, a * b, na != nb, ascii);
    }

    /// <summary>
    /// DIVIDE DECIMAL: the quotient goes to the leftmost L1-L2 bytes of op1, the remainder
    /// (as long as the divisor) to the rightmost L2+1. A zero divisor or a quotient too long for its
    /// field is a decimal-divide exception (suppression). The quotient's sign follows algebra, the
    /// remainder has the dividend's sign, also when zero.
    /// </summary>
    public static void Divide(Span<byte> op1, ReadOnlySpan<byte> op2, bool ascii)
    {
        bool ok1 = TryRead(op1, out var a, out bool na);
        bool ok2 = TryRead(op2, out var b, out bool nb);
        if (!ok1 || !ok2) throw CpuState.Fault(ProgramInterruptCode.Data);
        int qLength = op1.Length - op2.Length;
        if (b == 0 || a / b >= Pow10(Digits(qLength))) throw CpuState.Fault(ProgramInterruptCode.DecimalDivide);
        UInt128 q = a / b, r = a % b;
        Write(op1[..qLength], q, na != nb, ascii);
        Write(op1[qLength..], r, na, ascii);
    }

    /// <summary>
    /// SHIFT AND ROUND DECIMAL (GA22-7000 "Shift and Round Decimal"): shift is the signed six-bit
    /// amount (positive left). A right shift adds the rounding digit to the leftmost digit shifted
    /// out. The operand and the rounding digit are checked even when unused. Only a left shift can
    /// overflow; then the sign stays that of the operand (preferred code), else zero is positive.
    /// </summary>
    public static int ShiftAndRound(Span<byte> op1, int shift, int round, bool ascii)
    {
        if (!TryRead(op1, out var m, out bool neg) || round > 9) throw CpuState.Fault(ProgramInterruptCode.Data);
        int digits = Digits(op1.Length);
        if (shift >= 0)
        {
            bool overflow;
            UInt128 r;
            if (shift >= digits) { overflow = m != 0; r = 0; }
            else
            {
                UInt128 keep = Pow10(digits - shift);
                overflow = m >= keep;
                r = (m % keep) * Pow10(shift);
            }
            if (overflow) { Write(op1, r, neg, ascii); return 3; }
            return Store(op1, r, neg, ascii);
        }
        int n = -shift;   // 1..32 places right
        UInt128 rounded = m + (UInt128)(uint)round * Pow10(n - 1);
        return Store(op1, rounded / Pow10(n), neg, ascii);
    }

    /// <summary>CONVERT TO DECIMAL: the signed binary value as 15 digits and a preferred sign.</summary>
    public static ulong ConvertToDecimal(int value, bool ascii)
    {
        Span<byte> f = stackalloc byte[8];
        long v = value;
        Write(f, (UInt128)(ulong)Math.Abs(v), v < 0, ascii);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(f);
    }

    /// <summary>
    /// CONVERT TO BINARY: data exception on an invalid code. Returns the value; fits is false when it is
    /// outside -2^31..2^31-1, when the caller stores the rightmost 32 bits and recognises a
    /// fixed-point-divide exception (the operation is completed).
    /// </summary>
    public static uint ConvertToBinary(ulong doubleword, out bool fits)
    {
        Span<byte> f = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(f, doubleword);
        var m = Read(f, out bool neg);
        ulong mag = (ulong)m;   // at most 15 digits
        fits = neg ? mag <= 0x8000_0000UL : mag <= 0x7FFF_FFFFUL;
        return neg ? (uint)(0 - mag) : (uint)mag;
    }

    // ---------------------------------------------------------------- PACK, UNPK, MVO
    // These never check codes. The PoO defines overlap as if operands were processed right to
    // left, each result byte stored as soon as the operand bytes it needs have been fetched
    // (GA22-7000 "Pack", "Unpack", "Move with Offset"). The result is built in a copy of op1; a
    // source byte that lies inside op1 and was already produced is taken from the copy.
    // sourceOffset is the position of op2's leftmost byte relative to op1's leftmost byte.

    /// <summary>Source-byte view with the overlap rule: index k counts from the right of op2.</summary>
    ref struct Source(ReadOnlySpan<byte> op2, Span<byte> result, Span<bool> written, long sourceOffset)
    {
        readonly ReadOnlySpan<byte> op2 = op2;
        readonly Span<byte> result = result;
        readonly Span<bool> written = written;

        public byte this[int k]
        {
            get
            {
                int i = op2.Length - 1 - k;
                long r = sourceOffset + i;
                if (r >= 0 && r < result.Length && written[(int)r]) return result[(int)r];
                return op2[i];
            }
        }

        public void Set(int k, byte v) { int i = result.Length - 1 - k; result[i] = v; written[i] = true; }
    }

    /// <summary>PACK: zone and digit of the rightmost byte swap; the other digits are packed two a byte, zeros fill.</summary>
    public static void Pack(Span<byte> op1, ReadOnlySpan<byte> op2, long sourceOffset)
    {
        Span<bool> written = stackalloc bool[op1.Length];
        var s = new Source(op2, op1, written, sourceOffset);
        int n2 = op2.Length;
        byte b0 = s[0];
        s.Set(0, (byte)(b0 << 4 | b0 >> 4));
        for (int j = 1, k = 1; j < op1.Length; j++, k += 2)
        {
            int lo = k < n2 ? s[k] & 0xF : 0;
            int hi = k + 1 < n2 ? s[k + 1] & 0xF : 0;
            s.Set(j, (byte)(hi << 4 | lo));
        }
    }

    /// <summary>UNPK: the rightmost byte swaps; every other digit gets a zone (F, or 5 in USASCII-8 mode).</summary>
    public static void Unpack(Span<byte> op1, ReadOnlySpan<byte> op2, long sourceOffset, bool ascii)
    {
        Span<bool> written = stackalloc bool[op1.Length];
        var s = new Source(op2, op1, written, sourceOffset);
        int zone = Zone(ascii), n1 = op1.Length;
        byte b0 = s[0];
        s.Set(0, (byte)(b0 << 4 | b0 >> 4));
        for (int k = 1, j = 1; j < n1; k++)
        {
            int b = k < op2.Length ? s[k] : 0;
            s.Set(j++, (byte)(zone | b & 0xF));
            if (j < n1) s.Set(j++, (byte)(zone | b >> 4));
        }
    }

    /// <summary>MVO: op2 goes left of op1's rightmost four bits (the sign), shifted by one digit; zeros fill, excess is lost.</summary>
    public static void MoveWithOffset(Span<byte> op1, ReadOnlySpan<byte> op2, long sourceOffset)
    {
        Span<bool> written = stackalloc bool[op1.Length];
        byte sign = (byte)(op1[^1] & 0xF);
        var s = new Source(op2, op1, written, sourceOffset);
        int n2 = op2.Length;
        int prev = s[0];
        s.Set(0, (byte)((prev & 0xF) << 4 | sign));
        for (int j = 1; j < op1.Length; j++)
        {
            int cur = j < n2 ? s[j] : 0;
            s.Set(j, (byte)((cur & 0xF) << 4 | prev >> 4));
            prev = cur;
        }
    }

    // ---------------------------------------------------------------- ED, EDMK

    /// <summary>Fetches the k-th source byte of ED (access exceptions come from here, before anything is stored).</summary>
    public interface IEditSource
    {
        byte Fetch(int k);
    }

    public const byte DigitSelector = 0x20, SignificanceStarter = 0x21, FieldSeparator = 0x22;

    /// <summary>
    /// EDIT / EDIT AND MARK (GA22-7000 "Edit"; GA22-6821 "Edit"). The pattern copy is edited in
    /// place. The first pattern byte is the fill byte (and is itself edited). Each digit selector
    /// or significance starter examines the next source digit; a left digit above 9 is a data
    /// exception. A plus sign in the right half of a source byte turns the significance indicator
    /// off after its left digit. Returns the cc of the last field (0 zero, 1 nonzero with the
    /// indicator on: less than zero, 2 greater). mark is the pattern index of the rightmost result
    /// digit stored while the indicator was off (EDMK), or -1. sourceOffset is the source's address
    /// relative to the pattern: source bytes already overwritten by the result are read from it.
    /// </summary>
    public static int Edit<T>(Span<byte> pattern, ref T source, long sourceOffset, bool ascii, out int mark)
        where T : struct, IEditSource, allows ref struct
    {
        mark = -1;
        byte fill = pattern[0];
        int zone = Zone(ascii);
        bool significance = false, nonzero = false;
        int k = 0;          // next source byte
        int pending = -1;   // right digit of the last source byte, still to be examined
        for (int i = 0; i < pattern.Length; i++)
        {
            byte p = pattern[i];
            if (p == DigitSelector || p == SignificanceStarter)
            {
                int digit;
                bool plusAfter = false;
                if (pending >= 0) { digit = pending; pending = -1; }
                else
                {
                    long at = sourceOffset + k;
                    byte b = at >= 0 && at < i ? pattern[(int)at] : source.Fetch(k);
                    k++;
                    digit = b >> 4;
                    if (digit > 9) throw CpuState.Fault(ProgramInterruptCode.Data);
                    int right = b & 0xF;
                    if (right <= 9) pending = right;
                    else plusAfter = !IsMinus(right);
                }
                if (digit != 0) nonzero = true;
                if (significance || digit != 0)
                {
                    if (!significance) mark = i;
                    pattern[i] = (byte)(zone | digit);
                    significance = true;
                }
                else
                {
                    pattern[i] = fill;
                    if (p == SignificanceStarter) significance = true;
                }
                if (plusAfter) significance = false;
            }
            else if (p == FieldSeparator)
            {
                pattern[i] = fill;
                significance = false;
                nonzero = false;
            }
            else if (!significance)
            {
                pattern[i] = fill;
            }
        }
        return !nonzero ? 0 : significance ? 1 : 2;
    }
}
