using Jit360.Architecture;
using Jit360.Cp.Commands;
using Jit360.Cp.Directory;
using Jit360.Cp.VirtualMachines;
using Jit360.Machine;

namespace Jit360.Tests.Cp;

/// <summary>FORCE without a scheduler: the session nothing runs is logged off by the command itself.</summary>
public class ForceCommandTests
{
    sealed class FixedClock : TimeProvider
    {
        public DateTimeOffset Now = new(2010, 9, 30, 21, 3, 44, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A bare machine per user; records LOGOFF's release of it.</summary>
    sealed class Machines : IDeviceServices
    {
        public readonly List<string> Destroyed = [];
        public VirtualMachine CreateVirtualMachine(CpSession session, UserEntry user, bool automaticIpl) => new(new CpuState(ArchLevel.S370, 0x10000));
        public void DestroyVirtualMachine(CpSession session) => Destroyed.Add(session.UserId!);
        public void Ipl(CpSession session, string target, string? parm, bool clear) { }
        public void Link(CpSession session, string userId, ushort theirAddress, ushort address, MinidiskMode mode, string? password) { }
        public void Attach(CpSession session, IReadOnlyList<string> operands) { }
        public void Detach(CpSession session, IReadOnlyList<string> operands) { }
        public void Define(CpSession session, IReadOnlyList<string> operands) { }
        public void Spool(CpSession session, IReadOnlyList<string> operands) { }
        public void Close(CpSession session, IReadOnlyList<string> operands) { }
        public bool Query(CpSession session, IReadOnlyList<string> operands) => false;
    }

    readonly FixedClock clock = new();
    Machines machines = null!;
    CpSystem system = null!;

    [SetUp]
    public void Build()
    {
        machines = new Machines();
        system = new CpSystem(DirectoryParser.Parse(SampleDirectory.Text), machines, clock);
    }

    (CpSession Session, CapturingTerminal Terminal) LogOn(string user, string password)
    {
        var terminal = new CapturingTerminal();
        var session = new CpSession(terminal);
        Assert.That(system.Execute(session, $"LOGON {user} {password} NOIPL"), Is.Zero);
        terminal.Lines.Clear();
        return (session, terminal);
    }

    [Test]
    public void FORCE_logs_the_user_off_with_the_accounting_and_logoff_messages()
    {
        var (op, opTerminal) = LogOn("OPERATOR", "OPERATOR");
        var (user, userTerminal) = LogOn("CMSUSER", "CMSUSER");
        clock.Now += TimeSpan.FromSeconds(61);
        Assert.That(system.Execute(op, "FORCE cmsuser"), Is.Zero);
        Assert.That(userTerminal.Lines, Is.EqualTo(new[]
        {
            "CONNECT= 00:01:01 VIRTCPU= 000:00.00 TOTCPU= 000:00.00",
            "LOGOFF AT 21:04:45 UTC THURSDAY 09/30/10 BY SYSTEM",
        }));
        Assert.That(opTerminal.Lines, Is.EqualTo(new[] { "USER LOGOFF AS CMSUSER  USERS = 001 FORCED" }));
        Assert.That(machines.Destroyed, Is.EqualTo(new[] { "CMSUSER" }));
        Assert.That(system.Find("CMSUSER"), Is.Null);
        Assert.That(user.LoggedOn, Is.False);
        Assert.That(user.Machine, Is.Null);
        Assert.That(user.State, Is.EqualTo(SessionState.CpRead));
    }

    [Test]
    public void FORCE_errors_and_privilege()
    {
        var (op, opTerminal) = LogOn("OPERATOR", "OPERATOR");
        var (user, userTerminal) = LogOn("CMSUSER", "CMSUSER");
        Assert.That(system.Execute(op, "FORCE NOBODY"), Is.EqualTo(45));
        Assert.That(opTerminal.Lines[^1], Does.EndWith("NOBODY NOT LOGGED ON"));
        Assert.That(system.Execute(op, "FORCE"), Is.EqualTo(20));
        Assert.That(system.Execute(op, "FORCE CMSUSER NOW"), Is.EqualTo(3));
        Assert.That(system.Execute(op, "FORC CMSUSER"), Is.EqualTo(1), "FORCE has no abbreviation");
        // Class G only: FORCE is unknown to the user, and nothing happens to the operator.
        Assert.That(system.Execute(user, "FORCE OPERATOR"), Is.EqualTo(1));
        Assert.That(userTerminal.Lines[^1], Does.Contain("?CP: FORCE"));
        Assert.That(system.Find("OPERATOR"), Is.Not.Null);
    }
}
