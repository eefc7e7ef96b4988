using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Interpreter;

// Storage-to-storage and storage-immediate logical instructions (GA22-6821 "Logical
// Operations"; GA22-7000 chapter 7). SS operands are processed left to right one byte at a
// time, so overlapping operands behave as the PoO describes (MVC 1(L,R),0(R) propagates).
// Both operands are checked for access first: an access exception suppresses the instruction.
public static partial class Handlers
{
    // ---- SI ----
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MVI(CpuState cpu, ulong insn) { var f = new SI(insn); cpu.StoreByte(cpu.Address(f.B1, f.D1), (byte)f.I2); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CLI(CpuState cpu, ulong insn)
    {
        var f = new SI(insn);
        byte b = cpu.FetchByte(cpu.Address(f.B1, f.D1));
        cpu.Cc = b == f.I2 ? 0 : b < f.I2 ? 1 : 2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TM(CpuState cpu, ulong insn)
    {
        var f = new SI(insn);
        int sel = cpu.FetchByte(cpu.Address(f.B1, f.D1)) & f.I2;
        cpu.Cc = sel == 0 ? 0 : sel == f.I2 ? 3 : 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void UpdateByte(CpuState cpu, in SI f, int op)
    {
        uint a = cpu.Address(f.B1, f.D1);
        cpu.CheckAccess(a, 1, store: true);
        int b = cpu.ByteAt(a);
        b = op switch { 0 => b & f.I2, 1 => b | f.I2, _ => b ^ f.I2 };
        cpu.SetByteAt(a, (byte)b);
        cpu.OnStore(a, 1);
        cpu.Cc = b != 0 ? 1 : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NI(CpuState cpu, ulong insn) => UpdateByte(cpu, new SI(insn), 0);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OI(CpuState cpu, ulong insn) => UpdateByte(cpu, new SI(insn), 1);
    public static void XI(CpuState cpu, ulong insn) => UpdateByte(cpu, new SI(insn), 2);

    /// <summary>TEST AND SET: cc is the leftmost bit of the byte, which is then set to all ones (an interlocked update).</summary>
    public static void TS(CpuState cpu, ulong insn)
    {
        var f = new SI(insn);
        uint a = cpu.Address(f.B1, f.D1);
        cpu.CheckAccess(a, 1, store: true);
        byte old = Interlocked.Exchange(ref cpu.Storage.Bytes[a], (byte)0xFF);
        cpu.OnStore(a, 1);
        cpu.Cc = old >> 7;
    }

    // ---- SS ----
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static (uint d, uint s, int n) Operands(CpuState cpu, in SS f, bool storeFirst)
    {
        uint d = cpu.Address(f.B1, f.D1), s = cpu.Address(f.B2, f.D2);
        int n = f.L + 1;
        cpu.CheckAccess(d, n, storeFirst);
        cpu.CheckAccess(s, n, store: false);
        return (d, s, n);
    }

    public static void MVC(CpuState cpu, ulong insn)
    {
        var (d, s, n) = Operands(cpu, new SS(insn), true);
        var bytes = cpu.Storage.Bytes;
        if (cpu.Contiguous(d, n) && cpu.Contiguous(s, n))
        {
            if (d > s && d < s + (uint)n)
            {
                if (d == s + 1) bytes.AsSpan((int)d, n).Fill(bytes[s]);     // the propagation idiom
                else for (int i = 0; i < n; i++) bytes[d + i] = bytes[s + i];
            }
            else bytes.AsSpan((int)s, n).CopyTo(bytes.AsSpan((int)d, n));
        }
        else
        {
            for (int i = 0; i < n; i++) cpu.SetByteAt(d + (uint)i, cpu.ByteAt(s + (uint)i));
        }
        cpu.OnStore(d, n);
    }

    public static void MVN(CpuState cpu, ulong insn)
    {
        var (d, s, n) = Operands(cpu, new SS(insn), true);
        for (int i = 0; i < n; i++) { uint a = d + (uint)i; cpu.SetByteAt(a, (byte)(cpu.ByteAt(a) & 0xF0 | cpu.ByteAt(s + (uint)i) & 0x0F)); }
        cpu.OnStore(d, n);
    }

    public static void MVZ(CpuState cpu, ulong insn)
    {
        var (d, s, n) = Operands(cpu, new SS(insn), true);
        for (int i = 0; i < n; i++) { uint a = d + (uint)i; cpu.SetByteAt(a, (byte)(cpu.ByteAt(a) & 0x0F | cpu.ByteAt(s + (uint)i) & 0xF0)); }
        cpu.OnStore(d, n);
    }

    static void LogicalSS(CpuState cpu, ulong insn, int op)
    {
        var (d, s, n) = Operands(cpu, new SS(insn), true);
        int any = 0;
        for (int i = 0; i < n; i++)
        {
            uint a = d + (uint)i;
            int b = cpu.ByteAt(a), c = cpu.ByteAt(s + (uint)i);
            b = op switch { 0 => b & c, 1 => b | c, _ => b ^ c };
            cpu.SetByteAt(a, (byte)b);
            any |= b;
        }
        cpu.OnStore(d, n);
        cpu.Cc = any != 0 ? 1 : 0;
    }

    public static void NC(CpuState cpu, ulong insn) => LogicalSS(cpu, insn, 0);
    public static void OC(CpuState cpu, ulong insn) => LogicalSS(cpu, insn, 1);
    public static void XC(CpuState cpu, ulong insn) => LogicalSS(cpu, insn, 2);

    public static void CLC(CpuState cpu, ulong insn)
    {
        var (d, s, n) = Operands(cpu, new SS(insn), false);
        if (cpu.Contiguous(d, n) && cpu.Contiguous(s, n))
        {
            int c = cpu.Storage.Bytes.AsSpan((int)d, n).SequenceCompareTo(cpu.Storage.Bytes.AsSpan((int)s, n));
            cpu.Cc = c == 0 ? 0 : c < 0 ? 1 : 2;
            return;
        }
        for (int i = 0; i < n; i++)
        {
            int b = cpu.ByteAt(d + (uint)i), c = cpu.ByteAt(s + (uint)i);
            if (b != c) { cpu.Cc = b < c ? 1 : 2; return; }
        }
        cpu.Cc = 0;
    }

    /// <summary>
    /// TRANSLATE: each first-operand byte is replaced by the table byte it indexes. Only the
    /// table bytes actually used are accessed; all are checked before anything is stored.
    /// </summary>
    public static void TR(CpuState cpu, ulong insn)
    {
        var f = new SS(insn);
        uint d = cpu.Address(f.B1, f.D1), t = cpu.Address(f.B2, f.D2);
        int n = f.L + 1;
        cpu.CheckAccess(d, n, store: true);
        // Written so as not to overflow: a Model 67 in 32-bit mode can put the table near 2^32.
        if (cpu.Key == 0 && t <= cpu.Storage.Size - 256) { /* whole table accessible */ }
        else for (int i = 0; i < n; i++) cpu.CheckAccess(cpu.Wrap(t + cpu.ByteAt(d + (uint)i)), 1, store: false);
        var bytes = cpu.Storage.Bytes;
        if (cpu.Contiguous(d, n) && t <= cpu.Storage.Size - 256)
        {
            // Both ranges were checked to lie within storage: no bounds checks needed.
            ref byte first = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(bytes), d);
            ref byte table = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(bytes), t);
            for (int i = 0; i < n; i++) { ref byte b = ref Unsafe.Add(ref first, i); b = Unsafe.Add(ref table, b); }
        }
        else
        {
            for (int i = 0; i < n; i++) { uint a = d + (uint)i; cpu.SetByteAt(a, cpu.ByteAt(t + cpu.ByteAt(a))); }
        }
        cpu.OnStore(d, n);
    }

    /// <summary>
    /// TRANSLATE AND TEST: the first nonzero function byte ends the scan; its address goes to
    /// R1 bits 8-31 and the function byte to R2 bits 24-31. cc 0 all zero, 1 stopped early, 2 at the last byte.
    /// </summary>
    public static void TRT(CpuState cpu, ulong insn)
    {
        var f = new SS(insn);
        uint d = cpu.Address(f.B1, f.D1), t = cpu.Address(f.B2, f.D2);
        int n = f.L + 1;
        cpu.CheckAccess(d, n, store: false);
        for (int i = 0; i < n; i++)
        {
            uint a = cpu.Wrap(d + (uint)i);
            byte fn = cpu.FetchByte(cpu.Wrap(t + cpu.ByteAt(a)));
            if (fn != 0)
            {
                cpu.Gpr[1] = cpu.Addressing32 ? a : (cpu.Gpr[1] & 0xFF00_0000) | a;
                cpu.Gpr[2] = (cpu.Gpr[2] & 0xFFFF_FF00) | fn;
                cpu.Cc = i == n - 1 ? 2 : 1;
                return;
            }
        }
        cpu.Cc = 0;
    }
}
