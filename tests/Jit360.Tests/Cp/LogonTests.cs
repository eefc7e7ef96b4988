using Jit360.Cp.Commands;
using Jit360.Cp.Directory;
using Jit360.Cp.Io;
using Jit360.Cp.SavedSystems;

namespace Jit360.Tests.Cp;

/// <summary>
/// LOGON with the ENTER PASSWORD prompt, DISCONN and the reconnecting LOGON, and the operator's
/// commands (MSG ALL, WARNING, SHUTDOWN), over the scripted terminals with the real I/O layer
/// (no volumes: the sample directory's OPERATOR has no minidisks and no IPL).
/// </summary>
public class LogonTests
{
    /// <summary>A fixed clock: Thursday 30 September 2010, 21:03:44 UTC.</summary>
    sealed class FixedClock : TimeProvider
    {
        public DateTimeOffset Now = new(2010, 9, 30, 21, 3, 44, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    RealVolumes volumes = null!;
    VirtualDeviceServices devices = null!;
    CpSystem system = null!;
    FixedClock clock = null!;
    readonly List<CpSession> sessions = [];

    [SetUp]
    public void Build()
    {
        volumes = new RealVolumes();
        devices = new VirtualDeviceServices(volumes, new SavedSystemCatalog());
        clock = new FixedClock();
        system = new CpSystem(DirectoryParser.Parse(SampleDirectory.Text), devices, clock);
        devices.System = system;
    }

    [TearDown]
    public void TearDown()
    {
        foreach (var s in sessions) devices.DestroyVirtualMachine(s);
        volumes.Dispose();
    }

    (CpSession Session, UserTerminal Terminal) Terminal()
    {
        var t = new UserTerminal();
        var s = new CpSession(t);
        sessions.Add(s);
        return (s, t);
    }

    [Test]
    public void LOGON_without_a_password_asks_for_it_and_does_not_print_it()
    {
        var (s, t) = Terminal();
        Assert.That(system.Execute(s, "LOGON OPERATOR"), Is.Zero);
        Assert.That(t.Lines[^1], Is.EqualTo("ENTER PASSWORD:"));
        Assert.That(s.AwaitingPassword && t.ReadingHidden, Is.True);
        Assert.That(s.LoggedOn, Is.False);
        t.SendLine("operator");
        Assert.That(system.Execute(s, "operator"), Is.Zero);
        Assert.That(s.LoggedOn && !s.AwaitingPassword, Is.True);
        Assert.That(t.Lines, Has.None.Contains("operator"), "the password line is print-inhibited");
        Assert.That(t.Lines[^1], Is.EqualTo("LOGON AT 21:03:44 UTC THURSDAY 09/30/10"));
    }

    [Test]
    public void A_wrong_password_leaves_the_terminal_logged_off_and_the_next_line_is_a_command_again()
    {
        var (s, t) = Terminal();
        system.Execute(s, "L OPERATOR");
        Assert.That(system.Execute(s, "NOTIT"), Is.EqualTo(50));
        Assert.That(t.Lines[^1], Is.EqualTo("DMKLOG050E PASSWORD INCORRECT - REINITIATE LOGON PROCEDURE"));
        Assert.That(s.LoggedOn || s.AwaitingPassword, Is.False);
        Assert.That(system.Execute(s, "QUERY TIME"), Is.EqualTo(1), "a command again, refused before LOGON");
        Assert.That(system.Execute(s, "LOGON OPERATOR WRONG"), Is.EqualTo(50), "a wrong password on the LOGON line");
        Assert.That(system.Execute(s, "LOGON OPERATOR OPERATOR"), Is.Zero, "the password on the LOGON line still works");
    }

    [Test]
    public void An_unknown_user_is_refused_before_any_password_prompt()
    {
        var (s, t) = Terminal();
        Assert.That(system.Execute(s, "LOGON NOBODY"), Is.EqualTo(53));
        Assert.That(t.Lines, Is.EqualTo(new[] { "DMKLOG053E NOBODY NOT IN CP DIRECTORY" }));
        Assert.That(s.AwaitingPassword, Is.False);
    }

    [Test]
    public void LOGON_NOIPL_skips_the_directory_IPL_with_or_without_the_password_on_the_line()
    {
        var (a, ta) = Terminal();
        Assert.That(system.Execute(a, "LOGON MAINT NOIPL"), Is.Zero);
        Assert.That(system.Execute(a, "CPCMS"), Is.Zero);
        Assert.That(ta.Lines, Has.None.Contains("SYSTEM CMS DOES NOT EXIST"), "MAINT's IPL CMS was not tried");
        system.Execute(a, "LOGOFF");
        Assert.That(system.Execute(a, "LOGON MAINT CPCMS"), Is.Zero);
        Assert.That(ta.Lines, Has.Some.Contains("SYSTEM CMS DOES NOT EXIST"), "without NOIPL the directory's IPL CMS is tried");
        system.Execute(a, "LOGOFF");
        Assert.That(system.Execute(a, "LOGON MAINT CPCMS N"), Is.Zero);
        Assert.That(ta.Lines.Count(l => l.Contains("SYSTEM CMS DOES NOT EXIST")), Is.EqualTo(1));
    }

    [Test]
    public void DISCONN_keeps_the_machine_and_a_LOGON_at_another_terminal_reconnects_it()
    {
        var (a, ta) = Terminal();
        system.Execute(a, "LOGON OPERATOR OPERATOR");
        var machine = a.Machine;
        Assert.That(system.Execute(a, "DISC"), Is.Zero);
        Assert.That(ta.Lines[^1], Is.EqualTo("DISCONNECT AT 21:03:44 UTC THURSDAY 09/30/10"));
        Assert.That(a.Disconnected && a.State == SessionState.Running && ta.Disconnected, Is.True);
        ta.Print("written while disconnected\n");
        Assert.That(ta.Lines, Has.None.Contains("written while disconnected"), "console output is dropped while disconnected");

        var (b, tb) = Terminal();
        system.Execute(b, "LOGON MAINT CPCMS NOIPL");
        system.Execute(b, "QUERY NAMES");
        Assert.That(tb.Lines[^1], Does.Contain("OPERATOR - DSC"));
        Assert.That(system.Execute(b, "MSG OPERATOR hello"), Is.EqualTo(57));

        var (c, tc) = Terminal();
        clock.Now += TimeSpan.FromMinutes(5);
        Assert.That(system.Execute(c, "LOGON OPERATOR"), Is.Zero);
        Assert.That(system.Execute(c, "OPERATOR"), Is.Zero);
        Assert.That(tc.Lines[^1], Is.EqualTo("RECONNECTED AT 21:08:44 UTC THURSDAY 09/30/10"));
        Assert.That(a.Disconnected || c.LoggedOn, Is.False, "the user's own session is reconnected; the new terminal's session stays logged off");
        Assert.That(a.Machine, Is.SameAs(machine), "the same virtual machine");
        Assert.That(a.State, Is.EqualTo(SessionState.CpRead), "reconnected in CP console function mode");
        ta.Print("after the reconnect\n");
        Assert.That(tc.Lines[^1], Is.EqualTo("after the reconnect"), "the user's output goes to the new terminal");
        tc.SendLine("typed at the new terminal");
        Assert.That(ta.TryTakeLine(TimeSpan.FromSeconds(1), out var line) && line == "typed at the new terminal", Is.True, "and what is typed there comes to the user");
        Assert.That(system.Execute(b, "MSG OPERATOR hello"), Is.Zero);
        Assert.That(tc.Lines[^1], Is.EqualTo("MSG FROM MAINT: hello"));
    }

    [Test]
    public void A_connected_user_cannot_be_logged_on_twice()
    {
        var (a, _) = Terminal();
        system.Execute(a, "LOGON OPERATOR OPERATOR");
        var (b, tb) = Terminal();
        Assert.That(system.Execute(b, "LOGON OPERATOR OPERATOR"), Is.EqualTo(54));
        Assert.That(tb.Lines, Is.EqualTo(new[] { "DMKLOG054E ALREADY LOGGED ON OPERATOR" }));
    }

    [Test]
    public void The_operator_sends_MSG_ALL_and_WARNING_and_SHUTDOWN_logs_everyone_off()
    {
        var (op, top) = Terminal();
        Assert.That(SystemShutdown.LogOnOperator(system, op), Is.True);
        Assert.That(top.Lines[^1], Does.StartWith("LOGON AT"));
        var (a, ta) = Terminal();
        system.Execute(a, "LOGON MAINT CPCMS NOIPL");
        var (g, tg) = Terminal();
        system.Execute(g, "LOGON GCCCMS GCCCMS");
        Assert.That(system.Execute(op, "MSG ALL system going down"), Is.Zero);
        Assert.That(system.Execute(op, "W ALL in five minutes"), Is.Zero);
        Assert.That(system.Execute(op, "WARNING MAINT you too"), Is.Zero);
        Assert.That(tg.Lines.TakeLast(2), Is.EqualTo(new[] { "MSG FROM OPERATOR: system going down", "WNG FROM OPERATOR: in five minutes" }));
        Assert.That(ta.Lines[^1], Is.EqualTo("WNG FROM OPERATOR: you too"));
        Assert.That(top.Lines, Has.None.Contains("FROM OPERATOR"), "not to the sender");
        Assert.That(system.Execute(g, "WARNING ALL hi"), Is.EqualTo(1), "class G has no WARNING");
        Assert.That(system.Execute(g, "SHUTDOWN"), Is.EqualTo(1), "class G has no SHUTDOWN");
        Assert.That(system.Execute(op, "SHUTDOW"), Is.EqualTo(1), "SHUTDOWN is not abbreviated");

        bool requested = false;
        system.ShutdownRequested += () => requested = true;
        Assert.That(system.Execute(op, "SHUTDOWN"), Is.Zero);
        Assert.That(requested && system.ShuttingDown, Is.True);
        SystemShutdown.LogOffEveryone(system);
        Assert.That(system.Sessions, Is.Empty);
        foreach (var t in new[] { top, ta, tg }) Assert.That(t.Lines[^1], Does.StartWith("LOGOFF AT"));
        Assert.That(devices.Guest(op) ?? devices.Guest(a) ?? devices.Guest(g), Is.Null, "every machine is gone");
    }
}
