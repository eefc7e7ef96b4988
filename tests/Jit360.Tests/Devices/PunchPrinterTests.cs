using System.Text;
using Jit360.Architecture;
using Jit360.Machine.Channels;
using Jit360.Machine.Devices.UnitRecord;

namespace Jit360.Tests.Devices;

public class PunchPrinterTests
{
    const UnitStatus Normal = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd;
    string dir = "";

    [SetUp] public void MakeDir() => dir = Directory.CreateTempSubdirectory("jit360-ur-").FullName;
    [TearDown] public void RemoveDir() => Directory.Delete(dir, true);

    IDevice Make(string type, params string[] args) => DeviceCatalog.Create(0x00D, type, args, new DeviceContext(dir));

    [Test]
    public void Ebcdic_punch_writes_80_byte_blank_padded_cards()
    {
        using (var p = Make("3525", "p.ebc"))
        {
            var ch = new CcwDriver(p);
            ch.Put(0x100, Ebcdic.FromString("HELLO"));
            Assert.That(ch.Run(0x01, 0x100, 5, Ccw.SLI).Unit, Is.EqualTo(Normal));
            Assert.That(ch.Run(0x41, 0x100, 5).Unit, Is.EqualTo(Normal), "stacker select 2");
        }
        var bytes = File.ReadAllBytes(Path.Combine(dir, "p.ebc"));
        Assert.That(bytes, Has.Length.EqualTo(160));
        Assert.That(Ebcdic.ToString(bytes.AsSpan(0, 80)), Is.EqualTo("HELLO".PadRight(80)));
    }

    [Test]
    public void Ascii_punch_strips_trailing_blanks_and_appends_with_noclear()
    {
        string path = Path.Combine(dir, "p.txt");
        File.WriteAllText(path, "OLD\n");
        using (var p = Make("2540P", "p.txt", "ascii", "crlf", "noclear"))
        {
            var ch = new CcwDriver(p);
            ch.Put(0x100, Ebcdic.FromString("CARD 1    "));
            ch.Put(0x200, Ebcdic.FromString("ONE-"));
            ch.Put(0x300, Ebcdic.FromString("TWO"));
            ch.Run(0x01, 0x100, 10);
            var c = ch.Run(new Ccw(0x01, 0x200, Ccw.CD, 4), new Ccw(0x01, 0x300, 0, 3));
            Assert.That(c.Unit, Is.EqualTo(Normal));
        }
        Assert.That(File.ReadAllText(path), Is.EqualTo("OLD\nCARD 1\r\nONE-TWO\r\n"));
    }

    [Test]
    public void Printer_honours_carriage_control()
    {
        string path = Path.Combine(dir, "prt.txt");
        using (var p = Make("1403", "prt.txt"))
        {
            var ch = new CcwDriver(p);
            ch.Put(0x100, Ebcdic.FromString("LINE1   "));
            ch.Put(0x200, Ebcdic.FromString("LINE2"));
            ch.Put(0x300, Ebcdic.FromString("PAGE"));
            ch.Put(0x400, Ebcdic.FromString("X"));
            var r = ch.Run(new Ccw(0x09, 0x100, Ccw.CC, 8),    // write, space 1
                           new Ccw(0x11, 0x200, Ccw.CC, 5),    // write, space 2
                           new Ccw(0x89, 0x300, Ccw.CC, 4),    // write, skip to channel 1
                           new Ccw(0x1B, 0, Ccw.CC, 1),        // space 3 immediately
                           new Ccw(0x01, 0x400, Ccw.CC, 1),    // write, no space
                           new Ccw(0x8B, 0, 0, 1));            // skip to channel 1 immediately
            Assert.That((r.Unit, r.Executed), Is.EqualTo((Normal, 6)));
        }
        Assert.That(File.ReadAllText(path), Is.EqualTo("LINE1\nLINE2\n\nPAGE\f\n\n\nX\r\f"));
    }

    [Test]
    public void Printer_skip_to_channel_12_moves_down_the_carriage_tape()
    {
        string path = Path.Combine(dir, "prt.txt");
        using (var p = Make("1403", "prt.txt", "crlf"))
        {
            var ch = new CcwDriver(p);
            Assert.That(ch.Run(0xE3, 0, 1).Unit, Is.EqualTo(Normal));     // skip to channel 12 (line 61)
            Assert.That(ch.Run(0xE4, 0, 1).Unit & UnitStatus.UnitCheck, Is.Not.Zero);
            Assert.That(ch.Sense(1), Is.EqualTo(new byte[] { Sense0.CommandReject }));
        }
        Assert.That(File.ReadAllText(path), Is.EqualTo(string.Concat(Enumerable.Repeat("\r\n", 60))));
    }

    [Test]
    public void Printer_line_built_by_data_chaining()
    {
        string path = Path.Combine(dir, "prt.txt");
        using (var p = Make("3211", "prt.txt"))
        {
            var ch = new CcwDriver(p);
            ch.Put(0x100, Ebcdic.FromString("ABC"));
            ch.Put(0x200, Ebcdic.FromString("DEF  "));
            var r = ch.Run(new Ccw(0x09, 0x100, Ccw.CD, 3), new Ccw(0x09, 0x200, 0, 5));
            Assert.That((r.Unit, r.Channel, r.Executed), Is.EqualTo((Normal, ChannelStatus.None, 2)));
        }
        Assert.That(File.ReadAllText(path), Is.EqualTo("ABCDEF\n"));
    }
}
