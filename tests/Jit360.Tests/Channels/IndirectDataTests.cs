using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Machine.Channels;
using Jit360.Tests.Support;

namespace Jit360.Tests.Channels;

/// <summary>Channel indirect data addressing (GA22-7000 "Channel Indirect Data Addressing"): IDAW lists, 2K-block rules, checks.</summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class IndirectDataTests(string engine) : ChannelFixture(engine)
{
    const byte IDA = CcwFlags.IndirectDataAddress, SLI = CcwFlags.SuppressLengthIndication;
    const uint List = 0x500;

    void Idaws(params uint[] idaws)
    {
        for (int i = 0; i < idaws.Length; i++) M.Cpu.Storage.WriteWordAbsolute(List + 4 * (uint)i, idaws[i]);
    }

    Csw RunProgram(int key = 0)
    {
        Caw(0x400, key);
        Assert.That(Sio(), Is.EqualTo(0));
        Assert.That(TakeInterrupt(), Is.True);
        return StoredCsw;
    }

    static byte[] Pattern(int n, int seed) => Enumerable.Range(0, n).Select(i => (byte)(i * 7 + seed)).ToArray();

    void Put(uint at, byte[] data) => data.CopyTo(M.Cpu.Storage.Bytes, (int)at);

    [Test]
    public void Write_gathers_from_each_idaw_up_to_its_2K_boundary()
    {
        byte[] a = Pattern(0x100, 1), b = Pattern(0x800, 2), c = Pattern(0x10, 3);
        Put(0x1F00, a); Put(0x5000, b); Put(0x7800, c);
        Idaws(0x1F00, 0x5000, 0x7800, 0xFFFF_FFFF);   // the fourth IDAW is never needed, so never checked
        Ccw(0x400, 0x01, List, IDA, 0x910);
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x408, CeDe, ChannelStatus.None, 0)));
        Assert.That(Dev.Written, Is.EqualTo(a.Concat(b).Concat(c).ToArray()));
    }

    [Test]
    public void Read_scatters_to_each_idaw()
    {
        var data = Pattern(0x120, 5);
        Dev.ReadData = data;
        Idaws(0x27F0, 0x6000);
        Ccw(0x400, 0x02, List, IDA, 0x120);
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x408, CeDe, ChannelStatus.None, 0)));
        Assert.That(Read(0x27F0, 0x10), Is.EqualTo(data[..0x10]));
        Assert.That(Read(0x6000, 0x110), Is.EqualTo(data[0x10..]));
        Assert.That(Read(0x2800, 4), Is.EqualTo(new byte[4]), "nothing beyond the first IDAW's 2K block");
    }

    [Test]
    public void Read_backward_goes_down_to_each_block_start_and_later_idaws_name_a_block_end()
    {
        Dev.ReadData = Enumerable.Range(1, 10).Select(i => (byte)i).ToArray();
        Idaws(0x2005, 0x47FF);
        Ccw(0x400, 0x0C, List, IDA, 10);
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x408, CeDe, ChannelStatus.None, 0)));
        Assert.That(Read(0x2000, 6), Is.EqualTo(new byte[] { 5, 6, 7, 8, 9, 10 }));
        Assert.That(Read(0x47FC, 4), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
    }

    [TestCase(0x5004u, TestName = "A second IDAW not at a 2K boundary is a program check")]
    [TestCase(0x0100_5000u, TestName = "An IDAW with bits 0-7 not zero is a program check")]
    [TestCase(0x0001_0000u, TestName = "An IDAW designating storage that does not exist is a program check")]
    public void Read_stops_at_a_bad_second_idaw(uint second)
    {
        Dev.ReadData = Pattern(0x200, 9);
        Idaws(0x1F00, second);
        Ccw(0x400, 0x02, List, IDA | SLI, 0x200);
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x408, CeDe, ChannelStatus.ProgramCheck, 0x100)));
        Assert.That(Read(0x1F00, 0x100), Is.EqualTo(Dev.ReadData[..0x100]), "the first IDAW's bytes arrived");
    }

    [Test]
    public void Write_sends_only_what_the_idaws_could_fetch()
    {
        Put(0x1F00, Pattern(0x100, 4));
        Idaws(0x1F00, 0x0300_0000);
        Ccw(0x400, 0x01, List, IDA, 0x200);
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x408, CeDe, ChannelStatus.ProgramCheck, 0x100)));
        Assert.That(Dev.Written, Is.EqualTo(Pattern(0x100, 4)));
    }

    [Test]
    public void An_idaw_list_outside_storage_is_a_program_check()
    {
        Ccw(0x400, 0x01, 0x10000 - 2, IDA, 4);   // the IDAW would extend past the 64K of storage
        var csw = RunProgram();
        Assert.That(csw.Channel, Is.EqualTo(ChannelStatus.ProgramCheck));
        Assert.That(Dev.Written, Is.Empty);
    }

    [Test]
    public void Data_reached_through_an_idaw_is_protected_by_the_caw_key()
    {
        Dev.ReadData = Pattern(16, 1);
        Idaws(0x6000);
        M.Cpu.Storage.SetKey(0x6000, 0x30);
        Ccw(0x400, 0x02, List, IDA, 16);
        var csw = RunProgram(key: 2);
        Assert.That(csw.Channel, Is.EqualTo(ChannelStatus.ProtectionCheck));
        Assert.That(Read(0x6000, 16), Is.EqualTo(new byte[16]));
    }

    [Test]
    public void Data_chaining_mixes_direct_and_indirect_ccws()
    {
        Dev.ReadData = Pattern(8, 2);
        Idaws(0x6000);
        Ccw(0x400, 0x02, 0x700, CcwFlags.ChainData, 4);
        Ccw(0x408, 0x02, List, IDA, 4);
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x410, CeDe, ChannelStatus.None, 0)));
        Assert.That(Read(0x700, 4), Is.EqualTo(Dev.ReadData[..4]));
        Assert.That(Read(0x6000, 4), Is.EqualTo(Dev.ReadData[4..]));
    }
}

/// <summary>System/360 channels have no indirect data addressing: CCW bit 37 must be zero.</summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class S360IndirectDataTests(string engine) : ChannelFixture(engine)
{
    protected override ArchLevel Level => ArchLevel.S360;

    [Test]
    public void The_ida_flag_is_a_program_check()
    {
        Caw(0x400);
        Ccw(0x400, 0x01, 0x500, CcwFlags.IndirectDataAddress, 4);
        Assert.That(Sio(), Is.EqualTo(1));
        Assert.That(StoredCsw, Is.EqualTo(new Csw(0, 0x408, UnitStatus.None, ChannelStatus.ProgramCheck, 0)));
        Assert.That(Dev.Calls, Is.Empty);
    }
}
