using Jit360.Interpreter;
using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Jit;

/// <summary>
/// Finds the straight-line block that starts at an address, driven by the opcode table's flags:
/// it ends after an instruction marked EndsBlock (branches, privileged and I/O instructions,
/// SVC, EX...), before an instruction that cannot be decoded or fetched without an exception
/// (the interpreter will raise it exactly), at a 4K page boundary (a block never spans two pages, the unit of address translation),
/// or at the length cap.
/// </summary>
public static class BlockDiscovery
{
    public const int MaxBlockInstructions = 64;
    public const int PageShift = 12;

    public static List<GuestInstruction> Discover(CpuState cpu, uint start, int maxInstructions)
    {
        var list = new List<GuestInstruction>();
        uint a = start;
        uint page = start >> PageShift;
        int cap = Math.Min(maxInstructions, MaxBlockInstructions);
        while (list.Count < cap)
        {
            if ((a & 1) != 0 || !Fetch.Accessible(cpu, a)) break;
            byte first = cpu.Storage.Bytes[a];
            int len = Formats.LengthOfOpcode(first);
            uint last = a + (uint)len - 1;
            if ((last >> PageShift) != page || !Fetch.Accessible(cpu, last & ~1u)) break;
            byte second = cpu.Storage.Bytes[a + 1];
            var op = OpcodeTable.Decode(cpu.Level, first, second);
            if (op == null) break;
            ulong bytes = 0;
            for (int i = 0; i < len; i++) bytes |= (ulong)cpu.Storage.Bytes[a + i] << (56 - 8 * i);
            list.Add(new GuestInstruction(a, bytes, op));
            if (op.Has(OpFlags.EndsBlock)) break;
            a = (a + (uint)len) & cpu.AddressMask;
            if ((a >> PageShift) != page) break;
        }
        return list;
    }
}
