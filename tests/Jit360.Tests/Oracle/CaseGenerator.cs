using System.Numerics;
using Jit360.Architecture;

namespace Jit360.Tests.Oracle;

public enum OracleKind { Qemu, Hercules }

/// <summary>
/// Random cases from the opcode table. A case is 1-4 instructions over registers with
/// interesting values and a 512-byte window of plausible data (packed and zoned decimal,
/// normalised and unnormalised HFP, boundary words, text). Register conventions keep every
/// storage operand inside the window and every branch on an instruction boundary of the code
/// or at E, so the oracle and our machine see the same storage:
///   R9 = E, R10 = a small index (0-0x70, also EXECUTE's OR byte), R11 = C, R12 = W, R13 = W+0x100
///   (or, now and then, a nonexistent address for addressing exceptions, low enough that no operand
///   wraps past 16M to location 0, which qemu-user does not map but our machine has).
/// Instructions write only the other registers. The last 8 bytes of the window hold the
/// target of EXECUTE, where no operand reaches (under qemu a rewritten target could be an SVC).
/// </summary>
public sealed class CaseGenerator
{
    public const int RegEnd = 9, RegIndex = 10, RegCode = 11, RegWindow = 12, RegWindow2 = 13;
    const int OperandLimit = OracleCase.WindowSize - 8;   // operands stay below the EXECUTE target area
    const int ExArea = OperandLimit;

    static readonly int[] Free = [0, 1, 2, 3, 4, 5, 6, 7, 8, 14, 15];
    static readonly int[] FreeCyclic = [14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8];
    // Free registers closed under OR with 0-7 (an EXECUTE target's R1 may be ORed with R10's high nibble).
    static readonly int[] ExFree = [0, 1, 2, 3, 4, 5, 6, 7, 14, 15];
    static readonly int[] Pairs = [0, 2, 4, 6, 14];
    static readonly int[] Fprs = [0, 2, 4, 6];
    static readonly HashSet<string> firstOnly = ["MVCL", "CLCL"];
    static readonly HashSet<string> notExTarget = ["LM", "MVCL", "CLCL", "LPSW"];

    readonly OracleKind oracle;
    readonly ExclusionList exclusions;
    readonly Dictionary<Family, Opcode[]> byFamily;
    readonly Family[] families;

    public CaseGenerator(OracleKind oracle, ExclusionList exclusions, IEnumerable<Opcode> rows)
    {
        this.oracle = oracle;
        this.exclusions = exclusions;
        byFamily = rows.GroupBy(Families.Of).ToDictionary(g => g.Key, g => g.ToArray());
        families = byFamily.Keys.OrderBy(f => f).ToArray();
        if (families.Length == 0) throw new ArgumentException("no instructions to generate");
    }

    public IEnumerable<Family> FamiliesCovered => families;
    public IEnumerable<Opcode> Rows => byFamily.Values.SelectMany(r => r);

    /// <summary>The rows an oracle can check at all (before asking which handlers exist).</summary>
    public static IEnumerable<Opcode> Eligible(OracleKind oracle, ExclusionList ex) => oracle switch
    {
        // qemu: problem-state instructions of the S/360 table (S/370/z opcodes would execute there).
        OracleKind.Qemu => OpcodeTable.All.Where(o => o.AvailableIn(ArchLevel.S360) && o.AvailableIn(ArchLevel.S370)
            && !o.IsPrivileged && !o.Has(OpFlags.Io) && o.Mnemonic != "SVC" && !ex.ExcludesOp("qemu", o.Mnemonic)),
        _ => OpcodeTable.All.Where(o => o.AvailableIn(ArchLevel.S370) && !ex.ExcludesOp("hercules", o.Mnemonic)
            && !(o.Has(OpFlags.Io) && ex.Has("hercules", "io"))),
    };

    static int Mix(int seed, int index) => (int)BitOperations.RotateLeft((uint)seed * 0x9E3779B1u ^ (uint)index * 0x85EBCA77u, 13);

    public OracleCase Generate(int seed, int index) => new Builder(this, new Random(Mix(seed, index)), $"{(oracle == OracleKind.Qemu ? "q" : "h")}{seed}-{index}").Build();

    sealed class Builder(CaseGenerator g, Random rng, string name)
    {
        readonly bool qemu = g.oracle == OracleKind.Qemu;
        OracleCase c = null!;
        readonly List<int> offsets = [];
        int codeLength, current, r10;
        bool r13Bad;

        bool Chance(double p) => rng.NextDouble() < p;
        T Pick<T>(T[] a) => a[rng.Next(a.Length)];
        bool NoOverflowInterrupt => qemu && g.exclusions.Has("qemu", "fixed-point-overflow-interrupt");
        bool TrLast => qemu && g.exclusions.Has("qemu", "tr-cc");
        bool TsZero => qemu && g.exclusions.Has("qemu", "ts-bits-8-15");
        bool NoExternal => !qemu && g.exclusions.Has("hercules", "external-enable");

        public OracleCase Build()
        {
            int n = rng.Next(100) switch { < 35 => 1, < 65 => 2, < 85 => 3, _ => 4 };
            var ops = new List<Opcode>();
            for (int i = 0; i < n; i++)
            {
                Opcode op;
                do op = Pick(g.byFamily[Pick(g.families)]);
                while ((i > 0 && firstOnly.Contains(op.Mnemonic)) || (op.Mnemonic == "EX" && ops.Any(o => o.Mnemonic == "EX")));
                ops.Add(op);
                // qemu never takes the overflow interruption: nothing may follow a change of the program mask.
                if ((NoOverflowInterrupt && op.Mnemonic is "SPM") || (TrLast && op.Mnemonic is "TR")) break;
            }
            foreach (var op in ops) { offsets.Add(codeLength); codeLength += op.Length; }
            var code = new byte[codeLength];
            c = new OracleCase { Name = name, Code = code };
            InitialState(ops.Any(o => o.IsPrivileged));
            for (current = 0; current < ops.Count; current++)
            {
                var bytes = Encode(ops[current], 0, exTarget: false, last: current == ops.Count - 1);
                bytes.CopyTo(code, offsets[current]);
                c.Mnemonics.Add(ops[current].Mnemonic);
            }
            return c;
        }

        void InitialState(bool privileged)
        {
            for (int i = 0; i < OracleCase.WindowSize;)
            {
                int len = Math.Min(rng.Next(4, 17), OracleCase.WindowSize - i);
                FillChunk(i, len);
                i += len;
            }
            foreach (int r in Free) c.Gpr[r] = Interesting();
            r10 = rng.Next(8) << 4;
            r13Bad = Chance(0.03);
            c.Gpr[RegEnd] = OracleCase.CodeAddress + (uint)codeLength;
            c.Gpr[RegIndex] = (uint)r10;
            c.Gpr[RegCode] = OracleCase.CodeAddress;
            c.Gpr[RegWindow] = OracleCase.WindowAddress;
            c.Gpr[RegWindow2] = r13Bad ? (uint)rng.Next(0x400000, 0xFFE000) : OracleCase.WindowAddress + 0x100;
            foreach (int f in Fprs) c.Fpr[f] = Hfp(longForm: true);
            c.Cc = rng.Next(4);
            c.Pm = rng.Next(16);
            if (NoOverflowInterrupt) c.Pm &= 7;
            if (!qemu)
            {
                c.Supervisor = Chance(privileged ? 0.85 : 0.3);   // privileged instructions mostly where they work
                c.Key = Chance(0.85) ? 0 : rng.Next(1, 16);
                c.SystemMask = Chance(0.9) ? (byte)0 : (byte)(rng.Next(256) & (NoExternal ? 0xFE : 0xFF));
            }
        }

        // ------------------------------------------------------------------ values

        uint Interesting() => rng.Next(10) switch
        {
            0 => 0, 1 => 1, 2 => 0xFFFF_FFFF, 3 => 0x7FFF_FFFF, 4 => 0x8000_0000,
            5 => (uint)rng.Next(0, 256), 6 => (uint)-rng.Next(1, 256), 7 => 1u << rng.Next(32),
            8 => (uint)rng.Next(0, 0x10000) | (Chance(0.5) ? 0xFFFF_0000 : 0),
            _ => (uint)rng.NextInt64(0, 1L << 32),
        };

        /// <summary>An HFP number (GA22-7000 "Floating-Point Number Representation"): mostly normalised, some unnormalised, zeros and extreme exponents.</summary>
        ulong Hfp(bool longForm)
        {
            ulong sign = Chance(0.5) ? 1UL << 63 : 0;
            if (Chance(0.06)) return sign | (Chance(0.5) ? 0 : (ulong)rng.Next(128) << 56);   // true zero or zero fraction
            int exp = rng.Next(10) switch { 0 => rng.Next(0, 4), 1 => rng.Next(124, 128), _ => rng.Next(0x38, 0x48) };
            ulong frac = (ulong)rng.NextInt64() & 0x00FF_FFFF_FFFF_FFFF;
            if (!longForm) frac &= 0x00FF_FFFF_0000_0000;
            if (Chance(0.8)) { if ((frac >> 52) == 0) frac |= (ulong)rng.Next(1, 16) << 52; }
            else frac >>= 4 * rng.Next(1, 4);
            if (!longForm) frac &= 0x00FF_FFFF_0000_0000;
            return sign | (ulong)exp << 56 | frac;
        }

        void FillChunk(int at, int len)
        {
            var w = c.Window;
            switch (rng.Next(8))
            {
                case 0: rng.NextBytes(w.AsSpan(at, len)); break;
                case 1: w.AsSpan(at, len).Clear(); break;
                case 2: Packed(at, len); break;
                case 3: Zoned(at, len); break;
                case 4: for (int i = 0; i + 4 <= len; i += 4) Put(at + i, Interesting(), 4); break;
                case 5: for (int i = 0; i + 8 <= len; i += 8) Put(at + i, Hfp(Chance(0.5)), 8); break;
                case 6: for (int i = 0; i < len; i++) w[at + i] = (byte)Pick("\x40\xC1\xC2\xC3\xF0\xF1\xF9\x4B\x6B\x5C\x20\x21\x22"u8.ToArray()); break;
                default: w.AsSpan(at, len).Fill((byte)(Chance(0.5) ? 0xFF : 0x40)); break;
            }
        }

        void Put(int at, ulong v, int len)
        {
            for (int i = len - 1; i >= 0; i--, v >>= 8)
                if (at + i < OperandLimit) c.Window[at + i] = (byte)v;
        }

        /// <summary>A packed-decimal field: digits 0-9 and a sign A-F, now and then an invalid digit or sign.</summary>
        void Packed(int at, int len)
        {
            var w = c.Window;
            bool small = Chance(0.4);
            for (int i = 0; i < len && at + i < OperandLimit; i++)
            {
                int hi = small && i < len - 2 ? 0 : rng.Next(10), lo = small && i < len - 2 ? 0 : rng.Next(10);
                if (i == len - 1) lo = Pick(new[] { 0xC, 0xD, 0xC, 0xD, 0xF, 0xA, 0xB, 0xE });
                w[at + i] = (byte)(hi << 4 | lo);
            }
            if (Chance(0.08) && at < OperandLimit)
            {
                int i = rng.Next(len);
                if (at + i < OperandLimit) w[at + i] = (byte)(i == len - 1 ? (rng.Next(10, 16) << 4 | rng.Next(10)) : rng.Next(0xA0, 0x100));
            }
        }

        void Zoned(int at, int len)
        {
            for (int i = 0; i < len && at + i < OperandLimit; i++)
                c.Window[at + i] = (byte)((i == len - 1 ? Pick(new[] { 0xC, 0xD, 0xF }) : 0xF) << 4 | rng.Next(10));
        }

        // ------------------------------------------------------------------ operands

        /// <summary>A storage operand of len bytes inside the window: (index, base, displacement, window offset).</summary>
        (int x, int b, int d, int off) Operand(int len, int align = 1, bool index = false)
        {
            len = Math.Max(1, len);
            int extra = index && Chance(0.3) ? r10 : 0;
            for (int attempt = 0; ; attempt++)
            {
                if (attempt > 20) extra = 0;
                int b = Chance(0.5) && !r13Bad ? RegWindow2 : RegWindow;
                if (r13Bad && Chance(0.5)) b = RegWindow2;
                int baseOff = b == RegWindow2 ? 0x100 : 0;
                if (b == RegWindow2 && r13Bad) { int dd = rng.Next(0, 0x1000); return (extra != 0 ? RegIndex : 0, b, dd, -1); }
                int lo = baseOff + extra, hi = OperandLimit - len;
                if (lo > hi) { if (attempt > 40) throw new InvalidOperationException($"operand of {len} bytes does not fit"); continue; }
                int off = rng.Next(lo, hi + 1);
                if (align > 1 && Chance(0.8)) off &= ~(align - 1);
                if (off < lo) continue;
                return (extra != 0 ? RegIndex : 0, b, off - baseOff - extra, off);
            }
        }

        int FreeReg(bool exTarget) => Pick(exTarget ? ExFree : Free);
        int PairReg() => Chance(0.1) ? Pick(new[] { 1, 3, 5, 7 }) : Pick(Pairs);
        int AnyReg() => rng.Next(16);

        int FprReg()
        {
            if (!qemu && Chance(0.05)) return rng.Next(16);   // not 0/2/4/6: specification exception
            return Pick(Fprs);
        }

        /// <summary>Code offset of a branch target: an instruction boundary after the current one, or E.</summary>
        int Target(bool exTarget)
        {
            if (exTarget) return codeLength;
            var later = offsets.Where((o, i) => i > current).Append(codeLength).ToArray();
            return Pick(later);
        }

        static int LengthOfRx(string m) => m switch
        {
            "IC" or "STC" => 1,
            "LH" or "CH" or "AH" or "SH" or "MH" or "STH" => 2,
            "LE" or "STE" or "CE" or "AE" or "SE" or "ME" or "DE" or "AU" or "SU" => 4,
            "CVB" or "CVD" or "LD" or "STD" or "CD" or "AD" or "SD" or "MD" or "DD" or "AW" or "SW" or "MXD" => 8,
            _ => 4,
        };

        void SeedFor(string m, int off, int len)
        {
            if (off < 0) return;
            switch (m)
            {
                case "CVB": if (Chance(0.85)) Packed(off, len); break;
                case "LE" or "CE" or "AE" or "SE" or "ME" or "DE" or "AU" or "SU": Put(off, Hfp(false) >> 32, 4); break;
                case "LD" or "CD" or "AD" or "SD" or "MD" or "DD" or "AW" or "SW" or "MXD": Put(off, Hfp(true), 8); break;
                default: if (len == 4 && Chance(0.5)) Put(off, Interesting(), 4); break;
            }
        }

        // ------------------------------------------------------------------ encoding

        static byte[] RR(int op, int r1, int r2) => [(byte)op, (byte)(r1 << 4 | r2)];
        static byte[] RX(int op, int r1, int x, int b, int d) => [(byte)op, (byte)(r1 << 4 | x), (byte)(b << 4 | d >> 8), (byte)d];
        static byte[] SI(int op, int i2, int b, int d) => [(byte)op, (byte)i2, (byte)(b << 4 | d >> 8), (byte)d];
        static byte[] S(int op, int b, int d) => [(byte)(op >> 8), (byte)op, (byte)(b << 4 | d >> 8), (byte)d];
        static byte[] SS(int op, int l, int b1, int d1, int b2, int d2) => [(byte)op, (byte)l, (byte)(b1 << 4 | d1 >> 8), (byte)d1, (byte)(b2 << 4 | d2 >> 8), (byte)d2];

        /// <summary>
        /// The instruction bytes. For an EXECUTE target, <paramref name="or"/> is the byte EX will
        /// OR into bits 8-15: fields are chosen with it applied, and the stored byte lacks its bits.
        /// </summary>
        byte[] Encode(Opcode op, int or, bool exTarget, bool last)
        {
            var b = EncodeFields(op, or, exTarget, last);
            b[1] = (byte)(b[1] & ~or);
            return b;
        }

        byte[] EncodeFields(Opcode op, int or, bool exTarget, bool last)
        {
            string m = op.Mnemonic;
            int code = op.Code, hi = or >> 4;
            int Free1() => FreeReg(exTarget) | hi;
            switch (m)
            {
                // ---- RR ----
                case "LR" or "LTR" or "LCR" or "LPR" or "LNR" or "AR" or "SR" or "ALR" or "SLR" or "NR" or "OR" or "XR":
                    return RR(code, Free1(), AnyReg());
                case "CR" or "CLR": return RR(code, AnyReg() | hi, AnyReg());
                case "MR" or "DR": return RR(code, PairReg() | hi, AnyReg());
                case "BALR": return RR(code, Free1(), Chance(0.8) ? RegEnd : 0);
                case "BCTR": return RR(code, Free1(), Chance(0.7) ? RegEnd : 0);
                case "BCR": return RR(code, rng.Next(16) | hi, Chance(0.9) ? RegEnd : 0);
                case "SPM": return RR(code, AnyReg() | hi, 0);
                case "SVC": return RR(code, rng.Next(16) | hi, rng.Next(16));
                case "SSK": return RR(code, AnyReg() | hi, Chance(0.5) ? RegWindow : RegWindow2);
                case "ISK": return RR(code, Free1(), Chance(0.5) ? RegWindow : RegWindow2);
                case "MVCL" or "CLCL":
                {
                    int r1 = PairReg(), r2 = Pick(Pairs.Where(p => p != r1).ToArray());
                    if (r1 % 2 == 0)
                    {
                        int o1 = Math.Max(0, Operand(1).off), o2 = Math.Max(0, Operand(1).off);
                        c.Gpr[r1] = OracleCase.WindowAddress + (uint)o1;
                        c.Gpr[r1 + 1] = (uint)rng.Next(0, OperandLimit - o1 + 1) | (Chance(0.2) ? (uint)rng.Next(256) << 24 : 0);
                        c.Gpr[r2] = OracleCase.WindowAddress + (uint)o2;
                        c.Gpr[r2 + 1] = (uint)rng.Next(0, OperandLimit - o2 + 1) | (uint)rng.Next(256) << 24;
                    }
                    return RR(code, r1, r2);
                }
            }
            if (op.Feature is Feature.FloatingPoint or Feature.ExtendedFloat)
                return Float(op, hi, exTarget);

            switch (op.Format)
            {
                case Format.RX or Format.RX_M: return Rx(op, hi, exTarget);
                case Format.RS or Format.RS_R1 or Format.RS_M: return Rs(op, hi, exTarget);
                case Format.SI or Format.SI_D: return Si(op, or, exTarget);
                case Format.S: return SFormat(op);
                case Format.SS_L or Format.SS_LL or Format.SS_LI: return Ss(op, or);
            }
            throw new InvalidOperationException($"no generator for {op}");
        }

        byte[] Float(Opcode op, int hi, bool exTarget)
        {
            bool ext = op.Feature == Feature.ExtendedFloat;
            int F() => ext ? (Chance(0.9) ? Pick(new[] { 0, 4 }) : FprReg()) : FprReg();
            if (op.Format == Format.RR) return RR(op.Code, F() | hi, F());
            string m = op.Mnemonic;
            int len = LengthOfRx(m);
            var (x, b, d, off) = Operand(len, len, index: true);
            SeedFor(m, off, len);
            return RX(op.Code, F() | hi, x, b, d);
        }

        byte[] Rx(Opcode op, int hi, bool exTarget)
        {
            string m = op.Mnemonic;
            int code = op.Code;
            switch (m)
            {
                case "LA": return RX(code, FreeReg(exTarget) | hi, Chance(0.5) ? 0 : AnyReg(), Chance(0.3) ? 0 : AnyReg(), rng.Next(0x1000));
                case "BC": return RX(code, rng.Next(16) | hi, 0, RegCode, Target(exTarget));
                case "BAL" or "BCT": return RX(code, FreeReg(exTarget) | hi, 0, RegCode, Target(exTarget));
                case "EX":
                {
                    if (exTarget) return RX(code, hi, 0, RegWindow, ExArea);   // EX of EX: execute exception
                    int r1 = Chance(0.5) ? 0 : RegIndex;
                    int orByte = r1 == RegIndex ? r10 : 0;
                    var rows = g.Rows.Where(o => !notExTarget.Contains(o.Mnemonic) && (o.Mnemonic != "EX" || Chance(0.05))
                        && !(NoOverflowInterrupt && o.Mnemonic == "SPM" && !lastInstruction)
                        && !(TrLast && o.Mnemonic == "TR" && !lastInstruction)).ToArray();
                    if (rows.Length == 0) rows = [OpcodeTable.Find(ArchLevel.S370, "LR")!];
                    var t = Pick(rows);
                    if (qemu && t.Feature == Feature.FloatingPoint) { r1 = 0; orByte = 0; }   // an ORed FPR number may be odd (valid AFP in z)
                    if (TsZero && t.Mnemonic == "TS") { r1 = 0; orByte = 0; }
                    var bytes = Encode(t, orByte, exTarget: true, last: true);
                    bytes.CopyTo(c.Window, ExArea);
                    c.Mnemonics.Add("EX:" + t.Mnemonic);
                    bool odd = Chance(0.05) && !(qemu && g.exclusions.Has("qemu", "ex-odd-target"));
                    int at = odd ? ExArea + 1 : ExArea;   // odd: specification exception
                    return RX(code, r1, 0, RegWindow, at);
                }
            }
            int len = LengthOfRx(m);
            var (x, b, d, off) = Operand(len, len, index: true);
            SeedFor(m, off, len);
            int reg = m switch
            {
                "M" or "D" => PairReg() | hi,
                "ST" or "STH" or "STC" or "C" or "CH" or "CL" or "CVD" => AnyReg() | hi,
                _ => FreeReg(exTarget) | hi,
            };
            return RX(code, reg, x, b, d);
        }

        bool lastInstruction => current == offsets.Count - 1;

        byte[] Rs(Opcode op, int hi, bool exTarget)
        {
            string m = op.Mnemonic;
            int code = op.Code;
            byte[] RS(int r1, int r3, int b, int d) => [(byte)code, (byte)(r1 << 4 | r3), (byte)(b << 4 | d >> 8), (byte)d];
            switch (m)
            {
                case "SLL" or "SRL" or "SRA" or "SLA" or "SLDL" or "SRDL" or "SRDA" or "SLDA":
                {
                    bool dbl = m.Length == 4;
                    int r1 = (dbl ? PairReg() : FreeReg(exTarget)) | hi;
                    if (dbl && r1 % 2 == 0 && r1 + 1 is >= 9 and <= 13) r1 = 0;
                    return Chance(0.7) ? RS(r1, 0, 0, Chance(0.8) ? rng.Next(64) : rng.Next(0x1000))
                                       : RS(r1, 0, FreeReg(exTarget), rng.Next(0x1000));
                }
                case "BXH" or "BXLE": return RS(FreeReg(exTarget) | hi, AnyReg(), RegCode, Target(exTarget));
                case "LM":
                {
                    int start = rng.Next(FreeCyclic.Length), count = rng.Next(1, FreeCyclic.Length - start + 1);
                    int r1 = FreeCyclic[start], r3 = FreeCyclic[start + count - 1];
                    var (_, b, d, off) = Operand(4 * count, 4);
                    return RS(r1, r3, b, d);
                }
                case "STM" or "STCTL" or "LCTL":
                {
                    int r1 = AnyReg() | hi, r3 = AnyReg();
                    int n = ((r3 - r1) & 15) + 1;
                    var (_, b, d, _) = Operand(4 * n, 4);
                    return RS(r1, r3, b, d);
                }
                case "CS":
                {
                    var (_, b, d, off) = Operand(4, 4);
                    if (off >= 0 && Chance(0.5)) Put(off, c.Gpr[0], 4);   // sometimes equal to a register
                    return RS(FreeReg(exTarget) | hi, AnyReg(), b, d);
                }
                case "CDS":
                {
                    var (_, b, d, _) = Operand(8, 8);
                    return RS(PairReg() | hi, PairReg(), b, d);
                }
                case "ICM" or "STCM" or "CLM":
                {
                    int mask = rng.Next(16);
                    var (_, b, d, _) = Operand(BitOperations.PopCount((uint)mask));
                    return RS((m == "ICM" ? FreeReg(exTarget) : AnyReg()) | hi, mask, b, d);
                }
                default:   // DIAG and anything new: operands in the window
                {
                    var (_, b, d, _) = Operand(8, 8);
                    return RS(FreeReg(exTarget) | hi, AnyReg(), b, d);
                }
            }
        }

        byte[] Si(Opcode op, int or, bool exTarget)
        {
            string m = op.Mnemonic;
            int code = op.Code;
            switch (m)
            {
                case "LPSW":
                {
                    var (_, b, d, off) = Operand(8, 8);
                    int mask = Chance(0.8) ? 0 : rng.Next(256) & (NoExternal ? 0xFE : 0xFF);
                    ulong psw = (ulong)mask << 56 | (Chance(0.5) ? 1UL << 48 : 0) | (ulong)rng.Next(0x10000) << 32
                              | (ulong)rng.Next(256) << 24 | OracleCase.CodeAddress + (uint)codeLength;
                    if (off >= 0) Put(off, psw, 8);
                    return SI(code, rng.Next(256), b, d);
                }
                case "SSM":
                {
                    var (_, b, d, off) = Operand(1);
                    if (off >= 0) c.Window[off] = (byte)(rng.Next(256) & (NoExternal ? 0xFE : 0xFF));
                    return SI(code, rng.Next(256), b, d);
                }
                case "STOSM":
                {
                    var (_, b, d, _) = Operand(1);
                    return SI(code, (rng.Next(256) | or) & (NoExternal ? 0xFE : 0xFF), b, d);
                }
                case "TS" when TsZero:
                {
                    var (_, b, d, _) = Operand(1);
                    return SI(code, 0, b, d);
                }
                case "MC":
                    return SI(code, (Chance(0.9) ? rng.Next(16) : rng.Next(256)) | or, 0, rng.Next(0x1000));
                default:
                {
                    var (_, b, d, _) = Operand(1);
                    return SI(code, rng.Next(256) | or, b, d);
                }
            }
        }

        byte[] SFormat(Opcode op) => op.Mnemonic switch
        {
            "SPKA" => S(op.Code, 0, (Chance(0.5) ? 0 : rng.Next(16)) << 4),
            "IPK" => S(op.Code, 0, 0),
            _ => Operand8(op),
        };

        byte[] Operand8(Opcode op)
        {
            var (_, b, d, _) = Operand(8, 8);
            return S(op.Code, b, d);
        }

        byte[] Ss(Opcode op, int or)
        {
            string m = op.Mnemonic;
            int code = op.Code;
            if (op.Format == Format.SS_L)
            {
                int l = rng.Next(100) switch { < 60 => rng.Next(16), < 90 => rng.Next(16, 64), _ => rng.Next(64, 256) } | or;
                if (m is "TR" or "TRT")
                {
                    l = Math.Min(l, 0xC0) | or;
                    var (_, b1, d1, _) = Operand(l + 1);
                    var (_, b2, d2, _) = Operand(Chance(0.8) ? 256 : 1);
                    return SS(code, l, b1, d1, b2, d2);
                }
                if (m is "ED" or "EDMK")
                {
                    var (_, b1, d1, o1) = Operand(l + 1);
                    int digits = 0;
                    if (o1 >= 0)
                        for (int i = 0; i <= l && o1 + i < OperandLimit; i++)
                        {
                            byte p = i == 0 ? Pick(new byte[] { 0x40, 0x5C, 0xF0 }) : Pick(new byte[] { 0x20, 0x20, 0x20, 0x21, 0x22, 0x6B, 0x4B, 0x40 });
                            if (p is 0x20 or 0x21) digits++;
                            c.Window[o1 + i] = p;
                        }
                    int srcLen = Math.Max(1, (digits + 2) / 2);
                    var (_, b2, d2, o2) = Operand(srcLen);
                    if (o2 >= 0) Packed(o2, srcLen);
                    return SS(code, l, b1, d1, b2, d2);
                }
                var (_, sb1, sd1, _) = Operand(l + 1);
                var (_, sb2, sd2, _) = Operand(l + 1);
                return SS(code, l, sb1, sd1, sb2, sd2);
            }
            if (op.Format == Format.SS_LI)   // SRP D1(L1,B1),D2(B2),I3
            {
                int l1 = rng.Next(16) | (or >> 4);
                var (_, b1, d1, o1) = Operand(l1 + 1);
                if (o1 >= 0 && Chance(0.9)) Packed(o1, l1 + 1);
                int shift = Chance(0.5) ? rng.Next(0, 32) : 64 - rng.Next(1, 32);
                return SS(code, l1 << 4 | rng.Next(10), b1, d1, 0, shift);
            }
            // SS_LL: PACK, UNPK, MVO and the decimal arithmetic
            int L1 = rng.Next(16) | (or >> 4), L2 = rng.Next(16);
            if (m is "MP" or "DP" && Chance(0.85)) { L1 = Math.Max(L1, 1); L2 = rng.Next(0, Math.Min(L1, 8)); }
            var (_, bb1, dd1, p1) = Operand(L1 + 1);
            var (_, bb2, dd2, p2) = Operand(L2 + 1);
            if (m == "PACK") { if (p2 >= 0) Zoned(p2, L2 + 1); }
            else
            {
                if (p1 >= 0 && m is not "UNPK" && Chance(0.9)) Packed(p1, L1 + 1);
                if (p2 >= 0 && Chance(0.9)) Packed(p2, L2 + 1);
            }
            return SS(code, L1 << 4 | L2, bb1, dd1, bb2, dd2);
        }
    }
}
