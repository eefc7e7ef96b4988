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
    public void Lockstep_needs_deterministic_time()
    {
        var cpu = new CpuState(ArchLevel.S370, 0x10000);
        Assert.Throws<InvalidOperationException>(() => new LockstepEngine().Run(cpu, 10));
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
