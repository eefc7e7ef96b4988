using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Interpreter;

// The 1975 System/370 problem-state additions (GA22-7000-4, chapter 7 "General Instructions"):
// MOVE LONG, COMPARE LOGICAL LONG, the three characters-under-mask instructions and the two
// compare-and-swap instructions. All of them address storage with 24-bit addresses.
public static partial class Handlers
{
    const uint Mask24 = 0x00FF_FFFF;

    /// <summary>
    /// Bytes processed by one unit of operation of MVCL/CLCL: up to the next 2K boundary of
    /// either operand, so that one key check covers the unit and a copy never wraps (2^24 is a
    /// multiple of 2K).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static uint ToBoundary(uint a) => 0x800 - (a & 0x7FF);

    /// <summary>
    /// An interruptible instruction stops between units when an interruption is pending
    /// (GA22-7000 "Interruptible Instructions"): the registers already show the progress and the
    /// instruction address is backed up to the instruction (or to the EXECUTE that ran it) so it
    /// resumes where it stopped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool StopBetweenUnits(CpuState cpu)
    {
        // Attention is also raised for reasons the program cannot see (the end of a time slice,
        // a store into translated code): only an interruption that can be taken now stops it.
        if (!cpu.Attention || !cpu.InterruptionWaiting()) return false;
        cpu.Ia = (cpu.Ia - (uint)(cpu.Ilc * 2)) & cpu.AddressMask;
        return true;
    }

    /// <summary>
    /// MOVE LONG (GA22-7000 "MOVE LONG"). R1, R2 designate even-odd pairs: addresses in bits 8-31
    /// of R1 and R2, lengths in bits 8-31 of R1+1 and R2+1, the padding byte in bits 0-7 of R2+1.
    /// cc 0 lengths equal, 1 first shorter, 2 first longer, 3 destructive overlap (nothing moved).
    /// Bits 0-7 of R1 and R2 become zero even when nothing is moved; bits 0-7 of R1+1 and R2+1
    /// are kept.
    /// </summary>
    public static void MVCL(CpuState cpu, ulong insn)
    {
        var f = new RR(insn);
        if (((f.R1 | f.R2) & 1) != 0) throw CpuState.Fault(ProgramInterruptCode.Specification);
        uint d = cpu.Gpr[f.R1] & Mask24, s = cpu.Gpr[f.R2] & Mask24;
        uint dl = cpu.Gpr[f.R1 + 1] & Mask24, sl = cpu.Gpr[f.R2 + 1] & Mask24;
        byte pad = (byte)(cpu.Gpr[f.R2 + 1] >> 24);
        int cc = dl == sl ? 0 : dl < sl ? 1 : 2;
        cpu.Gpr[f.R1] = d;
        cpu.Gpr[f.R2] = s;

        // Destructive overlap: the leftmost first-operand byte coincides with a participating
        // second-operand byte other than the leftmost one, counting modulo 2^24 so that bytes
        // up to X'FFFFFF' lie to the left of those from 0 up (GA22-7000 "MOVE LONG"). Unchanged
        // by partial completion, since both addresses advance together.
        uint n = Math.Min(dl, sl);
        if (n > 1 && ((d - s) & Mask24) - 1 < n - 1) { cpu.Cc = 3; return; }

        byte[] mem = cpu.Storage.Bytes;
        while (dl != 0)
        {
            uint unit = Math.Min(dl, ToBoundary(d));
            if (sl != 0)
            {
                unit = Math.Min(unit, Math.Min(sl, ToBoundary(s)));
                cpu.CheckAccess(s, (int)unit, store: false);
                cpu.CheckAccess(d, (int)unit, store: true);
                // Overlap that is not destructive (d at or left of s) gives the same result as
                // a left-to-right byte move, which is what CopyTo does for d < s.
                mem.AsSpan((int)s, (int)unit).CopyTo(mem.AsSpan((int)d, (int)unit));
                s = (s + unit) & Mask24; sl -= unit;
                cpu.Gpr[f.R2] = s;
                cpu.Gpr[f.R2 + 1] = (cpu.Gpr[f.R2 + 1] & 0xFF00_0000) | sl;
            }
            else
            {
                cpu.CheckAccess(d, (int)unit, store: true);
                mem.AsSpan((int)d, (int)unit).Fill(pad);
            }
            cpu.OnStore(d, (int)unit);
            d = (d + unit) & Mask24; dl -= unit;
            cpu.Gpr[f.R1] = d;
            cpu.Gpr[f.R1 + 1] = (cpu.Gpr[f.R1 + 1] & 0xFF00_0000) | dl;
            if (dl != 0 && StopBetweenUnits(cpu)) return;
        }
        cpu.Cc = cc;
    }

    /// <summary>
    /// COMPARE LOGICAL LONG (GA22-7000 "COMPARE LOGICAL LONG"). The shorter operand is extended
    /// with the padding byte (bits 0-7 of R2+1). On inequality the addresses in R1 and R2 point
    /// at the unequal bytes (an operand already exhausted stays at its end) and the lengths are
    /// reduced by the bytes found equal. cc 0 equal, 1 first low, 2 first high.
    /// </summary>
    public static void CLCL(CpuState cpu, ulong insn)
    {
        var f = new RR(insn);
        if (((f.R1 | f.R2) & 1) != 0) throw CpuState.Fault(ProgramInterruptCode.Specification);
        uint a1 = cpu.Gpr[f.R1] & Mask24, a2 = cpu.Gpr[f.R2] & Mask24;
        uint l1 = cpu.Gpr[f.R1 + 1] & Mask24, l2 = cpu.Gpr[f.R2 + 1] & Mask24;
        byte pad = (byte)(cpu.Gpr[f.R2 + 1] >> 24);
        cpu.Gpr[f.R1] = a1;
        cpu.Gpr[f.R2] = a2;

        byte[] mem = cpu.Storage.Bytes;
        int cc = 0;
        while (l1 != 0 || l2 != 0)
        {
            uint unit, equal;
            if (l1 != 0 && l2 != 0)
            {
                unit = Math.Min(Math.Min(l1, ToBoundary(a1)), Math.Min(l2, ToBoundary(a2)));
                cpu.CheckAccess(a1, (int)unit, store: false);
                cpu.CheckAccess(a2, (int)unit, store: false);
                var x = mem.AsSpan((int)a1, (int)unit);
                var y = mem.AsSpan((int)a2, (int)unit);
                equal = (uint)x.CommonPrefixLength(y);
                if (equal < unit) cc = x[(int)equal] < y[(int)equal] ? 1 : 2;
            }
            else if (l1 != 0)
            {
                unit = Math.Min(l1, ToBoundary(a1));
                cpu.CheckAccess(a1, (int)unit, store: false);
                var x = mem.AsSpan((int)a1, (int)unit);
                int i = x.IndexOfAnyExcept(pad);
                equal = i < 0 ? unit : (uint)i;
                if (i >= 0) cc = x[i] < pad ? 1 : 2;
            }
            else
            {
                unit = Math.Min(l2, ToBoundary(a2));
                cpu.CheckAccess(a2, (int)unit, store: false);
                var y = mem.AsSpan((int)a2, (int)unit);
                int i = y.IndexOfAnyExcept(pad);
                equal = i < 0 ? unit : (uint)i;
                if (i >= 0) cc = pad < y[i] ? 1 : 2;
            }
            if (l1 != 0) { a1 = (a1 + equal) & Mask24; l1 -= equal; }
            if (l2 != 0) { a2 = (a2 + equal) & Mask24; l2 -= equal; }
            cpu.Gpr[f.R1] = a1;
            cpu.Gpr[f.R1 + 1] = (cpu.Gpr[f.R1 + 1] & 0xFF00_0000) | l1;
            cpu.Gpr[f.R2] = a2;
            cpu.Gpr[f.R2 + 1] = (cpu.Gpr[f.R2 + 1] & 0xFF00_0000) | l2;
            if (cc != 0) break;
            if ((l1 | l2) != 0 && StopBetweenUnits(cpu)) return;
        }
        cpu.Cc = cc;
    }

    // ---- characters under mask: the mask (R3 field) selects register bytes, left to right;
    // the storage operand is as many contiguous bytes as there are ones in the mask.

    /// <summary>
    /// INSERT CHARACTERS UNDER MASK. cc 0 all inserted bits zero or mask zero, 1 first inserted
    /// bit one, 2 otherwise. With a zero mask the PoO allows an access exception for one byte;
    /// like Hercules we fetch that byte (and recognise its exception) and change nothing else.
    /// </summary>
    public static void ICM(CpuState cpu, ulong insn)
    {
        var f = new RS(insn);
        uint a = cpu.Address(f.B2, f.D2);
        int mask = f.R3;
        if (mask == 0) { cpu.FetchByte(a); cpu.Cc = 0; return; }
        int n = BitOperations.PopCount((uint)mask);
        cpu.CheckAccess(a, n, store: false);
        uint r = cpu.Gpr[f.R1], inserted = 0;
        for (int i = 0, k = 0; i < 4; i++)
        {
            if ((mask & (8 >> i)) == 0) continue;
            uint b = cpu.ByteAt(a + (uint)k++);
            int shift = 24 - 8 * i;
            r = (r & ~(0xFFu << shift)) | b << shift;
            inserted = inserted << 8 | b;
        }
        cpu.Gpr[f.R1] = r;
        cpu.Cc = inserted == 0 ? 0 : (inserted >> (8 * n - 1)) != 0 ? 1 : 2;
    }

    /// <summary>STORE CHARACTERS UNDER MASK. A zero mask stores nothing and, as in Hercules, accesses nothing.</summary>
    public static void STCM(CpuState cpu, ulong insn)
    {
        var f = new RS(insn);
        uint a = cpu.Address(f.B2, f.D2);
        int mask = f.R3;
        if (mask == 0) return;
        int n = BitOperations.PopCount((uint)mask);
        cpu.CheckAccess(a, n, store: true);
        uint r = cpu.Gpr[f.R1];
        for (int i = 0, k = 0; i < 4; i++)
            if ((mask & (8 >> i)) != 0) cpu.SetByteAt(a + (uint)k++, (byte)(r >> (24 - 8 * i)));
        cpu.OnStore(a, n);
    }

    /// <summary>
    /// COMPARE LOGICAL CHARACTERS UNDER MASK: the selected register bytes against contiguous
    /// storage bytes. cc 0 equal (or mask zero), 1 register field low, 2 high. With a zero mask
    /// one byte is fetched for its access exception, as Hercules 3.13 does (the PoO permits it).
    /// </summary>
    public static void CLM(CpuState cpu, ulong insn)
    {
        var f = new RS(insn);
        uint a = cpu.Address(f.B2, f.D2);
        int mask = f.R3;
        if (mask == 0) { cpu.FetchByte(a); cpu.Cc = 0; return; }
        int n = BitOperations.PopCount((uint)mask);
        cpu.CheckAccess(a, n, store: false);
        uint r = cpu.Gpr[f.R1];
        for (int i = 0, k = 0; i < 4; i++)
        {
            if ((mask & (8 >> i)) == 0) continue;
            int x = (byte)(r >> (24 - 8 * i)), y = cpu.ByteAt(a + (uint)k++);
            if (x != y) { cpu.Cc = x < y ? 1 : 2; return; }
        }
        cpu.Cc = 0;
    }

    // ---- compare and swap: the operand must be on an integral boundary on every model
    // (specification otherwise); the fetch, compare and store are one interlocked update, so
    // other CPUs (host threads) sharing the storage see it atomically.

    /// <summary>
    /// COMPARE AND SWAP (GA22-7000 "COMPARE AND SWAP"): R1 is compared with the word at D2(B2);
    /// equal: R3 is stored, cc 0; unequal: the word is loaded into R1, cc 1. The operand is
    /// checked for store access either way.
    /// </summary>
    public static void CS(CpuState cpu, ulong insn)
    {
        var f = new RS(insn);
        uint a = cpu.Address(f.B2, f.D2);
        if ((a & 3) != 0) throw CpuState.Fault(ProgramInterruptCode.Specification);
        cpu.CheckAccess(a, 4, store: true);
        ref int cell = ref Unsafe.As<byte, int>(ref cpu.Storage.Bytes[a]);
        int expected = BigEndian((int)cpu.Gpr[f.R1]);
        int old = Interlocked.CompareExchange(ref cell, BigEndian((int)cpu.Gpr[f.R3]), expected);
        if (old == expected) { cpu.OnStore(a, 4); cpu.Cc = 0; }
        else { cpu.Gpr[f.R1] = (uint)BigEndian(old); cpu.Cc = 1; }
    }

    /// <summary>
    /// COMPARE DOUBLE AND SWAP: as CS with the even-odd pairs R1 and R3 and a doubleword
    /// operand; R1 and R3 must be even.
    /// </summary>
    public static void CDS(CpuState cpu, ulong insn)
    {
        var f = new RS(insn);
        if (((f.R1 | f.R3) & 1) != 0) throw CpuState.Fault(ProgramInterruptCode.Specification);
        uint a = cpu.Address(f.B2, f.D2);
        if ((a & 7) != 0) throw CpuState.Fault(ProgramInterruptCode.Specification);
        cpu.CheckAccess(a, 8, store: true);
        ref long cell = ref Unsafe.As<byte, long>(ref cpu.Storage.Bytes[a]);
        long expected = BigEndian((long)((ulong)cpu.Gpr[f.R1] << 32 | cpu.Gpr[f.R1 + 1]));
        long replacement = BigEndian((long)((ulong)cpu.Gpr[f.R3] << 32 | cpu.Gpr[f.R3 + 1]));
        long old = Interlocked.CompareExchange(ref cell, replacement, expected);
        if (old == expected) { cpu.OnStore(a, 8); cpu.Cc = 0; }
        else
        {
            ulong v = (ulong)BigEndian(old);
            cpu.Gpr[f.R1] = (uint)(v >> 32); cpu.Gpr[f.R1 + 1] = (uint)v;
            cpu.Cc = 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int BigEndian(int v) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(v) : v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static long BigEndian(long v) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(v) : v;
}
