using System.Numerics;

namespace Jit360.Assembler;

/// <summary>
/// Decimal text to System/360 hexadecimal floating point (PoO "Floating-Point Instructions":
/// sign bit, 7-bit excess-64 characteristic, fraction of 6, 14 or 28 hex digits). The decimal
/// value is converted exactly (as a fraction of big integers) and rounded once, to nearest,
/// halves away from zero, as the assembler rounds E, D and L constants.
/// </summary>
public static class HexFloat
{
    /// <summary>Converts <paramref name="text"/> (e.g. "1.0", "-0.1", "3.5E2") into <paramref name="length"/> bytes (4 = E, 8 = D, 16 = L).</summary>
    public static byte[] Convert(string text, int length, out string? error)
    {
        error = null;
        var result = new byte[length];
        if (!TryParseDecimal(text, out bool negative, out BigInteger num, out BigInteger den))
        {
            error = $"bad floating-point value '{text}'";
            return result;
        }
        int fractionBits = length == 16 ? 112 : length >= 8 ? 56 : 24;
        if (num.IsZero) return result;
        // Find the exponent e (power of 16) with 1/16 <= num/den / 16^e < 1.
        int e = (int)Math.Floor((BigInteger.Log(num) - BigInteger.Log(den)) / Math.Log(16)) + 1;
        BigInteger mantissa = BigInteger.Zero;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            mantissa = Scaled(num, den, e, fractionBits);
            BigInteger top = BigInteger.One << fractionBits;
            if (mantissa >= top) { e++; continue; }
            if (mantissa < (top >> 4)) { e--; continue; }
            break;
        }
        if (mantissa >= (BigInteger.One << fractionBits)) { e++; mantissa = Scaled(num, den, e, fractionBits); }
        int characteristic = e + 64;
        if (characteristic > 127 || characteristic < 0)
        {
            error = $"floating-point value '{text}' out of range";
            return result;
        }
        int sign = negative ? 0x80 : 0;
        if (length == 16)
        {
            BigInteger high = mantissa >> 56, low = mantissa & ((BigInteger.One << 56) - 1);
            Write(result, 0, sign | characteristic, high);
            // The low-order part's characteristic is 14 less (PoO "Extended Operands"), modulo 128.
            Write(result, 8, sign | ((characteristic - 14) & 0x7F), low);
        }
        else
        {
            var full = new byte[8];
            Write(full, 0, sign | characteristic, fractionBits == 24 ? mantissa << 32 : mantissa);
            Array.Copy(full, result, Math.Min(length, 8));
        }
        return result;
    }

    static void Write(byte[] b, int at, int first, BigInteger fraction56)
    {
        b[at] = (byte)first;
        for (int i = 7; i >= 1; i--) { b[at + i] = (byte)(fraction56 & 0xFF); fraction56 >>= 8; }
    }

    /// <summary>round(num/den * 2^bits / 16^e), halves away from zero.</summary>
    static BigInteger Scaled(BigInteger num, BigInteger den, int e, int bits)
    {
        int shift = bits - 4 * e;
        BigInteger n = num, d = den;
        if (shift >= 0) n <<= shift; else d <<= -shift;
        var q = BigInteger.DivRem(n * 2 + d, d * 2, out _);
        return q;
    }

    /// <summary>Parses [+|-]digits[.digits][E[+|-]digits] exactly.</summary>
    public static bool TryParseDecimal(string text, out bool negative, out BigInteger num, out BigInteger den)
    {
        negative = false; num = BigInteger.Zero; den = BigInteger.One;
        string s = text.Trim().ToUpperInvariant();
        int i = 0;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) { negative = s[i] == '-'; i++; }
        int digits = 0, scale = 0;
        bool point = false;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsAsciiDigit(c)) { num = num * 10 + (c - '0'); digits++; if (point) scale++; }
            else if (c == '.' && !point) point = true;
            else break;
        }
        if (digits == 0 || digits > 60) return false;
        int exponent = 0;
        if (i < s.Length && s[i] == 'E')
        {
            i++;
            if (!int.TryParse(s[i..], out exponent) || Math.Abs(exponent) > 200) return false;
            i = s.Length;
        }
        if (i != s.Length) return false;
        exponent -= scale;
        if (exponent >= 0) num *= BigInteger.Pow(10, exponent);
        else den = BigInteger.Pow(10, -exponent);
        return true;
    }
}
