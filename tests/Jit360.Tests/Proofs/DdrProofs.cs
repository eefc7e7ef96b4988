using System.IO.Compression;
using Jit360.Cli;
using Jit360.Machine.Devices.Dasd;
using Jit360.Machine.Media;
using Jit360.Tests.Support;

namespace Jit360.Tests.Proofs;

/// <summary>
/// VM/370 R6 standalone DDR (shared/guests/tapes/dmkddr.aws) IPLed from a 3420: it dumps a real
/// CMS 3350 minidisk to a new AWS tape, then a fresh IPL restores that tape onto a newly
/// initialised 3350, which must come out identical to the original, track for track.
/// IPL from tape, 3215 READ/WRITE, CKD channel programs (search, read count-key-data, write
/// with format), tape write and read.
/// </summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class DdrProofs(string engine)
{
    ProofRig? rig;
    string? folder;

    [TearDown]
    public void TearDown()
    {
        if (rig != null && TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            TestContext.Out.WriteLine(rig.Transcript());
        rig?.Dispose();
        rig = null;
        if (folder != null) Directory.Delete(folder, true);
        folder = null;
    }

    /// <summary>Types a line once DDR reads, as the operator at its console would.</summary>
    static void Type(ProofRig r, string line)
    {
        var c = r.Console(0x009);
        if (!c.WaitForRead(ProofRig.Wait)) Assert.Fail($"DDR did not read from 0009 within {ProofRig.Wait.TotalSeconds} s (before \"{line}\")\n{r.Transcript()}");
        c.SendLine(line);
    }

    ProofRig Ddr(string devices)
    {
        string tape = Shared.Require("guests/tapes/dmkddr.aws");
        rig?.Dispose();
        rig = ProofRig.Create(engine, $"""
            ARCHMODE S/370
            MAINSIZE 1
            0009 3215-C / noprompt
            0580 3420 {tape} ro
            {devices}
            """, deterministic: true, folder);
        rig.Rc("ipl 580\n");
        rig.Expect(rig.Console(0x009), "VM/370 DASD DUMP/RESTORE PROGRAM RELEASE 6");
        return rig;
    }

    [Test]
    public void Dump_to_tape_and_restore_onto_a_new_disk_gives_the_same_disk()
    {
        string gz = Shared.Require("guests/vm370r6-cms/disks/gcccms_201.ckd.gz");
        folder = ProofRig.NewFolder();
        string original = Path.Combine(folder, "gcc201.ckd"), dump = Path.Combine(folder, "dump.aws"), copy = Path.Combine(folder, "new.ckd");
        using (var from = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress))
        using (var to = File.Create(original))
            from.CopyTo(to);
        byte[] before = File.ReadAllBytes(original);

        // Dump cylinder 0 (the whole one-cylinder minidisk) to a new tape.
        var r = Ddr("0181 3420 dump.aws\n0191 3350 gcc201.ckd");
        var c = r.Console(0x009);
        Type(r, "input 191 3350 GCC201");
        Type(r, "output 181 3420");
        Type(r, "dump 0 0");
        Type(r, "");
        r.Expect(c, "DUMPING   GCC201");
        r.Expect(c, "END OF DUMP");
        WaitForUnload(r);
        r.Rc("stop\n");
        rig!.Dispose();
        rig = null;
        Assert.That(File.ReadAllBytes(original), Is.EqualTo(before), "dumping reads the disk only");
        Assert.That(TapeVerb.Map(dump, new StringWriter(), new StringWriter()), Is.EqualTo(0), "the dump tape is a valid AWS tape");

        // Restore it onto a newly initialised 3350 of one cylinder.
        CkdImageFile.Create(copy, DasdGeometry.Find("3350")!, 1, "NEWVOL");
        r = Ddr("0181 3420 dump.aws ro\n0192 3350 new.ckd");
        c = r.Console(0x009);
        Type(r, "input 181 3420");
        Type(r, "output 192 3350 SCRATCH");
        Type(r, "restore 0 0");
        Type(r, "");
        r.Expect(c, "RESTORING GCC201");
        WaitForUnload(r);
        r.Rc("stop\n");
        rig!.Dispose();
        rig = null;

        CompareTrackByTrack(original, copy);
        Assert.That(File.ReadAllBytes(copy), Is.EqualTo(before), "the restored image file is byte-identical");
    }

    /// <summary>
    /// DDR ends a dump or restore with REWIND UNLOAD of the tape, then keeps retrying it while
    /// the drive is not ready (an operator would mount the next tape): the unload is the sign it is done.
    /// </summary>
    static void WaitForUnload(ProofRig r)
    {
        var tape = r.Machine.Channels.Find(0x181)!;
        var deadline = DateTime.UtcNow + ProofRig.Wait;
        while (!tape.Describe().Contains("no tape mounted"))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"DDR did not unload the tape at 0181 within {ProofRig.Wait.TotalSeconds} s\n{r.Transcript()}");
            Thread.Sleep(20);
        }
    }

    /// <summary>Each track read through the image API, record by record, so that a difference names its place.</summary>
    static void CompareTrackByTrack(string expectedPath, string actualPath)
    {
        using var expected = CkdImage.Open(expectedPath, readOnly: true);
        using var actual = CkdImage.Open(actualPath, readOnly: true);
        Assert.That((actual.Cylinders, actual.Heads, actual.TrackSlot), Is.EqualTo((expected.Cylinders, expected.Heads, expected.TrackSlot)), "geometry");
        var a = new byte[expected.TrackSlot];
        var b = new byte[actual.TrackSlot];
        for (int t = 0; t < expected.Tracks; t++)
        {
            expected.ReadTrack(t, a);
            actual.ReadTrack(t, b);
            var ra = Records(a);
            var rb = Records(b);
            string where = $"cylinder {t / expected.Heads} head {t % expected.Heads}";
            Assert.That(rb.Count, Is.EqualTo(ra.Count), $"{where}: number of records");
            for (int i = 0; i < ra.Count; i++)
                Assert.That(rb[i], Is.EqualTo(ra[i]), $"{where} record {i} (count, key and data)");
            Assert.That(b, Is.EqualTo(a), $"{where}: the whole track slot");
        }
    }

    /// <summary>The records of a track slot (R0 included) as count+key+data bytes.</summary>
    static List<byte[]> Records(byte[] slot)
    {
        Assert.That(CkdTrack.Check(slot, out _), Is.Null, "a well-formed track");
        var records = new List<byte[]>();
        int pos = CkdTrack.HomeAddressLength;
        while (!CkdTrack.IsEndMarker(slot, pos))
        {
            int length = CkdTrack.CountLength + CkdTrack.KeyLength(slot, pos) + CkdTrack.DataLength(slot, pos);
            records.Add(slot.AsSpan(pos, length).ToArray());
            pos += length;
        }
        return records;
    }
}
