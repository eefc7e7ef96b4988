using System.Globalization;
using Jit360.Cp.Messages;

namespace Jit360.Cp.Commands;

/// <summary>
/// STORE (CP Command Reference): [L]hexloc hexword..., Shexloc hexdata, Greg hexword...,
/// Yreg hexdata..., Xreg hexword..., PSW [hexword1] hexword2. [L]hexloc is rounded down to a
/// fullword and each hexword (up to 16 digits) is right-adjusted in a fullword, or in two when
/// it has more than 8 digits; Shexloc stores the bytes of hexdata unaligned (an odd last digit
/// is not stored and is an error). Consecutive values go to consecutive words or registers.
/// Stores bypass storage protection (CP stores for the user) but set the change bits, as a
/// channel or CPU store would. STORE STATUS is not implemented yet.
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
        if (target[0] == 'S') { StoreBytes(vm, Hex.Location(target[1..]), values); return; }
        uint at = Hex.Location(target.StartsWith('L') ? target[1..] : target) & ~3u;
        var bytes = new List<byte>();
        foreach (var v in values)
        {
            if (v.Length > 8)
            {
                ulong d = v.Length <= 16 && ulong.TryParse(v, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong x)
                    ? x : throw new CpCommandException(CpMessages.InvalidHexdata, v);
                for (int i = 7; i >= 0; i--) bytes.Add((byte)(d >> (8 * i)));
            }
            else
            {
                uint w = Word(v);
                for (int i = 3; i >= 0; i--) bytes.Add((byte)(w >> (8 * i)));
            }
        }
        Put(vm, at, bytes.ToArray());
    }

    static void StoreBytes(Jit360.Cp.VirtualMachines.VirtualMachine vm, uint at, List<string> values)
    {
        if (values.Count != 1) throw new CpCommandException(CpMessages.InvalidOption, values.Count > 1 ? values[1] : "");
        string v = values[0];
        int whole = v.Length / 2;
        var bytes = new byte[whole];
        for (int i = 0; i < whole; i++)
            bytes[i] = Hex.TryParse(v.Substring(2 * i, 2), 2, out uint b) ? (byte)b : throw new CpCommandException(CpMessages.InvalidHexdata, v);
        if (v.Length % 2 != 0 && !Hex.TryParse(v[^1..], 1, out _)) throw new CpCommandException(CpMessages.InvalidHexdata, v);
        Put(vm, at, bytes);
        if (v.Length % 2 != 0) throw new CpCommandException(CpMessages.InvalidHexdata, v);
    }

    static void Put(Jit360.Cp.VirtualMachines.VirtualMachine vm, uint at, byte[] data)
    {
        var st = vm.Cpu.Storage;
        if ((ulong)at + (ulong)data.Length > st.Size)
            throw new CpCommandException(CpMessages.HexlocExceedsStorage, Math.Max(at, st.Size).ToString("X6"));
        st.Load(at, data);
        for (uint a = at & ~0x7FFu; a < at + (uint)data.Length; a += 0x800)
            st.Keys[a >> Jit360.Machine.Storage.BlockShift] |= Jit360.Machine.Storage.Reference | Jit360.Machine.Storage.Change;
    }

    static uint Word(string text)
        => Hex.TryParse(text, 8, out uint v) ? v : throw new CpCommandException(CpMessages.InvalidHexdata, text);
}
