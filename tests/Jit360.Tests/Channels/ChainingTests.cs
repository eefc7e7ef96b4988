using Jit360.Machine;
using Jit360.Machine.Channels;
using Jit360.Tests.Support;

namespace Jit360.Tests.Channels;

/// <summary>Channel programs: chaining, flags, checks (GA22-7000 "Channel Command Word", "Chaining", "Channel Status").</summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class ChainingTests(string engine) : ChannelFixture(engine)
{
    const byte CD = CcwFlags.ChainData, CC = CcwFlags.ChainCommand, SLI = CcwFlags.SuppressLengthIndication,
               SKIP = CcwFlags.Skip, PCI = CcwFlags.ProgramControlledInterruption;

    /// <summary>Starts the program at 0x400 and returns the CSW of its ending interruption.</summary>
    Csw RunProgram(int key = 0)
    {
        Caw(0x400, key);
        Assert.That(Sio(), Is.EqualTo(0));
        Assert.That(TakeInterrupt(), Is.True);
        return StoredCsw;
    }

    [Test]
    public void Command_chaining_runs_each_ccw_as_a_new_command()
    {
        Ccw(0x400, 0x01, 0x600, CC, 2);
        Ccw(0x408, 0x03, 0, CC | SLI, 1);
        Ccw(0x410, 0x09, 0x602, 0, 2);
        M.Bytes(0x600, "C1C2C3C4");
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x418, CeDe, ChannelStatus.None, 0)));
        var calls = Dev.Snapshot();
        Assert.That(calls.Select(c => (c.Command, c.CommandChained, c.PreviousCommand, c.Sequence)),
            Is.EqualTo(new[] { ((byte)0x01, false, (byte)0, 0), ((byte)0x03, true, (byte)0x01, 1), ((byte)0x09, true, (byte)0x03, 2) }));
        Assert.That(Dev.Written, Is.EqualTo(new byte[] { 0xC1, 0xC2, 0xC3, 0xC4 }));
    }

    [Test]
    public void Data_chaining_continues_one_transfer_with_the_original_command()
    {
        Dev.ReadData = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Ccw(0x400, 0x02, 0x600, CD, 4);
        Ccw(0x408, 0x07, 0x700, 0, 6);   // the command bits of a data-chained CCW are ignored
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x410, CeDe, ChannelStatus.None, 0)));
        Assert.That(Read(0x600, 4), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        Assert.That(Read(0x700, 6), Is.EqualTo(new byte[] { 5, 6, 7, 8, 9, 10 }));
        var calls = Dev.Snapshot();
        Assert.That(calls.Select(c => (c.Command, c.DataChained, c.Count)), Is.EqualTo(new[] { ((byte)2, false, 4), ((byte)2, true, 6) }));
    }

    [Test]
    public void Data_chaining_through_a_tic()
    {
        Dev.ReadData = [1, 2, 3, 4, 5, 6];
        Ccw(0x400, 0x02, 0x600, CD, 3);
        Ccw(0x408, 0x08, 0x500, 0, 0);
        Ccw(0x500, 0x00, 0x700, 0, 3);
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x508, CeDe, ChannelStatus.None, 0)));
        Assert.That(Read(0x700, 3), Is.EqualTo(new byte[] { 4, 5, 6 }));
    }

    [Test]
    public void Skip_reads_without_storing()
    {
        Dev.ReadData = [1, 2, 3, 4];
        M.Bytes(0x600, "EEEEEEEE");
        Ccw(0x400, 0x02, 0x600, SKIP, 4);
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x408, CeDe, ChannelStatus.None, 0)));
        Assert.That(M.Hex(0x600, 4), Is.EqualTo("EEEEEEEE"));
    }

    [Test]
    public void Read_backward_stores_at_descending_addresses_from_the_ccw_address()
    {
        Dev.ReadData = [1, 2, 3, 4];
        Ccw(0x400, 0x0C, 0x603, 0, 4);
        RunProgram();
        Assert.That(Read(0x600, 4), Is.EqualTo(new byte[] { 1, 2, 3, 4 }), "the device sends 4,3,2,1; the channel stores downwards");
    }

    [TestCase(10, 20, (byte)0, ChannelStatus.IncorrectLength, 0, TestName = "Long block without SLI is incorrect length")]
    [TestCase(10, 20, SLI, ChannelStatus.None, 0, TestName = "Long block with SLI is not")]
    [TestCase(10, 4, (byte)0, ChannelStatus.IncorrectLength, 6, TestName = "Short block without SLI is incorrect length")]
    [TestCase(10, 4, SLI, ChannelStatus.None, 6, TestName = "Short block with SLI is not")]
    public void Incorrect_length(int count, int block, byte flags, ChannelStatus expected, int residual)
    {
        Dev.ReadData = new byte[block];
        Ccw(0x400, 0x02, 0x600, flags, count);
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x408, CeDe, expected, residual)));
    }

    [Test]
    public void Incorrect_length_ends_command_chaining_unless_suppressed()
    {
        Dev.ReadData = new byte[20];
        Ccw(0x400, 0x02, 0x600, CC, 4);
        Ccw(0x408, 0x03, 0, 0, 1);
        var csw = RunProgram();
        Assert.That(csw.Channel, Is.EqualTo(ChannelStatus.IncorrectLength));
        Assert.That(csw.CcwAddress, Is.EqualTo(0x408u));
        Assert.That(Dev.Calls, Has.Count.EqualTo(1));
        Ccw(0x400, 0x02, 0x600, CC | SLI, 4);
        csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x410, CeDe, ChannelStatus.None, 0)));
        Assert.That(Dev.Calls, Has.Count.EqualTo(3));
    }

    [Test]
    public void Unit_check_ends_the_chain_and_sense_tells_why()
    {
        Dev.Script = x =>
        {
            if (x.Command != 0x07) return false;
            Dev.Sense = [Sense0.CommandReject];
            x.Reject();
            return true;
        };
        Ccw(0x400, 0x07, 0x600, CC, 1);
        Ccw(0x408, 0x03, 0, 0, 1);
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x408, CeDe | UnitStatus.UnitCheck, ChannelStatus.None, 1)));
        Assert.That(Dev.Calls, Has.Count.EqualTo(1), "command chaining suppressed");
        Ccw(0x400, 0x04, 0x700, 0, 1);
        csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x408, CeDe, ChannelStatus.None, 0)));
        Assert.That(M.Hex(0x700, 1), Is.EqualTo("80"));
    }

    [Test]
    public void Unit_exception_ends_the_chain()
    {
        Dev.Script = x => { x.Complete(0, UnitStatus.UnitException); x.Residual = x.Count; return true; };
        Ccw(0x400, 0x02, 0x600, CC | SLI, 80);
        Ccw(0x408, 0x02, 0x600, 0, 80);
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x408, CeDe | UnitStatus.UnitException, ChannelStatus.None, 80)));
        Assert.That(Dev.Calls, Has.Count.EqualTo(1));
    }

    [Test]
    public void Status_modifier_with_command_chaining_skips_one_ccw()
    {
        Dev.Script = x =>
        {
            if (x.Command != 0x31) return false;
            x.Complete(x.Count, UnitStatus.StatusModifier);
            return true;
        };
        Ccw(0x400, 0x31, 0x600, CC, 5);   // a search that matches
        Ccw(0x408, 0x08, 0x400, 0, 0);    // TIC back to the search: skipped
        Ccw(0x410, 0x03, 0, SLI, 1);
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x418, CeDe, ChannelStatus.None, 0)));
        Assert.That(Dev.Snapshot().Select(c => c.Command), Is.EqualTo(new byte[] { 0x31, 0x03 }));
    }

    [Test]
    public void Tic_to_tic_is_a_program_check_at_the_second_tic()
    {
        Ccw(0x400, 0x03, 0, CC, 1);
        Ccw(0x408, 0x08, 0x500, 0, 0);
        Ccw(0x500, 0x08, 0x400, 0, 0);
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x508, CeDe, ChannelStatus.ProgramCheck, 0)));
        Assert.That(Dev.Calls, Has.Count.EqualTo(1));
    }

    [TestCase(0x08u, 0x500u, (byte)0, 1, TestName = "A TIC as the first CCW is a program check")]
    [TestCase(0x00u, 0x500u, (byte)0, 1, TestName = "Command code with low bits zero is a program check")]
    [TestCase(0x02u, 0x500u, (byte)0, 0, TestName = "Count zero is a program check")]
    [TestCase(0x02u, 0x500u, (byte)0x01, 1, TestName = "Flag bits 37-39 not zero is a program check")]
    public void Invalid_first_ccw_sets_cc1_with_program_check(uint command, uint data, byte flags, int count)
    {
        Caw(0x400);
        Ccw(0x400, (byte)command, data, flags, count);
        Assert.That(Sio(), Is.EqualTo(1));
        Assert.That(StoredCsw, Is.EqualTo(new Csw(0, 0x408, UnitStatus.None, ChannelStatus.ProgramCheck, 0)));
        Assert.That(Dev.Calls, Is.Empty);
        Assert.That(Ch.InterruptPending, Is.False);
    }

    [TestCase(0x0100_0400u, TestName = "CAW bits 4-7 not zero")]
    [TestCase(0x0000_0404u, TestName = "CAW address not a doubleword")]
    [TestCase(0x00FF_FFF8u, TestName = "CAW address outside storage")]
    public void Invalid_caw_sets_cc1_with_program_check(uint caw)
    {
        M.Cpu.Storage.WriteWordAbsolute(Low.Caw, caw);
        Assert.That(Sio(), Is.EqualTo(1));
        Assert.That(StoredCsw.Channel, Is.EqualTo(ChannelStatus.ProgramCheck));
        Assert.That(Dev.Calls, Is.Empty);
    }

    [Test]
    public void Invalid_ccw_later_in_the_chain_ends_it_with_program_check()
    {
        Ccw(0x400, 0x03, 0, CC, 1);
        Ccw(0x408, 0x02, 0x600, 0, 0);
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x410, CeDe, ChannelStatus.ProgramCheck, 0)));
    }

    [Test]
    public void Tic_to_an_odd_doubleword_is_a_program_check()
    {
        Ccw(0x400, 0x03, 0, CC, 1);
        Ccw(0x408, 0x08, 0x504, 0, 0);
        var csw = RunProgram();
        Assert.That(csw.Channel, Is.EqualTo(ChannelStatus.ProgramCheck));
        Assert.That(csw.CcwAddress, Is.EqualTo(0x410u));
    }

    [Test]
    public void Storing_under_a_key_that_does_not_match_is_a_protection_check()
    {
        Dev.ReadData = [1, 2, 3, 4];
        M.Cpu.Storage.SetKey(0x2000, 0x20);
        Ccw(0x400, 0x02, 0x2000, 0, 4);
        var csw = RunProgram(key: 3);
        Assert.That(csw, Is.EqualTo(new Csw(3, 0x408, CeDe, ChannelStatus.ProtectionCheck, 4)));
        Assert.That(M.Hex(0x2000, 4), Is.EqualTo("00000000"));
        Dev.ReadData = [1, 2, 3, 4];
        csw = RunProgram(key: 2);
        Assert.That(csw, Is.EqualTo(new Csw(2, 0x408, CeDe, ChannelStatus.None, 0)));
    }

    [Test]
    public void Fetching_from_a_fetch_protected_block_is_a_protection_check_for_data_and_ccws()
    {
        M.Cpu.Storage.SetKey(0x2000, 0x28);
        Ccw(0x400, 0x01, 0x2000, 0, 4);
        var csw = RunProgram(key: 3);
        Assert.That(csw, Is.EqualTo(new Csw(3, 0x408, CeDe, ChannelStatus.ProtectionCheck, 4)));
        Assert.That(Dev.Calls, Is.Empty, "nothing could be fetched for the write");
        Ccw(0x400, 0x01, 0x1FFE, 0, 4);
        M.Bytes(0x1FFE, "C1C2");
        csw = RunProgram(key: 3);
        Assert.That(csw, Is.EqualTo(new Csw(3, 0x408, CeDe, ChannelStatus.ProtectionCheck, 2)));
        Assert.That(Dev.Written, Is.EqualTo(new byte[] { 0xC1, 0xC2 }), "the bytes before the check reach the device");
        Ccw(0x2000, 0x03, 0, 0, 1);
        Caw(0x2000, key: 3);
        Assert.That(Sio(), Is.EqualTo(1), "the first CCW cannot be fetched");
        Assert.That(StoredCsw.Channel, Is.EqualTo(ChannelStatus.ProtectionCheck));
    }

    [Test]
    public void Data_outside_storage_is_a_program_check_but_a_control_command_without_data_never_touches_it()
    {
        Dev.ReadData = [1, 2, 3, 4];
        Ccw(0x400, 0x02, 0xFFFE, 0, 4);   // storage ends at 0x10000
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x408, CeDe, ChannelStatus.ProgramCheck, 2)));
        Assert.That(M.Hex(0xFFFE, 2), Is.EqualTo("0102"));
        Dev.Script = x => { x.Complete(0); return true; };   // a no-operation: nothing transferred
        Ccw(0x400, 0x03, 0xFFFFF0, 0, 1);
        csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x408, CeDe, ChannelStatus.None, 1)), "immediate: no incorrect length either");
    }

    [Test]
    public void Pci_gives_an_interruption_while_the_program_goes_on()
    {
        Dev.BlockOn = 0x09;
        Ccw(0x400, 0x01, 0x600, CC | PCI, 1);
        Ccw(0x408, 0x09, 0x600, 0, 1);
        Caw(0x400);
        Assert.That(Sio(), Is.EqualTo(0));
        Assert.That(TakeInterrupt(), Is.True);
        Assert.That(StoredCsw, Is.EqualTo(new Csw(0, 0x408, UnitStatus.None, ChannelStatus.ProgramControlledInterruption, 1)));
        Assert.That(Tio(), Is.EqualTo(2), "the subchannel is still working");
        Dev.Release.Release();
        Assert.That(SpinUntil(() => Ch.InterruptPending), Is.True);
        Assert.That(TakeInterrupt(), Is.True);
        Assert.That(StoredCsw, Is.EqualTo(new Csw(0, 0x410, CeDe, ChannelStatus.None, 0)));
    }

    [Test]
    public void Pci_not_yet_taken_joins_the_final_status()
    {
        Ccw(0x400, 0x03, 0, CC | PCI, 1);
        Ccw(0x408, 0x03, 0, 0, 1);
        var csw = RunProgram();
        Assert.That(csw, Is.EqualTo(new Csw(0, 0x410, CeDe, ChannelStatus.ProgramControlledInterruption, 0)));
        Assert.That(Ch.InterruptPending, Is.False);
    }

    [Test]
    public void Channel_end_then_device_end_before_command_chaining_goes_on()
    {
        int n = 0;
        Dev.Script = x =>
        {
            if (n++ > 0) return false;
            x.Complete(x.Count);
            x.Status = UnitStatus.ChannelEnd;
            // The device end arrives from elsewhere a little later.
            ThreadPool.QueueUserWorkItem(_ => { Thread.Sleep(20); Dev.Host!.RaiseStatus(Dev, UnitStatus.DeviceEnd); });
            return true;
        };
        Ccw(0x400, 0x01, 0x600, CC, 1);
        Ccw(0x408, 0x03, 0, 0, 1);
        Caw(0x400);
        Assert.That(Sio(), Is.EqualTo(0), "the CPU goes on while the channel waits for device end");
        Assert.That(SpinUntil(() => Ch.InterruptPending), Is.True);
        Assert.That(TakeInterrupt(), Is.True);
        Assert.That(StoredCsw, Is.EqualTo(new Csw(0, 0x410, CeDe, ChannelStatus.None, 0)));
        Assert.That(Dev.Calls, Has.Count.EqualTo(2));
    }

    static bool SpinUntil(Func<bool> condition) => SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(10));
}
