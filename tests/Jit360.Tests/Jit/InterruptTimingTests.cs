using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Jit;

/// <summary>
/// In deterministic time (one microsecond per instruction) a timer interruption arrives after
/// exactly the same instruction on every engine: a tight loop runs with external interruptions
/// enabled until the interval timer (GA22-6821 "Interval Timer") or the clock comparator
/// (GA22-7000 "Clock Comparator") interrupts it; the old PSW's instruction address and the
/// instruction count must equal the interpreter's, whether the engine is called once or in
/// many small slices (as the bare machine and the Control Program call it).
/// </summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class InterruptTimingTests(string engine)
{
    const uint Loop = 0x800;

    /// <summary>
    /// LOOP: LA 1,1(1) / BC 15,LOOP at X'800', enabled for external interruptions; the external
    /// new PSW is a disabled wait, so the run ends at the first interruption.
    /// </summary>
    static CpuState LoopMachine(ArchLevel level, bool ec = false)
    {
        var cpu = new CpuState(level, 0x10000, deterministicTime: true) { StopOnInterrupt = true };
        cpu.Storage.Load(Loop, Convert.FromHexString("4111000147F00800"));
        cpu.Storage.WriteDoublewordAbsolute(Low.ExternalNewPsw, 0x0002_0000_0000_E0E0UL);
        // System mask: external (bit 7); EC mode on S/370 when asked (bit 12), external mask bit 7 likewise.
        cpu.LoadPsw(ec ? 0x0108_0000_0000_0000UL | Loop : 0x0100_0000_0000_0000UL | Loop);
        return cpu;
    }

    /// <summary>Runs to the first interruption, in slices of <paramref name="slice"/> instructions (0: one call).</summary>
    static ExitReason RunToInterrupt(IExecutionEngine eng, CpuState cpu, int slice)
    {
        if (slice == 0) return eng.Run(cpu, 1_000_000);
        for (int i = 0; i < 1_000_000 / slice; i++)
        {
            var exit = eng.Run(cpu, slice);
            if (exit != ExitReason.InstructionLimit) return exit;
        }
        return ExitReason.InstructionLimit;
    }

    static (long Instructions, uint OldIa, uint R1, int Code) Outcome(CpuState cpu)
        => (cpu.Instructions, (uint)cpu.LastInterrupt.OldPsw & 0xFF_FFFF, cpu.Gpr[1], cpu.LastInterrupt.Code);

    static void AssertConsistent(CpuState cpu)
    {
        // Each pass is two instructions: after n, R1 = ceil(n/2) and the next instruction is the
        // LA when n is even, the BC when it is odd.
        long n = cpu.Instructions;
        Assert.That(cpu.Gpr[1], Is.EqualTo((uint)((n + 1) / 2)));
        Assert.That((uint)cpu.LastInterrupt.OldPsw & 0xFF_FFFF, Is.EqualTo(n % 2 == 0 ? Loop : Loop + 4));
    }

    [TestCase(ArchLevel.S360, 0)]
    [TestCase(ArchLevel.S360, 7)]
    [TestCase(ArchLevel.S360, 1000)]
    [TestCase(ArchLevel.S360_67, 0)]
    [TestCase(ArchLevel.S370, 0)]
    [TestCase(ArchLevel.S370, 13)]
    public void Interval_timer_interrupts_a_loop_at_the_interpreters_instruction(ArchLevel level, int slice)
    {
        // X'100' in bits 0-31 of location 80: 256 units of 1/76,800 s, about 3.3 ms.
        var cpu = LoopMachine(level);
        cpu.Storage.WriteWordAbsolute(Low.IntervalTimer, 0x100);
        var exit = RunToInterrupt(TestEngines.Create(engine), cpu, slice);
        Assert.That(exit, Is.EqualTo(ExitReason.Interrupt));
        Assert.That(cpu.LastInterrupt.Class, Is.EqualTo(InterruptClass.External));
        Assert.That(cpu.LastInterrupt.Code & 0x80, Is.EqualTo(0x80), "interval timer");
        AssertConsistent(cpu);
        // 257 units pass before the value goes negative: 257 * 1,000,000 / 76,800 = 3346.35
        // microseconds; the interruption comes within a unit (13 microseconds) of that.
        Assert.That(cpu.Instructions, Is.InRange(3346, 3346 + 14));

        var reference = LoopMachine(level);
        reference.Storage.WriteWordAbsolute(Low.IntervalTimer, 0x100);
        RunToInterrupt(new Jit360.Interpreter.Interpreter(), reference, slice);
        Assert.That(Outcome(cpu), Is.EqualTo(Outcome(reference)));
    }

    [TestCase(0, false)]
    [TestCase(0, true)]
    [TestCase(9, false)]
    [TestCase(250, true)]
    public void Clock_comparator_interrupts_a_loop_at_the_interpreters_instruction(int slice, bool ec)
    {
        // The comparator is set 2000 microseconds ahead of the TOD clock; CR0 bit 20 enables it.
        CpuState Prepare()
        {
            var cpu = LoopMachine(ArchLevel.S370, ec);
            cpu.Cr[0] = (cpu.Cr[0] | 0x800) & ~0x80u;   // clock comparator on, interval timer off
            cpu.Clock.SetClockComparator(cpu.Clock.Tod + (2000UL << 12));
            return cpu;
        }
        var cpu = Prepare();
        var exit = RunToInterrupt(TestEngines.Create(engine), cpu, slice);
        Assert.That(exit, Is.EqualTo(ExitReason.Interrupt));
        Assert.That(cpu.LastInterrupt.Class, Is.EqualTo(InterruptClass.External));
        Assert.That(cpu.LastInterrupt.Code, Is.EqualTo(0x1004), "clock comparator");
        AssertConsistent(cpu);
        // Pending once the TOD clock is past the comparator: after 2001 microseconds.
        Assert.That(cpu.Instructions, Is.EqualTo(2001));

        var reference = Prepare();
        RunToInterrupt(new Jit360.Interpreter.Interpreter(), reference, slice);
        Assert.That(Outcome(cpu), Is.EqualTo(Outcome(reference)));
    }

    [TestCase(0)]
    [TestCase(11)]
    public void CPU_timer_interrupts_a_loop_at_the_interpreters_instruction(int slice)
    {
        // SPT's value: 1500 microseconds (bit 51 is one microsecond); CR0 bit 21 enables it.
        CpuState Prepare()
        {
            var cpu = LoopMachine(ArchLevel.S370);
            cpu.Cr[0] = (cpu.Cr[0] | 0x400) & ~0x80u;   // CPU timer on, interval timer off
            cpu.Clock.SetCpuTimer(1500L << 12);
            return cpu;
        }
        var cpu = Prepare();
        var exit = RunToInterrupt(TestEngines.Create(engine), cpu, slice);
        Assert.That(exit, Is.EqualTo(ExitReason.Interrupt));
        Assert.That(cpu.LastInterrupt.Code, Is.EqualTo(0x1005), "CPU timer");
        AssertConsistent(cpu);

        var reference = Prepare();
        RunToInterrupt(new Jit360.Interpreter.Interpreter(), reference, slice);
        Assert.That(Outcome(cpu), Is.EqualTo(Outcome(reference)));
    }

    [Test]
    public void A_timer_interruption_inside_a_translated_loop_with_a_store_each_pass()
    {
        // LOOP: ST 1,X'900' / LA 1,1(1) / BC 15,LOOP: stores in the loop body do not move the interruption.
        CpuState Prepare()
        {
            var cpu = new CpuState(ArchLevel.S360, 0x10000, deterministicTime: true) { StopOnInterrupt = true };
            cpu.Storage.Load(Loop, Convert.FromHexString("50100900" + "41110001" + "47F00800"));
            cpu.Storage.WriteDoublewordAbsolute(Low.ExternalNewPsw, 0x0002_0000_0000_E0E0UL);
            cpu.Storage.WriteWordAbsolute(Low.IntervalTimer, 0x80);
            cpu.LoadPsw(0x0100_0000_0000_0000UL | Loop);
            return cpu;
        }
        var cpu = Prepare();
        Assert.That(TestEngines.Create(engine).Run(cpu, 1_000_000), Is.EqualTo(ExitReason.Interrupt));
        var reference = Prepare();
        new Jit360.Interpreter.Interpreter().Run(reference, 1_000_000);
        Assert.That(Outcome(cpu), Is.EqualTo(Outcome(reference)));
        Assert.That(cpu.Storage.ReadWordAbsolute(0x900), Is.EqualTo(reference.Storage.ReadWordAbsolute(0x900)));
        Assert.That(cpu.Instructions, Is.GreaterThan(1000));
    }
}
