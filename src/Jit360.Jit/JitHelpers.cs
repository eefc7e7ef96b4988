using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Jit360.Machine;

namespace Jit360.Jit;

/// <summary>
/// Fast paths that translated code calls for storage-to-storage instructions. Each one does
/// the instruction only in the plain case (both operands within storage without wrapping, the
/// key allowing them and already recording the reference and change, no translated code on the
/// lines stored into) and otherwise returns "not done" without touching anything, so that the
/// interpreter's handler runs the instruction with every check (semantics written once).
/// </summary>
public static class JitHelpers
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool Plain(RegionData data, uint a, int n, bool store, int key)
    {
        uint size = (uint)data.Keys.Length << Storage.BlockShift;
        if (a > size - (uint)n) return false;
        uint last = a + (uint)n - 1;
        // At most two 2K key blocks for an operand of up to 256 bytes.
        // a and last lie within storage, so the key and line maps need no bounds checks.
        ref byte keys = ref MemoryMarshal.GetArrayDataReference(data.Keys);
        if (!KeyAllows(Unsafe.Add(ref keys, a >> Storage.BlockShift), store, key)) return false;
        if ((last >> Storage.BlockShift) != (a >> Storage.BlockShift) && !KeyAllows(Unsafe.Add(ref keys, last >> Storage.BlockShift), store, key)) return false;
        if (!store) return true;
        ref byte lines = ref MemoryMarshal.GetArrayDataReference(data.CodeLines);
        return (Unsafe.Add(ref lines, a >> BlockCache.LineShift) | Unsafe.Add(ref lines, last >> BlockCache.LineShift)) == 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool KeyAllows(byte k, bool store, int key)
    {
        if (store) return (k & (Storage.Reference | Storage.Change)) == (Storage.Reference | Storage.Change) && (key == 0 || (k >> 4) == key);
        return (k & Storage.Reference) != 0 && (key == 0 || (k & Storage.FetchProtect) == 0 || (k >> 4) == key);
    }

    /// <summary>MOVE (GA22-7000 "MOVE (MVC)"): bytes move left to right one at a time, so an overlap one byte apart propagates.</summary>
    public static bool Mvc(RegionData data, uint d, uint s, int n, int key)
    {
        if (!Plain(data, d, n, true, key) || !Plain(data, s, n, false, key)) return false;
        ref byte m = ref MemoryMarshal.GetArrayDataReference(data.Mem);
        if (d > s && d < s + (uint)n)
        {
            for (int i = 0; i < n; i++) Unsafe.Add(ref m, d + (uint)i) = Unsafe.Add(ref m, s + (uint)i);
        }
        else MemoryMarshal.CreateSpan(ref Unsafe.Add(ref m, s), n).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref m, d), n));
        return true;
    }

    /// <summary>COMPARE LOGICAL (CLC): the condition code, or -1 when the handler must run it.</summary>
    public static int Clc(RegionData data, uint a, uint b, int n, int key)
    {
        if (!Plain(data, a, n, false, key) || !Plain(data, b, n, false, key)) return -1;
        ref byte m = ref MemoryMarshal.GetArrayDataReference(data.Mem);
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
        int c = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref m, a), n).SequenceCompareTo(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref m, b), n));
        return c == 0 ? 0 : c < 0 ? 1 : 2;
    }

    /// <summary>TRANSLATE (TR) with the whole 256-byte table accessible (under key 0 the handler records no reference for the table either).</summary>
    public static bool Tr(RegionData data, uint d, uint t, int n, int key)
    {
        uint size = (uint)data.Keys.Length << Storage.BlockShift;
        if (!Plain(data, d, n, true, key)) return false;
        if (key == 0 ? t > size - 256 : !Plain(data, t, 256, false, key)) return false;
        ref byte m = ref MemoryMarshal.GetArrayDataReference(data.Mem);
        ref byte first = ref Unsafe.Add(ref m, d);
        ref byte table = ref Unsafe.Add(ref m, t);
        // Four bytes a step when the table lies outside the operand (the lookups are then independent), then the rest.
        int i = 0;
        if (d + (uint)n <= t || t + 256 <= d)
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
    public static int Decimal(RegionData data, CpuState cpu, uint a1, int n1, uint a2, int n2, int key, int op)
    {
        if (!Plain(data, a1, n1, op != 3, key) || !Plain(data, a2, n2, false, key)) return -1;
        if (!cpu.IsS370 && a1 < a2 + (uint)n2 && a2 < a1 + (uint)n1) return -1;
        ref byte m = ref MemoryMarshal.GetArrayDataReference(data.Mem);
        if (n1 <= Short && n2 <= Short) return DecimalShort(ref Unsafe.Add(ref m, a1), n1, ref Unsafe.Add(ref m, a2), n2, cpu.Ascii, op);
        Span<byte> op1 = stackalloc byte[n1];
        var field1 = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref m, a1), n1);
        var op2 = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref m, a2), n2);
        if (!Jit360.Machine.Semantics.PackedDecimal.TryRead(op2, out _, out _)) return -1;
        if (op != 2 && !Jit360.Machine.Semantics.PackedDecimal.TryRead(field1, out _, out _)) return -1;
        if (op == 3) return Jit360.Machine.Semantics.PackedDecimal.Compare(field1, op2);
        field1.CopyTo(op1);
        int cc = op == 2 ? Jit360.Machine.Semantics.PackedDecimal.ZeroAndAdd(op1, op2, cpu.Ascii)
                         : Jit360.Machine.Semantics.PackedDecimal.AddSubtract(op1, op2, op == 1, cpu.Ascii);
        if (cc == 3) return -1;   // overflow: the handler completes it and decides on the interruption
        op1.CopyTo(field1);
        return cc;
    }

    /// <summary>Longest operand of the binary path: 8 bytes, 15 digits; a sum of two fits a long.</summary>
    const int Short = 8;

    /// <summary>A packed byte's two digits as 0-99, or 0xFF when either is above 9.</summary>
    static readonly byte[] PairValue = Enumerable.Range(0, 256).Select(b => (b >> 4) > 9 || (b & 0xF) > 9 ? (byte)0xFF : (byte)((b >> 4) * 10 + (b & 0xF))).ToArray();
    /// <summary>0-99 as a packed byte of two digits.</summary>
    static readonly byte[] PairCode = Enumerable.Range(0, 100).Select(v => (byte)((v / 10) << 4 | v % 10)).ToArray();
    static readonly long[] Limit = Enumerable.Range(0, 2 * Short).Select(d => (long)Jit360.Machine.Semantics.PackedDecimal.Pow10(d)).ToArray();

    /// <summary>Reads a packed field of up to 8 bytes as a signed value; false on an invalid digit or sign (minus zero reads as zero, which AP/SP/ZAP/CP treat alike).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool ReadShort(ref byte f, int n, out long value)
    {
        value = 0;
        byte[] pairs = PairValue;
        long v = 0;
        for (int i = 0; i < n - 1; i++)
        {
            int p = pairs[Unsafe.Add(ref f, i)];
            if (p > 99) return false;
            v = v * 100 + p;
        }
        int s = Unsafe.Add(ref f, n - 1), sign = s & 0xF;
        if ((s >> 4) > 9 || sign < 0xA) return false;
        v = v * 10 + (s >> 4);
        value = sign == 0xB || sign == 0xD ? -v : v;
        return true;
    }

    /// <summary>
    /// AP/SP/ZAP/CP on operands of up to 8 bytes as binary arithmetic: the same results as
    /// <see cref="Jit360.Machine.Semantics.PackedDecimal"/> (preferred signs, zero made positive),
    /// with both operands read before anything is stored (so an overlap gives what the
    /// semantics give). Invalid data or an overflow returns -1 with storage untouched.
    /// </summary>
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
        Unsafe.Add(ref f1, n1 - 1) = (byte)((int)(mag % 10) << 4 | Jit360.Machine.Semantics.PackedDecimal.PreferredSign(negative, ascii));
        ulong rest = mag / 10;
        byte[] codes = PairCode;
        for (int i = n1 - 2; i >= 0; i--)
        {
            Unsafe.Add(ref f1, i) = codes[(int)(rest % 100)];
            rest /= 100;
        }
        return r == 0 ? 0 : negative ? 1 : 2;
    }
}
