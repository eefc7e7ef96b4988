using System.Globalization;
using Jit360.Cp.Messages;

namespace Jit360.Cp.Commands;

/// <summary>
/// STORE (CP Command Reference): [L]hexloc hexdata..., Greg hexword..., Yreg hexdata...,
/// Xreg hexword..., PSW [hexword1] hexword2. Storage locations are rounded down to a fullword;
/// each hexdata of 1-8 digits fills a fullword, right-justified; consecutive values go to
/// consecutive words or registers. Stores bypass storage protection (CP stores for the user)
/// but set the change bits, as a channel or CPU store would.
/// </summary>
static class StoreCommand
{
    public static void Store(CommandContext c)
    {
        var vm = c.Machine;
        if (c.Operands.Count < 2) throw new CpCommandException(CpMessages.OperandMissing);
        string target = c.Operands[0].ToUpperInvariant();
        var values = c.Operands.Skip(1).Select(v => v.ToUpperInvariant()).ToList();
        if (target == "PSW")
        {
            if (values.Count > 2) throw new CpCommandException(CpMessages.InvalidOption, values[2]);
            ulong psw = vm.VirtualPsw;
            uint second = Word(values[^1]);
            psw = values.Count == 2 ? (ulong)Word(values[0]) << 32 | second : (psw & 0xFFFF_FFFF_0000_0000UL) | second;
            vm.LoadVirtualPsw(psw);
            return;
        }
        switch (target[0])
        {
            case 'G':
            case 'X':
            {
                int r = Hex.Register(target[1..]);
                if (r + values.Count > 16) throw new CpCommandException(CpMessages.InvalidRegister, target);
                var words = values.Select(Word).ToList();
                for (int i = 0; i < words.Count; i++)
                    if (target[0] == 'G') vm.Cpu.Gpr[r + i] = words[i]; else vm.Cpu.Cr[r + i] = words[i];
                if (target[0] == 'X') vm.Cpu.RefreshSystemMask();
                return;
            }
            case 'Y':
            {
                int r = Hex.Register(target[1..]);
                if ((r & 1) != 0 || r + 2 * values.Count > 8) throw new CpCommandException(CpMessages.InvalidRegister, target);
                for (int i = 0; i < values.Count; i++)
                {
                    string v = values[i];
                    if (v.Length > 16 || !ulong.TryParse(v, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong d))
                        throw new CpCommandException(CpMessages.InvalidHexdata, v);
                    vm.Cpu.Fpr[r + 2 * i] = v.Length <= 8 ? d << 32 : d << (4 * (16 - v.Length));
                }
                return;
            }
        }
        uint at = Hex.Location(target.StartsWith('L') ? target[1..] : target) & ~3u;
        var data = values.Select(Word).ToList();
        var st = vm.Cpu.Storage;
        if ((ulong)at + 4UL * (ulong)data.Count > st.Size)
            throw new CpCommandException(CpMessages.HexlocExceedsStorage, Math.Max(at, st.Size).ToString("X6"));
        for (int i = 0; i < data.Count; i++)
        {
            uint a = at + (uint)(4 * i);
            st.WriteWordAbsolute(a, data[i]);
            st.Keys[a >> Jit360.Machine.Storage.BlockShift] |= Jit360.Machine.Storage.Reference | Jit360.Machine.Storage.Change;
        }
        st.Written(at, 4 * data.Count);
    }

    static uint Word(string text)
        => Hex.TryParse(text, 8, out uint v) ? v : throw new CpCommandException(CpMessages.InvalidHexdata, text);
}
