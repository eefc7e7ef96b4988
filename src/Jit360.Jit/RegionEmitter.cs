using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.InteropServices;
using Jit360.Architecture;
using Jit360.Interpreter;
using Jit360.Machine;

namespace Jit360.Jit;

/// <summary>
/// Writes the IL of one region: <c>void Region(RegionData data, CpuState cpu, long limit)</c>.
/// <list type="bullet">
/// <item>Guest registers live in IL locals: the ones the region uses are loaded on entry, the
/// ones it writes are stored back on every exit and before every call that can see them.</item>
/// <item>The condition code lives in a local and is computed only where live: a setter whose
/// code is overwritten before any reader in its basic block skips it. Every block end, every
/// slow path and every exit reads it.</item>
/// <item>The instruction count lives in a local, advanced once per basic block. Before entering
/// a basic block the region checks that the whole block fits in <c>limit</c> and that nothing
/// asks for attention, else it leaves with the PSW at that block (so budgets, timers and
/// interruptions fall exactly where the interpreter takes them).</item>
/// <item>Common instructions are specialised IL with an inline storage fast path; anything
/// unusual (an exception, a protected or unreferenced key, a store onto a line holding
/// translated code, an overflow) takes the instruction's cold slow path: the state is written
/// back exactly as the interpreter would have it before the instruction, and the
/// interpreter's handler executes it (semantics written once). Every other instruction is
/// that same handler call.</item>
/// </list>
/// </summary>
sealed class RegionEmitter
{
    // ---- what IL reaches in the runtime, cached once ----
    static readonly FieldInfo GprField = typeof(CpuState).GetField(nameof(CpuState.Gpr))!;
    static readonly FieldInfo IaField = typeof(CpuState).GetField(nameof(CpuState.Ia))!;
    static readonly FieldInfo IlcField = typeof(CpuState).GetField(nameof(CpuState.Ilc))!;
    static readonly FieldInfo CcField = typeof(CpuState).GetField(nameof(CpuState.Cc))!;
    static readonly FieldInfo ProgramMaskField = typeof(CpuState).GetField(nameof(CpuState.ProgramMask))!;
    static readonly FieldInfo InstructionsField = typeof(CpuState).GetField(nameof(CpuState.Instructions))!;
    static readonly FieldInfo AttentionField = typeof(CpuState).GetField(nameof(CpuState.Attention))!;
    static readonly FieldInfo MemField = typeof(RegionData).GetField(nameof(RegionData.Mem))!;
    static readonly FieldInfo KeysField = typeof(RegionData).GetField(nameof(RegionData.Keys))!;
    static readonly FieldInfo LinesField = typeof(RegionData).GetField(nameof(RegionData.CodeLines))!;
    static readonly FieldInfo StaleField = typeof(RegionData).GetField(nameof(RegionData.Stale))!;
    static readonly MethodInfo DataReference = typeof(MemoryMarshal).GetMethods()
        .Single(m => m.Name == nameof(MemoryMarshal.GetArrayDataReference) && m.IsGenericMethodDefinition).MakeGenericMethod(typeof(byte));
    static readonly MethodInfo Reverse32 = typeof(BinaryPrimitives).GetMethod(nameof(BinaryPrimitives.ReverseEndianness), [typeof(uint)])!;
    static readonly MethodInfo Reverse16 = typeof(BinaryPrimitives).GetMethod(nameof(BinaryPrimitives.ReverseEndianness), [typeof(ushort)])!;
    static readonly MethodInfo MinInt = typeof(Math).GetMethod(nameof(Math.Min), [typeof(int), typeof(int)])!;
    static readonly MethodInfo MvcHelper = typeof(JitHelpers).GetMethod(nameof(JitHelpers.Mvc))!;
    static readonly MethodInfo ClcHelper = typeof(JitHelpers).GetMethod(nameof(JitHelpers.Clc))!;
    static readonly MethodInfo TrHelper = typeof(JitHelpers).GetMethod(nameof(JitHelpers.Tr))!;
    static readonly MethodInfo DecimalHelper = typeof(JitHelpers).GetMethod(nameof(JitHelpers.Decimal))!;
    static readonly MethodInfo CvbHelper = typeof(JitHelpers).GetMethod(nameof(JitHelpers.Cvb))!;
    static readonly MethodInfo CvdHelper = typeof(JitHelpers).GetMethod(nameof(JitHelpers.Cvd))!;

    /// <summary>The handler each mnemonic calls; cached once (a test checks every row resolves).</summary>
    internal static readonly Dictionary<string, MethodInfo> Handlers = OpcodeTable.All
        .Select(o => o.Mnemonic).Distinct()
        .Select(m => (m, h: DispatchTable.HandlerFor(m)))
        .Where(p => p.h != null)
        .ToDictionary(p => p.m, p => p.h!);

    /// <summary>The instructions with specialised IL; every other one calls its handler.</summary>
    public static readonly HashSet<string> Specialised =
    [
        "LR", "LTR", "AR", "SR", "ALR", "SLR", "NR", "OR", "XR", "CR", "CLR",
        "L", "ST", "A", "S", "AL", "SL", "N", "O", "X", "C", "CL", "LH", "STH", "IC", "STC", "LA", "AH", "SH", "CH",
        "SLL", "SRL", "SRA", "BC", "BCR", "BCT", "BCTR", "BXLE", "BXH", "BAL", "BALR",
        "MVI", "CLI", "TM", "MVC", "CLC", "TR", "AP", "SP", "ZAP", "CP", "CVB", "CVD",
    ];

    readonly IlEmitter il;
    readonly Region region;
    readonly IReadOnlyList<GuestInstruction> insns;
    readonly Dictionary<uint, int> index = new();
    readonly CpuState cpu;
    readonly uint mask, size;
    readonly int key;
    readonly bool align, addressing32;
    readonly bool[] leader, ccNeeded;
    readonly int[] bbStart, bbLen;
    readonly List<Action> cold = new();

    /// <summary>Registers read or written (bit n = register n), and written, over the whole region (from the dry pass).</summary>
    public int Used, Written;
    /// <summary>Whether some instruction runs through its handler, which may write any register (from the dry pass).</summary>
    public bool CallsHandlers;
    readonly int usedFinal, writtenFinal;
    readonly bool handlersFinal;

    LocalBuilder? mem, keys, lines, cc, icount, exitIa, exitIlc, ta, tv, tt, tw, tg, callSite;
    /// <summary>Every place that runs a handler (slow paths and unspecialised instructions): the instruction and where to continue.</summary>
    readonly List<(int Insn, Label Resume)> sites = new();
    Label callBlock;
    readonly LocalBuilder?[] regs = new LocalBuilder?[16];
    Label exit;
    readonly Label[] labels;

    [MethodImpl(MethodImplOptions.NoOptimization)]
    public RegionEmitter(IlEmitter il, Region region, CpuState cpu, BlockKey blockKey, int usedFinal = 0xFFFF, int writtenFinal = 0xFFFF, bool handlersFinal = true)
    {
        this.handlersFinal = handlersFinal;
        this.il = il;
        this.region = region;
        insns = region.Instructions;
        this.cpu = cpu;
        // From the key, not the CPU: a background translation runs while the guest goes on.
        addressing32 = blockKey.Addressing32;
        mask = addressing32 ? 0xFFFF_FFFF : 0x00FF_FFFF;
        size = cpu.Storage.Size;
        key = blockKey.Key;
        align = cpu.AlignmentRequired;
        this.usedFinal = usedFinal;
        this.writtenFinal = writtenFinal;
        for (int i = 0; i < insns.Count; i++) index[insns[i].Address] = i;
        int n = insns.Count;
        leader = new bool[n]; ccNeeded = new bool[n]; bbStart = new int[n]; bbLen = new int[n];
        labels = new Label[n];
        FindBasicBlocks();
        FindLiveConditionCodes();
    }

    // ------------------------------------------------------------------ analysis

    [MethodImpl(MethodImplOptions.NoOptimization)]
    static bool IsTerminator(GuestInstruction g)
        => g.Opcode.Has(OpFlags.Branch | OpFlags.EndsBlock | OpFlags.Interruptible);

    [MethodImpl(MethodImplOptions.NoOptimization)]
    bool FallsInto(int i) => i + 1 < insns.Count && insns[i + 1].Address == insns[i].Next(mask)
                             && (!IsTerminator(insns[i]) || (Specialised.Contains(insns[i].Opcode.Mnemonic) && RegionDiscovery.FallsThrough(insns[i])));

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void FindBasicBlocks()
    {
        int n = insns.Count;
        leader[index[region.Entry]] = true;
        foreach (var (_, target) in region.Predictions)
            if (index.TryGetValue(target, out int t)) leader[t] = true;
        for (int i = 0; i < n; i++)
        {
            if (i == 0 || !FallsInto(i - 1) || IsTerminator(insns[i - 1])) leader[i] = true;
        }
        for (int i = 0; i < n; i++)
            bbStart[i] = leader[i] ? i : bbStart[i - 1];
        for (int i = n - 1; i >= 0; i--)
            bbLen[bbStart[i]] = Math.Max(bbLen[bbStart[i]], i - bbStart[i] + 1);
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    bool EndsBasicBlock(int i) => i + 1 >= insns.Count || leader[i + 1];

    /// <summary>Whether the instruction computes a condition code in its specialised form.</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    static bool SetsCc(GuestInstruction g) => g.Opcode.Mnemonic is "LTR" or "AR" or "SR" or "ALR" or "SLR" or "NR" or "OR" or "XR" or "CR" or "CLR"
        or "A" or "S" or "AL" or "SL" or "N" or "O" or "X" or "C" or "CL" or "AH" or "SH" or "CH" or "SRA" or "CLI" or "TM" or "CLC"
        or "AP" or "SP" or "ZAP" or "CP";

    /// <summary>Whether the instruction (or its slow path, or the handler that runs it) may read the condition code.</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    bool ReadsCc(GuestInstruction g)
    {
        var m = g.Opcode.Mnemonic;
        if (!Specialised.Contains(m)) return true;   // a handler call sees cpu.Cc
        ulong b = g.Bytes;
        int r1 = (int)(b >> 52) & 0xF, r2 = (int)(b >> 48) & 0xF;
        return m switch
        {
            "BC" => r1 != 0 && r1 != 15,
            "BCR" => r2 != 0 && r1 != 0 && r1 != 15,
            "BAL" => !addressing32,
            "BALR" => !addressing32,
            "LR" or "LTR" or "AR"or "ALR" or "SLR" or "NR" or "OR" or "XR" or "CR" or "CLR" or "LA" or "SLL" or "SRL" or "SRA" or "BCT" or "BCTR" or "BXLE" or "BXH" => false,
            "SR" => false,
            _ => true,   // a storage operand or an overflow may take the slow path, which writes the state back
        };
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void FindLiveConditionCodes()
    {
        // The code is live at every basic-block end (a block may be left there), so liveness
        // is a backward scan of each block.
        bool live = true;
        for (int i = insns.Count - 1; i >= 0; i--)
        {
            if (EndsBasicBlock(i)) live = true;
            var g = insns[i];
            bool sets = SetsCc(g);
            ccNeeded[i] = sets && live;
            // AR and SR take the slow path on overflow, which writes the code back: the code before them is live.
            bool reads = ReadsCc(g) || g.Opcode.Mnemonic is "AR" or "SR";
            live = reads || (!sets && live);
        }
    }

    // ------------------------------------------------------------------ emission

    [MethodImpl(MethodImplOptions.NoOptimization)]
    public void Emit()
    {
        var start = il.DefineLabel("start");
        for (int i = 0; i < insns.Count; i++) labels[i] = il.DefineLabel($"G{insns[i].Address:X6}");
        exit = il.DefineLabel("exit");
        callBlock = il.DefineLabel("calls");
        callSite = il.Local(typeof(int), "site");
        mem = il.Local(typeof(byte).MakeByRefType(), "mem");
        keys = il.Local(typeof(byte).MakeByRefType(), "keys");
        lines = il.Local(typeof(byte).MakeByRefType(), "lines");
        cc = il.Local(typeof(int), "cc");
        icount = il.Local(typeof(long), "count");
        exitIa = il.Local(typeof(uint), "exitIa");
        exitIlc = il.Local(typeof(int), "exitIlc");
        ta = il.Local(typeof(uint), "a");
        tv = il.Local(typeof(uint), "v");
        tt = il.Local(typeof(uint), "t");
        tw = il.Local(typeof(long), "w");
        tg = il.Local(typeof(uint), "target");
        for (int r = 0; r < 16; r++)
            if ((usedFinal & (1 << r)) != 0) regs[r] = il.Local(typeof(uint), $"r{r}");

        Prologue();
        for (int i = 0; i < insns.Count; i++)
        {
            if (leader[i]) il.Mark(labels[i]);
            if (il.Recording) il.Comment($"{insns[i].Address:X6}  {Disassembler.Disassemble(insns[i].Bytes, cpu.Level)}");
            Instruction(i);
        }
        Exit();
        // Cold code last, out of the way of the hot path (slow paths may add more exits).
        for (int c = 0; c < cold.Count; c++) cold[c]();
        int before = cold.Count;
        EmitCallBlock();
        for (int c = before; c < cold.Count; c++) cold[c]();
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void Prologue()
    {
        // ref byte mem = ref data.Mem[0]; (and the keys and the code-line map)
        foreach (var (local, field) in new[] { (mem, MemField), (keys, KeysField), (lines, LinesField) })
        {
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, field); il.Emit(OpCodes.Call, DataReference); il.Emit(OpCodes.Stloc, local);
        }
        il.Comment("registers, condition code and count into locals");
        for (int r = 0; r < 16; r++)
            if ((usedFinal & (1 << r)) != 0) { LoadGprField(r); il.Emit(OpCodes.Stloc, regs[r]); }
        il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, CcField); il.Emit(OpCodes.Stloc, cc);
        il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, InstructionsField); il.Emit(OpCodes.Stloc, icount);
        // Branch targets that cannot change inside the region: still as predicted? Else the
        // region is stale: say so and return without running anything (it is translated anew).
        var stale = il.DefineLabel("stale");
        bool anyInvariant = false;
        for (int i = 0; i < insns.Count; i++)
        {
            if (!Invariant(i)) continue;
            anyInvariant = true;
            var g = insns[i];
            ulong b = g.Bytes;
            if (g.Opcode.Mnemonic == "BALR") { Ld((int)(b >> 48) & 0xF); il.Const(mask); il.Emit(OpCodes.And); }
            else if (g.Opcode.Mnemonic is "BXLE" or "BXH") Address(0, (int)(b >> 44) & 0xF, (int)(b >> 32) & 0xFFF);
            else Address((int)(b >> 48) & 0xF, (int)(b >> 44) & 0xF, (int)(b >> 32) & 0xFFF);
            il.Const(region.Predictions[g.Address]); il.Emit(OpCodes.Bne_Un, stale);
        }
        // Every basic block is an entry: the region starts where the PSW points.
        // switch (cpu.Ia) { case leader: if (count + length(block) > limit) return; goto block; }
        // (a block that does not fit returns at once: the engine interprets the few instructions left)
        il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, IaField); il.Emit(OpCodes.Stloc, exitIa);
        var order = Entries.OrderByDescending(a => a == region.Entry).ToList();
        var entryLabels = order.Select(_ => il.DefineLabel("enter")).ToArray();
        for (int k = 0; k < order.Count; k++)
        {
            il.Emit(OpCodes.Ldloc, exitIa); il.Const(order[k]); il.Emit(OpCodes.Beq, entryLabels[k]);
        }
        il.Emit(OpCodes.Ret);
        for (int k = 0; k < order.Count; k++)
        {
            int e = index[order[k]];
            il.Mark(entryLabels[k]);
            var go = il.DefineLabel("go");
            il.Emit(OpCodes.Ldloc, icount); il.Emit(OpCodes.Ldc_I8, (long)bbLen[e]); il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldarg_2); il.Emit(OpCodes.Ble, go);
            il.Emit(OpCodes.Ret);
            il.Mark(go);
            il.Emit(OpCodes.Br, labels[e]);
        }
        if (anyInvariant)
        {
            // data.Stale = true; return;
            il.Mark(stale);
            il.Emit(OpCodes.Ldarg_0); il.Const(1); il.Emit(OpCodes.Stfld, StaleField); il.Emit(OpCodes.Ret);
        }
    }

    /// <summary>The addresses the region can be entered at: the first instruction of each basic block.</summary>
    public IReadOnlyList<uint> Entries => Enumerable.Range(0, insns.Count).Where(i => leader[i]).Select(i => insns[i].Address).ToList();

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void Exit()
    {
        il.Mark(exit);
        il.Comment("write back: registers, condition code, count, PSW instruction address and ILC");
        StoreRegisters();
        il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldloc, cc); il.Emit(OpCodes.Stfld, CcField);
        il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldloc, icount); il.Emit(OpCodes.Stfld, InstructionsField);
        il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldloc, exitIa); il.Emit(OpCodes.Stfld, IaField);
        il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldloc, exitIlc); il.Emit(OpCodes.Stfld, IlcField);
        il.Emit(OpCodes.Ret);
    }

    // ---- registers ----

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void LoadGprField(int r)
    {
        // cpu.Gpr[r]
        il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldflda, GprField);
        if (r != 0) { il.Const(4 * r); il.Emit(OpCodes.Add); }
        il.Emit(OpCodes.Ldind_U4);
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void StoreRegisters()
    {
        for (int r = 0; r < 16; r++)
        {
            if ((writtenFinal & (1 << r)) == 0 || regs[r] == null) continue;
            // cpu.Gpr[r] = rN;
            il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldflda, GprField);
            if (r != 0) { il.Const(4 * r); il.Emit(OpCodes.Add); }
            il.Emit(OpCodes.Ldloc, regs[r]); il.Emit(OpCodes.Stind_I4);
        }
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void ReloadRegisters()
    {
        for (int r = 0; r < 16; r++)
            if (regs[r] != null) { LoadGprField(r); il.Emit(OpCodes.Stloc, regs[r]); }
        il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, CcField); il.Emit(OpCodes.Stloc, cc);
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void Ld(int r) { Used |= 1 << r; il.Emit(OpCodes.Ldloc, regs[r]); }
    [MethodImpl(MethodImplOptions.NoOptimization)]
    void St(int r) { Used |= 1 << r; Written |= 1 << r; il.Emit(OpCodes.Stloc, regs[r]); }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void CallHandler(GuestInstruction g)
    {
        // Handlers.MNEMONIC(cpu, bytes), through its entry point: the call stays a call (these are
        // slow paths and rare instructions), so the region's code stays small and quick to compile.
        il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldc_I8, unchecked((long)g.Bytes));
        il.Emit(OpCodes.Ldc_I8, (long)EntryPoint(g.Opcode.Mnemonic)); il.Emit(OpCodes.Conv_I);
        il.EmitCalli(typeof(void), [typeof(CpuState), typeof(ulong)], g.Opcode.Mnemonic);
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, nint> entryPoints = new();
    [MethodImpl(MethodImplOptions.NoOptimization)]
    static nint EntryPoint(string mnemonic) => entryPoints.GetOrAdd(mnemonic, m => Handlers[m].MethodHandle.GetFunctionPointer());

    /// <summary>Instructions whose handlers change no general register (when not ending the region, a handler that may is assumed to change any).</summary>
    static readonly HashSet<string> KeepsRegisters =
    [
        "ST", "STH", "STC", "STM", "STCM", "MVI", "NI", "OI", "XI", "TM", "CLI", "MVC", "MVN", "MVZ", "MVO", "NC", "OC", "XC", "CLC", "CLM", "TR",
        "AP", "SP", "ZAP", "CP", "MP", "DP", "SRP", "UNPK", "PACK", "ED", "CVD", "STD", "STE", "SPM", "TS",
    ];

    // ---- exits and edges ----

    /// <summary>Leaves the region after instruction i with the count advanced by <paramref name="delta"/> and the IA on the stack (or constant).</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    void ExitTo(int i, uint? ia, int delta)
    {
        if (delta != 0) { il.Emit(OpCodes.Ldloc, icount); il.Emit(OpCodes.Ldc_I8, (long)delta); il.Emit(OpCodes.Add); il.Emit(OpCodes.Stloc, icount); }
        if (ia is uint a) il.Const(a); else il.Emit(OpCodes.Ldloc, tg);
        il.Emit(OpCodes.Stloc, exitIa);
        il.Const(insns[i].Length >> 1); il.Emit(OpCodes.Stloc, exitIlc);
        il.Emit(OpCodes.Br, exit);
    }

    /// <summary>A cold block that leaves the region (see <see cref="ExitTo"/>); returns its label.</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    Label ColdExit(int i, uint? ia, int delta)
    {
        var l = il.DefineLabel("leave");
        cold.Add(() => { il.Mark(l); ExitTo(i, ia, delta); });
        return l;
    }

    /// <summary>
    /// Control passes from instruction i (its block's count already added) to address a: into
    /// the basic block there if it is in the region, its length fits the limit and nothing asks
    /// for attention; else out of the region.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    void Edge(int i, uint a)
    {
        if (index.TryGetValue(a, out int j) && leader[j])
        {
            var leave = ColdExit(i, a, 0);
            // if (count + length(block) > limit || cpu.Attention) leave;
            il.Emit(OpCodes.Ldloc, icount); il.Emit(OpCodes.Ldc_I8, (long)bbLen[j]); il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldarg_2); il.Emit(OpCodes.Bgt, leave);
            // Attention is looked at on taken branches only: every loop has one, and what asks for it
            // synchronously (stores into code, handlers) is looked at where it happens.
            if (a != insns[i].Next(mask))
            {
                il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Volatile); il.Emit(OpCodes.Ldfld, AttentionField); il.Emit(OpCodes.Brtrue, leave);
            }
            il.Emit(OpCodes.Br, labels[j]);
        }
        else ExitTo(i, a, 0);
    }

    /// <summary>A taken branch of instruction i to the target in local <c>target</c> (or constant).</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    void Branch(int i, uint? constant)
    {
        if (constant is uint c) { Edge(i, c); return; }
        if (Invariant(i)) { Edge(i, region.Predictions[insns[i].Address]); return; }
        if (region.Predictions.TryGetValue(insns[i].Address, out uint p) && index.TryGetValue(p, out int j) && leader[j])
        {
            // if (target != predicted) leave to target;
            var leave = ColdExit(i, null, 0);
            il.Emit(OpCodes.Ldloc, tg); il.Const(p); il.Emit(OpCodes.Bne_Un, leave);
            Edge(i, p);
        }
        else ExitTo(i, null, 0);
    }

    /// <summary>Registers a branch's target address is computed from.</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    static int TargetRegisters(GuestInstruction g)
    {
        ulong b = g.Bytes;
        return g.Opcode.Mnemonic switch
        {
            "BC" or "BCT" or "BAL" => (1 << (int)((b >> 48) & 0xF) | 1 << (int)((b >> 44) & 0xF)) & ~1,
            "BXLE" or "BXH" => 1 << (int)((b >> 44) & 0xF) & ~1,
            "BALR" => 1 << (int)((b >> 48) & 0xF) & ~1,
            _ => 0xFFFF,
        };
    }

    /// <summary>
    /// A predicted branch into the region whose target registers nothing in the region writes
    /// (no specialised instruction, and no handler at all): its target cannot change while the
    /// region runs, so the prediction is checked once on entry instead of at every branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    bool Invariant(int i)
    {
        var g = insns[i];
        int regs = TargetRegisters(g);
        return regs != 0 && !handlersFinal && (regs & writtenFinal) == 0
               && region.Predictions.TryGetValue(g.Address, out uint p) && index.TryGetValue(p, out int j) && leader[j];
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void AddBlockCount(int i)
    {
        // count += length of this basic block;
        il.Emit(OpCodes.Ldloc, icount); il.Emit(OpCodes.Ldc_I8, (long)bbLen[bbStart[i]]); il.Emit(OpCodes.Add); il.Emit(OpCodes.Stloc, icount);
    }

    /// <summary>
    /// The slow path of instruction i: a cold jump into the region's one shared call block
    /// (<see cref="EmitCallBlock"/>), which writes the state back as the interpreter has it
    /// before the instruction, runs the handler, reloads, and continues at <paramref name="resume"/>
    /// (or leaves after the instruction if something, e.g. a store onto translated code, asks
    /// for attention).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    Label Slow(int i, Label resume)
    {
        var l = il.DefineLabel("slow");
        int site = sites.Count;
        sites.Add((i, resume));
        cold.Add(() =>
        {
            il.Mark(l);
            il.Comment($"slow path of {insns[i].Opcode.Mnemonic} at {insns[i].Address:X6}");
            il.Const(site); il.Emit(OpCodes.Stloc, callSite); il.Emit(OpCodes.Br, callBlock);
        });
        return l;
    }

    /// <summary>Runs instruction i through its handler via the shared call block, then continues at <paramref name="resume"/>.</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    void CallInline(int i, Label resume)
    {
        int site = sites.Count;
        sites.Add((i, resume));
        il.Const(site); il.Emit(OpCodes.Stloc, callSite); il.Emit(OpCodes.Br, callBlock);
    }

    /// <summary>
    /// The shared handler-call block: registers and code written back once, then per call site
    /// the count, IA and ILC of that instruction and the handler call; then registers and code
    /// reloaded and control back to the site (or out of the region after the instruction when
    /// attention is asked; a terminator's site decides the exit itself).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    void EmitCallBlock()
    {
        if (sites.Count == 0) return;
        il.Mark(callBlock);
        il.Comment("shared handler calls: the state as the interpreter has it, the handler, the state back");
        StoreRegisters();
        il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldloc, cc); il.Emit(OpCodes.Stfld, CcField);
        var calls = sites.Select(_ => il.DefineLabel("call")).ToArray();
        var afterCall = il.DefineLabel("called");
        il.Emit(OpCodes.Ldloc, callSite); il.Emit(OpCodes.Switch, calls);
        for (int k = 0; k < sites.Count; k++)
        {
            int i = sites[k].Insn;
            var g = insns[i];
            il.Mark(calls[k]);
            il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldloc, icount);
            if (i - bbStart[i] != 0) { il.Emit(OpCodes.Ldc_I8, (long)(i - bbStart[i])); il.Emit(OpCodes.Add); }
            il.Emit(OpCodes.Stfld, InstructionsField);
            il.Emit(OpCodes.Ldarg_1); il.Const(g.Next(mask)); il.Emit(OpCodes.Stfld, IaField);
            il.Emit(OpCodes.Ldarg_1); il.Const(g.Length >> 1); il.Emit(OpCodes.Stfld, IlcField);
            CallHandler(g);
            il.Emit(OpCodes.Br, afterCall);
        }
        il.Mark(afterCall);
        ReloadRegisters();
        var resumes = sites.Select(x => x.Resume).ToArray();
        var attention = il.DefineLabel("attention");
        il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Volatile); il.Emit(OpCodes.Ldfld, AttentionField); il.Emit(OpCodes.Brtrue, attention);
        il.Emit(OpCodes.Ldloc, callSite); il.Emit(OpCodes.Switch, resumes);
        il.Mark(attention);
        var leaves = sites.Select(x => IsTerminator(insns[x.Insn]) ? x.Resume : il.DefineLabel("leave")).ToArray();
        il.Emit(OpCodes.Ldloc, callSite); il.Emit(OpCodes.Switch, leaves);
        il.Emit(OpCodes.Br, exit);   // not reached
        for (int k = 0; k < sites.Count; k++)
        {
            int i = sites[k].Insn;
            if (IsTerminator(insns[i])) continue;
            il.Mark(leaves[k]);
            ExitTo(i, insns[i].Next(mask), i - bbStart[i] + 1);
        }
    }

    // ---- addresses and storage ----

    /// <summary>Pushes the effective address (GA22-7000 "Address Generation"): D + (X) + (B), wrapped.</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    void Address(int x, int b, int d)
    {
        if (x == 0 && b == 0) { il.Const(d); return; }
        bool any = false;
        if (x != 0) { Ld(x); any = true; }
        if (b != 0) { Ld(b); if (any) il.Emit(OpCodes.Add); any = true; }
        if (d != 0) { il.Const(d); il.Emit(OpCodes.Add); }
        if (mask != 0xFFFF_FFFF) { il.Const(mask); il.Emit(OpCodes.And); }
    }

    /// <summary>
    /// The one place an operand address becomes a host location (a software TLB probe goes here
    /// when DAT comes). Jumps to <paramref name="slow"/> unless the access is the plain case:
    /// within storage, aligned where S/360 requires it and inside one 2K key block, the key
    /// allows it and already records it (reference, and change for a store), and for a store no
    /// translated code on the line. Otherwise pushes a reference to the first byte.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    void Access(LocalBuilder? a, int len, bool store, Label slow)
    {
        // if (a > size - len) slow;   (not needed when storage fills the address space: the
        // alignment or line check below keeps the operand below the wrap point)
        if ((ulong)mask + 1 > size) { il.Emit(OpCodes.Ldloc, a); il.Const(size - (uint)len); il.Emit(OpCodes.Bgt_Un, slow); }
        if (len > 1)
        {
            // S/360: aligned (so within one line). S/370: not across a 256-byte line, which keeps
            // the operand inside one 2K key block and one code line (a crossing one is rare: slow path).
            if (align) { il.Emit(OpCodes.Ldloc, a); il.Const(len - 1); il.Emit(OpCodes.And); il.Emit(OpCodes.Brtrue, slow); }
            else { il.Emit(OpCodes.Ldloc, a); il.Const(0xFF); il.Emit(OpCodes.And); il.Const(0x100 - len); il.Emit(OpCodes.Bgt_Un, slow); }
        }
        // k = keys[a >> 11];
        il.Emit(OpCodes.Ldloc, keys); il.Emit(OpCodes.Ldloc, a); il.Const(Storage.BlockShift); il.Emit(OpCodes.Shr_Un); il.Emit(OpCodes.Conv_U); il.Emit(OpCodes.Add); il.Emit(OpCodes.Ldind_U1);
        if (store)
        {
            // key matches (or is 0) and reference and change are already recorded
            if (key == 0) { il.Const(Storage.Reference | Storage.Change); il.Emit(OpCodes.And); il.Const(Storage.Reference | Storage.Change); }
            else { il.Const(0xF0 | Storage.Reference | Storage.Change); il.Emit(OpCodes.And); il.Const(key << 4 | Storage.Reference | Storage.Change); }
            il.Emit(OpCodes.Bne_Un, slow);
            // no translated code on the line(s) stored into
            CodeLine(a, 0, slow);
        }
        else if (key == 0)
        {
            il.Const(Storage.Reference); il.Emit(OpCodes.And); il.Emit(OpCodes.Brfalse, slow);
        }
        else
        {
            // referenced, and not fetch-protected against this key
            il.Emit(OpCodes.Dup); il.Const(Storage.Reference); il.Emit(OpCodes.And);
            var referenced = il.DefineLabel("referenced");
            il.Emit(OpCodes.Brtrue, referenced);
            il.Emit(OpCodes.Pop); il.Emit(OpCodes.Br, slow);
            il.Mark(referenced);
            il.Const(0xF0 | Storage.FetchProtect); il.Emit(OpCodes.And); il.Emit(OpCodes.Stloc, tt);
            var ok = il.DefineLabel("allowed");
            il.Emit(OpCodes.Ldloc, tt); il.Const(Storage.FetchProtect); il.Emit(OpCodes.And); il.Emit(OpCodes.Brfalse, ok);
            il.Emit(OpCodes.Ldloc, tt); il.Const(key << 4 | Storage.FetchProtect); il.Emit(OpCodes.Bne_Un, slow);
            il.Mark(ok);
        }
        // ref mem[a]
        il.Emit(OpCodes.Ldloc, mem); il.Emit(OpCodes.Ldloc, a); il.Emit(OpCodes.Conv_U); il.Emit(OpCodes.Add);
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void CodeLine(LocalBuilder? a, int offset, Label slow)
    {
        // if (lines[(a + offset) >> 8] != 0) slow;
        il.Emit(OpCodes.Ldloc, lines); il.Emit(OpCodes.Ldloc, a);
        if (offset != 0) { il.Const(offset); il.Emit(OpCodes.Add); }
        il.Const(BlockCache.LineShift); il.Emit(OpCodes.Shr_Un); il.Emit(OpCodes.Conv_U); il.Emit(OpCodes.Add); il.Emit(OpCodes.Ldind_U1);
        il.Emit(OpCodes.Brtrue, slow);
    }

    /// <summary>Loads the operand of length 1, 2 (sign-extended when <paramref name="signed"/>) or 4 at local a, or takes the slow path.</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    void Fetch(int len, Label slow, bool signed = false)
    {
        Access(ta, len, store: false, slow);
        switch (len)
        {
            case 1: il.Emit(OpCodes.Ldind_U1); break;
            case 2:
                il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Ldind_U2); il.Emit(OpCodes.Call, Reverse16);
                if (signed) il.Emit(OpCodes.Conv_I2);
                break;
            default: il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Ldind_U4); il.Emit(OpCodes.Call, Reverse32); break;
        }
    }

    // ---- condition codes (branch-free) ----

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void CcSign(LocalBuilder? v)
    {
        // cc = ((v != 0) << 1) >> (v >> 31);   0 zero, 1 negative, 2 positive
        il.Emit(OpCodes.Ldloc, v); il.Const(0); il.Emit(OpCodes.Cgt_Un); il.Const(1); il.Emit(OpCodes.Shl);
        il.Emit(OpCodes.Ldloc, v); il.Const(31); il.Emit(OpCodes.Shr_Un); il.Emit(OpCodes.Shr_Un);
        il.Emit(OpCodes.Stloc, cc);
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void CcNonZero(LocalBuilder? v)
    {
        // cc = v != 0 ? 1 : 0;
        il.Emit(OpCodes.Ldloc, v); il.Const(0); il.Emit(OpCodes.Cgt_Un); il.Emit(OpCodes.Stloc, cc);
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void CcCompare(LocalBuilder? a, LocalBuilder? b, bool logical)
    {
        // cc = ((a != b) << 1) >> (a < b);   0 equal, 1 low, 2 high
        il.Emit(OpCodes.Ldloc, a); il.Emit(OpCodes.Ldloc, b); il.Emit(OpCodes.Ceq); il.Const(1); il.Emit(OpCodes.Xor); il.Const(1); il.Emit(OpCodes.Shl);
        il.Emit(OpCodes.Ldloc, a); il.Emit(OpCodes.Ldloc, b); il.Emit(logical ? OpCodes.Clt_Un : OpCodes.Clt); il.Emit(OpCodes.Shr_Un);
        il.Emit(OpCodes.Stloc, cc);
    }

    // ------------------------------------------------------------------ instructions

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void Instruction(int i)
    {
        var g = insns[i];
        string m = g.Opcode.Mnemonic;
        if (!Specialised.Contains(m)) { Generic(i); return; }
        ulong b = g.Bytes;
        var resume = il.DefineLabel("next");
        switch (g.Opcode.Format.Length())
        {
            case 2: RrInstruction(i, m, new RR(b), resume); break;
            case 6: SsInstruction(i, m, new SS(b), resume); break;
            default:
                if (m is "SLL" or "SRL" or "SRA" or "BXLE" or "BXH") RsInstruction(i, m, new RS(b), resume);
                else if (m is "MVI" or "CLI" or "TM") SiInstruction(i, m, new SI(b), resume);
                else RxInstruction(i, m, new RX(b), resume);
                break;
        }
        il.Mark(resume);
        if (!IsTerminator(g) && EndsBasicBlock(i))
        {
            AddBlockCount(i);
            Edge(i, g.Next(mask));
        }
    }

    /// <summary>An instruction without specialised IL: its handler, with the state written back before and reloaded after.</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    void Generic(int i)
    {
        var g = insns[i];
        if (!IsTerminator(g) && !KeepsRegisters.Contains(g.Opcode.Mnemonic)) CallsHandlers = true;
        // In line, not through the shared call block: a hot handler (decimal, LM, STM...) pays
        // no indirect jumps. cpu.Gpr = registers; cpu.Cc = cc; count, IA, ILC; handler; reload.
        StoreRegisters();
        il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldloc, cc); il.Emit(OpCodes.Stfld, CcField);
        il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldloc, icount);
        if (i - bbStart[i] != 0) { il.Emit(OpCodes.Ldc_I8, (long)(i - bbStart[i])); il.Emit(OpCodes.Add); }
        il.Emit(OpCodes.Stfld, InstructionsField);
        il.Emit(OpCodes.Ldarg_1); il.Const(g.Next(mask)); il.Emit(OpCodes.Stfld, IaField);
        il.Emit(OpCodes.Ldarg_1); il.Const(g.Length >> 1); il.Emit(OpCodes.Stfld, IlcField);
        CallHandler(g);
        ReloadRegisters();
        if (!IsTerminator(g))
        {
            // A store into translated code, a changed mask, a request from the host: leave after it.
            il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Volatile); il.Emit(OpCodes.Ldfld, AttentionField);
            il.Emit(OpCodes.Brtrue, ColdExit(i, g.Next(mask), i - bbStart[i] + 1));
        }
        if (IsTerminator(g))
        {
            // It decides the next instruction address (a branch, LPSW, SVC...): leave with the PSW it left.
            AddBlockCount(i);
            il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, IaField); il.Emit(OpCodes.Stloc, exitIa);
            il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, IlcField); il.Emit(OpCodes.Stloc, exitIlc);
            il.Emit(OpCodes.Br, exit);
            return;
        }
        if (EndsBasicBlock(i)) { AddBlockCount(i); Edge(i, g.Next(mask)); }
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void RrInstruction(int i, string m, RR f, Label resume)
    {
        var g = insns[i];
        int r1 = f.R1, r2 = f.R2;
        switch (m)
        {
            case "LR": Ld(r2); St(r1); break;
            case "LTR":
                Ld(r2); il.Emit(OpCodes.Stloc, tt); il.Emit(OpCodes.Ldloc, tt); St(r1);
                if (ccNeeded[i]) CcSign(tt);
                break;
            case "AR" or "SR":
                Ld(r2); il.Emit(OpCodes.Stloc, tv);
                Arithmetic(i, r1, m == "AR", resume);
                break;
            case "ALR" or "SLR": Ld(r2); il.Emit(OpCodes.Stloc, tv); Logical(i, r1, m == "ALR"); break;
            case "NR" or "OR" or "XR": Ld(r2); il.Emit(OpCodes.Stloc, tv); Boolean(i, r1, m[0]); break;
            case "CR" or "CLR": Ld(r2); il.Emit(OpCodes.Stloc, tv); Compare(i, r1, m == "CLR"); break;
            case "BCR":
            {
                if (r2 == 0 || r1 == 0) { AddBlockCount(i); Edge(i, g.Next(mask)); break; }
                Ld(r2); il.Const(mask); il.Emit(OpCodes.And); il.Emit(OpCodes.Stloc, tg);
                AddBlockCount(i);
                if (r1 != 15) { var not = il.DefineLabel("fall"); Condition(r1, not); ExitTo(i, null, 0); il.Mark(not); Edge(i, g.Next(mask)); }
                else ExitTo(i, null, 0);
                break;
            }
            case "BCTR":
            {
                if (r2 != 0) { Ld(r2); il.Const(mask); il.Emit(OpCodes.And); il.Emit(OpCodes.Stloc, tg); }
                Ld(r1); il.Const(1); il.Emit(OpCodes.Sub); St(r1);
                AddBlockCount(i);
                if (r2 != 0)
                {
                    var not = il.DefineLabel("fall");
                    Ld(r1); il.Emit(OpCodes.Brfalse, not);
                    ExitTo(i, null, 0);
                    il.Mark(not);
                }
                Edge(i, g.Next(mask));
                break;
            }
            case "BALR":
            {
                if (r2 != 0 && !Invariant(i)) { Ld(r2); il.Const(mask); il.Emit(OpCodes.And); il.Emit(OpCodes.Stloc, tg); }
                Link(g); St(r1);
                AddBlockCount(i);
                if (r2 != 0) Branch(i, null); else Edge(i, g.Next(mask));
                break;
            }
            default: throw new InvalidOperationException(m);
        }
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void RxInstruction(int i, string m, RX f, Label resume)
    {
        var g = insns[i];
        int r1 = f.R1;
        bool constant = f.X2 == 0 && f.B2 == 0;
        switch (m)
        {
            case "LA": Address(f.X2, f.B2, f.D2); St(r1); return;
            case "BC":
            {
                if (r1 == 0) { AddBlockCount(i); Edge(i, g.Next(mask)); return; }
                if (!constant && !Invariant(i)) { Address(f.X2, f.B2, f.D2); il.Emit(OpCodes.Stloc, tg); }
                AddBlockCount(i);
                if (r1 != 15)
                {
                    var not = il.DefineLabel("fall");
                    Condition(r1, not);
                    Branch(i, constant ? (uint)f.D2 : null);
                    il.Mark(not);
                    Edge(i, g.Next(mask));
                }
                else Branch(i, constant ? (uint)f.D2 : null);
                return;
            }
            case "BCT":
            {
                if (!constant && !Invariant(i)) { Address(f.X2, f.B2, f.D2); il.Emit(OpCodes.Stloc, tg); }
                Ld(r1); il.Const(1); il.Emit(OpCodes.Sub); St(r1);
                AddBlockCount(i);
                var not = il.DefineLabel("fall");
                Ld(r1); il.Emit(OpCodes.Brfalse, not);
                Branch(i, constant ? (uint)f.D2 : null);
                il.Mark(not);
                Edge(i, g.Next(mask));
                return;
            }
            case "BAL":
            {
                if (!constant && !Invariant(i)) { Address(f.X2, f.B2, f.D2); il.Emit(OpCodes.Stloc, tg); }
                Link(g); St(r1);
                AddBlockCount(i);
                Branch(i, constant ? (uint)f.D2 : null);
                return;
            }
        }
        // Storage operand: a = address; then the fast path or the handler.
        Address(f.X2, f.B2, f.D2); il.Emit(OpCodes.Stloc, ta);
        var slow = Slow(i, resume);
        switch (m)
        {
            case "L": Fetch(4, slow); St(r1); break;
            case "LH": Fetch(2, slow, signed: true); St(r1); break;
            case "IC":
                Fetch(1, slow); il.Emit(OpCodes.Stloc, tv);
                Ld(r1); il.Const(0xFFFF_FF00u); il.Emit(OpCodes.And); il.Emit(OpCodes.Ldloc, tv); il.Emit(OpCodes.Or); St(r1);
                break;
            case "ST":
                Access(ta, 4, store: true, slow); Ld(r1); il.Emit(OpCodes.Call, Reverse32);
                il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Stind_I4);
                break;
            case "STH":
                Access(ta, 2, store: true, slow); Ld(r1); il.Emit(OpCodes.Conv_U2); il.Emit(OpCodes.Call, Reverse16);
                il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Stind_I2);
                break;
            case "STC": Access(ta, 1, store: true, slow); Ld(r1); il.Emit(OpCodes.Stind_I1); break;
            case "A" or "S": Fetch(4, slow); il.Emit(OpCodes.Stloc, tv); Arithmetic(i, r1, m == "A", slow); break;
            case "AH" or "SH": Fetch(2, slow, signed: true); il.Emit(OpCodes.Stloc, tv); Arithmetic(i, r1, m == "AH", slow); break;
            case "AL" or "SL": Fetch(4, slow); il.Emit(OpCodes.Stloc, tv); Logical(i, r1, m == "AL"); break;
            case "N" or "O" or "X": Fetch(4, slow); il.Emit(OpCodes.Stloc, tv); Boolean(i, r1, m[0]); break;
            case "C" or "CL": Fetch(4, slow); il.Emit(OpCodes.Stloc, tv); Compare(i, r1, m == "CL"); break;
            case "CH": Fetch(2, slow, signed: true); il.Emit(OpCodes.Stloc, tv); Compare(i, r1, false); break;
            case "CVB":
                // w = Cvb(doubleword as stored); if (w < 0) slow (invalid code, or out of range); r1 = (uint)w;
                Access(ta, 8, store: false, slow); il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Ldind_I8);
                il.Emit(OpCodes.Call, CvbHelper); il.Emit(OpCodes.Stloc, tw);
                il.Emit(OpCodes.Ldloc, tw); il.Emit(OpCodes.Ldc_I8, 0L); il.Emit(OpCodes.Blt, slow);
                il.Emit(OpCodes.Ldloc, tw); il.Emit(OpCodes.Conv_U4); St(r1);
                break;
            case "CVD":
                Access(ta, 8, store: true, slow); il.Emit(OpCodes.Ldarg_1); Ld(r1); il.Emit(OpCodes.Call, CvdHelper);
                il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Stind_I8);
                break;
            default: throw new InvalidOperationException(m);
        }
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void RsInstruction(int i, string m, RS f, Label resume)
    {
        var g = insns[i];
        int r1 = f.R1;
        bool constant = f.B2 == 0;
        switch (m)
        {
            case "SLL" or "SRL":
                if (constant)
                {
                    int n = f.D2 & 63;
                    if (n > 31) { il.Const(0); St(r1); break; }
                    if (n == 0) break;
                    Ld(r1); il.Const(n); il.Emit(m == "SLL" ? OpCodes.Shl : OpCodes.Shr_Un); St(r1);
                    break;
                }
                // (uint)((ulong)r1 << n): a 64-bit shift by 0-63 leaves 0 for 32 and more
                Ld(r1); il.Emit(OpCodes.Conv_U8); Address(0, f.B2, f.D2); il.Const(63); il.Emit(OpCodes.And);
                il.Emit(m == "SLL" ? OpCodes.Shl : OpCodes.Shr_Un); il.Emit(OpCodes.Conv_U4); St(r1);
                break;
            case "SRA":
                Ld(r1);
                if (constant) il.Const(Math.Min(f.D2 & 63, 31));
                else { Address(0, f.B2, f.D2); il.Const(63); il.Emit(OpCodes.And); il.Const(31); il.Emit(OpCodes.Call, MinInt); }
                il.Emit(OpCodes.Shr); il.Emit(OpCodes.Stloc, tt); il.Emit(OpCodes.Ldloc, tt); St(r1);
                if (ccNeeded[i]) CcSign(tt);
                break;
            case "BXLE" or "BXH":
            {
                // The target, increment and comparand are taken before R1 changes.
                if (!constant && !Invariant(i)) { Address(0, f.B2, f.D2); il.Emit(OpCodes.Stloc, tg); }
                Ld(f.R3); il.Emit(OpCodes.Stloc, tv);
                Ld(f.R3 | 1); il.Emit(OpCodes.Stloc, tt);
                Ld(r1); il.Emit(OpCodes.Ldloc, tv); il.Emit(OpCodes.Add); St(r1);
                AddBlockCount(i);
                var not = il.DefineLabel("fall");
                Ld(r1); il.Emit(OpCodes.Ldloc, tt);
                il.Emit(m == "BXLE" ? OpCodes.Bgt : OpCodes.Ble, not);
                Branch(i, constant ? (uint)f.D2 : null);
                il.Mark(not);
                Edge(i, g.Next(mask));
                break;
            }
            default: throw new InvalidOperationException(m);
        }
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void SiInstruction(int i, string m, SI f, Label resume)
    {
        Address(0, f.B1, f.D1); il.Emit(OpCodes.Stloc, ta);
        var slow = Slow(i, resume);
        switch (m)
        {
            case "MVI": Access(ta, 1, store: true, slow); il.Const(f.I2); il.Emit(OpCodes.Stind_I1); break;
            case "CLI":
                Fetch(1, slow); il.Emit(OpCodes.Stloc, tv);
                if (ccNeeded[i]) { il.Const(f.I2); il.Emit(OpCodes.Stloc, tt); CcCompare(tv, tt, logical: true); }
                break;
            case "TM":
                Fetch(1, slow);
                if (!ccNeeded[i]) { il.Emit(OpCodes.Pop); break; }
                if (f.I2 == 0) { il.Emit(OpCodes.Pop); il.Const(0); il.Emit(OpCodes.Stloc, cc); break; }
                // sel = byte & mask; cc = (sel != 0) | (sel == mask) << 1;   0 zero, 1 mixed, 3 ones
                il.Const(f.I2); il.Emit(OpCodes.And); il.Emit(OpCodes.Stloc, tv);
                il.Emit(OpCodes.Ldloc, tv); il.Const(0); il.Emit(OpCodes.Cgt_Un);
                il.Emit(OpCodes.Ldloc, tv); il.Const(f.I2); il.Emit(OpCodes.Ceq); il.Const(1); il.Emit(OpCodes.Shl); il.Emit(OpCodes.Or);
                il.Emit(OpCodes.Stloc, cc);
                break;
            default: throw new InvalidOperationException(m);
        }
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void SsInstruction(int i, string m, SS f, Label resume)
    {
        // a = first-operand address; v = second; then the helper's fast path or the handler.
        Address(0, f.B1, f.D1); il.Emit(OpCodes.Stloc, ta);
        Address(0, f.B2, f.D2); il.Emit(OpCodes.Stloc, tv);
        var slow = Slow(i, resume);
        if (m is "AP" or "SP" or "ZAP" or "CP")
        {
            // cc = JitHelpers.Decimal(mem, keys, lines, size, cpu, s370, a, L1+1, v, L2+1, key, op); if (cc < 0) slow;
            HelperStorage(); il.Emit(OpCodes.Ldarg_1); il.Const(cpu.IsS370 ? 1 : 0); il.Emit(OpCodes.Ldloc, ta); il.Const(f.L1 + 1);
            il.Emit(OpCodes.Ldloc, tv); il.Const(f.L2 + 1); il.Const(key); il.Const(m switch { "AP" => 0, "SP" => 1, "ZAP" => 2, _ => 3 });
            il.Emit(OpCodes.Call, DecimalHelper); il.Emit(OpCodes.Stloc, tt);
            il.Emit(OpCodes.Ldloc, tt); il.Const(0); il.Emit(OpCodes.Blt, slow);
            il.Emit(OpCodes.Ldloc, tt); il.Emit(OpCodes.Stloc, cc);
            return;
        }
        HelperStorage(); il.Emit(OpCodes.Ldloc, ta); il.Emit(OpCodes.Ldloc, tv); il.Const(f.L + 1); il.Const(key);
        switch (m)
        {
            case "MVC": il.Emit(OpCodes.Call, MvcHelper); il.Emit(OpCodes.Brfalse, slow); break;
            case "TR": il.Emit(OpCodes.Call, TrHelper); il.Emit(OpCodes.Brfalse, slow); break;
            case "CLC":
                // cc = Clc(...); if (cc < 0) slow;
                il.Emit(OpCodes.Call, ClcHelper); il.Emit(OpCodes.Stloc, tt);
                il.Emit(OpCodes.Ldloc, tt); il.Const(0); il.Emit(OpCodes.Blt, slow);
                il.Emit(OpCodes.Ldloc, tt); il.Emit(OpCodes.Stloc, cc);
                break;
            default: throw new InvalidOperationException(m);
        }
    }

    /// <summary>
    /// Pushes what a <see cref="JitHelpers"/> fast path starts with: storage, keys and code-line
    /// map references and the size of storage that has keys (every byte a helper touches has one).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    void HelperStorage()
    {
        il.Emit(OpCodes.Ldloc, mem); il.Emit(OpCodes.Ldloc, keys); il.Emit(OpCodes.Ldloc, lines);
        il.Const((uint)cpu.Storage.Keys.Length << Storage.BlockShift);
    }

    // ---- shared arithmetic ----

    /// <summary>r1 = r1 ± v with the overflow going to the slow path (the handler raises or sets cc 3).</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    void Arithmetic(int i, int r1, bool add, Label slowOrResume)
    {
        // For RR forms the slow path is made here; RX forms pass theirs.
        Label slow = insns[i].Length == 2 ? Slow(i, slowOrResume) : slowOrResume;
        Ld(r1); il.Emit(OpCodes.Ldloc, tv); il.Emit(add ? OpCodes.Add : OpCodes.Sub); il.Emit(OpCodes.Stloc, tt);
        // overflow: add ((a ^ t) & (v ^ t)) < 0; subtract ((a ^ v) & (a ^ t)) < 0
        if (add) { Ld(r1); il.Emit(OpCodes.Ldloc, tt); il.Emit(OpCodes.Xor); il.Emit(OpCodes.Ldloc, tv); il.Emit(OpCodes.Ldloc, tt); il.Emit(OpCodes.Xor); }
        else { Ld(r1); il.Emit(OpCodes.Ldloc, tv); il.Emit(OpCodes.Xor); Ld(r1); il.Emit(OpCodes.Ldloc, tt); il.Emit(OpCodes.Xor); }
        il.Emit(OpCodes.And); il.Const(0); il.Emit(OpCodes.Blt, slow);
        il.Emit(OpCodes.Ldloc, tt); St(r1);
        if (ccNeeded[i]) CcSign(tt);
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void Logical(int i, int r1, bool add)
    {
        Ld(r1); il.Emit(OpCodes.Ldloc, tv); il.Emit(add ? OpCodes.Add : OpCodes.Sub); il.Emit(OpCodes.Stloc, tt);
        if (ccNeeded[i])
        {
            // ADD LOGICAL: (t != 0) | (t < a) << 1;  SUBTRACT LOGICAL: (t != 0) | (a >= v) << 1
            il.Emit(OpCodes.Ldloc, tt); il.Const(0); il.Emit(OpCodes.Cgt_Un);
            if (add) { il.Emit(OpCodes.Ldloc, tt); Ld(r1); il.Emit(OpCodes.Clt_Un); }
            else { Ld(r1); il.Emit(OpCodes.Ldloc, tv); il.Emit(OpCodes.Clt_Un); il.Const(1); il.Emit(OpCodes.Xor); }
            il.Const(1); il.Emit(OpCodes.Shl); il.Emit(OpCodes.Or); il.Emit(OpCodes.Stloc, cc);
        }
        il.Emit(OpCodes.Ldloc, tt); St(r1);
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void Boolean(int i, int r1, char op)
    {
        Ld(r1); il.Emit(OpCodes.Ldloc, tv); il.Emit(op == 'N' ? OpCodes.And : op == 'O' ? OpCodes.Or : OpCodes.Xor);
        il.Emit(OpCodes.Stloc, tt); il.Emit(OpCodes.Ldloc, tt); St(r1);
        if (ccNeeded[i]) CcNonZero(tt);
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    void Compare(int i, int r1, bool logical)
    {
        if (!ccNeeded[i]) return;
        Ld(r1); il.Emit(OpCodes.Stloc, tt);
        CcCompare(tt, tv, logical);
    }

    /// <summary>Jumps to <paramref name="notTaken"/> unless the mask selects the condition code: (mask &amp; (8 >> cc)) == 0.</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    void Condition(int maskBits, Label notTaken)
    {
        il.Const(maskBits); il.Const(8); il.Emit(OpCodes.Ldloc, cc); il.Emit(OpCodes.Shr_Un); il.Emit(OpCodes.And); il.Emit(OpCodes.Brfalse, notTaken);
    }

    /// <summary>Pushes the link information of BAL/BALR (ILC, code, program mask, updated address; the address alone in 32-bit mode).</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    void Link(GuestInstruction g)
    {
        uint next = g.Next(mask);
        if (addressing32) { il.Const(next); return; }
        il.Const((uint)(g.Length >> 1) << 30 | next & 0x00FF_FFFF);
        il.Emit(OpCodes.Ldloc, cc); il.Const(28); il.Emit(OpCodes.Shl); il.Emit(OpCodes.Or);
        il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, ProgramMaskField); il.Const(24); il.Emit(OpCodes.Shl); il.Emit(OpCodes.Or);
    }
}

/// <summary>What a region's IL reaches besides the CPU: the storage and key arrays and the map of storage lines holding translated code.</summary>
public sealed class RegionData
{
    public byte[] Mem = null!, Keys = null!, CodeLines = null!;
    /// <summary>Set by the region when a branch target it assumed constant has changed: the engine drops it.</summary>
    public bool Stale;

    [MethodImpl(MethodImplOptions.NoOptimization)]
    public RegionData For() => new() { Mem = Mem, Keys = Keys, CodeLines = CodeLines };
}
