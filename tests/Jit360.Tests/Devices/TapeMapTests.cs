using Jit360.Cli;
using Jit360.Tests.Support;

namespace Jit360.Tests.Devices;

public class TapeMapTests
{
    static string Map(string path, out int rc)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        rc = TapeVerb.Map(path, o, e);
        return o + e.ToString();
    }

    [Test]
    public void Dmkddr_is_one_ipl_deck_file_of_371_card_blocks()
    {
        var text = Map(Shared.Require("guests/tapes/dmkddr.aws"), out int rc);
        Assert.That(rc, Is.Zero);
        Assert.That(text.Split('\n').Select(l => l.TrimEnd('\r')), Is.EqualTo(new[]
        {
            "File 1: Blocks=371, block size min=80, max=80",
            "  looks like an IPL deck: IPL PSW 00040000 00009E00, first CCW 02009E00 60000050",
            "Tape mark (block 372)",
            "End of tape: 372 blocks and tape marks, 31912 bytes.",
            "",
        }));
    }

    [Test]
    public void Sattape_is_one_file_of_174_blocks_then_two_tape_marks()
    {
        var text = Map(Shared.Require("guests/tapes/SATTAPE.AWS"), out int rc);
        Assert.That(rc, Is.Zero);
        Assert.That(text, Does.StartWith("File 1: Blocks=174, block size min=77, max=4005\nTape mark (block 175)\nFile 2: Blocks=0, block size min=0, max=0\nTape mark (block 176)\nEnd of tape"));
        Assert.That(text, Does.Not.Contain("IPL deck"));
    }

    [Test]
    public void A_truncated_tape_is_refused_with_its_offset()
    {
        var src = Shared.Require("guests/tapes/dmkddr.aws");
        var path = Path.Combine(Path.GetTempPath(), $"jit360-trunc-{Environment.ProcessId}.aws");
        File.WriteAllBytes(path, File.ReadAllBytes(src)[..1000]);
        try
        {
            var text = Map(path, out int rc);
            Assert.That(rc, Is.EqualTo(1));
            Assert.That(text, Does.Contain("offset 946").And.Contain("runs past the end"));
        }
        finally { File.Delete(path); }
    }
}

public class TapeMapLabelTests
{
    [Test]
    public void Standard_labels_are_shown()
    {
        var path = Path.Combine(Path.GetTempPath(), $"jit360-label-{Environment.ProcessId}.aws");
        try
        {
            using (var t = Jit360.Machine.Media.AwsTape.Create(path))
            {
                t.Write(Jit360.Architecture.Ebcdic.FromString("VOL1SCRTCH".PadRight(80)));
                t.Write(Jit360.Architecture.Ebcdic.FromString("HDR1MY.DATA.SET".PadRight(80)));
                t.WriteTapeMark();
                t.Write(new byte[1000]);
                t.WriteTapeMark();
            }
            var o = new StringWriter();
            Assert.That(TapeVerb.Map(path, o, o), Is.Zero);
            Assert.That(o.ToString(), Does.StartWith("Tape label: VOL1SCRTCH\nTape label: HDR1MY.DATA.SET\nFile 1: Blocks=2, block size min=80, max=80\nTape mark (block 3)\nFile 2: Blocks=1, block size min=1000, max=1000\n"));
        }
        finally { File.Delete(path); }
    }
}
