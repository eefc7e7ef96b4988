using Jit360.Cp.Messages;

namespace Jit360.Cp.Commands;

/// <summary>
/// QUERY: TIME, USERID, NAMES, STORAGE and VIRTUAL STORAGE are answered by CP itself; device
/// and spool operands (DASD, RDR, PRT, PUN, FILES, VIRTUAL devices, ...) go to the I/O layer.
/// </summary>
static class QueryCommand
{
    public static void Query(CommandContext c)
    {
        if (c.Operands.Count == 0) throw new CpCommandException(CpMessages.OperandMissing);
        string what = c.Operands[0].ToUpperInvariant();
        switch (what)
        {
            case "TIME":
                Only(c, 1);
                c.Write(CpResponses.TimeIs(c.System.Now, c.System.ZoneName));
                c.Write(CpResponses.Connect(c.System.Now - c.Session.LogonTime, c.Session.VirtualCpu, c.Session.TotalCpu));
                return;
            case "USERID":
                Only(c, 1);
                c.Write($"{c.Session.UserId} AT {c.System.SystemName}");
                return;
            case "NAMES" or "NAME":
                Only(c, 1);
                Names(c);
                return;
            case "STORAGE" or "STOR":
                Only(c, 1);
                c.Write(Storage(c));
                return;
            case "VIRTUAL" or "V" when c.Operands.Count == 2 && c.Operands[1].ToUpperInvariant() is "STORAGE" or "STOR":
                c.Write(Storage(c));
                return;
        }
        if (!c.Devices.Query(c.Session, c.Operands)) throw new CpCommandException(CpMessages.InvalidOption, what);
    }

    static void Only(CommandContext c, int count)
    {
        if (c.Operands.Count > count) throw new CpCommandException(CpMessages.InvalidOption, c.Operands[count].ToUpperInvariant());
    }

    /// <summary>"STORAGE = nnnnnK" (unconfirmed form): the virtual machine's storage size.</summary>
    static string Storage(CommandContext c) => $"STORAGE = {c.Machine.Cpu.Storage.Size / 1024:D5}K";

    /// <summary>The logged-on users, four to a line: "userid - DSC" when disconnected, else the terminal ("userid - CON").</summary>
    static void Names(CommandContext c)
    {
        var entries = c.System.Sessions.Select(s => $"{s.UserId,-8} - {(s.Disconnected ? "DSC" : "CON")}").ToList();
        for (int i = 0; i < entries.Count; i += 4)
            c.Write(string.Join(" , ", entries.Skip(i).Take(4)));
    }
}
