using Jit360.Architecture;
using Jit360.Cp.Messages;
using Jit360.Machine;

namespace Jit360.Cp.Commands;

/// <summary>
/// DISPLAY (CP Command Reference): storage in hexadecimal ([L]hexloc), with EBCDIC (Thexloc),
/// storage keys (Khexloc), general (G), floating-point (Y) and control (X) registers, the PSW,
/// CAW and CSW. Ranges are written hexloc1-hexloc2, hexloc1:hexloc2 or hexloc1.bytecount (END
/// for the last); storage starts at the fullword containing hexloc1 (T: the 16-byte line), and
/// a range running past the machine's storage shows what exists and then DMKCDB160E. The
/// response layouts (address, four words a line; "GPR n = ...") are unconfirmed in detail.
/// </summary>
static class DisplayCommand
{
    public static void Display(CommandContext c)
    {
        var vm = c.Machine;
        var operands = c.Operands.Count == 0 ? ["0"] : c.Operands;
        foreach (var raw in operands)
        {
            string op = raw.ToUpperInvariant();
            if (op is "PSW" or "PS" or "P") { c.Write($"PSW = {Words(vm.VirtualPsw)}"); continue; }
            if (op == "CAW") { c.Write($"CAW = {vm.Cpu.Storage.ReadWordAbsolute(Low.Caw):X8}"); continue; }
            if (op == "CSW") { c.Write($"CSW = {Words(vm.Cpu.Storage.ReadDoublewordAbsolute(Low.Csw))}"); continue; }
            switch (op[0])
            {
                case 'G': Registers(c, op[1..], "GPR", i => vm.Cpu.Gpr[i]); break;
                case 'X': Registers(c, op[1..], "CR", i => vm.Cpu.Cr[i]); break;
                case 'Y': Floating(c, op[1..]); break;
                case 'K': Storage(c, op[1..], Kind.Keys); break;
                case 'T': Storage(c, op[1..], Kind.Translated); break;
                case 'L': Storage(c, op[1..], Kind.Hex); break;
                default: Storage(c, op, Kind.Hex); break;
            }
        }
    }

    static string Words(ulong d) => $"{(uint)(d >> 32):X8} {(uint)d:X8}";

    enum Kind { Hex, Translated, Keys }

    /// <summary>A range "a", "a-b", "a:b", "a.n", "-b", "a-END", or empty (all); null end means one unit.</summary>
    static (uint First, uint? Last) Range(string text, uint all, Func<string, uint> parse, uint unit)
    {
        if (text.Length == 0) return (0, all);
        int sep = text.IndexOfAny(['-', ':', '.']);
        if (sep < 0) return (parse(text), null);
        uint first = sep == 0 ? 0 : parse(text[..sep]);
        string second = text[(sep + 1)..];
        if (second.Length == 0 || second == "END") return (first, all);
        if (text[sep] == '.')
        {
            uint count = Hex.TryParse(second, 6, out uint n) && n > 0 ? n : throw new CpCommandException(CpMessages.InvalidHexloc, text);
            return (first, first + (count - 1) * unit);
        }
        uint last = parse(second);
        if (last < first) throw new CpCommandException(CpMessages.InvalidHexloc, text);
        return (first, last);
    }

    static void Registers(CommandContext c, string spec, string label, Func<int, uint> value)
    {
        var (first, last) = Range(spec, 15, s => (uint)Hex.Register(s), 1);
        uint end = Math.Min(last ?? first, 15);
        for (uint r = first; r <= end; r += 4)
        {
            var words = Enumerable.Range((int)r, (int)Math.Min(4, end - r + 1)).Select(i => value(i).ToString("X8"));
            c.Write($"{label} {r,2} = {string.Join(' ', words)}");
        }
    }

    static void Floating(CommandContext c, string spec)
    {
        var (first, last) = Range(spec, 6, s => (uint)Hex.Register(s), 2);
        for (uint r = first & ~1u; r <= (last ?? first) && r <= 6; r += 2)
            c.Write($"FPR {r} = {Words(c.Machine.Cpu.Fpr[(int)r])}");
    }

    static void Storage(CommandContext c, string spec, Kind kind)
    {
        var st = c.Machine.Cpu.Storage;
        var (first, lastOrNull) = Range(spec, st.Size - 1, Hex.Location, 1);
        uint last = lastOrNull ?? (kind == Kind.Keys ? first : first + 3);
        if (first >= st.Size) throw new CpCommandException(CpMessages.HexlocExceedsStorage, first.ToString("X6"));
        bool beyond = last >= st.Size;
        if (beyond) last = st.Size - 1;
        if (kind == Kind.Keys)
        {
            for (uint b = first & ~0x7FFu; b <= last; b += 0x800)
                c.Write($"KEY {b:X6}-{b + 0x7FF:X6} = {st.GetKey(b) & 0xFE:X2}");
        }
        else
        {
            uint a = kind == Kind.Translated ? first & ~0xFu : first & ~3u;
            while (a <= last)
            {
                uint lineEnd = Math.Min((a | 0xF), last | 3);
                var words = new List<string>();
                for (uint w = a; w <= lineEnd; w += 4) words.Add(Convert.ToHexString(st.Bytes, (int)w, 4));
                string line = $"{a:X6}  {string.Join(' ', words)}";
                if (kind == Kind.Translated)
                    line = line.PadRight(43) + "  *" + Printable(st.Bytes.AsSpan((int)a, (int)(lineEnd - a + 1))) + "*";
                c.Write(line);
                a = lineEnd + 1;
            }
        }
        if (beyond) throw new CpCommandException(CpMessages.HexlocExceedsStorage, (st.Size).ToString("X6"));
    }

    static string Printable(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            char ch = Ebcdic.ToChar(bytes[i]);
            chars[i] = ch >= ' ' && ch < 0x7F ? ch : '.';
        }
        return new string(chars);
    }
}
