using System.Diagnostics;
using System.Reflection;
using System.Reflection.Emit;
using Jit360.Architecture;
using Jit360.Interpreter;
using Jit360.Machine;

namespace Jit360.Jit;

/// <summary>
/// Translates a block to IL. Each guest instruction becomes a call of the same handler the
/// interpreter runs (semantics written once) with the instruction bytes as a constant, so
/// RyuJIT can inline the handler and fold its field extraction; the PSW's instruction address,
/// ILC and the instruction count are kept exact at every point where an interruption can occur.
/// </summary>
public static class Translator
{
    static readonly FieldInfo IaField = typeof(CpuState).GetField(nameof(CpuState.Ia))!;
    static readonly FieldInfo IlcField = typeof(CpuState).GetField(nameof(CpuState.Ilc))!;
    static readonly FieldInfo InstructionsField = typeof(CpuState).GetField(nameof(CpuState.Instructions))!;
    static readonly FieldInfo AttentionField = typeof(CpuState).GetField(nameof(CpuState.Attention))!;

    /// <summary>The handler each mnemonic calls; cached once (a test checks every row resolves).</summary>
    static readonly Dictionary<string, MethodInfo> handlers = OpcodeTable.All
        .Select(o => o.Mnemonic).Distinct()
        .Select(m => (m, h: DispatchTable.HandlerFor(m)))
        .Where(p => p.h != null)
        .ToDictionary(p => p.m, p => p.h!);

    public static bool CanTranslate(Opcode op) => handlers.ContainsKey(op.Mnemonic);

    public static CompiledBlock Translate(BlockKey key, IReadOnlyList<GuestInstruction> block, uint addressMask)
    {
        var sw = Stopwatch.StartNew();
        // void Block_XXXXXX(CpuState cpu, long limit): limit is the instruction count at which
        // the engine must look at the machine again (budget, time slice, timer event).
        var method = new DynamicMethod($"Block_{key.Address:X6}", typeof(void), [typeof(CpuState), typeof(long)], typeof(Translator).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        var exit = il.DefineLabel();
        var top = il.DefineLabel();
        il.MarkLabel(top);
        foreach (var insn in block)
        {
            // cpu.Ilc = length/2; cpu.Ia = next;   (the updated instruction address, as in the interpreter)
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldc_I4, insn.Length >> 1); il.Emit(OpCodes.Stfld, IlcField);
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldc_I4, unchecked((int)insn.Next(addressMask))); il.Emit(OpCodes.Stfld, IaField);
            // Handlers.MNEMONIC(cpu, bytes);
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldc_I8, unchecked((long)insn.Bytes)); il.Emit(OpCodes.Call, handlers[insn.Opcode.Mnemonic]);
            // cpu.Instructions++;
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Dup); il.Emit(OpCodes.Ldfld, InstructionsField);
            il.Emit(OpCodes.Ldc_I8, 1L); il.Emit(OpCodes.Add); il.Emit(OpCodes.Stfld, InstructionsField);
            // An interruptible instruction (MVCL, CLCL) may set the IA back to itself to resume.
            if (insn.Opcode.Has(OpFlags.EndsBlock | OpFlags.Interruptible)) break;
            // A store may have hit translated code (or changed keys): leave so the new bytes run.
            if (insn.Opcode.Has(OpFlags.WritesStorage))
            {
                il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Volatile); il.Emit(OpCodes.Ldfld, AttentionField); il.Emit(OpCodes.Brtrue, exit);
            }
        }
        var last = block[^1].Opcode;
        if (last.Has(OpFlags.Branch) && !last.IsPrivileged)
        {
            // A loop that is this one block runs inside this method: back to the top while the
            // branch went there, nothing needs the machine, and another pass fits the limit.
            // if (!cpu.Attention && cpu.Ia == start && cpu.Instructions <= limit - n) goto top;
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Volatile); il.Emit(OpCodes.Ldfld, AttentionField); il.Emit(OpCodes.Brtrue, exit);
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, IaField); il.Emit(OpCodes.Ldc_I4, unchecked((int)key.Address)); il.Emit(OpCodes.Bne_Un, exit);
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, InstructionsField);
            il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldc_I8, (long)block.Count); il.Emit(OpCodes.Sub);
            il.Emit(OpCodes.Bgt, exit);
            il.Emit(OpCodes.Br, top);
        }
        il.MarkLabel(exit);
        il.Emit(OpCodes.Ret);
        var run = method.CreateDelegate<Action<CpuState, long>>();
        sw.Stop();
        return new CompiledBlock(key, run, block, il.ILOffset, sw.Elapsed, method);
    }
}
