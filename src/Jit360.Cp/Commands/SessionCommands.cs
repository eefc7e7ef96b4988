using Jit360.Cp.Messages;

namespace Jit360.Cp.Commands;

/// <summary>LOGON, LOGOFF and DISCONN: CP checks the user; the I/O layer builds and tears down the virtual machine.</summary>
static class SessionCommands
{
    public static void Logon(CommandContext c)
    {
        var s = c.Session;
        if (s.LoggedOn) throw new CpCommandException(CpMessages.AlreadyLoggedOn, s.UserId!);
        if (c.Operands.Count == 0 || c.Operands[0].Length > 8) throw new CpCommandException(CpMessages.UserIdMissing);
        string id = c.Operands[0].ToUpperInvariant();
        var user = c.System.Directory.Find(id);
        if (user == null || user.NoLog) throw new CpCommandException(CpMessages.NotInDirectory, id);
        if (c.System.Find(id) is { } existing && !existing.Disconnected) throw new CpCommandException(CpMessages.AlreadyLoggedOn, id);
        // LOGON userid [password] [Mask] [Noipl]. The password must be on the line here: the
        // ENTER PASSWORD prompt of VM/370 (and MASK) need a terminal dialogue not built yet.
        if (c.Operands.Count < 2 || !c.Operands[1].Equals(user.Password, StringComparison.OrdinalIgnoreCase))
            throw new CpCommandException(CpMessages.PasswordIncorrect);
        bool automaticIpl = true;
        foreach (var option in c.Operands.Skip(2))
        {
            string o = option.ToUpperInvariant();
            if ("NOIPL".StartsWith(o, StringComparison.Ordinal)) automaticIpl = false;
            else if (!"MASK".StartsWith(o, StringComparison.Ordinal)) throw new CpCommandException(CpMessages.InvalidOption, o);
        }
        var devices = c.Devices;
        s.UserId = user.UserId;
        s.User = user;
        s.PrivilegeClasses = user.PrivilegeClasses;
        s.LogonTime = c.System.Now;
        s.Machine = devices.CreateVirtualMachine(s, user, automaticIpl);
        c.System.Register(s);
        c.Write(CpResponses.LogonAt(s.LogonTime, c.System.ZoneName));
    }

    public static void Logoff(CommandContext c)
    {
        var s = c.Session;
        CheckHold(c);
        c.Devices.DestroyVirtualMachine(s);
        var now = c.System.Now;
        c.Write(CpResponses.Connect(now - s.LogonTime, s.VirtualCpu, s.TotalCpu));
        c.Write(CpResponses.LogoffAt(now, c.System.ZoneName));
        c.System.Unregister(s);
        s.Machine = null; s.User = null; s.UserId = null; s.PrivilegeClasses = "";
        s.State = SessionState.CpRead;
    }

    /// <summary>LOGOFF and DISCONN take HOLD (HO at least) and nothing else.</summary>
    static void CheckHold(CommandContext c)
    {
        foreach (var o in c.Operands)
            if (o.Length < 2 || !"HOLD".StartsWith(o, StringComparison.OrdinalIgnoreCase) || c.Operands.Count > 1)
                throw new CpCommandException(CpMessages.InvalidOption, o.ToUpperInvariant());
    }

    public static void Disconnect(CommandContext c)
    {
        CheckHold(c);
        c.Session.Disconnected = true;
        c.Session.State = SessionState.Running;   // the machine goes on without its terminal
        c.Write(CpResponses.DisconnectAt(c.System.Now, c.System.ZoneName));
    }
}
