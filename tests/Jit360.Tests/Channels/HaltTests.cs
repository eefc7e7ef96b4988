using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Machine.Channels;
using Jit360.Tests.Support;

namespace Jit360.Tests.Channels;

/// <summary>HALT I/O, CLEAR I/O and system reset against programs that loop or devices that block.</summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class HaltTests(string engine) : ChannelFixture(engine)
{
    const byte CC = CcwFlags.ChainCommand, SLI = CcwFlags.SuppressLengthIndication;

    [Test]
    public void Halt_io_stops_a_channel_program_that_loops_forever()
    {
        Ccw(0x400, 0x03, 0, CC | SLI, 1);
        Ccw(0x408, 0x08, 0x400, 0, 0);
        Caw(0x400);
        Assert.That(Sio(), Is.EqualTo(0), "the program used its turn and waits for the next");
        Assert.That(Tio(), Is.EqualTo(2));
        Assert.That(Hio(), Is.EqualTo(1));
        Assert.That(StoredCsw.Unit, Is.EqualTo(UnitStatus.None), "HIO stores a zero status portion");
        Assert.That(TakeInterrupt(), Is.True);
        var csw = StoredCsw;
        Assert.That(csw.Unit, Is.EqualTo(CeDe));
        Assert.That(csw.Channel, Is.EqualTo(ChannelStatus.None));
        Assert.That(Dev.Calls.Count, Is.GreaterThanOrEqualTo((int)ChannelSubsystem.DeterministicBudget));
        Assert.That(Tio(), Is.EqualTo(0));
    }

    [Test]
    public void Halt_io_ends_a_read_the_device_is_blocked_in()
    {
        Dev.BlockOn = 0x02;
        Ccw(0x400, 0x02, 0x600, 0, 80);
        Caw(0x400);
        Assert.That(Sio(), Is.EqualTo(0));
        Assert.That(Tio(), Is.EqualTo(2), "working");
        Assert.That(Hio(), Is.EqualTo(1));
        Assert.That(Dev.Halts, Is.EqualTo(1));
        Assert.That(TakeInterrupt(), Is.True);
        Assert.That(StoredCsw, Is.EqualTo(new Csw(0, 0x408, CeDe, ChannelStatus.IncorrectLength, 80)));
    }

    [Test]
    public void Clear_io_ends_a_working_program_at_once_with_no_interruption_to_follow()
    {
        Dev.BlockOn = 0x02;
        Ccw(0x400, 0x03, 0, CC, 1);
        Ccw(0x408, 0x02, 0x600, 0, 80);
        Caw(0x400, key: 0);
        Assert.That(Sio(), Is.EqualTo(0));
        Assert.That(Io("9D01", DevNo), Is.EqualTo(1));
        Assert.That(StoredCsw, Is.EqualTo(new Csw(0, 0x410, UnitStatus.None, ChannelStatus.None, 80)));
        Assert.That(Ch.InterruptPending, Is.False);
        Assert.That(TakeInterrupt(), Is.False);
        Assert.That(Tio(), Is.EqualTo(0));
    }

    [Test]
    public void System_reset_ends_programs_resets_devices_and_drops_every_interruption()
    {
        Dev.BlockOn = 0x02;
        var other = new FakeDevice(0x00F);
        Ch.Attach(other);
        other.Host!.RaiseStatus(other, UnitStatus.Attention);
        Ccw(0x400, 0x02, 0x600, 0, 80);
        Caw(0x400);
        Assert.That(Sio(), Is.EqualTo(0));
        Ch.SystemReset();
        Assert.That(Ch.InterruptPending, Is.False);
        Assert.That((Dev.Resets, other.Resets), Is.EqualTo((1, 1)));
        Assert.That(Tio(), Is.EqualTo(0));
        Assert.That(Tio(0x00F), Is.EqualTo(0));
    }
}

/// <summary>Real-time mode: programs run beside the CPU; halting and waiting work without the deterministic turns.</summary>
public class AsynchronousTests
{
    [Test]
    public void A_looping_program_runs_beside_the_cpu_until_halted()
    {
        var cpu = new CpuState(ArchLevel.S370, 0x10000);
        using var ch = new ChannelSubsystem(cpu);
        var dev = new FakeDevice(0x00E);
        ch.Attach(dev);
        cpu.Storage.WriteWordAbsolute(Low.Caw, 0x400);
        cpu.Storage.WriteDoublewordAbsolute(0x400, 0x03000000_60000001UL);
        cpu.Storage.WriteDoublewordAbsolute(0x408, 0x08000400_00000000UL);
        Assert.That(ch.StartIo(cpu, 0x00E, false), Is.EqualTo(0));
        Assert.That(SpinWait.SpinUntil(() => dev.Snapshot().Length > 1000, TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(ch.TestIo(cpu, 0x00E), Is.EqualTo(2));
        Assert.That(ch.HaltIo(cpu, 0x00E), Is.EqualTo(1));
        cpu.LoadPsw(0xFF00_0000_0000_0000UL);   // channels enabled: the wait ends with the interruption
        Assert.That(ch.WaitForInterrupt(cpu, TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(ch.TestIo(cpu, 0x00E), Is.EqualTo(1));
        Assert.That(Csw.FromDoubleword(cpu.Storage.ReadDoublewordAbsolute(Low.Csw)).Unit, Is.EqualTo(UnitStatus.ChannelEnd | UnitStatus.DeviceEnd));
    }

    [Test]
    public void Wait_for_interrupt_wakes_at_once_when_a_completion_arrives()
    {
        var cpu = new CpuState(ArchLevel.S370, 0x10000);
        cpu.LoadPsw(0xFF00_0000_0000_0000UL);
        using var ch = new ChannelSubsystem(cpu);
        var dev = new FakeDevice(0x00E) { Script = x => { Thread.Sleep(100); x.Complete(x.Count); return true; } };
        ch.Attach(dev);
        cpu.Storage.WriteWordAbsolute(Low.Caw, 0x400);
        cpu.Storage.WriteDoublewordAbsolute(0x400, 0x03000000_20000001UL);
        Assert.That(ch.StartIo(cpu, 0x00E, false), Is.EqualTo(0));
        Assert.That(ch.InterruptPending, Is.False, "the device takes its time");
        Assert.That(ch.CanEndWait(cpu), Is.True);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.That(ch.WaitForInterrupt(cpu, TimeSpan.FromSeconds(20)), Is.True);
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(ch.CanEndWait(cpu), Is.True, "the interruption is pending");
        Assert.That(ch.TestIo(cpu, 0x00E), Is.EqualTo(1));
        Assert.That(ch.CanEndWait(cpu), Is.False, "nothing under way, and the device raises nothing on its own");
        dev.Unsolicited = true;
        Assert.That(ch.CanEndWait(cpu), Is.True);
    }
}


/// <summary>System/360: channels 1-6 are selector channels; HALT I/O ends a burst with cc 2.</summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class S360Tests(string engine) : ChannelFixture(engine)
{
    protected override ArchLevel Level => ArchLevel.S360;

    [Test]
    public void Selector_channel_burst_is_reported_by_tch_and_ended_by_hio_with_cc2()
    {
        var sel = new FakeDevice(0x190) { BlockOn = 0x02 };
        Ch.Attach(sel);
        Ccw(0x400, 0x02, 0x600, CcwFlags.SuppressLengthIndication, 80);
        Caw(0x400);
        Assert.That(Sio(0x190), Is.EqualTo(0));
        Assert.That(Io("9F00", 0x100), Is.EqualTo(2), "TCH: the selector channel works in burst mode");
        Assert.That(Hio(0x190), Is.EqualTo(2));
        Assert.That(Io("9F00", 0x100), Is.EqualTo(1), "TCH: interruption pending in the channel");
        Assert.That(TakeInterrupt(0x40), Is.True);
        Assert.That(M.Cpu.LastInterrupt.Code, Is.EqualTo(0x190));
        Assert.That((Doubleword(Low.IoOldPsw) >> 32) & 0xFFFF, Is.EqualTo(0x190UL));
        Assert.That(StoredCsw, Is.EqualTo(new Csw(0, 0x408, CeDe, ChannelStatus.None, 80)));
    }

    [Test]
    public void Multiplexer_channel_io_works_as_on_s370()
    {
        Dev.ReadData = [9, 8, 7];
        Ccw(0x400, 0x02, 0x600, 0, 3);
        Caw(0x400);
        Assert.That(Sio(), Is.EqualTo(0));
        Assert.That(TakeInterrupt(0x80), Is.True);
        Assert.That(StoredCsw, Is.EqualTo(new Csw(0, 0x408, CeDe, ChannelStatus.None, 0)));
        Assert.That(Read(0x600, 3), Is.EqualTo(new byte[] { 9, 8, 7 }));
    }
}
