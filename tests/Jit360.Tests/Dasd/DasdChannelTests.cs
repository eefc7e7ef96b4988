using System.Buffers.Binary;
using Jit360.Machine.Channels;
using Jit360.Machine.Devices.Dasd;
using static Jit360.Tests.Dasd.ChannelProgram;

namespace Jit360.Tests.Dasd;

/// <summary>CKD channel programs against a fresh 3350 image, run through <see cref="ChannelDriver"/>.</summary>
public sealed class DasdChannelTests : DasdTestBase
{
    readonly byte[] storage = new byte[0x20000];
    IDevice device = null!;
    ChannelDriver channel = null!;
    string path = "";

    const uint Program = 0x1000, SeekArea = 0x800, IdArea = 0x810, CountArea = 0x820, Data = 0x4000, Data2 = 0x8000;

    [SetUp]
    public void Attach3350()
    {
        path = NewImage("3350", cylinders: 3);
        device = Attach(path);
        channel = new ChannelDriver(device, storage);
    }

    [TearDown]
    public void Detach() => device.Dispose();

    void SeekAddress(int cyl, int head, uint at = SeekArea)
    {
        Array.Clear(storage, (int)at, 6);
        BinaryPrimitives.WriteUInt16BigEndian(storage.AsSpan((int)at + 2), (ushort)cyl);
        BinaryPrimitives.WriteUInt16BigEndian(storage.AsSpan((int)at + 4), (ushort)head);
    }

    void Id(uint at, int cyl, int head, byte r)
    {
        BinaryPrimitives.WriteUInt16BigEndian(storage.AsSpan((int)at), (ushort)cyl);
        BinaryPrimitives.WriteUInt16BigEndian(storage.AsSpan((int)at + 2), (ushort)head);
        storage[at + 4] = r;
    }

    void Count(uint at, int cyl, int head, byte r, int kl, int dl)
    {
        Id(at, cyl, head, r);
        storage[at + 5] = (byte)kl;
        BinaryPrimitives.WriteUInt16BigEndian(storage.AsSpan((int)at + 6), (ushort)dl);
    }

    void Fill(uint at, int length, byte seed)
    {
        for (int i = 0; i < length; i++) storage[at + i] = (byte)(seed + i * 7);
    }

    byte[] Sense()
    {
        var p = new ChannelProgram(storage, 0x1F00);
        p.Ccw(0x04, 0x1F80, SLI, 32);
        var csw = channel.Run(p.Origin);
        Assert.That(csw.Unit, Is.EqualTo(UnitStatus.ChannelEnd | UnitStatus.DeviceEnd));
        return storage.AsSpan(0x1F80, 32 - csw.Residual).ToArray();
    }

    /// <summary>Formats records R1..Rn of (cyl, head) after R0: SEEK, SEARCH ID EQUAL R0, TIC *-8, WRITE CKD × n.</summary>
    ChannelDriver.Csw Format(int cyl, int head, int records, int keyLength, int dataLength, byte seed)
    {
        var p = new ChannelProgram(storage, Program);
        SeekAddress(cyl, head);
        Id(IdArea, cyl, head, 0);
        p.Ccw(0x07, SeekArea, CC, 6);
        uint search = p.Ccw(0x31, IdArea, CC, 5);
        p.Tic(search);
        for (int r = 1; r <= records; r++)
        {
            uint count = 0x2000 + (uint)r * 8;
            uint data = Data + (uint)(r - 1) * 0x400;
            Count(count, cyl, head, (byte)r, keyLength, dataLength);
            // The key and data follow the count in storage through data chaining.
            Fill(data, keyLength + dataLength, (byte)(seed + r));
            p.Ccw(0x1D, count, CD, 8);
            p.Ccw(0x1D, data, r < records ? CC : (byte)0, keyLength + dataLength);
        }
        return channel.Run(Program);
    }

    /// <summary>SEEK, SEARCH ID EQUAL (command), TIC *-8, then <paramref name="read"/> into Data.</summary>
    ChannelDriver.Csw SearchAndRead(int cyl, int head, int seekCyl, int seekHead, byte r, byte search, byte read, int count)
    {
        var p = new ChannelProgram(storage, Program);
        SeekAddress(seekCyl, seekHead);
        Id(IdArea, cyl, head, r);
        p.Ccw(0x07, SeekArea, CC, 6);
        uint s = p.Ccw(search, IdArea, CC, 5);
        p.Tic(s);
        p.Ccw(read, Data2, 0, count);
        return channel.Run(Program);
    }

    static readonly UnitStatus Normal = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd;
    static readonly UnitStatus Check = Normal | UnitStatus.UnitCheck;

    [Test]
    public void WriteThenSearchAndReadBack()
    {
        var csw = Format(1, 2, records: 3, keyLength: 0, dataLength: 100, seed: 10);
        Assert.That((csw.Unit, csw.Channel, csw.Residual), Is.EqualTo((Normal, ChannelStatus.None, 0)));
        csw = SearchAndRead(1, 2, 1, 2, 2, 0x31, 0x06, 100);
        Assert.That((csw.Unit, csw.Channel, csw.Residual), Is.EqualTo((Normal, ChannelStatus.None, 0)));
        Assert.That(storage.AsSpan((int)Data2, 100).ToArray(), Is.EqualTo(storage.AsSpan((int)Data + 0x400, 100).ToArray()));
        Assert.That(csw.Executed, Is.EqualTo(new byte[] { 0x07, 0x31, 0x31, 0x31, 0x06 }), "R0, R1 do not match; R2 does and skips the TIC");
    }

    [Test]
    public void ReadCountKeyAndDataWithKeysAndSearchKey()
    {
        Assert.That(Format(2, 0, records: 4, keyLength: 8, dataLength: 40, seed: 1).Unit, Is.EqualTo(Normal));
        // SEARCH KEY EQUAL on R3's key, then READ DATA.
        var p = new ChannelProgram(storage, Program);
        SeekAddress(2, 0);
        storage.AsSpan((int)Data + 2 * 0x400, 8).CopyTo(storage.AsSpan(0x900));
        p.Ccw(0x07, SeekArea, CC, 6);
        uint s = p.Ccw(0x29, 0x900, CC, 8);
        p.Tic(s);
        p.Ccw(0x06, Data2, 0, 40);
        var csw = channel.Run(Program);
        Assert.That(csw.Unit, Is.EqualTo(Normal));
        Assert.That(storage.AsSpan((int)Data2, 40).ToArray(), Is.EqualTo(storage.AsSpan((int)Data + 2 * 0x400 + 8, 40).ToArray()));
        // READ COUNT KEY AND DATA after SEARCH ID EQUAL R1 gives R2 whole.
        csw = SearchAndRead(2, 0, 2, 0, 1, 0x31, 0x1E, 56);
        Assert.That(csw.Unit, Is.EqualTo(Normal));
        Assert.That(storage[Data2 + 4], Is.EqualTo(2));
        Assert.That(storage.AsSpan((int)Data2 + 8, 48).ToArray(), Is.EqualTo(storage.AsSpan((int)Data + 0x400, 48).ToArray()));
    }

    [Test]
    public void ReadHomeAddressAndR0()
    {
        var p = new ChannelProgram(storage, Program);
        SeekAddress(2, 7);
        p.Ccw(0x07, SeekArea, CC, 6);
        p.Ccw(0x1A, Data2, CC, 5);
        p.Ccw(0x16, Data2 + 8, 0, 16);
        var csw = channel.Run(Program);
        Assert.That((csw.Unit, csw.Residual), Is.EqualTo((Normal, 0)));
        Assert.That(storage.AsSpan((int)Data2, 5).ToArray(), Is.EqualTo(new byte[] { 0, 0, 2, 0, 7 }));
        Assert.That(storage.AsSpan((int)Data2 + 8, 8).ToArray(), Is.EqualTo(new byte[] { 0, 2, 0, 7, 0, 0, 0, 8 }));
    }

    [Test]
    public void MultitrackSearchCrossesToTheNextHead()
    {
        Assert.That(Format(1, 0, 2, 0, 64, 3).Unit, Is.EqualTo(Normal));
        Assert.That(Format(1, 1, 2, 0, 64, 9).Unit, Is.EqualTo(Normal));
        var csw = SearchAndRead(1, 1, 1, 0, 2, 0xB1, 0x06, 64);
        Assert.That(csw.Unit, Is.EqualTo(Normal));
        Assert.That(storage.AsSpan((int)Data2, 64).ToArray(), Is.EqualTo(storage.AsSpan((int)Data + 0x400, 64).ToArray()));
    }

    [Test]
    public void SingleTrackSearchForAnAbsentRecordEndsInNoRecordFound()
    {
        Assert.That(Format(1, 0, 2, 0, 64, 3).Unit, Is.EqualTo(Normal));
        var csw = SearchAndRead(1, 1, 1, 0, 2, 0x31, 0x06, 64);
        Assert.That(csw.Unit, Is.EqualTo(Check));
        var sense = Sense();
        Assert.That(sense, Has.Length.EqualTo(24));
        Assert.That(sense[1] & CkdSense.NoRecordFound, Is.Not.Zero);
        Assert.That(Sense()[1], Is.Zero, "SENSE clears the sense bytes");
    }

    [Test]
    public void MultitrackReadPastTheLastHeadEndsInEndOfCylinder()
    {
        var p = new ChannelProgram(storage, Program);
        SeekAddress(0, 29);
        p.Ccw(0x07, SeekArea, CC, 6);
        p.Ccw(0x92, CountArea, CC, 8);
        p.Ccw(0x92, CountArea, 0, 8);
        var csw = channel.Run(Program);
        Assert.That(csw.Unit, Is.EqualTo(Check));
        Assert.That(csw.Executed, Is.EqualTo(new byte[] { 0x07, 0x92 }));
        Assert.That(Sense()[1] & CkdSense.EndOfCylinder, Is.Not.Zero);
    }

    [Test]
    public void MultitrackReadCountStepsThroughEmptyTracks()
    {
        Assert.That(Format(1, 3, 1, 0, 10, 3).Unit, Is.EqualTo(Normal));
        var p = new ChannelProgram(storage, Program);
        SeekAddress(1, 0);
        p.Ccw(0x07, SeekArea, CC, 6);
        p.Ccw(0x92, CountArea, 0, 8);
        Assert.That(channel.Run(Program).Unit, Is.EqualTo(Normal));
        Assert.That(storage.AsSpan((int)CountArea, 8).ToArray(), Is.EqualTo(new byte[] { 0, 1, 0, 3, 1, 0, 0, 10 }));
    }

    [Test]
    public void FileMaskInhibitingWritesMakesWriteCkdFileProtected()
    {
        var p = new ChannelProgram(storage, Program);
        SeekAddress(1, 0);
        Id(IdArea, 1, 0, 0);
        Count(CountArea, 1, 0, 1, 0, 8);
        storage[0x900] = 0x40;                      // inhibit all writes
        p.Ccw(0x1F, 0x900, CC, 1);
        p.Ccw(0x07, SeekArea, CC, 6);
        uint s = p.Ccw(0x31, IdArea, CC, 5);
        p.Tic(s);
        p.Ccw(0x1D, CountArea, 0, 16);
        var csw = channel.Run(Program);
        Assert.That(csw.Unit, Is.EqualTo(Check));
        var sense = Sense();
        Assert.That((sense[0], sense[1] & CkdSense.FileProtected), Is.EqualTo((CkdSense.CommandReject, CkdSense.FileProtected)));
    }

    [Test]
    public void FileMaskInhibitingSeeksAndASecondMaskAreRejected()
    {
        var p = new ChannelProgram(storage, Program);
        SeekAddress(1, 0);
        storage[0x900] = 0x18;
        p.Ccw(0x1F, 0x900, CC, 1);
        p.Ccw(0x07, SeekArea, 0, 6);
        Assert.That(channel.Run(Program).Unit, Is.EqualTo(Check));
        Assert.That(Sense()[1] & CkdSense.FileProtected, Is.Not.Zero);

        p = new ChannelProgram(storage, Program);
        storage[0x900] = 0x00;
        p.Ccw(0x1F, 0x900, CC, 1);
        p.Ccw(0x1F, 0x900, 0, 1);
        var csw = channel.Run(Program);
        Assert.That((csw.Unit, csw.Executed.Count), Is.EqualTo((Check, 2)));
        Assert.That(Sense()[0], Is.EqualTo(CkdSense.CommandReject));
    }

    [Test]
    public void WriteWithoutAPrecedingSearchIsRejected()
    {
        var p = new ChannelProgram(storage, Program);
        SeekAddress(1, 0);
        Count(CountArea, 1, 0, 1, 0, 8);
        p.Ccw(0x07, SeekArea, CC, 6);
        p.Ccw(0x1D, CountArea, 0, 16);
        Assert.That(channel.Run(Program).Unit, Is.EqualTo(Check));
        Assert.That(Sense()[0], Is.EqualTo(CkdSense.CommandReject));
    }

    [Test]
    public void SeekOutsideTheVolumeIsRejected()
    {
        var p = new ChannelProgram(storage, Program);
        SeekAddress(3, 0);                          // the image has cylinders 0-2
        p.Ccw(0x07, SeekArea, 0, 6);
        Assert.That(channel.Run(Program).Unit, Is.EqualTo(Check));
        Assert.That(Sense()[0], Is.EqualTo(CkdSense.CommandReject));
    }

    [Test]
    public void ReadIplReadsR1OfTrackZero()
    {
        var p = new ChannelProgram(storage, Program);
        p.Ccw(0x02, 0, CC | SLI, 24);
        p.Ccw(0x1E, Data2, SLI, 200);
        var csw = channel.Run(Program);
        Assert.That((csw.Unit, csw.Channel), Is.EqualTo((Normal, ChannelStatus.None)));
        Assert.That(storage.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x00, 0x06, 0, 0, 0, 0, 0, 0x0F }), "dasdinit's IPL PSW");
        Assert.That(storage[Data2 + 4], Is.EqualTo(2), "the next READ CKD gets R2");
    }

    [Test]
    public void ShortCountWithoutSliGivesIncorrectLength()
    {
        var p = new ChannelProgram(storage, Program);
        p.Ccw(0x02, 0, 0, 16);
        var csw = channel.Run(Program);
        Assert.That((csw.Unit, csw.Channel, csw.Residual), Is.EqualTo((Normal, ChannelStatus.IncorrectLength, 0)));
    }

    [Test]
    public void DataChainedReadSplitsARecord()
    {
        Assert.That(Format(1, 0, 1, 0, 300, 5).Unit, Is.EqualTo(Normal));
        var p = new ChannelProgram(storage, Program);
        SeekAddress(1, 0);
        Id(IdArea, 1, 0, 1);
        p.Ccw(0x07, SeekArea, CC, 6);
        uint s = p.Ccw(0x31, IdArea, CC, 5);
        p.Tic(s);
        p.Ccw(0x06, Data2, CD, 100);
        p.Ccw(0x06, Data2 + 0x1000, 0, 200);
        var csw = channel.Run(Program);
        Assert.That((csw.Unit, csw.Channel, csw.Residual), Is.EqualTo((Normal, ChannelStatus.None, 0)));
        Assert.That(storage.AsSpan((int)Data2, 100).ToArray(), Is.EqualTo(storage.AsSpan((int)Data, 100).ToArray()));
        Assert.That(storage.AsSpan((int)Data2 + 0x1000, 200).ToArray(), Is.EqualTo(storage.AsSpan((int)Data + 100, 200).ToArray()));
    }

    [Test]
    public void WriteDataUpdatesOneRecordInPlace()
    {
        Assert.That(Format(1, 0, 3, 0, 50, 5).Unit, Is.EqualTo(Normal));
        var p = new ChannelProgram(storage, Program);
        SeekAddress(1, 0);
        Id(IdArea, 1, 0, 2);
        Fill(0x6000, 50, 0xA0);
        p.Ccw(0x07, SeekArea, CC, 6);
        uint s = p.Ccw(0x31, IdArea, CC, 5);
        p.Tic(s);
        p.Ccw(0x05, 0x6000, 0, 50);
        Assert.That(channel.Run(Program).Unit, Is.EqualTo(Normal));
        Assert.That(SearchAndRead(1, 0, 1, 0, 2, 0x31, 0x06, 50).Unit, Is.EqualTo(Normal));
        Assert.That(storage.AsSpan((int)Data2, 50).ToArray(), Is.EqualTo(storage.AsSpan(0x6000, 50).ToArray()));
        Assert.That(SearchAndRead(1, 0, 1, 0, 3, 0x31, 0x06, 50).Unit, Is.EqualTo(Normal), "R3 is still there");
    }

    [Test]
    public void WriteCkdErasesTheRestOfTheTrack()
    {
        Assert.That(Format(1, 0, 3, 0, 50, 5).Unit, Is.EqualTo(Normal));
        Assert.That(Format(1, 0, 1, 0, 20, 9).Unit, Is.EqualTo(Normal));
        Assert.That(SearchAndRead(1, 0, 1, 0, 2, 0x31, 0x06, 50).Unit, Is.EqualTo(Check));
        Assert.That(Sense()[1] & CkdSense.NoRecordFound, Is.Not.Zero);
    }

    [Test]
    public void WriteSpecialCkdMakesAnOverflowRecordReadAcrossTracks()
    {
        // Head 0: SEARCH ID EQUAL R0, WRITE SPECIAL CKD R1 (100 bytes, continued); head 1: its last 50 bytes.
        var p = new ChannelProgram(storage, Program);
        SeekAddress(1, 0);
        Id(IdArea, 1, 0, 0);
        Count(CountArea, 1, 0, 1, 0, 100);
        Fill(Data, 100, 1);
        p.Ccw(0x07, SeekArea, CC, 6);
        uint s = p.Ccw(0x31, IdArea, CC, 5);
        p.Tic(s);
        p.Ccw(0x01, CountArea, CD, 8);
        p.Ccw(0x01, Data, 0, 100);
        Assert.That(channel.Run(Program).Unit, Is.EqualTo(Normal));
        p = new ChannelProgram(storage, Program);
        SeekAddress(1, 1);
        Id(IdArea, 1, 1, 0);
        Count(CountArea, 1, 1, 1, 0, 50);
        Fill(Data + 100, 50, 9);
        p.Ccw(0x07, SeekArea, CC, 6);
        s = p.Ccw(0x31, IdArea, CC, 5);
        p.Tic(s);
        p.Ccw(0x1D, CountArea, CD, 8);
        p.Ccw(0x1D, Data + 100, 0, 50);
        Assert.That(channel.Run(Program).Unit, Is.EqualTo(Normal));

        var csw = SearchAndRead(0x8001, 0, 1, 0, 1, 0x31, 0x06, 150);
        Assert.That((csw.Unit, csw.Channel, csw.Residual), Is.EqualTo((Normal, ChannelStatus.None, 0)));
        Assert.That(storage.AsSpan((int)Data2, 150).ToArray(), Is.EqualTo(storage.AsSpan((int)Data, 150).ToArray()));
    }

    [Test]
    public void ReadingAnEndOfFileRecordGivesUnitException()
    {
        var p = new ChannelProgram(storage, Program);
        SeekAddress(1, 0);
        Id(IdArea, 1, 0, 0);
        Count(CountArea, 1, 0, 1, 0, 0);              // R1 with data length zero
        p.Ccw(0x07, SeekArea, CC, 6);
        uint s = p.Ccw(0x31, IdArea, CC, 5);
        p.Tic(s);
        p.Ccw(0x1D, CountArea, 0, 8);
        Assert.That(channel.Run(Program).Unit, Is.EqualTo(Normal));
        var csw = SearchAndRead(1, 0, 1, 0, 1, 0x31, 0x06, 10);
        Assert.That((csw.Unit, csw.Residual), Is.EqualTo((Normal | UnitStatus.UnitException, 10)));
    }

    [Test]
    public void WritesPersistInTheImageFileAtTheTrackSlot()
    {
        Assert.That(Format(2, 5, 1, 0, 32, 0x40).Unit, Is.EqualTo(Normal));
        var written = storage.AsSpan((int)Data, 32).ToArray();
        // Written through before Dispose: a process killed now leaves the record in the file.
        byte[] bytes;
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            bytes = new byte[f.Length];
            f.ReadExactly(bytes);
        }
        Assert.That(bytes.AsSpan(512 + (2 * 30 + 5) * 19456 + 21 + 8, 32).ToArray(), Is.EqualTo(written), "on disk before Dispose");
        device.Dispose();
        bytes = File.ReadAllBytes(path);
        long slot = 512 + (2 * 30 + 5) * 19456L;
        int r1 = 5 + 16;                            // HA, then R0 count and its 8 bytes of data
        Assert.That(bytes.AsSpan((int)slot + r1, 8).ToArray(), Is.EqualTo(new byte[] { 0, 2, 0, 5, 1, 0, 0, 32 }));
        Assert.That(bytes.AsSpan((int)slot + r1 + 8, 32).ToArray(), Is.EqualTo(written));
        Assert.That(bytes.AsSpan((int)slot + r1 + 40, 8).ToArray(), Is.All.EqualTo(0xFF));

        device = Attach(path);
        channel = new ChannelDriver(device, storage);
        Array.Clear(storage, (int)Data2, 64);
        Assert.That(SearchAndRead(2, 5, 2, 5, 1, 0x31, 0x06, 32).Unit, Is.EqualTo(Normal));
        Assert.That(storage.AsSpan((int)Data2, 32).ToArray(), Is.EqualTo(written));
    }

    [Test]
    public void ReadOnlyAttachRefusesWrites()
    {
        device.Dispose();
        device = Attach(path, "3350", "ro");
        channel = new ChannelDriver(device, storage);
        Assert.That(Format(1, 0, 1, 0, 10, 1).Unit, Is.EqualTo(Check));
        Assert.That(Sense()[1] & CkdSense.FileProtected, Is.Not.Zero);
    }

    [Test]
    public void SenseIdNamesTheDevice()
    {
        var p = new ChannelProgram(storage, Program);
        p.Ccw(0xE4, Data2, SLI, 7);
        Assert.That(channel.Run(Program).Unit, Is.EqualTo(Normal));
        Assert.That(storage.AsSpan((int)Data2, 7).ToArray(), Is.EqualTo(new byte[] { 0xFF, 0x38, 0x30, 0x02, 0x33, 0x50, 0x00 }));
    }

    [Test]
    public void A2314HasSixSenseBytesAndNoSenseId()
    {
        device.Dispose();
        device = Attach(NewImage("2314", 2, name: "d2314.ckd"), "2314");
        channel = new ChannelDriver(device, storage);
        var p = new ChannelProgram(storage, Program);
        p.Ccw(0xE4, Data2, SLI, 7);
        Assert.That(channel.Run(Program).Unit, Is.EqualTo(Check));
        var sense = Sense();
        Assert.That(sense, Is.EqualTo(new byte[] { CkdSense.CommandReject, 0, 0, 0, 0, 0 }));
    }

    [Test]
    public void RandomCcwsNeverThrow()
    {
        var rng = new Random(360);
        var ccw = new CcwExecution();
        for (int i = 0; i < 3000; i++)
        {
            ccw.Command = (byte)rng.Next(256);
            ccw.Flags = (byte)(rng.Next(256) & 0xF8);
            ccw.Sequence = rng.Next(3);
            ccw.CommandChained = ccw.Sequence > 0;
            ccw.DataChained = rng.Next(8) == 0;
            ccw.PreviousCommand = (byte)rng.Next(256);
            ccw.Count = rng.Next(4) == 0 ? rng.Next(1, CcwExecution.MaxCount + 1) : rng.Next(1, 40);
            rng.NextBytes(ccw.Buffer.AsSpan(0, Math.Min(ccw.Count, 64)));
            if (rng.Next(3) == 0)
            {
                // Mostly-valid seeks keep the walk on the volume.
                ccw.Buffer[0] = 0; ccw.Buffer[1] = 0; ccw.Buffer[2] = 0; ccw.Buffer[3] = (byte)rng.Next(3); ccw.Buffer[4] = 0; ccw.Buffer[5] = (byte)rng.Next(30);
            }
            Assert.DoesNotThrow(() => device.Execute(ccw), $"CCW {i}: command {ccw.Command:X2}");
            Assert.That(ccw.Status & (UnitStatus.ChannelEnd | UnitStatus.DeviceEnd), Is.EqualTo(UnitStatus.ChannelEnd | UnitStatus.DeviceEnd));
            Assert.That(ccw.Residual, Is.InRange(0, ccw.Count));
        }
        device.Dispose();
        device = Attach(path);
        Assert.That(device.Describe(), Does.Contain("cyls=3"), "the image is still a valid CKD image");
    }

    [Test]
    public void TheCatalogKnowsTheCkdTypesAndRejectsBadStatements()
    {
        foreach (var t in new[] { "2311", "2314", "3330", "3340", "3350" }) Assert.That(DeviceCatalog.Knows(t), t);
        var e = Assert.Throws<DeviceConfigException>(() => Attach(path, "3330"));
        Assert.That(e!.Message, Does.Contain("cannot be attached as a 3330"));
        e = Assert.Throws<DeviceConfigException>(() => Attach(path, "3350", "bogus"));
        Assert.That(e!.Message, Does.Contain("unknown option 'bogus'"));
        Assert.DoesNotThrow(() => Attach(path, "3350", "ro", "sf=shadow_*.ckd", "cu=3880").Dispose());
    }
}
