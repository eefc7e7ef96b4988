using Jit360.Architecture;
using Jit360.Cp.Commands;
using Jit360.Cp.Directory;
using Jit360.Cp.Messages;
using Jit360.Cp.VirtualMachines;
using Jit360.Machine;

namespace Jit360.Tests.Cp;

public class CommandTests
{
    /// <summary>A fixed clock: Thursday 30 September 2010, 21:03:44 UTC.</summary>
    sealed class FixedClock : TimeProvider
    {
        public DateTimeOffset Now = new(2010, 9, 30, 21, 3, 44, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>The I/O layer's part of LOGON and LOGOFF, as far as these tests need it: a bare 1M machine per user.</summary>
    sealed class MachineFactory : IDeviceServices
    {
        public readonly List<string> Calls = [];
        public VirtualMachine CreateVirtualMachine(CpSession session, UserEntry user, bool automaticIpl)
        {
            Calls.Add($"create {user.UserId} {automaticIpl}");
            return new VirtualMachine(new CpuState(ArchLevel.S370, 0x100000));
        }
        public void DestroyVirtualMachine(CpSession session) => Calls.Add("destroy " + session.UserId);
        public void Ipl(CpSession session, string target, string? parm, bool clear) => Calls.Add($"ipl {target} {parm} {clear}");
        public void Link(CpSession session, string userId, ushort theirAddress, ushort address, MinidiskMode mode, string? password)
            => Calls.Add($"link {userId} {theirAddress:X3} {address:X3} {mode} {password}");
        public void Attach(CpSession session, IReadOnlyList<string> operands) => Calls.Add("attach " + string.Join(' ', operands));
        public void Detach(CpSession session, IReadOnlyList<string> operands) => Calls.Add("detach " + string.Join(' ', operands));
        public void Define(CpSession session, IReadOnlyList<string> operands) => Calls.Add("define " + string.Join(' ', operands));
        public void Spool(CpSession session, IReadOnlyList<string> operands) => Calls.Add("spool " + string.Join(' ', operands));
        public void Close(CpSession session, IReadOnlyList<string> operands) => Calls.Add("close " + string.Join(' ', operands));
        public bool Query(CpSession session, IReadOnlyList<string> operands)
        {
            if (operands[0].ToUpperInvariant() != "DASD") return false;
            Calls.Add("query dasd");
            return true;
        }
    }

    FixedClock clock = null!;
    MachineFactory devices = null!;
    CpSystem system = null!;

    [SetUp]
    public void Build()
    {
        clock = new FixedClock();
        devices = new MachineFactory();
        system = new CpSystem(DirectoryParser.Parse(SampleDirectory.Text), devices, clock);
    }

    (CpSession session, CapturingTerminal terminal) LogOn(string user, string password)
    {
        var terminal = new CapturingTerminal();
        var session = new CpSession(terminal);
        Assert.That(system.Execute(session, $"LOGON {user} {password}"), Is.Zero, string.Join("\n", terminal.Lines));
        terminal.Lines.Clear();
        return (session, terminal);
    }

    [TestCase("Q", "QUERY")]
    [TestCase("q", "QUERY")]
    [TestCase("DISC", "DISCONN")]
    [TestCase("DIS", "DISPLAY")]
    [TestCase("D", "DISPLAY")]
    [TestCase("I", "IPL")]
    [TestCase("B", "BEGIN")]
    [TestCase("ST", "STORE")]
    [TestCase("SP", "SPOOL")]
    [TestCase("SL", "SLEEP")]
    [TestCase("SET", "SET")]
    [TestCase("M", "MSG")]
    [TestCase("ME", "MESSAGE")]
    [TestCase("C", "CLOSE")]
    [TestCase("TERM", "TERMINAL")]
    [TestCase("LOG", "LOGOFF")]
    [TestCase("LOGO", "LOGOFF")]
    [TestCase("L", "LOGON")]
    [TestCase("LINK", "LINK")]
    [TestCase("DEF", "DEFINE")]
    [TestCase("DET", "DETACH")]
    [TestCase("ATT", "ATTACH")]
    public void Commands_are_found_by_their_abbreviations(string word, string name)
        => Assert.That(system.Commands.Find(word)?.Name, Is.EqualTo(name));

    [TestCase("S")]
    [TestCase("SE")]
    [TestCase("DISCONNECT")]
    [TestCase("LIN")]
    [TestCase("TER")]
    [TestCase("QUERYX")]
    public void Too_short_or_too_long_words_name_no_command(string word) => Assert.That(system.Commands.Find(word), Is.Null);

    [Test]
    public void An_unknown_command_and_a_command_outside_the_users_classes_get_the_same_answer()
    {
        var (s, t) = LogOn("CMSUSER", "cmsuser");
        Assert.That(system.Execute(s, "FROB 1 2"), Is.EqualTo(1));
        Assert.That(system.Execute(s, "ATTACH 190 TO CMSUSER AS 190"), Is.EqualTo(1), "ATTACH is class B; CMSUSER has G");
        Assert.That(t.Lines, Is.EqualTo(new[] { "DMKCFM001E ?CP: FROB", "DMKCFM001E ?CP: ATTACH" }));
        Assert.That(devices.Calls, Does.Not.Contain("attach 190 TO CMSUSER AS 190"));
        var (op, _) = LogOn("OPERATOR", "OPERATOR");
        Assert.That(system.Execute(op, "ATT 190 TO CMSUSER AS 190"), Is.Zero);
        Assert.That(devices.Calls, Does.Contain("attach 190 TO CMSUSER AS 190"));
    }

    [Test]
    public void Before_LOGON_only_LOGON_and_MSG_are_known()
    {
        var t = new CapturingTerminal();
        var s = new CpSession(t);
        Assert.That(system.Execute(s, "QUERY TIME"), Is.EqualTo(1));
        Assert.That(system.Execute(s, "LOGON NOBODY X"), Is.EqualTo(53));
        Assert.That(system.Execute(s, "LOGON CMSUSER WRONG"), Is.EqualTo(50));
        Assert.That(system.Execute(s, "LOGON"), Is.EqualTo(20));
        Assert.That(t.Lines, Is.EqualTo(new[]
        {
            "DMKCFM001E ?CP: QUERY", "DMKLOG053E NOBODY NOT IN CP DIRECTORY",
            "DMKLOG050E PASSWORD INCORRECT - REINITIATE LOGON PROCEDURE", "DMKLOG020E USERID MISSING OR INVALID",
        }));
        Assert.That(system.Execute(s, "L CMSUSER CMSUSER"), Is.Zero);
        Assert.That(t.Lines[^1], Is.EqualTo("LOGON AT 21:03:44 UTC THURSDAY 09/30/10"));
        Assert.That(s.PrivilegeClasses, Is.EqualTo("G"));
        Assert.That(s.Machine, Is.Not.Null);
    }

    [Test]
    public void LOGON_NOIPL_tells_the_IO_layer_to_skip_the_directory_IPL()
    {
        LogOn("CMSUSER", "CMSUSER");
        var s = new CpSession(new CapturingTerminal());
        Assert.That(system.Execute(s, "LOGIN MAINT CPCMS NOIPL"), Is.Zero);
        Assert.That(devices.Calls, Is.EqualTo(new[] { "create CMSUSER True", "create MAINT False" }));
        Assert.That(system.Execute(new CpSession(new CapturingTerminal()), "LOGON OPERATOR OPERATOR FAST"), Is.EqualTo(3));
    }

    [Test]
    public void LOGOFF_reports_connect_time_and_releases_the_user()
    {
        var (s, t) = LogOn("CMSUSER", "CMSUSER");
        clock.Now += TimeSpan.FromSeconds(3725);
        Assert.That(system.Execute(s, "LOG"), Is.Zero);
        Assert.That(t.Lines, Is.EqualTo(new[] { "CONNECT= 01:02:05 VIRTCPU= 000:00.00 TOTCPU= 000:00.00", "LOGOFF AT 22:05:49 UTC THURSDAY 09/30/10" }));
        Assert.That(devices.Calls, Does.Contain("destroy CMSUSER"));
        Assert.That(system.Find("CMSUSER"), Is.Null);
        Assert.That(s.LoggedOn, Is.False);
    }

    [Test]
    public void QUERY_TIME_USERID_STORAGE_and_NAMES()
    {
        var (s, t) = LogOn("CMSUSER", "CMSUSER");
        LogOn("MAINT", "CPCMS");
        system.Execute(s, "Q TIME");
        system.Execute(s, "QUERY USERID");
        system.Execute(s, "Q STORAGE");
        system.Execute(s, "Q V STOR");
        system.Execute(s, "Q NAMES");
        Assert.That(t.Lines, Is.EqualTo(new[]
        {
            "TIME IS 21:03:44 UTC THURSDAY 09/30/10",
            "CONNECT= 00:00:00 VIRTCPU= 000:00.00 TOTCPU= 000:00.00",
            "CMSUSER AT JIT360",
            "STORAGE = 01024K",
            "STORAGE = 01024K",
            "CMSUSER  - CON , MAINT    - CON",
        }));
        Assert.That(system.Execute(s, "Q DASD"), Is.Zero);
        Assert.That(devices.Calls, Does.Contain("query dasd"));
        Assert.That(system.Execute(s, "Q BOGUS"), Is.EqualTo(3));
        Assert.That(t.Lines[^1], Is.EqualTo("DMKCFC003E INVALID OPTION - BOGUS"));
    }

    [Test]
    public void DISPLAY_shows_registers_PSW_storage_and_keys()
    {
        var (s, t) = LogOn("CMSUSER", "CMSUSER");
        var vm = s.Machine!;
        for (int i = 0; i < 16; i++) vm.Cpu.Gpr[i] = (uint)(0x1111_1111 * (i & 0xF));
        vm.LoadVirtualPsw(0x000400CA_80020128UL);
        vm.Cpu.Storage.Load(0x200, Ebcdic.FromString("CMS VERSION 6.0 - 09/30/10 21:03"));
        vm.Cpu.Storage.SetKey(0x800, 0xF6);
        system.Execute(s, "D G");
        system.Execute(s, "D G5");
        system.Execute(s, "D PSW");
        system.Execute(s, "D L202.8");
        system.Execute(s, "D T200-21F");
        system.Execute(s, "D K0-FFF");
        Assert.That(t.Lines, Is.EqualTo(new[]
        {
            "GPR  0 = 00000000 11111111 22222222 33333333",
            "GPR  4 = 44444444 55555555 66666666 77777777",
            "GPR  8 = 88888888 99999999 AAAAAAAA BBBBBBBB",
            "GPR 12 = CCCCCCCC DDDDDDDD EEEEEEEE FFFFFFFF",
            "GPR  5 = 55555555",
            "PSW = 00040000 00020128",
            "000200  C3D4E240 E5C5D9E2 C9D6D540",
            "000200  C3D4E240 E5C5D9E2 C9D6D540 F64BF040  *CMS VERSION 6.0 *",
            "000210  6040F0F9 61F3F061 F1F040F2 F17AF0F3  *- 09/30/10 21:03*",
            "KEY 000000-0007FF = 00",
            "KEY 000800-000FFF = F6",
        }));
    }

    [Test]
    public void DISPLAY_past_the_end_of_storage_shows_what_exists_then_an_error()
    {
        var (s, t) = LogOn("CMSUSER", "CMSUSER");
        Assert.That(system.Execute(s, "D FFFFC-10000F"), Is.EqualTo(160));
        Assert.That(t.Lines, Is.EqualTo(new[] { "0FFFFC  00000000", "DMKCDB160E HEXLOC 100000 EXCEEDS STORAGE" }));
        Assert.That(system.Execute(s, "D G16"), Is.EqualTo(10));
        Assert.That(system.Execute(s, "D ZZZ"), Is.EqualTo(4));
    }

    [Test]
    public void STORE_changes_registers_storage_and_the_PSW()
    {
        var (s, t) = LogOn("CMSUSER", "CMSUSER");
        var vm = s.Machine!;
        Assert.That(system.Execute(s, "STORE G3 1 ABCDEF12"), Is.Zero);
        Assert.That(system.Execute(s, "ST 1002 C1C2C3C4 5"), Is.Zero);
        Assert.That(system.Execute(s, "ST X0 800000E0"), Is.Zero);
        Assert.That(system.Execute(s, "ST Y2 41100000"), Is.Zero);
        Assert.That(system.Execute(s, "ST PSW 00010000 00002000"), Is.Zero);
        Assert.That(system.Execute(s, "ST 2000 123456789A"), Is.Zero);
        Assert.That(system.Execute(s, "ST S2011 D1D2D3"), Is.Zero);
        Assert.That(vm.Cpu.Storage.ReadDoublewordAbsolute(0x2000), Is.EqualTo(0x0000_0012_3456_789AUL), "more than 8 digits fill two words");
        Assert.That(vm.Cpu.Storage.ReadWordAbsolute(0x2010), Is.EqualTo(0x00D1_D2D3u), "S stores bytes unaligned");
        Assert.That((vm.Cpu.Gpr[3], vm.Cpu.Gpr[4]), Is.EqualTo((1u, 0xABCDEF12u)));
        Assert.That(vm.Cpu.Storage.ReadWordAbsolute(0x1000), Is.EqualTo(0xC1C2C3C4u), "rounded down to a fullword");
        Assert.That(vm.Cpu.Storage.ReadWordAbsolute(0x1004), Is.EqualTo(5u));
        Assert.That(vm.Cpu.Cr[0], Is.EqualTo(0x8000_00E0u));
        Assert.That(vm.Cpu.Fpr[2], Is.EqualTo(0x4110_0000_0000_0000UL));
        Assert.That(vm.VirtualPsw, Is.EqualTo(0x0001_0000_0000_2000UL));
        Assert.That(vm.VirtualProblem, Is.True);
        Assert.That(vm.Cpu.Problem, Is.True);
        Assert.That(system.Execute(s, "ST G3 XYZ"), Is.EqualTo(5));
        Assert.That(t.Lines, Is.EqualTo(new[] { "DMKCFC005E INVALID HEXDATA - XYZ" }));
    }

    [Test]
    public void SET_EMSG_changes_how_errors_look()
    {
        var (s, t) = LogOn("CMSUSER", "CMSUSER");
        system.Execute(s, "SET EMSG CODE"); system.Execute(s, "FROB");
        system.Execute(s, "SET EMSG TEXT"); system.Execute(s, "FROB");
        system.Execute(s, "SET EMSG OFF"); system.Execute(s, "FROB");
        Assert.That(t.Lines, Is.EqualTo(new[] { "DMKCFM001E", "?CP: FROB" }));
        Assert.That(system.Execute(s, "SET EMSG MAYBE"), Is.EqualTo(3));
    }

    [Test]
    public void SET_PF_keys()
    {
        var (s, _) = LogOn("CMSUSER", "CMSUSER");
        system.Execute(s, "SET PF3 DELAYED QUERY  TIME");
        system.Execute(s, "SET PF12 LOGOFF");
        Assert.That(s.PfKeys[3], Is.EqualTo(("QUERY  TIME", false)));
        Assert.That(s.PfKeys[12], Is.EqualTo(("LOGOFF", true)));
        system.Execute(s, "SET PF3");
        Assert.That(s.PfKeys.ContainsKey(3), Is.False);
        Assert.That(system.Execute(s, "SET PF25 X"), Is.EqualTo(3));
    }

    [Test]
    public void MSG_reaches_another_logged_on_user()
    {
        var (a, ta) = LogOn("CMSUSER", "CMSUSER");
        var (b, tb) = LogOn("MAINT", "CPCMS");
        Assert.That(system.Execute(a, "M MAINT hello  there"), Is.Zero);
        Assert.That(tb.Lines, Is.EqualTo(new[] { "MSG FROM CMSUSER: hello  there" }));
        Assert.That(system.Execute(a, "MSG OP hi"), Is.EqualTo(45), "OP is the primary operator, not logged on");
        system.Execute(b, "SET MSG OFF");
        Assert.That(system.Execute(a, "MSG MAINT hi"), Is.EqualTo(57));
        Assert.That(ta.Lines, Is.EqualTo(new[] { "DMKMSG045E OPERATOR NOT LOGGED ON", "DMKMSG057W MAINT NOT RECEIVING; MESSAGES OFF" }));
    }

    [Test]
    public void SLEEP_BEGIN_and_TERMINAL_change_the_session()
    {
        var (s, _) = LogOn("CMSUSER", "CMSUSER");
        system.Execute(s, "SL 2");
        Assert.That(s.State, Is.EqualTo(SessionState.Sleeping));
        Assert.That(s.SleepUntil, Is.EqualTo(clock.Now.AddMinutes(2)), "minutes when no unit is given");
        system.Execute(s, "SLEEP 30 SEC");
        Assert.That(s.SleepUntil, Is.EqualTo(clock.Now.AddSeconds(30)));
        Assert.That(system.Execute(s, "SLEEP 100"), Is.EqualTo(26), "nn is 00-99");
        s.Machine!.LoadVirtualPsw(0x000400CA_80020128UL);
        system.Execute(s, "B 20000");
        Assert.That(s.State, Is.EqualTo(SessionState.Running));
        Assert.That(s.Machine.VirtualPsw, Is.EqualTo(0x00040000_00020000UL));
        Assert.That(system.Execute(s, "TERM LINEND OFF MODE CP LINESIZE 80"), Is.Zero);
        Assert.That((s.TerminalSettings.LineEnd, s.TerminalSettings.ModeCp, s.TerminalSettings.LineSize), Is.EqualTo(((char?)null, true, 80)));
        Assert.That(system.Execute(s, "TERM LINEND"), Is.EqualTo(26));
        Assert.That(system.Execute(s, "TERM COLOR RED"), Is.EqualTo(3));
    }

    [Test]
    public void IPL_and_LINK_are_parsed_by_CP_and_carried_out_by_the_IO_layer()
    {
        var (s, _) = LogOn("CMSUSER", "CMSUSER");
        Assert.That(system.Execute(s, "I CMS PARM AUTOCR  X"), Is.Zero);
        Assert.That(system.Execute(s, "LINK TO MAINT 19D AS 19E RR"), Is.Zero);
        Assert.That(system.Execute(s, "LINK * 191 291 W PASS= SECRET"), Is.Zero);
        Assert.That(devices.Calls, Is.SupersetOf(new[] { "ipl CMS AUTOCR  X False", "link MAINT 19D 19E RR ", "link CMSUSER 191 291 W SECRET" }));
        Assert.That(system.Execute(s, "IPL 190 CLEAR"), Is.Zero);
        Assert.That(devices.Calls[^1], Is.EqualTo("ipl 190  True"));
    }

    [Test]
    public void Without_an_IO_layer_device_commands_say_so()
    {
        var bare = new CpSystem(DirectoryParser.Parse(SampleDirectory.Text), devices: null, clock);
        var t = new CapturingTerminal();
        var s = new CpSession(t);
        Assert.That(bare.Execute(s, "LOGON CMSUSER CMSUSER"), Is.EqualTo(-1));
        Assert.That(t.Lines, Is.EqualTo(new[] { "LOGON needs the I/O layer, which this CP does not have" }));
        Assert.That(s.LoggedOn, Is.False);
    }

    [Test]
    public void Every_message_id_has_the_DMK_form()
    {
        foreach (var m in CpMessages.All)
            Assert.That(m.Id, Does.Match("^DMK[A-Z]{3}[0-9]{3}[IWEA]$"), m.ToString());
        Assert.That(CpMessages.DisabledWait.Format(EmsgMode.On, "00020000 00000AAA"), Is.EqualTo("DMKDSP450W CP ENTERED; DISABLED WAIT PSW '00020000 00000AAA'"));
    }
}
