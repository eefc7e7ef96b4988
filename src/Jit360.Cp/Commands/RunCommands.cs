using System.Globalization;
using Jit360.Cp.Messages;

namespace Jit360.Cp.Commands;

/// <summary>BEGIN and SLEEP: leave CP console function mode, to run the guest or to wait.</summary>
static class RunCommands
{
    /// <summary>BEGIN [hexloc]: resume the virtual machine, at hexloc when given (the PSW keeps everything else).</summary>
    public static void Begin(CommandContext c)
    {
        var vm = c.Machine;
        if (c.Operands.Count > 1) throw new CpCommandException(CpMessages.InvalidOption, c.Operands[1].ToUpperInvariant());
        if (c.Operands.Count == 1)
        {
            uint at = Hex.Location(c.Operands[0]);
            if (at >= vm.Cpu.Storage.Size) throw new CpCommandException(CpMessages.HexlocExceedsStorage, at.ToString("X6"));
            vm.LoadVirtualPsw((vm.VirtualPsw & ~0x00FF_FFFFUL) | at);
        }
        c.Session.State = SessionState.Running;
    }

    /// <summary>
    /// SLEEP [nn [MIN|SEC|HRs]] (CP Command Reference): nn is 0-99, in minutes when no unit is
    /// given; with no interval the terminal sleeps until the user signals attention.
    /// </summary>
    public static void Sleep(CommandContext c)
    {
        var s = c.Session;
        if (c.Operands.Count == 0) { s.SleepUntil = null; s.State = SessionState.Sleeping; return; }
        if (c.Operands.Count > 2 || c.Operands[0].Length > 2 || !int.TryParse(c.Operands[0], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new CpCommandException(CpMessages.OperandMissing);
        string unit = c.Operands.Count == 2 ? c.Operands[1].ToUpperInvariant() : "MIN";
        TimeSpan t = unit switch
        {
            "SEC" => TimeSpan.FromSeconds(n),
            "MIN" => TimeSpan.FromMinutes(n),
            "HR" or "HRS" => TimeSpan.FromHours(n),
            _ => throw new CpCommandException(CpMessages.InvalidOption, unit),
        };
        s.SleepUntil = c.System.Now + t;
        s.State = SessionState.Sleeping;
    }
}
