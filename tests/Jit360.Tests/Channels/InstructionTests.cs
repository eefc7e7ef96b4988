using Jit360.Machine;
using Jit360.Machine.Channels;
using Jit360.Tests.Support;

namespace Jit360.Tests.Channels;

/// <summary>Condition codes and CSWs of the I/O instructions (GA22-7000 "Input/Output Instructions").</summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class InstructionTests(string engine) : ChannelFixture(engine)
{
    [Test]
    public void Every_instruction_to_a_device_that_does_not_exist_sets_cc3()
    {
        PoisonCsw();
        Assert.That(Sio(0x0FF), Is.EqualTo(3));
        Assert.That(Tio(0x0FF), Is.EqualTo(3));
        Assert.That(Hio(0x0FF), Is.EqualTo(3));
        Assert.That(Io("9E01", 0x0FF), Is.EqualTo(3), "HDV");
        Assert.That(Io("9D01", 0x0FF), Is.EqualTo(3), "CLRIO");
        Assert.That(Io("9F00", 0x500), Is.EqualTo(3), "TCH on a channel with no device");
        Assert.That(Io("B203", 0x500), Is.EqualTo(3), "STIDC on a channel with no device");
        Assert.That(RawCsw, Is.EqualTo(0xDEAD_BEEF_DEAD_BEEFUL), "no CSW stored");
    }

    [Test]
    public void Start_io_reads_and_the_end_is_an_interruption_with_the_csw()
    {
        Dev.ReadData = [1, 2, 3, 4, 5, 6, 7, 8];
        Caw(0x400, key: 0);
        Ccw(0x400, 0x02, 0x600, 0, 8);
        Assert.That(Tio(), Is.EqualTo(0), "available");
        Assert.That(Sio(), Is.EqualTo(0));
        Assert.That(TakeInterrupt(), Is.True);
        Assert.That(M.Cpu.LastInterrupt.Code, Is.EqualTo(DevNo));
        Assert.That(StoredCsw, Is.EqualTo(new Csw(0, 0x408, CeDe, ChannelStatus.None, 0)));
        Assert.That(Read(0x600, 8), Is.EqualTo(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
        Assert.That(M.Cpu.Ia, Is.EqualTo(Handler));
        // The old PSW carries the device address as its interruption code (BC mode).
        Assert.That((Doubleword(Low.IoOldPsw) >> 32) & 0xFFFF, Is.EqualTo(DevNo));
        Assert.That(M.Cpu.Storage.GetKey(0x600) & (Storage.Reference | Storage.Change), Is.EqualTo(Storage.Reference | Storage.Change));
    }

    [Test]
    public void A_command_refused_in_the_initial_status_leaves_the_device_free()
    {
        // Unit check alone (a not-ready tape drive): no device end is to come, so the device is
        // not busy afterwards (DDR retries REWIND UNLOAD on an unloaded tape and must not meet busy).
        Dev.Script = x => { x.Status = UnitStatus.UnitCheck; x.Residual = x.Count; return true; };
        Caw(0x400);
        Ccw(0x400, 0x0F, 0x600, 0, 1);
        Assert.That(Sio(), Is.EqualTo(0));
        Assert.That(TakeInterrupt(), Is.True);
        Assert.That(StoredCsw.Unit & UnitStatus.UnitCheck, Is.EqualTo(UnitStatus.UnitCheck));
        Assert.That(Tio(), Is.EqualTo(0), "available, not busy");
        Assert.That(Sio(), Is.EqualTo(0), "the next command starts");
    }

    [Test]
    public void Ec_mode_interruption_stores_the_device_address_at_186()
    {
        Caw(0x400);
        Ccw(0x400, 0x03, 0, 0, 1);
        Assert.That(Sio(), Is.EqualTo(0));
        Assert.That(TakeInterrupt(0x02, ec: true), Is.True);
        Assert.That(M.Cpu.Storage.ReadWordAbsolute(Low.IoAddress - 2), Is.EqualTo((uint)DevNo));
        Assert.That(Doubleword(Low.IoOldPsw) & 1UL << 51, Is.Not.Zero, "EC old PSW");
        Assert.That(StoredCsw.Unit, Is.EqualTo(CeDe));
    }

    [Test]
    public void Test_io_clears_a_pending_end_and_start_io_meanwhile_is_cc2()
    {
        Caw(0x400);
        Ccw(0x400, 0x03, 0, 0, 1);
        Assert.That(Sio(), Is.EqualTo(0));
        Assert.That(Ch.InterruptPending, Is.True);
        Assert.That(Sio(), Is.EqualTo(2), "interruption pending in the subchannel for the device");
        Assert.That(Tio(), Is.EqualTo(1));
        Assert.That(StoredCsw, Is.EqualTo(new Csw(0, 0x408, CeDe, ChannelStatus.None, 0)));
        Assert.That(Ch.InterruptPending, Is.False);
        Assert.That(Tio(), Is.EqualTo(0));
        Assert.That(TakeInterrupt(), Is.False);
    }

    [Test]
    public void Device_status_pending_makes_start_io_store_busy_with_it()
    {
        Dev.Host!.RaiseStatus(Dev, UnitStatus.Attention);
        Caw(0x400);
        Ccw(0x400, 0x03, 0, 0, 1);
        Assert.That(Sio(), Is.EqualTo(1));
        Assert.That(StoredCsw.Unit, Is.EqualTo(UnitStatus.Busy | UnitStatus.Attention));
        Assert.That(Ch.InterruptPending, Is.False, "the condition was cleared");
        Assert.That(Dev.Calls, Is.Empty, "not started");
        Assert.That(Sio(), Is.EqualTo(0));
    }

    [Test]
    public void Channel_end_without_device_end_leaves_the_device_busy_until_device_end()
    {
        Dev.Script = x => { x.Complete(x.Count); x.Status = UnitStatus.ChannelEnd; return true; };
        Caw(0x400);
        Ccw(0x400, 0x01, 0x600, 0, 4);
        Assert.That(Sio(), Is.EqualTo(0));
        Assert.That(Tio(), Is.EqualTo(1));
        Assert.That(StoredCsw.Unit, Is.EqualTo(UnitStatus.ChannelEnd));
        Assert.That(Tio(), Is.EqualTo(1), "device still working");
        Assert.That(StoredCsw.Unit, Is.EqualTo(UnitStatus.Busy));
        Assert.That(Sio(), Is.EqualTo(1));
        Assert.That(StoredCsw.Unit, Is.EqualTo(UnitStatus.Busy));
        Dev.Host!.RaiseStatus(Dev, UnitStatus.DeviceEnd);
        Assert.That(TakeInterrupt(), Is.True);
        Assert.That(StoredCsw, Is.EqualTo(Csw.StatusOnly(UnitStatus.DeviceEnd)));
        Assert.That(Tio(), Is.EqualTo(0));
    }

    [Test]
    public void Attention_is_an_unsolicited_interruption()
    {
        Dev.Host!.RaiseStatus(Dev, UnitStatus.Attention);
        Assert.That(TakeInterrupt(), Is.True);
        Assert.That(M.Cpu.LastInterrupt.Code, Is.EqualTo(DevNo));
        Assert.That(StoredCsw, Is.EqualTo(Csw.StatusOnly(UnitStatus.Attention)));
    }

    [Test]
    public void A_masked_channel_keeps_its_interruption_pending_until_enabled()
    {
        var other = new FakeDevice(0x10E);
        Ch.Attach(other);
        other.Host!.RaiseStatus(other, UnitStatus.Attention);
        Assert.That(TakeInterrupt(0x80), Is.False, "only channel 0 enabled");
        Assert.That(Ch.InterruptPending, Is.True);
        Assert.That(TakeInterrupt(0x40), Is.True, "channel 1 enabled");
        Assert.That(M.Cpu.LastInterrupt.Code, Is.EqualTo(0x10E));
        // In EC mode the channel mask is control register 2.
        other.Host!.RaiseStatus(other, UnitStatus.Attention);
        M.Cpu.Cr[2] = 0x8000_0000;
        Assert.That(TakeInterrupt(0x02, ec: true), Is.False);
        M.Cpu.Cr[2] = 0xC000_0000;
        Assert.That(TakeInterrupt(0x02, ec: true), Is.True);
    }

    [Test]
    public void Interruptions_are_taken_in_the_order_they_arose()
    {
        var other = new FakeDevice(0x005);
        Ch.Attach(other);
        Dev.Host!.RaiseStatus(Dev, UnitStatus.Attention);
        other.Host!.RaiseStatus(other, UnitStatus.Attention);
        Assert.That(TakeInterrupt(), Is.True);
        Assert.That(M.Cpu.LastInterrupt.Code, Is.EqualTo(DevNo));
        Assert.That(TakeInterrupt(), Is.True);
        Assert.That(M.Cpu.LastInterrupt.Code, Is.EqualTo(0x005));
    }

    [Test]
    public void Test_channel_and_store_channel_id()
    {
        Assert.That(Io("9F00", 0x000), Is.EqualTo(0));
        Dev.Host!.RaiseStatus(Dev, UnitStatus.Attention);
        Assert.That(Io("9F00", 0x000), Is.EqualTo(1), "interruption pending in the channel");
        Assert.That(Io("B203", 0x000), Is.EqualTo(0));
        Assert.That(M.Cpu.Storage.ReadWordAbsolute(168) >> 28, Is.EqualTo(1u), "byte multiplexer");
        Ch.Attach(new FakeDevice(0x180));
        Assert.That(Io("B203", 0x100), Is.EqualTo(0));
        Assert.That(M.Cpu.Storage.ReadWordAbsolute(168) >> 28, Is.EqualTo(2u), "block multiplexer");
    }

    [Test]
    public void Clear_io_takes_a_pending_end_and_halt_io_then_sets_cc0()
    {
        Caw(0x400);
        Ccw(0x400, 0x03, 0, 0, 1);
        Assert.That(Sio(), Is.EqualTo(0));
        Assert.That(Hio(), Is.EqualTo(0), "interruption pending in the subchannel: HIO has no effect");
        Assert.That(Io("9D01", DevNo), Is.EqualTo(1));
        Assert.That(StoredCsw.Unit, Is.EqualTo(CeDe));
        Assert.That(Io("9D01", DevNo), Is.EqualTo(0));
        PoisonCsw();
        Assert.That(Hio(), Is.EqualTo(1), "available: the device is signalled");
        Assert.That(RawCsw, Is.EqualTo(0xDEAD_BEEF_0000_BEEFUL), "only the status portion, as zeros");
        Assert.That(Io("9E01", DevNo), Is.EqualTo(1), "HDV likewise");
        Assert.That(Dev.Halts, Is.EqualTo(2));
    }
}
