using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Jit360.Machine;

namespace Jit360.Jit;

/// <summary>
/// Fast paths that translated code calls for storage-to-storage instructions. Each one does
/// the instruction only in the plain case (both operands within storage without wrapping, the
/// key allowing them and already recording the reference and change, no translated code on the
/// lines stored into) and otherwise returns "not done" without touching anything, so that the
/// interpreter's handler runs the instruction with every check (semantics written once).
/// The entry points are inlined into a region's method, where the lengths, key, storage size
/// and operation are constants and storage, keys and the code-line map are the region's own
/// references (m, keys, lines), so each call site folds to the code of its own case.
/// </summary>
public static class JitHelpers
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool Plain(ref byte keys, ref byte lines, uint size, uint a, int n, bool store, int key)
    {
        if (a > size - (uint)n) return false;
        uint last = a + (uint)n - 1;
        // At most two 2K key blocks for an operand of up to 256 bytes.
        // a and last lie within storage, so the key and line maps need no bounds checks.
        if (!KeyAllows(Unsafe.Add(ref keys, a >> Storage.BlockShift), store, key)) return false;
        if ((last >> Storage.BlockShift) != (a >> Storage.BlockShift) && !KeyAllows(Unsafe.Add(ref keys, last >> Storage.BlockShift), store, key)) return false;
        if (!store) return true;
        return (Unsafe.Add(ref lines, a >> BlockCache.LineShift) | Unsafe.Add(ref lines, last >> BlockCache.LineShift)) == 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool KeyAllows(byte k, bool store, int key)
    {
        if (store) return (k & (Storage.Reference | Storage.Change)) == (Storage.Reference | Storage.Change) && (key == 0 || (k >> 4) == key);
        return (k & Storage.Reference) != 0 && (key == 0 || (k & Storage.FetchProtect) == 0 || (k >> 4) == key);
    }

    /// <summary>MOVE (GA22-7000 "MOVE (MVC)"): bytes move left to right one at a time, so an overlap one byte apart propagates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Mvc(ref byte m, ref byte keys, ref byte lines, uint size, uint d, uint s, int n, int key)
    {
        if (!Plain(ref keys, ref lines, size, d, n, true, key) || !Plain(ref keys, ref lines, size, s, n, false, key)) return false;
        if (d > s && d < s + (uint)n)
        {
            for (int i = 0; i < n; i++) Unsafe.Add(ref m, d + (uint)i) = Unsafe.Add(ref m, s + (uint)i);
        }
        else MemoryMarshal.CreateSpan(ref Unsafe.Add(ref m, s), n).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref m, d), n));
        return true;
    }

    /// <summary>COMPARE LOGICAL (CLC): the condition code, or -1 when the handler must run it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Clc(ref byte m, ref byte keys, ref byte lines, uint size, uint a, uint b, int n, int key)
    {
        if (!Plain(ref keys, ref lines, size, a, n, false, key) || !Plain(ref keys, ref lines, size, b, n, false, key)) return -1;
        // Lengths 4 and 8 (keys, words): one unsigned compare of the big-endian values.
        if (n == 4)
        {
            uint x = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref m, a)));
            uint y = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref m, b)));
            return x == y ? 0 : x < y ? 1 : 2;
        }
        if (n == 8)
        {
            ulong x = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref m, a)));
            ulong y = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref m, b)));
            return x == y ? 0 : x < y ? 1 : 2;
        }
        if (n > 8)
        {
            // Eight bytes a step as big-endian values; the last step re-reads from n - 8, whose
            // leading bytes are already known equal, so the first difference decides alike.
            for (int i = 0; ; i += 8)
            {
                int at = Math.Min(i, n - 8);
                ulong x = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref m, a + (uint)at));
                ulong y = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref m, b + (uint)at));
                if (x != y)
                {
                    x = BinaryPrimitives.ReverseEndianness(x); y = BinaryPrimitives.ReverseEndianness(y);
                    return x < y ? 1 : 2;
                }
                if (at == n - 8) return 0;
            }
        }
        for (int i = 0; i < n; i++)
        {
            int x = Unsafe.Add(ref m, a + (uint)i), y = Unsafe.Add(ref m, b + (uint)i);
            if (x != y) return x < y ? 1 : 2;
        }
        return 0;
    }

    /// <summary>TRANSLATE (TR) with the whole 256-byte table accessible (under key 0 the handler records no reference for the table either).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Tr(ref byte m, ref byte keys, ref byte lines, uint size, uint d, uint t, int n, int key)
    {
        if (!Plain(ref keys, ref lines, size, d, n, true, key)) return false;
        if (key == 0 ? t > size - 256 : !Plain(ref keys, ref lines, size, t, 256, false, key)) return false;
        ref byte first = ref Unsafe.Add(ref m, d);
        ref byte table = ref Unsafe.Add(ref m, t);
        // Four bytes a step when the table lies outside the operand (the lookups are then independent), then the rest.
        int i = 0;
        bool apart = d + (uint)n <= t || t + 256 <= d;
        if (apart && n >= 16 && Avx512Vbmi.IsSupported)
        {
            TranslateVector(ref first, n, ref table);
            return true;
        }
        if (apart)
            for (; i + 4 <= n; i += 4)
            {
                ref byte b = ref Unsafe.Add(ref first, i);
                byte b0 = Unsafe.Add(ref table, b), b1 = Unsafe.Add(ref table, Unsafe.Add(ref b, 1));
                byte b2 = Unsafe.Add(ref table, Unsafe.Add(ref b, 2)), b3 = Unsafe.Add(ref table, Unsafe.Add(ref b, 3));
                b = b0; Unsafe.Add(ref b, 1) = b1; Unsafe.Add(ref b, 2) = b2; Unsafe.Add(ref b, 3) = b3;
            }
        for (; i < n; i++) { ref byte b = ref Unsafe.Add(ref first, i); b = Unsafe.Add(ref table, b); }
        return true;
    }

    /// <summary>
    /// ADD DECIMAL (0), SUBTRACT DECIMAL (1), ZERO AND ADD (2), COMPARE DECIMAL (3) in the plain
    /// case: both operands plain (<see cref="Plain"/>), valid, not overlapping on S/360, and no
    /// overflow. Returns the condition code, or -1 (nothing changed) for the handler to run the
    /// instruction with every check and exception (GA22-7000 chapter 8).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Decimal(ref byte m, ref byte keys, ref byte lines, uint size, CpuState cpu, bool s370, uint a1, int n1, uint a2, int n2, int key, int op)
    {
        if (!Plain(ref keys, ref lines, size, a1, n1, op != 3, key) || !Plain(ref keys, ref lines, size, a2, n2, false, key)) return -1;
        if (!s370 && a1 < a2 + (uint)n2 && a2 < a1 + (uint)n1) return -1;
        if (n1 <= Short && n2 <= Short) return DecimalShort(ref Unsafe.Add(ref m, a1), n1, ref Unsafe.Add(ref m, a2), n2, cpu.Ascii, op);
        return DecimalLong(ref m, a1, n1, a2, n2, cpu.Ascii, op);
    }

    /// <summary>AP/SP/ZAP/CP with an operand longer than 8 bytes, through the semantics on a copy of the first operand.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static int DecimalLong(ref byte m, uint a1, int n1, uint a2, int n2, bool ascii, int op)
    {
        Span<byte> op1 = stackalloc byte[n1];
        var field1 = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref m, a1), n1);
        var op2 = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref m, a2), n2);
        if (!Jit360.Machine.Semantics.PackedDecimal.TryRead(op2, out _, out _)) return -1;
        if (op != 2 && !Jit360.Machine.Semantics.PackedDecimal.TryRead(field1, out _, out _)) return -1;
        if (op == 3) return Jit360.Machine.Semantics.PackedDecimal.Compare(field1, op2);
        field1.CopyTo(op1);
        int cc = op == 2 ? Jit360.Machine.Semantics.PackedDecimal.ZeroAndAdd(op1, op2, ascii)
                         : Jit360.Machine.Semantics.PackedDecimal.AddSubtract(op1, op2, op == 1, ascii);
        if (cc == 3) return -1;   // overflow: the handler completes it and decides on the interruption
        op1.CopyTo(field1);
        return cc;
    }

    /// <summary>Longest operand of the binary path: 8 bytes, 15 digits; a sum of two fits a long.</summary>
    const int Short = 8;

    /// <summary>
    /// TR of 16 to 256 bytes with the table apart from the operand, 64 (then 16) bytes a step:
    /// two 128-entry byte permutes pick from the table's halves and bit 7 of each byte chooses
    /// between them. The last 16 bytes are read before anything is stored, so the final,
    /// overlapping step translates original bytes (the same results as byte by byte).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void TranslateVector(ref byte first, int n, ref byte table)
    {
        var t0 = Vector512.LoadUnsafe(ref table);
        var t1 = Vector512.LoadUnsafe(ref table, 64);
        var t2 = Vector512.LoadUnsafe(ref table, 128);
        var t3 = Vector512.LoadUnsafe(ref table, 192);
        var last = Vector128.LoadUnsafe(ref first, (nuint)(n - 16));
        int i = 0;
        for (; i + 64 <= n; i += 64)
            Lookup(Vector512.LoadUnsafe(ref first, (nuint)i), t0, t1, t2, t3).StoreUnsafe(ref first, (nuint)i);
        for (; i + 16 <= n; i += 16)
            Lookup(Vector128.LoadUnsafe(ref first, (nuint)i).ToVector256Unsafe().ToVector512Unsafe(), t0, t1, t2, t3).GetLower().GetLower().StoreUnsafe(ref first, (nuint)i);
        if (i < n)
            Lookup(last.ToVector256Unsafe().ToVector512Unsafe(), t0, t1, t2, t3).GetLower().GetLower().StoreUnsafe(ref first, (nuint)(n - 16));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<byte> Lookup(Vector512<byte> v, Vector512<byte> t0, Vector512<byte> t1, Vector512<byte> t2, Vector512<byte> t3)
    {
        var low = Avx512Vbmi.PermuteVar64x8x2(t0, v, t1);
        var high = Avx512Vbmi.PermuteVar64x8x2(t2, v, t3);
        return Vector512.ConditionalSelect(Vector512.LessThan(v.AsSByte(), Vector512<sbyte>.Zero).AsByte(), high, low);
    }

    /// <summary>0-9999 as four packed digits.</summary>
    static readonly ushort[] Bcd4 = Enumerable.Range(0, 10000).Select(v => (ushort)((v / 1000) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10)).ToArray();
    static readonly long[] Limit = Enumerable.Range(0, 2 * Short).Select(d => (long)Jit360.Machine.Semantics.PackedDecimal.Pow10(d)).ToArray();

    /// <summary>A field of 1 to 8 bytes as a big-endian value (its last byte in bits 7-0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ulong ReadBig(ref byte f, int n)
    {
        if (n == 8) return BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref f));
        ulong x = 0;
        int i = 0;
        if (n >= 4) { x = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(ref f)); i = 4; }
        for (; i < n; i++) x = x << 8 | Unsafe.Add(ref f, i);
        return x;
    }

    /// <summary>
    /// Reads a packed field of up to 8 bytes as a signed value; false on an invalid digit or sign
    /// (minus zero reads as zero, which AP/SP/ZAP/CP treat alike). All digits at once: adding 6
    /// to every digit carries out of exactly the digits above 9; then pairs, fours and eights of
    /// digits are combined into binary.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool ReadShort(ref byte f, int n, out long value)
    {
        ulong x = ReadBig(ref f, n);
        int sign = (int)x & 0xF;
        ulong d = x >> 4;   // at most 15 digits: the top digit position is zero
        const ulong Sixes = 0x0666_6666_6666_6666;
        value = 0;
        if (sign < 0xA || (((d + Sixes) ^ d ^ Sixes) & 0x1111_1111_1111_1110) != 0) return false;
        d = (d >> 4 & 0x0F0F_0F0F_0F0F_0F0F) * 10 + (d & 0x0F0F_0F0F_0F0F_0F0F);
        d = (d >> 8 & 0x00FF_00FF_00FF_00FF) * 100 + (d & 0x00FF_00FF_00FF_00FF);
        d = (d >> 16 & 0x0000_FFFF_0000_FFFF) * 10000 + (d & 0x0000_FFFF_0000_FFFF);
        d = (d >> 32) * 100_000_000 + (d & 0xFFFF_FFFF);
        value = sign == 0xB || sign == 0xD ? -(long)d : (long)d;
        return true;
    }

    /// <summary>Writes a magnitude below 10^15 with the preferred sign into a packed field of up to 8 bytes (high digits beyond the field are zero: the caller checked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void WriteShort(ref byte f, int n, ulong mag, bool negative, bool ascii)
    {
        ulong high = mag / 100_000_000, low = mag % 100_000_000;
        ref ushort bcd = ref MemoryMarshal.GetArrayDataReference(Bcd4);
        ulong packed = (ulong)Unsafe.Add(ref bcd, (nint)(high / 10000)) << 48 | (ulong)Unsafe.Add(ref bcd, (nint)(high % 10000)) << 32
                     | (ulong)Unsafe.Add(ref bcd, (nint)(low / 10000)) << 16 | Unsafe.Add(ref bcd, (nint)(low % 10000));
        ulong x = packed << 4 | (uint)Jit360.Machine.Semantics.PackedDecimal.PreferredSign(negative, ascii);
        if (n == 8) { Unsafe.WriteUnaligned(ref f, BinaryPrimitives.ReverseEndianness(x)); return; }
        for (int i = n - 1; i >= 0; i--) { Unsafe.Add(ref f, i) = (byte)x; x >>= 8; }
    }

    /// <summary>
    /// AP/SP/ZAP/CP on operands of up to 8 bytes as binary arithmetic: the same results as
    /// <see cref="Jit360.Machine.Semantics.PackedDecimal"/> (preferred signs, zero made positive),
    /// with both operands read before anything is stored (so an overlap gives what the
    /// semantics give). Invalid data or an overflow returns -1 with storage untouched.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int DecimalShort(ref byte f1, int n1, ref byte f2, int n2, bool ascii, int op)
    {
        if (!ReadShort(ref f2, n2, out long y)) return -1;
        long x = 0;
        if (op != 2 && !ReadShort(ref f1, n1, out x)) return -1;
        if (op == 3) return x == y ? 0 : x < y ? 1 : 2;
        long r = op switch { 0 => x + y, 1 => x - y, _ => y };
        bool negative = r < 0;
        ulong mag = (ulong)(negative ? -r : r);
        if (mag >= (ulong)Limit[2 * n1 - 1]) return -1;
        WriteShort(ref f1, n1, mag, negative, ascii);
        return r == 0 ? 0 : negative ? 1 : 2;
    }

    // ---- CVB, CVD (GA22-7000 "Convert to Binary", "Convert to Decimal") ----

    /// <summary>
    /// CVB's plain case: <paramref name="asStored"/> is the doubleword read from storage in host
    /// order. Returns the 32-bit result, or -1 when the handler must act: an invalid digit or sign
    /// (data exception) or a value outside -2^31..2^31-1 (the rightmost 32 bits stored, then
    /// fixed-point divide).
    /// </summary>
    public static long Cvb(ulong asStored)
    {
        Span<byte> field = stackalloc byte[8];
        MemoryMarshal.Write(field, in asStored);
        if (!Jit360.Machine.Semantics.PackedDecimal.TryRead(field, out var magnitude, out bool negative)) return -1;
        ulong m = (ulong)magnitude;
        if (negative ? m > 0x8000_0000UL : m > 0x7FFF_FFFFUL) return -1;
        return negative ? (uint)(0 - m) : (uint)m;
    }

    /// <summary>CVD: the packed doubleword (the PSW's ASCII bit chooses the sign codes) in host order, for a plain store.</summary>
    public static ulong Cvd(CpuState cpu, uint value)
    {
        ulong bigEndian = Jit360.Machine.Semantics.PackedDecimal.ConvertToDecimal((int)value, cpu.Ascii);
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(bigEndian) : bigEndian;
    }
}
