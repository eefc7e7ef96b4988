using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Interpreter;

/// <summary>Interruption mechanics: PSW swaps in BC, EC and Model 67 extended mode, timers, wait states.</summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class InterruptTests(string engine)
{
    TestMachine M(ArchLevel level = ArchLevel.S370) => new(engine, level);

    static ulong Dw(TestMachine m, uint at) => m.Cpu.Storage.ReadDoublewordAbsolute(at);

    [Test]
    public void SVC_BC_old_psw_has_code_ilc_cc_and_updated_address()
    {
        var m = M().Code("0A13").Cc(1).ProgramMask(4).Bytes(Low.SvcNewPsw, "0000 0000 0000 3000");
        m.Run();
        Assert.That(Dw(m, Low.SvcOldPsw), Is.EqualTo(0x0000_0013_5400_1002UL));
        Assert.That(m.Cpu.Ia, Is.EqualTo(0x3000u));
    }

    [Test]
    public void SVC_through_EX_has_ilc_2()
    {
        var m = M().Code("4410 0100").Reg(1, 0x77).Bytes(0x100, "0A00");
        m.Run();
        Assert.That(m.Cpu.LastInterrupt.Class, Is.EqualTo(InterruptClass.Svc));
        Assert.That(Dw(m, Low.SvcOldPsw), Is.EqualTo(0x0000_0077_8000_1004UL));
    }

    [Test]
    public void SVC_EC_stores_ilc_and_code_at_136()
    {
        var m = M().Code("0A13").Psw(0x0008_1000_0000_1000UL).Bytes(0x88, "FFFF FFFF");
        m.Run();
        Assert.That(Dw(m, Low.SvcOldPsw), Is.EqualTo(0x0008_1000_0000_1002UL));
        Assert.That(m.Hex(0x88, 4), Is.EqualTo("00020013"));
    }

    [Test]
    public void Program_check_BC_old_psw()
    {
        var m = M().Code("8200 0104");   // LPSW misaligned
        m.Run();
        Assert.That(Dw(m, Low.ProgramOldPsw), Is.EqualTo(0x0000_0006_8000_1004UL));
    }

    [Test]
    public void Program_check_marks_low_storage_changed()
    {
        var m = M().Code("8200 0104");
        m.Run();
        Assert.That(m.Cpu.Storage.GetKey(0) & (Storage.Reference | Storage.Change), Is.EqualTo(Storage.Reference | Storage.Change));
    }

    [Test]
    public void Model67_program_check_in_extended_mode_stores_code_at_18()
    {
        var m = M(ArchLevel.S360_67).Code("8200 0104");
        m.Cpu.Cr[6] = Psw67.ExtendedPswBit;
        m.Cpu.LoadPsw(0x0000_0000_0000_1000UL);
        m.Run();
        Assert.That(Dw(m, Low.ProgramOldPsw), Is.EqualTo(0x0000_8000_0000_1004UL));
        Assert.That(m.Hex(0x12, 2), Is.EqualTo("0006"));
    }

    [Test]
    public void Model67_standard_mode_uses_the_S360_psw()
    {
        var m = M(ArchLevel.S360_67).Code("0A05");
        m.Run();
        Assert.That(Dw(m, Low.SvcOldPsw), Is.EqualTo(0x0000_0005_4000_1002UL));
    }

    [Test]
    public void New_psw_from_interruption_that_is_invalid_gives_a_specification_exception()
    {
        var m = M().Code("0A01").Bytes(Low.SvcNewPsw, "8008 0000 0000 2000").Bytes(Low.ProgramNewPsw, "0000 0000 0000 4000");
        m.Cpu.StopOnInterrupt = false;
        m.Run(1);
        Assert.That(m.Cpu.LastInterrupt.Class, Is.EqualTo(InterruptClass.Program));
        Assert.That(m.Cpu.LastInterrupt.Code, Is.EqualTo(ProgramInterruptCode.Specification));
        Assert.That(m.Cpu.LastInterrupt.Ilc, Is.EqualTo(0));
        Assert.That(Dw(m, Low.ProgramOldPsw), Is.EqualTo(0x8008_0000_0000_2000UL));
        Assert.That(m.Cpu.Ia, Is.EqualTo(0x4000u));
    }

    // ---- interval timer ----

    /// <summary>An enabled wait with the timer at <paramref name="timer"/>; deterministic time skips to the event.</summary>
    TestMachine TimerWait(ArchLevel level, uint timer)
    {
        var m = M(level).Bytes(Low.IntervalTimer, timer.ToString("X8")).Bytes(Low.ExternalNewPsw, "0000 0000 0000 3000");
        m.Cpu.LoadPsw(0x0102_0000_0000_2000UL);   // external mask, wait
        return m;
    }

    [TestCase(ArchLevel.S360)]
    [TestCase(ArchLevel.S370)]
    public void Interval_timer_interrupts_when_it_goes_negative(ArchLevel level)
    {
        var m = TimerWait(level, 0x0000_0100);
        var exit = m.Run(1_000_000);
        Assert.That(exit, Is.EqualTo(ExitReason.Interrupt));
        Assert.That(m.Cpu.LastInterrupt.Class, Is.EqualTo(InterruptClass.External));
        Assert.That(Dw(m, Low.ExternalOldPsw), Is.EqualTo(0x0102_0080_0000_2000UL), "wait PSW, code X'0080'");
        Assert.That((int)m.Word(Low.IntervalTimer), Is.LessThan(0).And.GreaterThan(-4));
        Assert.That(m.Cpu.Ia, Is.EqualTo(0x3000u));
        Assert.That(m.Cpu.Wait, Is.False);
        // 0x101 units of 1/76,800 s = 3,346 microseconds, one per instruction in deterministic time
        Assert.That(m.Cpu.Clock.Micros, Is.InRange(3340, 3360));
    }

    [Test]
    public void Interval_timer_needs_the_S370_CR0_bit_24_subclass_mask()
    {
        var m = TimerWait(ArchLevel.S370, 0x0000_0010);
        m.Cpu.Cr[0] &= ~0x80u;
        var exit = m.Run(10_000);
        Assert.That(exit, Is.EqualTo(ExitReason.EnabledWait));
        Assert.That(m.Cpu.Clock.IntervalTimerPending, Is.True, "stays pending");
        m.Cpu.Cr[0] |= 0x80u; m.Cpu.Attention = true;
        exit = m.Run(10);
        Assert.That(exit, Is.EqualTo(ExitReason.Interrupt));
        Assert.That(m.Cpu.LastInterrupt.Code, Is.EqualTo(0x80));
    }

    [Test]
    public void Interval_timer_decrements_while_running()
    {
        var m = M().Code("07FF").Reg(15, 0x1000).Bytes(Low.IntervalTimer, "00100000");
        m.Run(5000);
        m.Cpu.Clock.Update();
        uint v = m.Word(Low.IntervalTimer);
        Assert.That(0x0010_0000u - v, Is.InRange(383u, 385u), "76.8 units per 1000 microseconds");
    }

    [Test]
    public void External_interrupt_EC_mode_stores_code_at_134()
    {
        var m = TimerWait(ArchLevel.S370, 0x10);
        m.Cpu.LoadPsw(0x010A_0000_0000_2000UL);   // EC, external mask, wait
        m.Run(100_000);
        Assert.That(m.Hex(0x86, 2), Is.EqualTo("0080"));
        Assert.That(Dw(m, Low.ExternalOldPsw), Is.EqualTo(0x010A_0000_0000_2000UL));
    }

    [Test]
    public void Interrupt_key_S360()
    {
        var m = M(ArchLevel.S360).Code("07FF").Reg(15, 0x1000).Psw(0x0100_0000_0000_1000UL).Bytes(Low.ExternalNewPsw, "0000 0000 0000 3000");
        m.Cpu.PressInterruptKey();
        m.Run(5);
        Assert.That(m.Cpu.LastInterrupt.Class, Is.EqualTo(InterruptClass.External));
        Assert.That(m.Cpu.LastInterrupt.Code, Is.EqualTo(0x40));
    }

    [Test]
    public void Clock_comparator_interrupt_S370_EC()
    {
        var m = M().Code("B206 0100 07FF").Reg(15, 0x1004).Bytes(Low.ExternalNewPsw, "0000 0000 0000 3000");
        m.Cpu.LoadPsw(0x0108_0000_0000_1000UL);
        m.Cpu.Cr[0] |= 0x800;
        m.Bytes(0x100, "0000 0000 0000 0000");   // already past
        m.Run(10);
        Assert.That(m.Cpu.LastInterrupt.Class, Is.EqualTo(InterruptClass.External));
        Assert.That(m.Hex(0x86, 2), Is.EqualTo("1004"));
        Assert.That((uint)Dw(m, Low.ExternalOldPsw), Is.EqualTo(0x1004u), "after SCKC");
    }

    [Test]
    public void CPU_timer_interrupt_after_it_goes_negative()
    {
        var m = M().Code("B208 0100 07FF").Reg(15, 0x1004).Bytes(Low.ExternalNewPsw, "0000 0000 0000 3000").Bytes(0x100, "0000 0000 0000 A000");
        m.Cpu.LoadPsw(0x0108_0000_0000_1000UL);
        m.Cpu.Cr[0] |= 0x400;
        var exit = m.Run(10_000);
        Assert.That(exit, Is.EqualTo(ExitReason.Interrupt));
        Assert.That(m.Hex(0x86, 2), Is.EqualTo("1005"));
        // Timers are looked at between slices of instructions (Interpreter.Slice), not after each one.
        Assert.That(m.Cpu.Instructions, Is.InRange(10, Jit360.Interpreter.Interpreter.Slice + 2));
    }

    // ---- wait states ----

    [Test]
    public void Disabled_wait_exits()
    {
        var m = M().Code("8200 0100").Bytes(0x100, "0002 0000 0000 0ABC");
        var exit = m.Run(10);
        Assert.That(exit, Is.EqualTo(ExitReason.DisabledWait));
        Assert.That(m.Cpu.Wait, Is.True);
        Assert.That(m.Cpu.Ia, Is.EqualTo(0xABCu));
    }

    [Test]
    public void Enabled_wait_with_nothing_pending_exits_as_enabled_wait()
    {
        var m = M(ArchLevel.S360).Code("8200 0100").Bytes(0x100, "FE02 0000 0000 2000").Bytes(Low.IntervalTimer, "80000000");
        var exit = m.Run(10);
        Assert.That(exit, Is.EqualTo(ExitReason.EnabledWait));
    }

    [Test]
    public void Restart_S370_swaps_at_8_and_0()
    {
        var m = M().Code("07FF").Bytes(0, "0000 0000 0000 5000");
        m.Cpu.TakeRestartInterrupt();
        Assert.That(Dw(m, Low.RestartOldPsw), Is.EqualTo(0x0000_0000_0000_1000UL));
        Assert.That(m.Cpu.Ia, Is.EqualTo(0x5000u));
        Assert.Throws<InvalidOperationException>(() => M(ArchLevel.S360).Cpu.TakeRestartInterrupt());
    }

    // ---- I/O interruption masks ----

    [Test]
    public void Channel_masks_BC_EC_and_67_extended()
    {
        var c = M().Cpu;
        c.LoadPsw(0x4000_0000_0000_0000UL);          // BC: channel 1 only
        Assert.That(c.ChannelEnabled(1), Is.True);
        Assert.That(c.ChannelEnabled(0), Is.False);
        c.LoadPsw(0x0200_0000_0000_0000UL);          // BC bit 6 with CR2 all ones
        Assert.That(c.ChannelEnabled(7), Is.True);
        c.Cr[2] = 0x8000_0000;
        Assert.That(c.ChannelEnabled(7), Is.False);
        c.LoadPsw(0x0208_0000_0000_0000UL);          // EC: bit 6 and CR2 bit 0
        Assert.That(c.ChannelEnabled(0), Is.True);
        Assert.That(c.ChannelEnabled(1), Is.False);
        var x = M(ArchLevel.S360_67).Cpu;
        x.Cr[6] = Psw67.ExtendedPswBit; x.Cr[4] = 0x0080_0000;   // channel 7 (CR4 bit 8)
        x.LoadPsw(0x0200_0000_0000_0000UL);
        Assert.That(x.ChannelEnabled(7), Is.True);
        Assert.That(x.ChannelEnabled(0), Is.False);
    }
}
