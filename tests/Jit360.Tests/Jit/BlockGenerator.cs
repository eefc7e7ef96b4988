using System.Buffers.Binary;
using System.Text;
using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Tests.Jit;

/// <summary>
/// Random straight-line blocks of valid instructions for the differential block fuzzer, drawn
/// from the opcode table (every row available at the level, by its format), weighted towards
/// what the JIT specialises: fixed-point RR/RX, loads and stores, shifts, branches whose targets
/// are instructions of the block (loops counted by BCT) or just after it, MVC/CLC/TR/IC/STC,
/// decimal instructions on valid and invalid packed data, and EX of targets laid out behind the
/// block. Privileged instructions appear now and then.
/// </summary>
/// <remarks>
/// Layout: code at <see cref="CodeBase"/> (R12 points at it; R9 at an instruction of the block),
/// EX targets at CodeBase + X'100' in 8-byte slots, data in two pages from <see cref="DataBase"/>
/// (R10 and R11 point into it), R13 a small loop count. Zeros follow the block, so running off
/// its end is an operation exception. Every interruption ends a case (stop on interrupt).
/// </remarks>
public sealed class BlockGenerator
{
    public const uint StorageSize = 0x10000;
    public const uint CodeBase = 0x2000;
    public const uint ExTargets = CodeBase + 0x100;
    public const int ExSlots = 4;
    public const uint DataBase = 0x3000;
    public const uint DataSize = 0x2000;

    readonly ArchLevel level;
    readonly (Opcode Op, double Weight)[] choices;
    readonly double total;


    public BlockGenerator(ArchLevel level)
    {
        this.level = level;
        choices = OpcodeTable.For(level).Select(o => (o, Weight(o))).Where(c => c.Item2 > 0).ToArray();
        total = choices.Sum(c => c.Weight);
    }

    static readonly HashSet<string> LoadsStores = ["L", "ST", "LH", "STH", "IC", "STC", "LA", "LM", "STM", "LR", "LTR", "ICM", "STCM"];
    static readonly HashSet<string> Characters = ["MVC", "CLC", "TR", "TRT", "MVI", "CLI", "NC", "OC", "XC", "NI", "OI", "XI", "TM", "MVN", "MVZ", "CLM"];
    static readonly HashSet<string> Decimals = ["AP", "SP", "ZAP", "CP", "MP", "DP", "CVB", "CVD", "PACK", "UNPK", "MVO", "ED", "EDMK", "SRP"];
    static readonly HashSet<string> Branches = ["BC", "BCR", "BCT", "BCTR", "BAL", "BALR", "BAS", "BASR", "BXH", "BXLE"];

    static double Weight(Opcode o)
    {
        if (o.Mnemonic == "EX") return 4;
        if (Branches.Contains(o.Mnemonic)) return 3;
        if (o.IsPrivileged) return 0.08;
        if (LoadsStores.Contains(o.Mnemonic)) return 5;
        if (Characters.Contains(o.Mnemonic)) return 3;
        if (Decimals.Contains(o.Mnemonic)) return 2.5;
        if (o.Mnemonic.StartsWith("S") && o.Format == Format.RS_R1) return 3;   // shifts
        if (o.Feature is Feature.FloatingPoint or Feature.ExtendedFloat) return 0.4;
        if (o.Format is Format.RR or Format.RX) return 3;
        return 1;
    }

    /// <summary>One case's code: the block's instructions and the EX targets.</summary>
    public sealed record Block(ArchLevel Level, int Seed, byte[] Code, int[] Offsets, byte[] Targets, bool Problem, int Key, bool EcMode, byte[]? DataKeys)
    {
        public string Describe()
        {
            var sb = new StringBuilder();
            sb.AppendLine($"{Level} block seed {Seed}: {(Problem ? "problem" : "supervisor")} state, PSW key {Key}, {(EcMode ? "EC" : "BC")} mode"
                          + (DataKeys == null ? "" : $", data storage keys {Convert.ToHexString(DataKeys)}"));
            sb.AppendLine($"code at {CodeBase:X6}: {Convert.ToHexString(Code)}");
            foreach (int off in Offsets)
            {
                int len = Formats.LengthOfOpcode(Code[off]);
                sb.AppendLine($"  {CodeBase + off:X6} {Convert.ToHexString(Code, off, len),-12} {Disassembler.Disassemble(Code.AsSpan(off, len), Level, out _)}");
            }
            sb.AppendLine($"EX targets at {ExTargets:X6}: {Convert.ToHexString(Targets)}");
            return sb.ToString();
        }
    }

    public Block NextBlock(int seed)
    {
        var rng = new Random(seed);
        int n = 1 + rng.Next(12);
        var ops = new Opcode[n];
        for (int i = 0; i < n; i++) ops[i] = Pick(rng);
        var offsets = new int[n];
        int at = 0;
        for (int i = 0; i < n; i++) { offsets[i] = at; at += ops[i].Length; }
        var code = new byte[at];
        for (int i = 0; i < n; i++) Encode(rng, ops[i], code.AsSpan(offsets[i]), offsets, at, i);
        var targets = new byte[ExSlots * 8];
        for (int s = 0; s < ExSlots; s++)
        {
            // An EX target is any instruction, EX itself now and then (an execute exception).
            var op = Pick(rng);
            Encode(rng, op, targets.AsSpan(s * 8), offsets, at, -1);
        }
        bool problem = rng.Next(5) == 0;
        int key = rng.Next(4) == 0 ? 1 + rng.Next(15) : 0;
        bool ec = level == ArchLevel.S370 && rng.Next(2) == 0;
        // Storage keys belong to the block, not the data set: setting a key makes the JIT drop its
        // translations (they were checked against the old keys), which every data set would pay.
        byte[]? dataKeys = null;
        if (key != 0 || rng.Next(4) == 0)
        {
            dataKeys = new byte[1 + DataSize / 2048];
            dataKeys[0] = (byte)(key << 4);   // the code's block stays fetchable
            for (int i = 1; i < dataKeys.Length; i++) dataKeys[i] = (byte)(rng.Next(3) == 0 ? rng.Next(256) & 0xF8 : key << 4);
        }
        return new Block(level, seed, code, offsets, targets, problem, key, ec, dataKeys);
    }

    Opcode Pick(Random rng)
    {
        double x = rng.NextDouble() * total;
        foreach (var (op, w) in choices)
        {
            x -= w;
            if (x < 0) return op;
        }
        return choices[^1].Op;
    }

    /// <summary>Encodes one instruction: every format's fields lie in the same bytes (opcode, R1R2/I/L, B1D1, B2D2).</summary>
    static void Encode(Random rng, Opcode op, Span<byte> into, int[] offsets, int blockLength, int index)
    {
        bool branch = Branches.Contains(op.Mnemonic);
        if (op.IsTwoByte) { into[0] = (byte)(op.Code >> 8); into[1] = (byte)op.Code; }
        else into[0] = (byte)op.Code;
        bool fp = op.Feature is Feature.FloatingPoint or Feature.ExtendedFloat;
        int Reg() => fp ? (rng.Next(8) == 0 ? rng.Next(16) : 2 * rng.Next(4)) : rng.Next(10) < 8 ? 1 + rng.Next(9) : rng.Next(16);
        if (!op.IsTwoByte)
        {
            into[1] = op.Format switch
            {
                Format.RR_I => (byte)rng.Next(256),
                Format.RR_M or Format.RX_M => (byte)(rng.Next(16) << 4 | (op.Format == Format.RR_M ? BranchRegister(rng) : RandomIndex(rng))),
                Format.RR or Format.RR_R1 => (byte)(Reg() << 4 | (branch ? BranchRegister(rng) : Reg())),
                Format.RX => (byte)((op.Mnemonic == "BCT" ? 13 : Reg()) << 4 | RandomIndex(rng)),
                Format.RS or Format.RS_R1 or Format.RS_M => (byte)(Reg() << 4 | (op.Format == Format.RS_M ? rng.Next(16) : Reg())),
                Format.SI or Format.SI_D => (byte)rng.Next(256),
                Format.SS_L => (byte)(rng.Next(3) == 0 ? rng.Next(256) : rng.Next(16)),
                Format.SS_LL or Format.SS_LI => (byte)(rng.Next(8) << 4 | rng.Next(8)),
                _ => (byte)rng.Next(256),
            };
        }
        if (op.Length >= 4)
        {
            ushort first;
            if (branch && op.Format is Format.RX or Format.RX_M or Format.RS && index >= 0)
            {
                // A target inside the block (a loop when it is behind) or just after it.
                int target = rng.Next(6) == 0 ? blockLength : offsets[rng.Next(offsets.Length)];
                if (op.Mnemonic == "BCT" && index >= 0 && rng.Next(3) != 0) target = offsets[rng.Next(index + 1)];
                first = (ushort)(12 << 12 | target);
                if (op.Format != Format.RS) into[1] &= 0xF0;   // no index
            }
            else if (op.Mnemonic == "EX" && index >= 0)
            {
                first = (ushort)(12 << 12 | (int)(ExTargets - CodeBase) + 8 * rng.Next(ExSlots));
                into[1] &= 0xF0;
            }
            else if (op.Format == Format.RS_R1)
                first = (ushort)(rng.Next(4) == 0 ? Reg() << 12 | rng.Next(64) : rng.Next(64));   // shift amounts
            else first = Operand(rng);
            BinaryPrimitives.WriteUInt16BigEndian(into[2..], first);
        }
        if (op.Length == 6) BinaryPrimitives.WriteUInt16BigEndian(into[4..], Operand(rng));
    }

    static int BranchRegister(Random rng) => rng.Next(8) == 0 ? rng.Next(16) : rng.Next(4) == 0 ? 0 : 9;
    static int RandomIndex(Random rng) => rng.Next(4) == 0 ? 1 + rng.Next(9) : 0;

    /// <summary>A storage operand: mostly in the data pages (often aligned), sometimes in the code, low storage or anywhere.</summary>
    static ushort Operand(Random rng)
    {
        int d = rng.Next(3) == 0 ? rng.Next(0x800) : rng.Next(0x100) & ~(rng.Next(2) == 0 ? 7 : 0);
        int b = rng.Next(20) switch
        {
            < 9 => 10,
            < 15 => 11,
            15 => 12,          // into the code: stores modify it
            16 => 0,           // low storage
            _ => rng.Next(16),
        };
        return (ushort)(b << 12 | d);
    }

    /// <summary>
    /// A data set for a block: a fresh CPU with the block loaded, registers, data (with valid
    /// packed decimal fields among random bytes), storage keys and the PSW.
    /// </summary>
    public CpuState NewMachine(Block block, int dataSeed)
    {
        var rng = new Random(dataSeed);
        var cpu = new CpuState(level, StorageSize, deterministicTime: true) { StopOnInterrupt = true };
        var mem = cpu.Storage.Bytes;
        // Data: random bytes, with packed decimal numbers in some 16-byte slots.
        rng.NextBytes(mem.AsSpan((int)DataBase, (int)DataSize));
        for (uint slot = DataBase; slot < DataBase + DataSize; slot += 16)
            if (rng.Next(3) == 0) WritePacked(rng, mem.AsSpan((int)slot, 16));
        // A little random low storage (old PSWs are compared after an interruption anyway).
        rng.NextBytes(mem.AsSpan(0x100, 0x100));
        // New PSWs: a disabled wait, so an interruption that is not stopped at ends the case.
        for (uint loc = Low.ExternalNewPsw; loc <= Low.IoNewPsw; loc += 8)
            cpu.Storage.WriteDoublewordAbsolute(loc, 0x0002_0000_0000_0000UL | loc);
        block.Code.CopyTo(mem.AsSpan((int)CodeBase));
        block.Targets.CopyTo(mem.AsSpan((int)ExTargets));

        for (int r = 0; r < 16; r++) cpu.Gpr[r] = RandomValue(rng);
        cpu.Gpr[9] = CodeBase + (uint)block.Offsets[rng.Next(block.Offsets.Length)];
        cpu.Gpr[10] = DataBase + (uint)rng.Next(0x100);
        cpu.Gpr[11] = DataBase + 0x1000 + (uint)rng.Next(0x100);
        cpu.Gpr[12] = CodeBase;
        cpu.Gpr[13] = (uint)rng.Next(1, 5);
        for (int r = 0; r < 8; r += 2) cpu.Fpr[r] = rng.Next(4) == 0 ? 0 : (ulong)rng.NextInt64() ^ (ulong)rng.Next(2) << 63;

        if (block.DataKeys is { } k)
        {
            cpu.Storage.SetKey(CodeBase, k[0]);
            for (int i = 1; i < k.Length; i++) cpu.Storage.SetKey(DataBase + (uint)(i - 1) * 2048, k[i]);
        }
        int cc = rng.Next(4), mask = rng.Next(16);
        ulong psw = (ulong)block.Key << 52 | (block.Problem ? 1UL << 48 : 0) | CodeBase;
        psw |= block.EcMode ? 1UL << 51 | (ulong)cc << 44 | (ulong)mask << 40 : (ulong)cc << 28 | (ulong)mask << 24;
        cpu.LoadPsw(psw);
        return cpu;
    }

    static void WritePacked(Random rng, Span<byte> field)
    {
        int len = 1 + rng.Next(8);
        for (int i = 0; i < len - 1; i++) field[i] = (byte)(rng.Next(10) << 4 | rng.Next(10));
        int sign = rng.Next(8) switch { < 3 => 0xC, < 6 => 0xD, 6 => 0xF, _ => 0xA + rng.Next(6) };
        field[len - 1] = (byte)(rng.Next(10) << 4 | sign);
    }

    static uint RandomValue(Random rng) => rng.Next(10) switch
    {
        < 3 => (uint)rng.Next(16),
        < 5 => DataBase + (uint)rng.Next((int)DataSize),
        5 => 0x7FFF_FFF0u + (uint)rng.Next(32),
        6 => (uint)-rng.Next(1, 100),
        _ => (uint)rng.NextInt64(0, 1L << 32),
    };
}
