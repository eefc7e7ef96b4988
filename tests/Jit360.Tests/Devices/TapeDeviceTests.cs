using Jit360.Machine.Channels;
using Jit360.Machine.Devices.Tape;
using Jit360.Machine.Media;
using Jit360.Tests.Support;

namespace Jit360.Tests.Devices;

public class TapeDeviceTests
{
    const UnitStatus Normal = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd;
    const UnitStatus Check = Normal | UnitStatus.UnitCheck;
    string dir = "";

    [SetUp] public void MakeDir() => dir = Directory.CreateTempSubdirectory("jit360-tape-").FullName;
    [TearDown] public void RemoveDir() => Directory.Delete(dir, true);

    TapeDevice Drive(string type = "3420", params string[] args)
    {
        var list = args.Length == 0 ? new[] { "t.aws" } : args;
        return (TapeDevice)DeviceCatalog.Create(0x580, type, list, new DeviceContext(dir));
    }

    [Test]
    public void Ipl_read_of_dmkddr_gives_the_psw_and_first_ccw()
    {
        using var d = (TapeDevice)DeviceCatalog.Create(0x580, "3420", [Shared.Require("guests/tapes/dmkddr.aws"), "ro"], new DeviceContext(dir));
        var ch = new CcwDriver(d);
        var r = ch.Run(0x02, 0, 24, Ccw.CC | Ccw.SLI);
        Assert.That(r.Unit, Is.EqualTo(Normal));
        Assert.That(r.Channel, Is.EqualTo(ChannelStatus.None));
        Assert.That(Convert.ToHexString(ch.Get(0, 16)), Is.EqualTo("0004000000009E0002009E0060000050"));
        // the rest of the block was not taken: without SLI that is incorrect length
        var r2 = ch.Run(0x02, 0x100, 24);
        Assert.That(r2.Channel, Is.EqualTo(ChannelStatus.IncorrectLength));
        var r3 = ch.Run(0x02, 0x100, 100);
        Assert.That((r3.Channel, r3.Residual), Is.EqualTo((ChannelStatus.IncorrectLength, 20)));
    }

    [Test]
    public void Write_tapemark_rewind_read_as_a_channel_program()
    {
        using var d = Drive();
        var ch = new CcwDriver(d);
        ch.Put(0x100, 1, 2, 3, 4, 5, 6);
        ch.Put(0x200, 9, 8, 7);
        var w = ch.Run(new Ccw(0x01, 0x100, Ccw.CC, 6), new Ccw(0x1F, 0, Ccw.CC, 1), new Ccw(0x01, 0x200, Ccw.CC, 3),
                       new Ccw(0x1F, 0, Ccw.CC, 1), new Ccw(0x07, 0, 0, 1));
        Assert.That((w.Unit, w.Executed), Is.EqualTo((Normal, 5)));
        Assert.That(d.Tape!.AtLoadPoint);

        Assert.That(ch.Run(0x02, 0x300, 6).Unit, Is.EqualTo(Normal));
        Assert.That(ch.Get(0x300, 6), Is.EqualTo(new byte[] { 1, 2, 3, 4, 5, 6 }));
        var tm = ch.Run(0x02, 0x300, 6, Ccw.SLI);
        Assert.That(tm.Unit, Is.EqualTo(Normal | UnitStatus.UnitException), "reading a tape mark");
        Assert.That(ch.Run(0x02, 0x300, 3).Unit, Is.EqualTo(Normal));
        Assert.That(ch.Run(0x02, 0x300, 3, Ccw.SLI).Unit, Is.EqualTo(Normal | UnitStatus.UnitException));
        var end = ch.Run(0x02, 0x300, 3);
        Assert.That(end.Unit, Is.EqualTo(Check), "reading past the end of data");
        var s = ch.Sense();
        Assert.That(s, Has.Length.EqualTo(24));
        Assert.That(s[0], Is.EqualTo(Sense0.EquipmentCheck));
        Assert.That(s[1] & TapeSense.StatusA, Is.Not.Zero);

        // read backward: the block lands at descending addresses ending at the CCW's address
        Assert.That(ch.Run(0x27, 0, 1).Unit, Is.EqualTo(Normal | UnitStatus.UnitException), "backspace over the last tape mark");
        var rb = ch.Run(0x0C, 0x405, 3);
        Assert.That(rb.Unit, Is.EqualTo(Normal));
        Assert.That(ch.Get(0x403, 3), Is.EqualTo(new byte[] { 9, 8, 7 }));
        Assert.That(ch.Run(0x2F, 0, 1).Unit, Is.EqualTo(Normal), "backspace file");
        Assert.That(d.Tape.Position, Is.EqualTo(1));
        Assert.That(ch.Run(0x3F, 0, 1).Unit, Is.EqualTo(Normal), "forward space file");
        Assert.That(ch.Run(0x37, 0, 1).Unit, Is.EqualTo(Normal), "forward space block");
        Assert.That(ch.Run(0x37, 0, 1).Unit, Is.EqualTo(Normal | UnitStatus.UnitException));
    }

    [Test]
    public void Backspace_at_load_point_is_unit_check_with_the_load_point_bit()
    {
        using var d = Drive();
        var ch = new CcwDriver(d);
        Assert.That(ch.Run(0x27, 0, 1).Unit, Is.EqualTo(Check));
        var s = ch.Sense();
        Assert.That(s[0], Is.Zero);
        Assert.That(s[1] & TapeSense.LoadPoint, Is.Not.Zero);
        Assert.That(ch.Run(0x0C, 0x100, 10).Unit, Is.EqualTo(Check), "read backward at load point");
        Assert.That(ch.Run(0x2F, 0, 1).Unit, Is.EqualTo(Check), "backspace file at load point");
    }

    [Test]
    public void Data_chaining_splits_a_read_and_joins_a_write()
    {
        using var d = Drive();
        var ch = new CcwDriver(d);
        ch.Put(0x100, 1, 2, 3);
        ch.Put(0x200, 4, 5);
        var w = ch.Run(new Ccw(0x01, 0x100, Ccw.CD, 3), new Ccw(0x01, 0x200, 0, 2));
        Assert.That((w.Unit, w.Channel), Is.EqualTo((Normal, ChannelStatus.None)));
        Assert.That(d.Tape!.Blocks.Single().Length, Is.EqualTo(5));
        ch.Run(0x07, 0, 1);
        var r = ch.Run(new Ccw(0x02, 0x300, Ccw.CD, 2), new Ccw(0x02, 0x400, 0, 3));
        Assert.That((r.Unit, r.Channel, r.Executed), Is.EqualTo((Normal, ChannelStatus.None, 2)));
        Assert.That(ch.Get(0x300, 2).Concat(ch.Get(0x400, 3)), Is.EqualTo(new byte[] { 1, 2, 3, 4, 5 }));
    }

    [Test]
    public void A_read_only_tape_refuses_writes_with_file_protect()
    {
        string path = Path.Combine(dir, "ro.aws");
        using (var t = AwsTape.Create(path)) t.Write([1]);
        using var d = Drive("3420", "ro.aws", "ro");
        var ch = new CcwDriver(d);
        Assert.That(ch.Run(0x01, 0, 1).Unit, Is.EqualTo(Check));
        var s = ch.Sense();
        Assert.That(s[0], Is.EqualTo(Sense0.CommandReject));
        Assert.That(s[1] & TapeSense.FileProtected, Is.Not.Zero);
        Assert.That(ch.Run(0x1F, 0, 1).Unit, Is.EqualTo(Check));
        Assert.That(new FileInfo(path).Length, Is.EqualTo(7));
    }

    [Test]
    public void No_tape_mounted_is_intervention_required()
    {
        using var d = Drive("3420", "*");
        var ch = new CcwDriver(d);
        Assert.That(ch.Run(0x02, 0, 80).Unit, Is.EqualTo(UnitStatus.UnitCheck));
        var s = ch.Sense();
        Assert.That(s[0], Is.EqualTo(Sense0.InterventionRequired));
        Assert.That(s[1] & TapeSense.StatusB, Is.Not.Zero);
        Assert.That(d.Describe(), Does.Contain("no tape"));
    }

    [Test]
    public void Rewind_unload_leaves_the_drive_not_ready()
    {
        using var d = Drive();
        var ch = new CcwDriver(d);
        Assert.That(ch.Run(0x0F, 0, 1).Unit & UnitStatus.UnitCheck, Is.Not.Zero);
        Assert.That(d.Loaded, Is.False);
        Assert.That(ch.Run(0x07, 0, 1).Unit, Is.EqualTo(UnitStatus.UnitCheck));
        Assert.That(ch.Sense()[0], Is.EqualTo(Sense0.InterventionRequired));
        d.Mount(Path.Combine(dir, "t.aws"), readOnly: false);
        Assert.That(ch.Run(0x07, 0, 1).Unit, Is.EqualTo(Normal));
    }

    [TestCase("3420", 24)]
    [TestCase("3410", 9)]
    [TestCase("2400", 6)]
    public void Sense_length_and_unsupported_commands(string type, int length)
    {
        using var d = Drive(type);
        var ch = new CcwDriver(d);
        Assert.That(ch.Sense(32), Has.Length.EqualTo(length));
        Assert.That(ch.Run(0xE4, 0, 7).Unit, Is.EqualTo(UnitStatus.UnitCheck), "no SENSE ID on these control units");
        Assert.That(ch.Sense(32)[0], Is.EqualTo(Sense0.CommandReject));
        Assert.That(ch.Run(0xCB, 0, 1).Unit, Is.EqualTo(Normal), "mode set");
        Assert.That(ch.Run(0x03, 0, 1).Unit, Is.EqualTo(Normal), "no-op");
    }

    [Test]
    public void A_corrupt_tape_is_refused_at_attach()
    {
        File.WriteAllBytes(Path.Combine(dir, "bad.aws"), [5, 0, 0, 0, 0xA0, 0, 1]);
        var e = Assert.Throws<DeviceConfigException>(() => Drive("3420", "bad.aws"))!;
        Assert.That(e.Message, Does.Contain("bad.aws").And.Contain("offset 0"));
        Assert.Throws<DeviceConfigException>(() => Drive("3420", "t.aws", "bogus"));
    }

    [Test]
    public void A_block_damaged_after_mount_reads_as_unit_check_data_check()
    {
        string path = Path.Combine(dir, "t.aws");
        using (var t = AwsTape.Create(path)) { t.Write(new byte[40]); t.Write(new byte[40]); }
        using var d = Drive();
        using (var w = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)) w.SetLength(60);
        var ch = new CcwDriver(d);
        Assert.That(ch.Run(0x02, 0, 40).Unit, Is.EqualTo(Normal));
        Assert.That(ch.Run(0x02, 0, 40).Unit, Is.EqualTo(Check));
        Assert.That(ch.Sense()[0], Is.EqualTo(Sense0.DataCheck));
    }
}
