using System.Reflection;
using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Interpreter;

/// <summary>
/// The interpreter's view of the opcode table: for each architecture level, a 256-entry array
/// of handler function pointers indexed by the first opcode byte. A handler is the static
/// method of <see cref="Handlers"/> named exactly as the instruction's mnemonic. Absent opcodes
/// go to <see cref="Handlers.Invalid"/> (operation exception); S/370's two-byte opcodes go to
/// a second-level dispatcher.
/// </summary>
public static unsafe class DispatchTable
{
    static readonly IntPtr[][] primary = new IntPtr[3][];
    static readonly IntPtr[] b2 = new IntPtr[256];
    static readonly IntPtr[] io370 = new IntPtr[8];   // (first byte - 0x9C) * 2 + bit 15

    static DispatchTable()
    {
        IntPtr invalid = Pointer(nameof(Handlers.Invalid))!.Value;
        int li = 0;
        foreach (var level in new[] { ArchLevel.S360, ArchLevel.S360_67, ArchLevel.S370 })
        {
            var t = new IntPtr[256];
            Array.Fill(t, invalid);
            foreach (var op in OpcodeTable.For(level))
            {
                if (op.IsTwoByte) continue;
                t[op.Code] = Pointer(op.Mnemonic) ?? invalid;   // a missing handler fails HandlerTableTests
            }
            if (level == ArchLevel.S370)
            {
                t[0xB2] = Pointer(nameof(Handlers.DispatchB2))!.Value;
                for (int b = 0x9C; b <= 0x9F; b++) t[b] = Pointer(nameof(Handlers.DispatchIo370))!.Value;
            }
            primary[li++] = t;
        }
        Array.Fill(b2, invalid);
        Array.Fill(io370, invalid);
        foreach (var op in OpcodeTable.For(ArchLevel.S370).Where(o => o.IsTwoByte))
        {
            IntPtr p = Pointer(op.Mnemonic) ?? invalid;
            if (op.FirstByte == 0xB2) b2[op.Code & 0xFF] = p;
            else io370[(op.FirstByte - 0x9C) * 2 + (op.Code & 1)] = p;
        }
    }

    /// <summary>The handler method for a mnemonic, or null: used by the table test and the JIT's fallback.</summary>
    public static MethodInfo? HandlerFor(string mnemonic)
    {
        var m = typeof(Handlers).GetMethod(mnemonic, BindingFlags.Public | BindingFlags.Static, [typeof(CpuState), typeof(ulong)]);
        return m;
    }

    static IntPtr? Pointer(string name) => HandlerFor(name)?.MethodHandle.GetFunctionPointer();

    public static IntPtr[] For(ArchLevel level) => primary[level switch { ArchLevel.S360 => 0, ArchLevel.S360_67 => 1, ArchLevel.S370 => 2, _ => throw new ArgumentOutOfRangeException(nameof(level)) }];

    internal static delegate*<CpuState, ulong, void> B2(int second) => (delegate*<CpuState, ulong, void>)b2[second];
    internal static delegate*<CpuState, ulong, void> Io370(int first, int second) => (delegate*<CpuState, ulong, void>)io370[(first - 0x9C) * 2 + (second & 1)];

    /// <summary>Executes one already-fetched instruction (used by EX and by the JIT's interpreter fallback).</summary>
    public static void Execute(CpuState cpu, ulong insn)
    {
        var t = For(cpu.Level);
        ((delegate*<CpuState, ulong, void>)t[(int)(insn >> 56)])(cpu, insn);
    }
}
