using Jit360.Cp.Directory;
using Jit360.Cp.Messages;

namespace Jit360.Cp.Commands;

/// <summary>IPL and LINK: CP reads the operands, the I/O layer does the work; PURGE, TRANSFER, ORDER and CHANGE work on the spool files.</summary>
static class DeviceCommands
{
    /// <summary>IPL vaddr|name [CLEAR] [PARM text].</summary>
    public static void Ipl(CommandContext c)
    {
        if (c.Operands.Count == 0) throw new CpCommandException(CpMessages.OperandMissing);
        string target = c.Operands[0].ToUpperInvariant();
        if (target.Length > 8) throw new CpCommandException(CpMessages.OperandMissing);
        bool clear = false;
        string? parm = null;
        for (int i = 1; i < c.Operands.Count; i++)
        {
            string o = c.Operands[i].ToUpperInvariant();
            if (o == "CLEAR") clear = true;
            else if (o == "PARM")
            {
                int at = c.OperandText.IndexOf(c.Operands[i], StringComparison.OrdinalIgnoreCase);
                parm = c.OperandText[(at + 4)..].Trim();
                if (parm.Length == 0) throw new CpCommandException(CpMessages.OperandMissing);
                break;
            }
            else throw new CpCommandException(CpMessages.InvalidOption, o);
        }
        c.Devices.Ipl(c.Session, target, parm, clear);
    }

    /// <summary>LINK [TO] userid vaddr1 [AS] vaddr2 [mode] [[PASS=] password].</summary>
    public static void Link(CommandContext c)
    {
        var w = c.Operands.Where(o => !o.Equals("TO", StringComparison.OrdinalIgnoreCase) && !o.Equals("AS", StringComparison.OrdinalIgnoreCase)).ToList();
        if (w.Count < 3) throw new CpCommandException(CpMessages.OperandMissing);
        string who = w[0].ToUpperInvariant();
        if (who == "*") who = c.Session.UserId!;
        if (!DirectoryParser.TryAddress(w[1], out ushort theirs) || !DirectoryParser.TryAddress(w[2], out ushort mine))
            throw new CpCommandException(CpMessages.OperandMissing);
        var mode = MinidiskMode.R;
        int next = 3;
        if (w.Count > next && MinidiskModes.TryParse(w[next], out mode)) next++;
        string? password = null;
        if (w.Count > next)
        {
            if (w[next].Equals("PASS=", StringComparison.OrdinalIgnoreCase)) next++;
            if (w.Count > next) password = w[next++].ToUpperInvariant();
        }
        if (w.Count > next) throw new CpCommandException(CpMessages.InvalidOption, w[next].ToUpperInvariant());
        c.Devices.Link(c.Session, who, theirs, mine, mode, password);
    }

    static Spool.SpoolStore SpoolFiles(CommandContext c)
        => c.Devices.SpoolFiles ?? throw new CpUnavailableException($"{c.Command.Name} needs a spool, which this CP does not have");

    public static void Purge(CommandContext c) => Spool.SpoolCommands.Purge(c, SpoolFiles(c));
    public static void Transfer(CommandContext c) => Spool.SpoolCommands.Transfer(c, SpoolFiles(c));
    public static void Order(CommandContext c) => Spool.SpoolCommands.Order(c, SpoolFiles(c));
    public static void Change(CommandContext c) => Spool.SpoolCommands.Change(c, SpoolFiles(c));
}
