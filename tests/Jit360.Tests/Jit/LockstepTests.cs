using Jit360.Architecture;
using Jit360.Jit;
using Jit360.Machine;

namespace Jit360.Tests.Jit;

/// <summary>The lockstep engine itself: it finds a divergence and shows it, and keeps I/O on the real machine only.</summary>
public class LockstepTests
{
    /// <summary>The interpreter, made wrong on purpose after a number of instructions by <paramref name="sabotage"/>.</summary>
    sealed class FaultyEngine(long after, Action<CpuState> sabotage) : IExecutionEngine
    {
        readonly Jit360.Interpreter.Interpreter inner = new();
        public string Name => "faulty";
        public ExitReason Run(CpuState cpu, long maxInstructions)
        {
            var exit = inner.Run(cpu, maxInstructions);
            if (cpu.Instructions >= after) sabotage(cpu);
            return exit;
        }
    }

    /// <summary>A loop at X'1000': LA 1,1(1) / ST 1,X'800' / BC 15,0(0,12) with R12 = X'1000'.</summary>
    static CpuState LoopMachine()
    {
        var cpu = new CpuState(ArchLevel.S370, 0x10000, deterministicTime: true);
        cpu.Storage.Load(0x1000, Convert.FromHexString("41110001" + "50100800" + "47F0C000"));
        cpu.Gpr[12] = 0x1000;
        cpu.LoadPsw(0x1000);
        return cpu;
    }

    [Test]
    public void A_register_that_differs_is_reported_with_both_states_and_the_last_instructions()
    {
        var cpu = LoopMachine();
        var lockstep = new LockstepEngine(new FaultyEngine(300, c => c.Gpr[5] = 0xBAD)) { RoundInstructions = 100 };
        var e = Assert.Throws<LockstepDivergence>(() => lockstep.Run(cpu, 10_000))!;
        Assert.That(e.Differences.Select(d => d.What), Is.EqualTo(new[] { "GR5" }));
        Assert.That(e.Message, Does.Contain("*GR5"));
        Assert.That(e.Message, Does.Contain("after 100 instructions from instruction 200"));
        Assert.That(e.Message, Does.Contain("LA    1,1(1,0)").Or.Contain("LA    1,1(1)"));
        Assert.That(e.Message, Does.Contain("last instructions the interpreter executed"));
    }

    [Test]
    public void A_storage_byte_that_differs_is_reported_with_its_address()
    {
        var cpu = LoopMachine();
        var lockstep = new LockstepEngine(new FaultyEngine(0, c => c.Storage.Bytes[0x4321] = 0x5A)) { RoundInstructions = 64 };
        var e = Assert.Throws<LockstepDivergence>(() => lockstep.Run(cpu, 1000))!;
        Assert.That(e.Differences.Single().What, Is.EqualTo("storage 004321"));
        Assert.That(e.Differences.Single().Right, Is.EqualTo("5A"));
    }

    [Test]
    public void The_JIT_and_the_interpreter_agree_on_a_loop_run_in_many_rounds()
    {
        var cpu = LoopMachine();
        var lockstep = new LockstepEngine(new JitEngine { HotThreshold = 0 }) { RoundInstructions = 37 };
        Assert.That(lockstep.Run(cpu, 30_000), Is.EqualTo(ExitReason.InstructionLimit));
        Assert.That(cpu.Instructions, Is.EqualTo(30_000));
        Assert.That(cpu.Gpr[1], Is.EqualTo(10_000u));
        Assert.That(lockstep.Rounds, Is.GreaterThanOrEqualTo(30_000 / 37));
        Assert.That(lockstep.Jit!.Statistics.InstructionsTranslated, Is.GreaterThan(20_000));
    }

    sealed class CountingIo : IIoSubsystem
    {
        public int Calls;
        public int StartIo(CpuState cpu, uint deviceAddress, bool fastRelease) { Calls++; cpu.Storage.Load(0x40, [1, 2, 3, 4, 5, 6, 7, 8]); return 1; }
        public int TestIo(CpuState cpu, uint deviceAddress) { Calls++; return 0; }
        public int HaltIo(CpuState cpu, uint deviceAddress) { Calls++; return 0; }
        public int HaltDevice(CpuState cpu, uint deviceAddress) { Calls++; return 0; }
        public int ClearIo(CpuState cpu, uint deviceAddress) { Calls++; return 0; }
        public int TestChannel(CpuState cpu, uint channel) { Calls++; return 0; }
        public int StoreChannelId(CpuState cpu, uint channel) { Calls++; return 0; }
        public bool InterruptPending => false;
        public bool TryAcceptInterrupt(CpuState cpu, Func<int, bool> channelEnabled, out ushort deviceAddress) { deviceAddress = 0; return false; }
    }

    [Test]
    public void An_IO_instruction_reaches_the_real_channels_once_and_both_copies_see_its_result()
    {
        // LA 1,1(1) / SIO X'190' / LA 2,1(2) / LPSW X'900': the CSW the subsystem stores and its
        // cc 1 must reach the translated copy, which then runs on to the disabled wait.
        var cpu = new CpuState(ArchLevel.S370, 0x10000, deterministicTime: true);
        cpu.Storage.Load(0x1000, Convert.FromHexString("41110001" + "9C000190" + "41220001" + "82000900"));
        cpu.Storage.Load(0x900, Convert.FromHexString("000200000000AAAA"));
        var io = new CountingIo();
        cpu.Io = io;
        cpu.LoadPsw(0x1000);
        var lockstep = new LockstepEngine(new JitEngine { HotThreshold = 0 }) { RoundInstructions = 64 };
        Assert.That(lockstep.Run(cpu, 100), Is.EqualTo(ExitReason.DisabledWait));
        Assert.That(io.Calls, Is.EqualTo(1));
        Assert.That(cpu.Io, Is.SameAs(io), "the real subsystem is put back after the run");
        Assert.That(cpu.Gpr[1], Is.EqualTo(1u));
        Assert.That(cpu.Gpr[2], Is.EqualTo(1u));
        Assert.That(cpu.Storage.ReadDoublewordAbsolute(0x40), Is.EqualTo(0x0102030405060708UL));
        Assert.That(cpu.Instructions, Is.EqualTo(4));
    }

    [Test]
    public void On_host_time_both_copies_see_the_same_clock_and_it_follows_the_host_between_runs()
    {
        // STCK X'800' / LA 1,1(1) / BC 15,0(0,12): every TOD value stored must be the same on both
        // copies (storage is compared), however the host's clock ticks while they run.
        var cpu = new CpuState(ArchLevel.S370, 0x10000);
        cpu.Storage.Load(0x1000, Convert.FromHexString("B2050800" + "41110001" + "47F0C000"));
        cpu.Gpr[12] = 0x1000;
        cpu.LoadPsw(0x1000);
        var lockstep = new LockstepEngine(new JitEngine { HotThreshold = 0 }) { RoundInstructions = 50 };
        Assert.That(lockstep.Run(cpu, 3000), Is.EqualTo(ExitReason.InstructionLimit));
        Assert.That(cpu.Clock.Paced, "a real-time clock is paced under lockstep");
        ulong first = cpu.Storage.ReadDoublewordAbsolute(0x800);
        // The TOD clock shows the host's time (bit 51 = 1 microsecond since 1900).
        var tod = new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks((long)(first >> 12) * 10);
        Assert.That(tod, Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(1)));
        Thread.Sleep(60);
        Assert.That(lockstep.Run(cpu, 3000), Is.EqualTo(ExitReason.InstructionLimit));
        ulong second = cpu.Storage.ReadDoublewordAbsolute(0x800);
        Assert.That((long)((second - first) >> 12), Is.GreaterThanOrEqualTo(60_000), "host time that passed between runs reaches the guest");
        Assert.That(cpu.Gpr[1], Is.EqualTo(2000u));
    }

    /// <summary>The JIT, made wrong on purpose once, after a number of instructions, by <paramref name="sabotage"/>: the hook that proves lockstep catches a bad translation.</summary>
    sealed class SabotagedJit(long after, Action<CpuState> sabotage) : IExecutionEngine
    {
        public readonly JitEngine Jit = new() { HotThreshold = 0 };
        bool done;
        public string Name => "sabotaged-jit";
        public ExitReason Run(CpuState cpu, long maxInstructions)
        {
            var exit = Jit.Run(cpu, maxInstructions);
            if (!done && cpu.Instructions >= after) { done = true; sabotage(cpu); }
            return exit;
        }
    }

    [Test]
    public void A_register_the_JIT_side_corrupts_is_reported_with_both_states_and_the_guest_address()
    {
        var cpu = LoopMachine();
        var jit = new SabotagedJit(1001, c => c.Gpr[7] ^= 0x00F0_0000);
        var lockstep = new LockstepEngine(jit) { RoundInstructions = 50 };
        var e = Assert.Throws<LockstepDivergence>(() => lockstep.Run(cpu, 10_000))!;
        Assert.That(jit.Jit.Statistics.InstructionsTranslated, Is.GreaterThan(0), "the translated code ran");
        Assert.That(e.Differences.Select(d => d.What), Is.EqualTo(new[] { "GR7" }));
        Assert.That(e.Differences.Single().Left, Is.EqualTo("00000000"), "the interpreter's value");
        Assert.That(e.Differences.Single().Right, Is.EqualTo("00F00000"), "the JIT's value");
        Assert.That(e.Message, Does.Contain("after 50 instructions from instruction 1000 (guest address 00100"));
        Assert.That(e.Message, Does.Match(@"guest address: interpreter at 00100[048], JIT at 00100[048], instruction 1050"));
        Assert.That(e.Message, Does.Contain("*GR7"));
        Assert.That(e.Message, Does.Contain("interpreter").And.Contain("JIT"));
        Assert.That(e.Message, Does.Contain("ST    1,2048"));
        Assert.That(cpu.Instructions, Is.EqualTo(1050), "it stops at the round that diverged");
    }

    [Test]
    public void A_divergence_on_a_running_machine_stops_it_and_its_report_says_why()
    {
        var machine = new Jit360.Cli.BareMachine(ArchLevel.S370, 0x10000, new LockstepEngine(new SabotagedJit(5000, c => c.Gpr[3] = 0xBAD)) { RoundInstructions = 100 }, output: TextWriter.Null);
        machine.Cpu.Storage.Load(0x1000, Convert.FromHexString("41110001" + "50100800" + "47F0C000"));
        machine.Cpu.Gpr[12] = 0x1000;
        machine.Cpu.LoadPsw(0x1000);
        var e = Assert.Throws<InvalidOperationException>(() => machine.Run())!;
        Assert.That(e.InnerException, Is.InstanceOf<LockstepDivergence>());
        Assert.That(machine.Report(), Does.Contain("the engine failed: lockstep divergence").And.Contain("*GR3"));
        machine.Shutdown();
    }

    [Test]
    public void A_clone_compares_equal_and_a_changed_copy_does_not()
    {
        var cpu = LoopMachine();
        new Jit360.Interpreter.Interpreter().Run(cpu, 1234);
        cpu.Storage.SetKey(0x3000, 0x38);
        var copy = cpu.Clone();
        Assert.That(CpuComparison.Compare(cpu, copy), Is.Empty);
        copy.Fpr[4] = 1;
        copy.Storage.Bytes[0x5000] = 9;
        Assert.That(CpuComparison.Compare(cpu, copy).Select(d => d.What), Is.EquivalentTo(new[] { "FPR4", "storage 005000" }));
        Assert.That(copy.CopyFrom(cpu), Is.EqualTo(CpuState.SnapshotLine));
        Assert.That(CpuComparison.Compare(cpu, copy), Is.Empty);
    }

    [Test]
    public void Every_field_of_the_CPU_is_either_copied_or_named_as_the_hosts()
    {
        // Throws (naming the field) if someone adds a reference-typed field the snapshot does not know.
        Assert.That(CpuState.SnapshotFields, Does.Contain(nameof(CpuState.Instructions)).And.Contain(nameof(CpuState.Gpr)));
        Assert.That(CpuState.SnapshotFields, Does.Not.Contain(nameof(CpuState.Io)));
    }
}
