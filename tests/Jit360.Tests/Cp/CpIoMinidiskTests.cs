using Jit360.Architecture;
using Jit360.Cp.Io;
using Jit360.Machine;
using Jit360.Machine.Channels;
using Jit360.Machine.Devices.Dasd;
using Jit360.Machine.Media;
using Jit360.Tests.Dasd;

namespace Jit360.Tests.Cp;

/// <summary>A minidisk is a CKD device over a view of cylinders of a real volume: extent mapping, relocation of cylinder numbers, read-only links.</summary>
public class CpIoMinidiskTests : DasdTestBase
{
    const ushort Address = 0x191;

    static (CpuState cpu, ChannelSubsystem channels) Machine(MinidiskImage view)
    {
        var cpu = new CpuState(ArchLevel.S370, 0x10000);
        var channels = new ChannelSubsystem(cpu);
        channels.Attach(new CkdDevice(Address, "3350", DasdGeometry.Find("3350")!, view));
        return (cpu, channels);
    }

    static void Ccw(CpuState cpu, uint at, byte command, uint data, byte flags, int count)
        => cpu.Storage.WriteDoublewordAbsolute(at, (ulong)command << 56 | (ulong)data << 32 | (ulong)flags << 24 | (uint)count);

    static Csw Run(CpuState cpu, ChannelSubsystem channels)
    {
        var first = Jit360.Machine.Channels.Ccw.Decode(cpu.Storage.ReadDoublewordAbsolute(0x100));
        return channels.RunToEnd(Address, first, TimeSpan.FromSeconds(10), 0x100)!.Value;
    }

    static void Seek(CpuState cpu, int cylinder, int head, byte flags)
    {
        cpu.Storage.Load(0x200, [0, 0, 0, (byte)cylinder, 0, (byte)head]);
        Ccw(cpu, 0x100, 0x07, 0x200, flags, 6);
    }

    [Test]
    public void A_track_read_through_the_view_has_cylinder_numbers_relative_to_the_minidisk()
    {
        using var real = CkdImage.Open(NewImage(cylinders: 5), readOnly: false);
        using var view = new MinidiskImage(real, 3, 2, readOnly: false);
        Assert.That(view.Cylinders, Is.EqualTo(2));
        var (cpu, channels) = Machine(view);
        using var _ = channels;
        // SEEK cylinder 1 head 4 of the minidisk, READ HOME ADDRESS: real cylinder 4, seen as 1.
        Seek(cpu, 1, 4, CcwFlags.ChainCommand);
        Ccw(cpu, 0x108, 0x1A, 0x300, 0, 5);
        var csw = Run(cpu, channels);
        Assert.That(csw.Unit, Is.EqualTo(UnitStatus.ChannelEnd | UnitStatus.DeviceEnd), csw.ToString());
        Assert.That(cpu.Storage.Span(0x300, 8).ToArray(), Is.EqualTo(new byte[] { 0, 0, 1, 0, 4, 0, 0, 0 }));
    }

    [Test]
    public void A_record_written_through_the_view_lands_on_the_real_cylinder()
    {
        string path = NewImage(cylinders: 5);
        using (var real = CkdImage.Open(path, readOnly: false))
        using (var view = new MinidiskImage(real, 2, 3, readOnly: false))
        {
            var (cpu, channels) = Machine(view);
            using var _ = channels;
            // SEEK 1/0, SEARCH ID EQUAL R0, TIC back, WRITE COUNT KEY AND DATA R1 (no key, 8 data bytes).
            Seek(cpu, 1, 0, CcwFlags.ChainCommand);
            cpu.Storage.Load(0x210, [0, 1, 0, 0, 0]);
            Ccw(cpu, 0x108, 0x31, 0x210, CcwFlags.ChainCommand, 5);
            Ccw(cpu, 0x110, 0x08, 0x108, 0, 0);
            cpu.Storage.Load(0x220, [0, 1, 0, 0, 1, 0, 0, 8, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8]);
            Ccw(cpu, 0x118, 0x1D, 0x220, 0, 16);
            var csw = Run(cpu, channels);
            Assert.That(csw.Unit, Is.EqualTo(UnitStatus.ChannelEnd | UnitStatus.DeviceEnd), csw.ToString());
        }
        using var again = CkdImage.Open(path, readOnly: true);
        var track = new byte[again.TrackSlot];
        again.ReadTrack(3 * again.Heads, track);
        Assert.That(track[1..5], Is.EqualTo(new byte[] { 0, 3, 0, 0 }), "home address of real cylinder 3");
        int r1 = CkdTrack.HomeAddressLength + CkdTrack.CountLength + 8;
        Assert.That(track[r1..(r1 + 8)], Is.EqualTo(new byte[] { 0, 3, 0, 0, 1, 0, 0, 8 }), "R1's count carries the real cylinder");
        Assert.That(Ebcdic.ToString(track.AsSpan(r1 + 8, 8)), Is.EqualTo("ABCDEFGH"));
    }

    [Test]
    public void A_seek_beyond_the_extent_fails()
    {
        using var real = CkdImage.Open(NewImage(cylinders: 5), readOnly: false);
        using var view = new MinidiskImage(real, 1, 2, readOnly: false);
        var (cpu, channels) = Machine(view);
        using var _ = channels;
        Seek(cpu, 2, 0, 0);
        var csw = Run(cpu, channels);
        Assert.That(csw.Unit & UnitStatus.UnitCheck, Is.EqualTo(UnitStatus.UnitCheck), "cylinder 2 is real cylinder 3, outside the 2-cylinder minidisk");
    }

    [Test]
    public void A_read_only_link_refuses_writes_with_file_protected()
    {
        using var real = CkdImage.Open(NewImage(cylinders: 3), readOnly: false);
        using var view = new MinidiskImage(real, 0, 3, readOnly: true);
        var (cpu, channels) = Machine(view);
        using var _ = channels;
        Seek(cpu, 1, 0, CcwFlags.ChainCommand);
        cpu.Storage.Load(0x210, [0, 1, 0, 0, 0]);
        Ccw(cpu, 0x108, 0x31, 0x210, CcwFlags.ChainCommand, 5);
        Ccw(cpu, 0x110, 0x08, 0x108, 0, 0);
        cpu.Storage.Load(0x220, [0, 1, 0, 0, 1, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
        Ccw(cpu, 0x118, 0x1D, 0x220, 0, 16);
        var csw = Run(cpu, channels);
        Assert.That(csw.Unit & UnitStatus.UnitCheck, Is.EqualTo(UnitStatus.UnitCheck));
        Ccw(cpu, 0x100, 0x04, 0x300, 0, 24);
        Run(cpu, channels);
        Assert.That(cpu.Storage.Bytes[0x301] & CkdSense.FileProtected, Is.EqualTo(CkdSense.FileProtected));
        Assert.Throws<InvalidOperationException>(() => view.WriteTrack(0, new byte[view.TrackSlot]));
    }

    [Test]
    public void An_extent_outside_the_volume_is_refused()
    {
        using var real = CkdImage.Open(NewImage(cylinders: 3), readOnly: false);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MinidiskImage(real, 2, 2, readOnly: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MinidiskImage(real, -1, 1, readOnly: false));
    }
}
