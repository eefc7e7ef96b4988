using Jit360.Architecture;
using Jit360.Machine.Channels;
using Jit360.Machine.Devices.UnitRecord;
using Jit360.Tests.Support;

namespace Jit360.Tests.Devices;

public class CardReaderTests
{
    const UnitStatus Normal = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd;
    string dir = "";

    [SetUp] public void MakeDir() => dir = Directory.CreateTempSubdirectory("jit360-rdr-").FullName;
    [TearDown] public void RemoveDir() => Directory.Delete(dir, true);

    CardReader Reader(params string[] args) => (CardReader)DeviceCatalog.Create(0x00C, "3505", args, new DeviceContext(dir));

    static byte[] Cards(int n) => Enumerable.Range(0, n * 80).Select(i => (byte)(0xC1 + i / 80)).ToArray();

    [Test]
    public void Ebcdic_deck_then_intervention_required_until_more_cards_come()
    {
        File.WriteAllBytes(Path.Combine(dir, "d.ebc"), Cards(2));
        using var r = Reader("d.ebc", "ebcdic");
        var ch = new CcwDriver(r);
        Assert.That(r.CardCount, Is.EqualTo(2));
        Assert.That(ch.Run(0x02, 0x100, 80).Unit, Is.EqualTo(Normal));
        Assert.That(ch.Get(0x100, 80), Is.All.EqualTo(0xC1));
        Assert.That(ch.Run(0x02, 0x100, 80).Unit, Is.EqualTo(Normal));
        Assert.That(ch.Get(0x100, 80), Is.All.EqualTo(0xC2));
        Assert.That(ch.Run(0x02, 0x100, 80).Unit, Is.EqualTo(Normal | UnitStatus.UnitCheck));
        var s = ch.Sense(4);
        Assert.That(s, Is.EqualTo(new byte[] { Sense0.InterventionRequired, CardReader.RetryAfterIntervention, 0, 0 }));
        r.Load("more", Cards(1));
        Assert.That(ch.Run(0x02, 0x100, 80).Unit, Is.EqualTo(Normal));
        Assert.That(r.CardCount, Is.Zero);
    }

    [Test]
    public void Eof_option_gives_unit_exception_at_the_end_of_the_deck()
    {
        File.WriteAllBytes(Path.Combine(dir, "d.ebc"), Cards(1));
        using var r = Reader("d.ebc", "ebcdic", "eof");
        var ch = new CcwDriver(r);
        Assert.That(ch.Run(0x02, 0, 80).Unit, Is.EqualTo(Normal));
        Assert.That(ch.Run(0x02, 0, 80, Ccw.SLI).Unit, Is.EqualTo(Normal | UnitStatus.UnitException));
    }

    [Test]
    public void Ascii_lines_become_blank_padded_ebcdic_cards()
    {
        File.WriteAllText(Path.Combine(dir, "d.txt"), "HELLO, world\r\n\tX\n\nLAST");
        using var r = Reader("d.txt", "ascii", "eof");
        var ch = new CcwDriver(r);
        Assert.That(r.CardCount, Is.EqualTo(4));
        ch.Run(0x02, 0, 80);
        Assert.That(Ebcdic.ToString(ch.Get(0, 80)), Is.EqualTo("HELLO, world".PadRight(80)));
        ch.Run(0x02, 0, 80);
        Assert.That(Ebcdic.ToString(ch.Get(0, 80)), Is.EqualTo("        X".PadRight(80)), "a tab goes to column 9");
        ch.Run(0x02, 0, 80);
        Assert.That(ch.Get(0, 80), Is.All.EqualTo(Ebcdic.Blank));
        ch.Run(0x02, 0, 80);
        Assert.That(Ebcdic.ToString(ch.Get(0, 4)), Is.EqualTo("LAST"));
    }

    [Test]
    public void A_long_ascii_line_is_refused_unless_trunc()
    {
        File.WriteAllText(Path.Combine(dir, "d.txt"), "short\n" + new string('A', 90) + "\n");
        var e = Assert.Throws<DeviceConfigException>(() => Reader("d.txt", "ascii"))!;
        Assert.That(e.Message, Does.Contain("d.txt").And.Contain("line 2"));
        using var r = Reader("d.txt", "ascii", "trunc");
        var ch = new CcwDriver(r);
        ch.Run(0x02, 0, 80);
        ch.Run(0x02, 0, 80);
        Assert.That(Ebcdic.ToString(ch.Get(0, 80)), Is.EqualTo(new string('A', 80)));
    }

    [Test]
    public void A_short_ebcdic_card_is_refused_unless_autopad()
    {
        File.WriteAllBytes(Path.Combine(dir, "d.ebc"), Cards(2)[..100]);
        var e = Assert.Throws<DeviceConfigException>(() => Reader("d.ebc", "ebcdic"))!;
        Assert.That(e.Message, Does.Contain("autopad"));
        using var r = Reader("d.ebc", "ebcdic", "autopad");
        var ch = new CcwDriver(r);
        ch.Run(0x02, 0, 80);
        ch.Run(0x02, 0, 80);
        Assert.That(ch.Get(0, 20), Is.All.EqualTo(0xC2));
        Assert.That(ch.Get(20, 60), Is.All.EqualTo(0x00));
    }

    [Test]
    public void Multifile_reads_through_decks_without_a_stop()
    {
        File.WriteAllBytes(Path.Combine(dir, "a"), Cards(1));
        File.WriteAllBytes(Path.Combine(dir, "b"), Cards(1));
        using (var r = Reader("a", "b", "ebcdic", "eof", "multifile"))
        {
            var ch = new CcwDriver(r);
            Assert.That(ch.Run(0x02, 0, 80).Unit, Is.EqualTo(Normal));
            Assert.That(ch.Run(0x02, 0, 80).Unit, Is.EqualTo(Normal));
            Assert.That(ch.Run(0x02, 0, 80, Ccw.SLI).Unit, Is.EqualTo(Normal | UnitStatus.UnitException));
        }
        using (var r = Reader("a", "b", "ebcdic", "eof"))
        {
            var ch = new CcwDriver(r);
            Assert.That(ch.Run(0x02, 0, 80).Unit, Is.EqualTo(Normal));
            Assert.That(ch.Run(0x02, 0, 80, Ccw.SLI).Unit, Is.EqualTo(Normal | UnitStatus.UnitException), "end of the first deck");
            Assert.That(ch.Run(0x02, 0, 80).Unit, Is.EqualTo(Normal));
        }
    }

    [Test]
    public void T3215_saipl_is_23_cards_starting_with_the_ipl_psw()
    {
        using var r = Reader(Shared.Require("guests/tapes/sattape-decks/T3215.saipl"), "ebcdic", "eof");
        var ch = new CcwDriver(r);
        Assert.That(r.CardCount, Is.EqualTo(23));
        var first = ch.Run(0x02, 0, 24, Ccw.SLI);   // the IPL read
        Assert.That(first.Unit, Is.EqualTo(Normal));
        Assert.That(Convert.ToHexString(ch.Get(0, 16)), Is.EqualTo("00000000000020500200200060000050"));
        int n = 1;
        while (ch.Run(0x02, 0x2000, 80, Ccw.SLI).Unit == Normal) n++;
        Assert.That(n, Is.EqualTo(23));
    }

    [Test]
    public void Data_chained_read_sense_id_and_commands()
    {
        using var r = Reader("*", "eof");
        r.Load("x", Cards(1));
        var ch = new CcwDriver(r);
        var c = ch.Run(new Ccw(0x02, 0x100, Ccw.CD, 30), new Ccw(0x02, 0x200, 0, 50));
        Assert.That((c.Unit, c.Channel), Is.EqualTo((Normal, ChannelStatus.None)));
        Assert.That(ch.Run(0xE4, 0, 7).Unit, Is.EqualTo(Normal));
        Assert.That(Convert.ToHexString(ch.Get(0, 7)), Is.EqualTo("FF350501350501"));
        Assert.That(ch.Run(0x03, 0, 1).Unit, Is.EqualTo(Normal));
        Assert.That(ch.Run(0x05, 0, 1).Unit & UnitStatus.UnitCheck, Is.Not.Zero);
        Assert.That(ch.Sense(4)[0], Is.EqualTo(Sense0.CommandReject));
        using var r2540 = (CardReader)DeviceCatalog.Create(0x00C, "2540R", ["*"], new DeviceContext(dir));
        Assert.That(new CcwDriver(r2540).Run(0xE4, 0, 7).Unit & UnitStatus.UnitCheck, Is.Not.Zero, "the 2540 has no SENSE ID");
    }
}
