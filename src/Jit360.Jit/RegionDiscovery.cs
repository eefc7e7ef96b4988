using System.Runtime.CompilerServices;
using Jit360.Architecture;
using Jit360.Interpreter;
using Jit360.Machine;

namespace Jit360.Jit;

/// <summary>
/// Finds the hot region that starts at an entry address: the entry's block, then every block
/// reached by falling through or by a branch whose target can be predicted (BC, BCT, BXLE, BXH,
/// BAL, BALR with the registers the target depends on as they are now), up to
/// <see cref="MaxInstructions"/>. A prediction is only a guess: translated code computes the
/// target at run time and leaves the region when it differs, so a wrong guess costs speed,
/// never exactness. BCR and BCTR (returns, computed branches) leave the region. Instructions
/// that cannot be fetched or decoded are left to the interpreter (the region exits before
/// them), and so are those the engine no longer translates (patched in place, see
/// <see cref="BlockCache.PatchBytes"/>); one that ends a block (SVC, LPSW, EX, ...) ends its path through the region.
/// </summary>
public static class RegionDiscovery
{
    public const int MaxInstructions = 128;

    /// <summary>The region's instructions in address order (the entry among them, none if it cannot be fetched) and the predicted branch targets.</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    public static Region Discover(CpuState cpu, uint entry, int maxInstructions = MaxInstructions, Func<uint, bool>? leftToInterpreter = null)
    {
        var found = new SortedDictionary<uint, GuestInstruction>();
        var predictions = new Dictionary<uint, uint>();
        var work = new Stack<uint>();
        uint page = entry >> BlockDiscovery.PageShift;
        work.Push(entry);
        while (work.Count > 0 && found.Count < maxInstructions)
        {
            uint a = work.Pop();
            // Straight line from a until a known instruction, a block end or the cap.
            while (found.Count < maxInstructions && !found.ContainsKey(a))
            {
                // Under DAT a region stays in its page, the unit of translation.
                if (cpu.Translate && (a >> BlockDiscovery.PageShift) != page) break;
                if (leftToInterpreter != null && leftToInterpreter(a)) break;
                if (Decode(cpu, a) is not { } insn) break;
                found[a] = insn;
                var op = insn.Opcode;
                uint next = insn.Next(cpu.AddressMask);
                if (PredictedTarget(cpu, insn) is uint target) { predictions[a] = target; work.Push(target); }
                if (op.Has(OpFlags.Branch))
                {
                    if (!FallsThrough(insn)) break;
                }
                else if (op.Has(OpFlags.EndsBlock | OpFlags.Interruptible)) break;
                a = next;
            }
        }
        return new Region(entry, found.Values.ToList(), predictions);
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    static GuestInstruction? Decode(CpuState cpu, uint a)
    {
        if ((a & 1) != 0 || !Fetch.Accessible(cpu, a)) return null;
        byte first = cpu.Storage.Bytes[a];
        int len = Formats.LengthOfOpcode(first);
        for (int i = 2; i < len; i += 2)
            if (!Fetch.Accessible(cpu, cpu.Wrap(a + (uint)i))) return null;
        byte second = cpu.Storage.Bytes[cpu.Wrap(a + 1)];
        var op = OpcodeTable.Decode(cpu.Level, first, second);
        if (op == null || !Translator.CanTranslate(op)) return null;
        ulong bytes = 0;
        for (int i = 0; i < len; i++) bytes |= (ulong)cpu.Storage.Bytes[cpu.Wrap(a + (uint)i)] << (56 - 8 * i);
        return new GuestInstruction(a, bytes, op);
    }

    /// <summary>Whether a branch instruction can continue with the next instruction.</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    public static bool FallsThrough(GuestInstruction insn)
    {
        ulong b = insn.Bytes;
        int r1 = (int)(b >> 52) & 0xF, r2 = (int)(b >> 48) & 0xF;
        return insn.Opcode.Mnemonic switch
        {
            "BC" => r1 != 15,
            "BCR" => r1 != 15 || r2 == 0,
            "BAL" => false,
            "BALR" => r2 == 0,
            "BCT" or "BCTR" or "BXLE" or "BXH" => true,
            _ => false,   // other branches (BAS, BASR, ...) run through their handler and leave
        };
    }

    /// <summary>The target a branch would take with the registers as they are now, for the branches translated code can follow.</summary>
    [MethodImpl(MethodImplOptions.NoOptimization)]
    public static uint? PredictedTarget(CpuState cpu, GuestInstruction insn)
    {
        ulong b = insn.Bytes;
        switch (insn.Opcode.Mnemonic)
        {
            case "BC":
            {
                var f = new RX(b);
                return f.R1 == 0 ? null : cpu.Address(f.X2, f.B2, f.D2);
            }
            case "BCT" or "BAL":
            {
                var f = new RX(b);
                return cpu.Address(f.X2, f.B2, f.D2);
            }
            case "BXLE" or "BXH":
            {
                var f = new RS(b);
                return cpu.Address(f.B2, f.D2);
            }
            case "BALR":
            {
                var f = new RR(b);
                return f.R2 == 0 ? null : cpu.Gpr[f.R2] & cpu.AddressMask;
            }
            default: return null;
        }
    }
}

/// <summary>A region: its entry, its instructions in address order, and the branch targets predicted at discovery (by branch address).</summary>
public sealed record Region(uint Entry, IReadOnlyList<GuestInstruction> Instructions, IReadOnlyDictionary<uint, uint> Predictions);
