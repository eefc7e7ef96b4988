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
        if (!KeyAllows(data.Keys[a >> Storage.BlockShift], store, key)) return false;
        if ((last >> Storage.BlockShift) != (a >> Storage.BlockShift) && !KeyAllows(data.Keys[last >> Storage.BlockShift], store, key)) return false;
        if (store && (data.CodeLines[a >> BlockCache.LineShift] | data.CodeLines[last >> BlockCache.LineShift]) != 0) return false;
        return true;
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
        for (int i = 0; i < n; i++) { ref byte b = ref Unsafe.Add(ref first, i); b = Unsafe.Add(ref table, b); }
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
}
