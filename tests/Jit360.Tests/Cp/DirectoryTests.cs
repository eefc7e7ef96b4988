using Jit360.Cp.Directory;

namespace Jit360.Tests.Cp;

public class DirectoryTests
{
    [Test]
    public void The_sample_directory_defines_CMSUSER_with_its_five_minidisks()
    {
        var dir = DirectoryParser.Parse(SampleDirectory.Text, "SAMPLE DIRECT");
        Assert.That(dir.Warnings, Is.Empty);
        Assert.That(dir.Volume, Is.EqualTo(new DirectoryVolume(0x6A1, "3350", "VM50-1")));
        Assert.That(dir.Users.Select(u => u.UserId), Is.EqualTo(new[] { "OPERATOR", "MAINT", "GCCCMS", "CMSUSER" }));
        var u = dir.Find("cmsuser")!;
        Assert.That(u.Password, Is.EqualTo("CMSUSER"));
        Assert.That(u.Storage, Is.EqualTo(15u << 20));
        Assert.That(u.MaxStorage, Is.EqualTo(16u << 20));
        Assert.That(u.PrivilegeClasses, Is.EqualTo("G"));
        Assert.That(u.Ipl, Is.EqualTo(new IplDefinition("CMS", "AUTOCR")));
        Assert.That(u.Ipl!.Address, Is.Null, "CMS is a saved-system name, not a device");
        Assert.That(u.Console, Is.EqualTo(new ConsoleDefinition(0x009, "3215", null)));
        Assert.That(u.Spool.Select(s => (s.Address, s.Function)), Is.EqualTo(new[]
            { ((ushort)0x00C, SpoolFunction.Reader), ((ushort)0x00D, SpoolFunction.Punch), ((ushort)0x00E, SpoolFunction.Printer) }));
        Assert.That(u.Links, Has.Count.EqualTo(3));
        Assert.That(u.Links[0], Is.EqualTo(new LinkDefinition("MAINT", 0x19D, 0x19D, MinidiskMode.RR)));
        Assert.That(u.Minidisks.Select(m => m.Volser), Is.EqualTo(new[] { "CMS191", "CMS192", "CMS193", "CMS194", "DSK195" }));
        var d195 = u.Minidisk(0x195)!;
        Assert.That((d195.DeviceType, d195.StartCylinder, d195.Cylinders, d195.Mode), Is.EqualTo(("3350", 0, 94, MinidiskMode.MR)));
        Assert.That((d195.ReadPassword, d195.WritePassword, d195.MultiPassword), Is.EqualTo(("ALL", "WRITE", "MULT")));
        Assert.That(d195.Line, Is.EqualTo(35));
        Assert.That(dir.Find("OPERATOR")!.HasClass('a'), Is.True);
        Assert.That(dir.Find("NOBODY"), Is.Null);
    }

    [Test]
    public void Columns_72_to_80_are_not_read()
    {
        // "XYZ" in columns 73-75 would be a fourth operand of CONSOLE if it were read.
        var text = "USER A B 1M 1M G\n" + " CONSOLE 009 3215".PadRight(72) + "XYZ\n";
        Assert.That(DirectoryParser.Parse(text).Find("A")!.Console!.DeviceType, Is.EqualTo("3215"));
    }

    [Test]
    public void Options_are_kept_as_flags_with_the_CPUID_value()
    {
        var u = DirectoryParser.Parse("USER A B 1M 2M BG 10\n OPTION ECMODE REALTIMER CPUID 000611 SVCOFF\n SPECIAL 0FF TIMER\n").Find("A")!;
        Assert.That(u.Options, Is.EqualTo(DirectoryOptions.EcMode | DirectoryOptions.RealTimer | DirectoryOptions.CpuId | DirectoryOptions.SvcOff));
        Assert.That(u.CpuId, Is.EqualTo("000611"));
        Assert.That(u.Priority, Is.EqualTo(10));
        Assert.That(u.Specials, Is.EqualTo(new[] { new SpecialDefinition(0x0FF, "TIMER") }));
    }

    [Test]
    public void A_NOLOG_user_needs_no_storage()
    {
        var u = DirectoryParser.Parse("USER $ALLOC$ NOLOG\n MDISK 101 3350 000 001 VM50-1 R\n").Find("$ALLOC$")!;
        Assert.That(u.NoLog, Is.True);
        Assert.That(u.Minidisks.Single().Mode, Is.EqualTo(MinidiskMode.R));
    }

    [TestCase("FOO BAR", 1, "unknown statement FOO")]
    [TestCase(" CONSOLE 009 3215", 1, "before the first USER")]
    [TestCase("USER A B 1M 1M\nUSER A C 1M 1M", 2, "duplicate user A (first defined at line 2)")]
    [TestCase("USER A B 1M 1M\n CONSOLE 0G9 3215", 2, "bad device address 0G9")]
    [TestCase("USER A B 1M 1M\n CONSOLE 1009 3215", 2, "bad device address 1009")]
    [TestCase("USER A B 1Q 1M", 1, "bad size 1Q")]
    [TestCase("USER A B 17M 17M", 1, "bad size 17M")]
    [TestCase("USER A B 2M 1M", 1, "maximum storage 1M is less")]
    [TestCase("USER A B 1M 1M\n MDISK 191 3350 0 10 VOL001 X", 2, "bad mode X")]
    [TestCase("USER A B 1M 1M\n LINK C 191 191 RW", 2, "bad mode RW")]
    [TestCase("USER A B 1M 1M\n MDISK 191 3350 550 20 VOL001 W", 2, "beyond the 560 cylinders of a 3350")]
    [TestCase("USER A B 1M 1M\n MDISK 191 9999 0 10 VOL001 W", 2, "bad device type 9999")]
    [TestCase("USER A B 1M 1M\n CONSOLE 009 3215\n MDISK 009 3350 0 1 V W", 3, "device address 009 is defined twice")]
    [TestCase("USER A B 1M 1M\n OPTION FASTER", 2, "unknown OPTION FASTER")]
    [TestCase("USER A B 1M 1M X", 1, "bad privilege classes X")]
    [TestCase("USER A B 1M 1M\n SPOOL 00C 2540 A", 2, "a 2540 needs READER or PUNCH")]
    public void Errors_name_the_line_and_the_problem(string text, int line, string message)
    {
        var ex = Assert.Throws<DirectoryException>(() => DirectoryParser.Parse("* comment\n" + text, "TEST DIRECT"))!;
        Assert.That(ex.Errors, Has.Count.EqualTo(1), ex.Message);
        Assert.That(ex.Errors[0].Line, Is.EqualTo(line + 1));
        Assert.That(ex.Errors[0].ToString(), Does.StartWith($"TEST DIRECT:{line + 1}: error: ").And.Contain(message));
    }

    [Test]
    public void Every_error_is_reported_at_once()
    {
        var ex = Assert.Throws<DirectoryException>(() => DirectoryParser.Parse("USER A B 1M 1M\n CONSOLE XYZZ 3215\n BOGUS\n"))!;
        Assert.That(ex.Errors.Select(e => e.Line), Is.EqualTo(new[] { 2, 3 }));
    }

    [Test]
    public void Overlapping_minidisks_on_one_volume_are_a_warning()
    {
        var dir = DirectoryParser.Parse("USER A B 1M 1M\n MDISK 191 3350 10 20 VOL001 W\nUSER C D 1M 1M\n MDISK 191 3350 29 5 VOL001 W\n MDISK 192 3350 29 5 VOL002 W\n", "T");
        Assert.That(dir.Warnings, Has.Count.EqualTo(1));
        Assert.That(dir.Warnings[0].ToString(), Is.EqualTo("T:4: warning: MDISK C 191 (cylinders 29-33 of VOL001) overlaps A 191 (cylinders 10-29, line 2)"));
    }
}
