using System.Buffers.Binary;
using System.Diagnostics;
using Jit360.Architecture;
using Jit360.Cli;
using Jit360.Machine.Channels;
using Jit360.Machine.Devices.Dasd;
using Jit360.Machine.Media;
using Jit360.Tests.Support;
using static Jit360.Tests.Dasd.ChannelProgram;

namespace Jit360.Tests.Dasd;

/// <summary>CKD_P370 and CKD_C370 images: creation, description, bad files, real volumes from ../shared.</summary>
public sealed class DasdMediaTests : DasdTestBase
{
    [Test]
    public void InitThenInfoRoundTrip()
    {
        var path = Path.Combine(Dir, "v.ckd");
        var output = new StringWriter();
        Assert.That(DasdVerb.Init("3330", path, 5, "abc123", false, output, TextWriter.Null), Is.Zero);
        Assert.That(new FileInfo(path).Length, Is.EqualTo(512 + 5 * 19 * 13312L));
        output = new StringWriter();
        Assert.That(DasdVerb.Info(path, output, TextWriter.Null), Is.Zero);
        string text = output.ToString();
        Assert.That(text, Does.Contain("format:      CKD"));
        Assert.That(text, Does.Contain("device type: 3330 (X'30')"));
        Assert.That(text, Does.Contain("cylinders:   5"));
        Assert.That(text, Does.Contain("heads:       19"));
        Assert.That(text, Does.Contain("track size:  13312"));
        Assert.That(text, Does.Contain("volser:      ABC123"));
        Assert.That(text, Does.Contain("R3: CCHH 00000000 key 4 data 80"));
    }

    [Test]
    public void InitRejectsBadArguments()
    {
        var error = new StringWriter();
        Assert.That(DasdVerb.Init("3390", Path.Combine(Dir, "x.ckd"), null, "A", false, TextWriter.Null, error), Is.EqualTo(1));
        Assert.That(error.ToString(), Does.Contain("unknown device type '3390'"));
        error = new StringWriter();
        Assert.That(DasdVerb.Init("3350", Path.Combine(Dir, "x.ckd"), 1, "TOOLONG", false, TextWriter.Null, error), Is.EqualTo(1));
        Assert.That(error.ToString(), Does.Contain("volume serial"));
    }

    [Test]
    public void InitWritesWhatHerculesDasdinitWrites()
    {
        var dasdinit = Shared.RequireTool("dasdinit", "apt-get install -y hercules");
        var ours = Path.Combine(Dir, "ours.ckd");
        var theirs = Path.Combine(Dir, "theirs.ckd");
        Assert.That(DasdVerb.Init("2311", ours, 10, "V2311", false, TextWriter.Null, TextWriter.Null), Is.Zero);
        var psi = new ProcessStartInfo(dasdinit, [theirs, "2311", "V2311", "10"]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        using (var p = Process.Start(psi)!)
        {
            p.StandardInput.Close();
            p.StandardOutput.ReadToEnd(); p.StandardError.ReadToEnd();
            p.WaitForExit();
        }
        if (!File.Exists(theirs)) Assert.Ignore("dasdinit did not create an image here");
        Assert.That(File.ReadAllBytes(ours), Is.EqualTo(File.ReadAllBytes(theirs)), "byte for byte");
    }

    [Test]
    public void WrongMagicIsRefusedNamingTheFile()
    {
        var path = NewImage(cylinders: 1);
        using (var f = File.OpenWrite(path)) f.Write("CKD_X370"u8);
        var e = Assert.Throws<DeviceConfigException>(() => Attach(path));
        Assert.That(e!.Message, Does.Contain(path).And.Contain("not a CKD image").And.Contain("CKD_X370"));
    }

    [Test]
    public void TruncatedImageIsRefused()
    {
        var path = NewImage(cylinders: 2);
        using (var f = new FileStream(path, FileMode.Open)) f.SetLength(f.Length - 1000);
        var e = Assert.Throws<DeviceConfigException>(() => Attach(path));
        Assert.That(e!.Message, Does.Contain(path).And.Contain("truncated"));
        File.WriteAllBytes(path, new byte[100]);
        e = Assert.Throws<DeviceConfigException>(() => Attach(path));
        Assert.That(e!.Message, Does.Contain("shorter than the 512-byte CKD device header"));
    }

    [Test]
    public void MissingFileIsRefused()
    {
        var e = Assert.Throws<DeviceConfigException>(() => Attach("nothere.ckd"));
        Assert.That(e!.Message, Does.Contain("nothere.ckd: no such file"));
    }

    [Test]
    public void GarbageInTrackZeroIsRefusedAtAttach()
    {
        var path = NewImage(cylinders: 1);
        using (var f = new FileStream(path, FileMode.Open))
        {
            f.Position = 512 + 5 + 6;                  // R0's data length
            f.Write([0xFF, 0xF0]);
        }
        var e = Assert.Throws<DeviceConfigException>(() => Attach(path));
        Assert.That(e!.Message, Does.Contain(path).And.Contain("cylinder 0 head 0").And.Contain("runs past"));
    }

    [Test]
    public void GarbageInALaterTrackIsADataCheck()
    {
        var path = NewImage(cylinders: 1);
        using (var f = new FileStream(path, FileMode.Open))
        {
            f.Position = 512 + 4L * 19456 + 5;        // track 4: overwrite R0's count and everything after with X'01'
            f.Write(Enumerable.Repeat((byte)1, 19456 - 5).ToArray());
        }
        using var device = Attach(path);
        var storage = new byte[0x10000];
        var p = new ChannelProgram(storage, 0x100);
        storage[0x205] = 4;
        p.Ccw(0x07, 0x200, CC, 6);
        p.Ccw(0x1E, 0x1000, SLI, 100);
        var csw = new ChannelDriver(device, storage).Run(0x100);
        Assert.That(csw.Unit, Is.EqualTo(UnitStatus.ChannelEnd | UnitStatus.DeviceEnd | UnitStatus.UnitCheck));
        p = new ChannelProgram(storage, 0x100);
        p.Ccw(0x04, 0x300, 0, 24);
        new ChannelDriver(device, storage).Run(0x100);
        Assert.That(storage[0x300] & CkdSense.DataCheck, Is.Not.Zero);
        Assert.That(((CkdDevice)device).LastDamage, Does.Contain("cylinder 0 head 4"));
    }

    [Test]
    public void CompressedImageReadsTrackForTrackLikeItsUncompressedTwin()
    {
        var cckd = Shared.Require("guests/cp67-cms/vm14-0.cckd");
        var ckd = Gunzip(Shared.Require("guests/cp67-cms/vm14-0.ckd.gz"));
        using var a = CkdImage.Open(cckd, readOnly: true);
        using var b = CkdImage.Open(ckd, readOnly: true);
        Assert.That((a.Format, b.Format), Is.EqualTo(("CCKD", "CKD")));
        Assert.That((a.Cylinders, a.Heads, a.TrackSlot, a.ImageType), Is.EqualTo((b.Cylinders, b.Heads, b.TrackSlot, b.ImageType)));
        Assert.That((a.Cylinders, a.Heads, a.TrackSlot), Is.EqualTo((203, 20, 7680)));
        var ta = new byte[a.TrackSlot];
        var tb = new byte[b.TrackSlot];
        for (int t = 0; t < a.Tracks; t++)
        {
            a.ReadTrack(t, ta);
            b.ReadTrack(t, tb);
            Assert.That(CkdTrack.Check(ta, out int la), Is.Null, $"track {t}");
            Assert.That(CkdTrack.Check(tb, out int lb), Is.Null, $"track {t}");
            if (la != lb || !ta.AsSpan(0, la).SequenceEqual(tb.AsSpan(0, lb)))
                Assert.Fail($"track {t} (cylinder {t / a.Heads} head {t % a.Heads}) differs");
        }
        Assert.That(CkdVolumeLabel.Read(Track(a, 0)), Is.EqualTo("VM14-0"));
    }

    static byte[] Track(CkdImage image, int t)
    {
        var buffer = new byte[image.TrackSlot];
        image.ReadTrack(t, buffer);
        return buffer;
    }

    [Test]
    public void CompressedImageNeedsReadOnlyAttach()
    {
        var cckd = Shared.Require("guests/cp67-cms/vm14-0.cckd");
        var e = Assert.Throws<DeviceConfigException>(() => Attach(cckd, "2314"));
        Assert.That(e!.Message, Does.Contain("read-only").And.Contain("ro option"));
        using var device = Attach(cckd, "2314", "ro");
        Assert.That(device.Describe(), Does.Contain("[CCKD]").And.Contain("cyls=203").And.Contain(" ro"));
        // The CMS label of the minidisk at cylinder 1 (CMS67P), read by a channel program.
        var storage = new byte[0x10000];
        var p = new ChannelProgram(storage, 0x100);
        storage[0x203] = 1;                           // seek cylinder 1 head 0
        storage[0x213] = 0; storage[0x214] = 3;       // search ID: the count fields hold CC 0 (minidisk-relative), R3
        p.Ccw(0x07, 0x200, CC, 6);
        uint s = p.Ccw(0x31, 0x210, CC, 5);
        p.Tic(s);
        p.Ccw(0x06, 0x1000, SLI, 80);
        var csw = new ChannelDriver(device, storage).Run(0x100);
        Assert.That(csw.Unit, Is.EqualTo(UnitStatus.ChannelEnd | UnitStatus.DeviceEnd));
        Assert.That(Ebcdic.ToString(storage.AsSpan(0x1000, 10)), Is.EqualTo("CMS=CMS67P"));
    }

    [Test]
    public void Bzip2TracksAreRefusedWithAClearMessage()
    {
        var dasdinit = Shared.RequireTool("dasdinit", "apt-get install -y hercules");
        var path = Path.Combine(Dir, "bz.cckd");
        var psi = new ProcessStartInfo(dasdinit, ["-bz2", path, "2311", "BZ0001", "2"]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        using (var p = Process.Start(psi)!)
        {
            p.StandardInput.Close();
            p.StandardOutput.ReadToEnd(); p.StandardError.ReadToEnd();
            p.WaitForExit();
        }
        if (!File.Exists(path)) Assert.Ignore("dasdinit -bz2 did not create an image here");
        // dasdinit stores a track this small uncompressed; mark track 0's image as bzip2 the way cckdcomp would.
        var bytes = File.ReadAllBytes(path);
        uint l2 = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(1024));
        uint track0 = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)l2));
        Assert.That(bytes[track0], Is.Zero, "track 0 stored uncompressed");
        bytes[track0] = 2;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<DeviceConfigException>(() => Attach(path, "2311", "ro"));
        Assert.That(e!.Message, Does.Contain("bzip2"));
    }

    [Test]
    public void RealVm370CmsDiskHasItsLabelInR3()
    {
        var ckd = Gunzip(Shared.Require("guests/vm370r6-cms/disks/gcccms_201.ckd.gz"));
        using var device = Attach(ckd, "3350", "ro");
        var storage = new byte[0x10000];
        var p = new ChannelProgram(storage, 0x100);
        storage[0x214] = 3;                           // search ID 0000 0000 03
        p.Ccw(0x07, 0x200, CC, 6);
        uint s = p.Ccw(0x31, 0x210, CC, 5);
        p.Tic(s);
        p.Ccw(0x06, 0x1000, SLI, 80);
        var csw = new ChannelDriver(device, storage).Run(0x100);
        Assert.That(csw.Unit, Is.EqualTo(UnitStatus.ChannelEnd | UnitStatus.DeviceEnd));
        Assert.That(Ebcdic.ToString(storage.AsSpan(0x1000, 10)), Is.EqualTo("CMS=GCC201"));
        var output = new StringWriter();
        Assert.That(DasdVerb.Info(ckd, output, TextWriter.Null), Is.Zero);
        Assert.That(output.ToString(), Does.Contain("volser:      CMS=GCC201").And.Contain("device type: 3350"));
    }

    [Test]
    public void DisposeLeavesTheHeaderUntouched()
    {
        var path = NewImage(cylinders: 1);
        var before = File.ReadAllBytes(path).AsSpan(0, 512).ToArray();
        using (var d = Attach(path)) { }
        Assert.That(File.ReadAllBytes(path).AsSpan(0, 512).ToArray(), Is.EqualTo(before));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(before.AsSpan(8)), Is.EqualTo(30));
    }

    /// <summary>The CP-67 CMS volume splits each 829-byte block R8 over a track pair with track overflow.</summary>
    [Test]
    public void OverflowRecordIsReadAndWrittenAcrossTheTrackPair()
    {
        var ckd = Gunzip(Shared.Require("guests/cp67-cms/vm14-0.ckd.gz"));
        byte[] Segment(int track, int skip)
        {
            using var image = CkdImage.Open(ckd, readOnly: true);
            var t = Track(image, track);
            int pos = 5;
            for (int i = 0; i < skip; i++) pos += 8 + CkdTrack.KeyLength(t, pos) + CkdTrack.DataLength(t, pos);
            return t.AsSpan(pos + 8 + CkdTrack.KeyLength(t, pos), CkdTrack.DataLength(t, pos)).ToArray();
        }
        // Cylinder 1 head 0 (track 20) holds R0-R7 then the first 414 bytes of R8 (flagged CC X'8000'); head 1 the other 415.
        byte[] expected = [.. Segment(20, 8), .. Segment(21, 1)];
        Assert.That(expected, Has.Length.EqualTo(829));

        var storage = new byte[0x10000];
        uint Program(byte op, uint data, int count)
        {
            var p = new ChannelProgram(storage, 0x100);
            storage[0x203] = 1; storage[0x205] = 0;        // seek cylinder 1 head 0
            storage[0x210] = 0x80; storage[0x214] = 8;     // search ID X'8000' 0000 08
            p.Ccw(0x07, 0x200, CC, 6);
            uint s = p.Ccw(0x31, 0x210, CC, 5);
            p.Tic(s);
            p.Ccw(op, data, CC, count);
            p.Ccw(0x12, 0x220, 0, 8);                       // the next count: R9 on head 1
            return 0x100;
        }
        using (var device = Attach(ckd, "2314"))
        {
            var channel = new ChannelDriver(device, storage);
            var csw = channel.Run(Program(0x06, 0x1000, 829));
            Assert.That((csw.Unit, csw.Channel, csw.Residual), Is.EqualTo((UnitStatus.ChannelEnd | UnitStatus.DeviceEnd, ChannelStatus.None, 0)));
            Assert.That(storage.AsSpan(0x1000, 829).ToArray(), Is.EqualTo(expected));
            Assert.That(storage.AsSpan(0x220, 8).ToArray(), Is.EqualTo(new byte[] { 0, 0, 0, 1, 9, 0, 3, 0x3D }));

            for (int i = 0; i < 829; i++) storage[0x3000 + i] = (byte)(i * 13);
            csw = channel.Run(Program(0x05, 0x3000, 829));
            Assert.That((csw.Unit, csw.Residual), Is.EqualTo((UnitStatus.ChannelEnd | UnitStatus.DeviceEnd, 0)));
        }
        byte[] rewritten = [.. Segment(20, 8), .. Segment(21, 1)];
        Assert.That(rewritten, Is.EqualTo(storage.AsSpan(0x3000, 829).ToArray()));
    }
}
