using System.Buffers.Binary;
using Jit360.Architecture;
using Jit360.Cp.VirtualMachines;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Cp;

/// <summary>
/// The privileged-instruction simulation core: one small guest run in the virtual supervisor
/// state (CP simulates) and in the virtual problem state (CP reflects through the guest's own
/// program new PSW), on every engine.
/// </summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class VirtualMachineTests(string engine)
{
    const string Guest = """
         START X'1000'
BEGIN    BALR  12,0
         USING *,12
         SSM   MASK1              system mask := X'FE'
         STNSM SAVE1,X'00'        stores X'FE', mask := X'00'
         STOSM SAVE2,X'02'        stores X'00', mask := X'02'
         LA    2,X'F0'
         LA    3,X'800'
         SSK   2,3                key F into the block at X'800'
         ISK   4,3
         LCTL  0,0,CR0VAL
         STCTL 0,0,CR0OUT
         DIAG  5,6,X'24'          the test's DIAGNOSE: R6 := R5 + 1
         LPSW  NEXTPSW
NEXT     LA    7,1
         SVC   2                  the SVC new PSW is a disabled wait
MASK1    DC    X'FE'
SAVE1    DC    X'00'
SAVE2    DC    X'00'
         DS    0F
CR0VAL   DC    X'00800040'
CR0OUT   DC    F'0'
         DS    0D
NEXTPSW  DC    X'00000000',A(NEXT)
* Program interruptions: count, resume after the instruction.
PGMCHK   LA    9,1(9)
         LPSW  X'28'
         END   BEGIN
""";

    static readonly Jit360.Assembler.AssemblyResult Assembled =
        Jit360.Assembler.Assembler.Assemble(Guest, "guest.asm", new() { Level = ArchLevel.S370 });

    (VirtualMachine vm, CpuState cpu) Boot(bool problem)
    {
        Assert.That(Assembled.Success, Assembled.DiagnosticText);
        var cpu = new CpuState(ArchLevel.S370, 0x10000, deterministicTime: true);
        cpu.Storage.Load(Assembled.CoreImage.Origin, Assembled.CoreImage.Bytes);
        Psw(cpu, Low.ProgramNewPsw, 0x0000_0000_0000_0000UL | Symbol("PGMCHK"));
        Psw(cpu, Low.SvcNewPsw, 0x0002_0000_0000_0AAAUL);   // disabled wait
        var diagnose = new DiagnoseTable().Register(0x24, (vm, call) =>
        {
            vm.Cpu.Gpr[call.Ry] = vm.Cpu.Gpr[call.Rx] + 1;
            return null;
        });
        var vm = new VirtualMachine(cpu, diagnose);
        vm.LoadVirtualPsw((problem ? 0x0001_0000_0000_0000UL : 0) | Assembled.EntryPoint);
        cpu.Gpr[5] = 41;
        return (vm, cpu);
    }

    static uint Symbol(string name) => Assembled.Symbols.TryGetValue(name, out long v) ? (uint)v : throw new AssertionException(name + " not in " + string.Join(",", Assembled.Symbols.Keys));

    static void Psw(CpuState cpu, uint at, ulong psw)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, psw);
        cpu.Storage.Load(at, b);
    }

    static ulong StoredPsw(CpuState cpu, uint at) => cpu.Storage.ReadDoublewordAbsolute(at);

    [Test]
    public void In_the_virtual_supervisor_state_CP_simulates_each_privileged_instruction()
    {
        var (vm, cpu) = Boot(problem: false);
        var exit = vm.Run(TestEngines.Create(engine), 1000);

        Assert.That(exit, Is.EqualTo(ExitReason.DisabledWait));
        Assert.That(cpu.Storage.Bytes[Symbol("SAVE1")], Is.EqualTo(0xFE), "STNSM stored the mask SSM set");
        Assert.That(cpu.Storage.Bytes[Symbol("SAVE2")], Is.EqualTo(0x00), "STOSM stored the mask STNSM left");
        Assert.That(cpu.Storage.GetKey(0x800) & 0xF8, Is.EqualTo(0xF0), "SSK");
        Assert.That(cpu.Gpr[4] & 0xFF, Is.EqualTo(0xF0u), "ISK in BC mode: key and fetch bit, bits 29-31 zero");
        Assert.That(cpu.Cr[0], Is.EqualTo(0x0080_0040u), "LCTL");
        Assert.That(cpu.Storage.ReadWordAbsolute(Symbol("CR0OUT")), Is.EqualTo(0x0080_0040u), "STCTL");
        Assert.That(cpu.Gpr[6], Is.EqualTo(42u), "DIAGNOSE X'24' went to the table");
        Assert.That(cpu.Gpr[7], Is.EqualTo(1u), "LPSW resumed at NEXT");
        Assert.That(cpu.Gpr[9], Is.EqualTo(0u), "no program interruption reached the guest; last old PSW " + StoredPsw(cpu, Low.ProgramOldPsw).ToString("X16"));
        Assert.That(vm.Simulated, Is.EqualTo(9));
        // The SVC old PSW shows the virtual supervisor state although the real CPU ran in the problem state.
        ulong svcOld = StoredPsw(cpu, Low.SvcOldPsw);
        Assert.That(svcOld & (1UL << 48), Is.Zero, "SVC old PSW problem bit");
        Assert.That((uint)svcOld & 0xFFFFFF, Is.EqualTo(Symbol("MASK1")), "SVC old PSW address");
        Assert.That(cpu.Problem, Is.True, "the real CPU stays in the problem state");
        Assert.That(vm.VirtualProblem, Is.False);
        Assert.That(vm.VirtualPsw, Is.EqualTo(0x0002_0000_0000_0AAAUL));
    }

    [Test]
    public void In_the_virtual_problem_state_each_privileged_instruction_is_reflected_through_the_program_new_PSW()
    {
        var (vm, cpu) = Boot(problem: true);
        var exit = vm.Run(TestEngines.Create(engine), 1000);

        Assert.That(exit, Is.EqualTo(ExitReason.DisabledWait));
        Assert.That(cpu.Gpr[9], Is.EqualTo(9u), "SSM STNSM STOSM SSK ISK LCTL STCTL DIAG LPSW each interrupted");
        Assert.That(vm.Reflected, Is.EqualTo(9));
        Assert.That(cpu.Storage.Bytes[Symbol("SAVE1")], Is.EqualTo(0x00), "STNSM suppressed");
        Assert.That(cpu.Storage.GetKey(0x800), Is.EqualTo(0), "SSK suppressed");
        Assert.That(cpu.Gpr[4], Is.EqualTo(0u), "ISK suppressed");
        Assert.That(cpu.Cr[0], Is.EqualTo(0x0000_00E0u), "LCTL suppressed");
        Assert.That(cpu.Gpr[6], Is.EqualTo(0u), "DIAGNOSE not executed");
        Assert.That(cpu.Gpr[7], Is.EqualTo(1u), "execution went on after the reflected LPSW");
        // The last program old PSW: BC mode, problem state, code 2, ILC 2, after the LPSW.
        ulong pgmOld = StoredPsw(cpu, Low.ProgramOldPsw);
        Assert.That(pgmOld & (1UL << 48), Is.Not.Zero, "program old PSW problem bit");
        Assert.That((pgmOld >> 32) & 0xFFFF, Is.EqualTo(0x0002UL), "interruption code");
        Assert.That((pgmOld >> 30) & 3, Is.EqualTo(2UL), "ILC");
        Assert.That((uint)pgmOld & 0xFFFFFF, Is.EqualTo(Symbol("NEXT")));
        ulong svcOld = StoredPsw(cpu, Low.SvcOldPsw);
        Assert.That(svcOld & (1UL << 48), Is.Not.Zero, "SVC old PSW shows the virtual problem state");
    }

    [Test]
    public void An_unknown_DIAGNOSE_code_is_a_specification_exception_for_the_guest()
    {
        var (vm, cpu) = Boot(problem: false);
        vm.Diagnose.Register(0x08, (_, _) => null);
        // Patch the DIAG's code field to X'0C', which nobody registered.
        uint diag = FindDiag(cpu);
        cpu.Storage.Load(diag + 2, [0x00, 0x0C]);
        vm.Run(TestEngines.Create(engine), 1000);
        Assert.That(cpu.Gpr[9], Is.EqualTo(1u), "one program interruption");
        ulong pgmOld = StoredPsw(cpu, Low.ProgramOldPsw);
        Assert.That((pgmOld >> 32) & 0xFFFF, Is.EqualTo(0x0006UL));
        Assert.That(pgmOld & (1UL << 48), Is.Zero, "reflected with the virtual supervisor state");
        Assert.That((uint)pgmOld & 0xFFFFFF, Is.EqualTo(diag + 4));
    }

    static uint FindDiag(CpuState cpu)
    {
        for (uint a = 0x1000; a < 0x1100; a += 2)
            if (cpu.Storage.Bytes[a] == 0x83) return a;
        throw new AssertionException("no DIAG in the guest");
    }

    [Test]
    public void An_enabled_wait_loaded_by_a_simulated_LPSW_ends_with_the_guest_timer_interruption()
    {
        var cpu = new CpuState(ArchLevel.S370, 0x10000, deterministicTime: true);
        // X'1000': LPSW X'10'(1), an enabled wait (external mask on) at X'1008'.
        cpu.Storage.Load(0x1000, Convert.FromHexString("82001010"));
        cpu.Storage.Load(0x1010, Convert.FromHexString("0102000000001008"));
        Psw(cpu, Low.ExternalNewPsw, 0x0002_0000_0000_0BBBUL);
        cpu.Storage.WriteWordAbsolute(Low.IntervalTimer, 0x0000_0100);
        cpu.Gpr[1] = 0x1000;
        var vm = new VirtualMachine(cpu);
        vm.LoadVirtualPsw(0x1000);
        var exit = vm.Run(TestEngines.Create(engine), 100_000);
        Assert.That(exit, Is.EqualTo(ExitReason.DisabledWait));
        Assert.That(StoredPsw(cpu, Low.ExternalOldPsw), Is.EqualTo(0x0102_0080_0000_1008UL),
            "the old PSW is the virtual wait PSW: supervisor state, wait bit, interval-timer code");
        Assert.That(cpu.Instructions, Is.EqualTo(1), "only the LPSW executed");
    }

    [Test]
    public void The_guest_interval_timer_interrupts_through_the_guest_external_new_PSW()
    {
        var cpu = new CpuState(ArchLevel.S370, 0x10000, deterministicTime: true);
        // X'1000': SSM X'10'(1) (mask X'01', external on); X'1004': B 4(1) (spin until the timer fires).
        cpu.Storage.Load(0x1000, Convert.FromHexString("80001010" + "47F01004"));
        cpu.Storage.Load(0x1010, [0x01]);
        Psw(cpu, Low.ExternalNewPsw, 0x0002_0000_0000_0BBBUL);   // disabled wait
        cpu.Storage.WriteWordAbsolute(Low.IntervalTimer, 0x0000_0100);
        cpu.Gpr[1] = 0x1000;   // the base of both instructions
        var vm = new VirtualMachine(cpu);
        vm.LoadVirtualPsw(0x1000);
        var exit = vm.Run(TestEngines.Create(engine), 100_000);
        Assert.That(exit, Is.EqualTo(ExitReason.DisabledWait));
        Assert.That(vm.VirtualPsw, Is.EqualTo(0x0002_0000_0000_0BBBUL));
        ulong extOld = StoredPsw(cpu, Low.ExternalOldPsw);
        Assert.That(extOld >> 56, Is.EqualTo(0x01UL), "old PSW system mask");
        Assert.That(extOld & (1UL << 48), Is.Zero, "external old PSW shows the virtual supervisor state");
        Assert.That((extOld >> 32) & 0xFFFF, Is.EqualTo(0x0080UL), "interval timer code");
        Assert.That((int)cpu.Storage.ReadWordAbsolute(Low.IntervalTimer), Is.LessThan(0));
    }
}

[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class VirtualIoTests(string engine)
{
    sealed class RecordingIo : IVirtualIo
    {
        public readonly List<(IoInstruction, uint)> Calls = [];
        public int Execute(VirtualMachine vm, IoInstruction instruction, uint operandAddress)
        {
            Calls.Add((instruction, operandAddress));
            return 1;
        }
    }

    static (VirtualMachine, RecordingIo) Machine(bool problem)
    {
        var cpu = new CpuState(ArchLevel.S370, 0x10000, deterministicTime: true);
        // X'1000': SIO X'190'; TIO X'191'; EX 0,X'300'; LPSW X'20' (a disabled wait). X'300': SIOF X'192'.
        cpu.Storage.Load(0x1000, Convert.FromHexString("9C000190" + "9D000191" + "44000300" + "82000020"));
        cpu.Storage.Load(0x300, Convert.FromHexString("9C010192"));
        cpu.Storage.Load(0x20, Convert.FromHexString("0002000000000CCC"));
        cpu.Storage.Load(Low.ProgramNewPsw, Convert.FromHexString("0002000000000DDD"));
        var io = new RecordingIo();
        var vm = new VirtualMachine(cpu, io: io);
        vm.LoadVirtualPsw((problem ? 0x0001_0000_0000_0000UL : 0) | 0x1000);
        return (vm, io);
    }

    [Test]
    public void IO_instructions_in_the_virtual_supervisor_state_go_to_the_IO_layer_with_their_operand()
    {
        var (vm, io) = Machine(problem: false);
        var exit = vm.Run(TestEngines.Create(engine), 100);
        Assert.That(exit, Is.EqualTo(ExitReason.DisabledWait));
        Assert.That(io.Calls, Is.EqualTo(new[] { (IoInstruction.SIO, 0x190u), (IoInstruction.TIO, 0x191u), (IoInstruction.SIOF, 0x192u) }));
        Assert.That(vm.VirtualPsw, Is.EqualTo(0x0002_0000_0000_0CCCUL), "the LPSW at the end was simulated too");
        Assert.That(vm.Cpu.Instructions, Is.EqualTo(4), "SIO, TIO, EX (its SIOF target is part of it), LPSW");
    }

    [Test]
    public void The_IO_layer_sets_the_condition_code()
    {
        var (vm, _) = Machine(problem: false);
        Assert.That(vm.Run(TestEngines.Create(engine), 1), Is.EqualTo(ExitReason.InstructionLimit));
        Assert.That(vm.Cpu.Cc, Is.EqualTo(1));
        Assert.That(vm.Cpu.Ia, Is.EqualTo(0x1004u));
    }

    [Test]
    public void IO_instructions_in_the_virtual_problem_state_are_privileged_operations()
    {
        var (vm, io) = Machine(problem: true);
        vm.Run(TestEngines.Create(engine), 100);
        Assert.That(io.Calls, Is.Empty);
        Assert.That(vm.VirtualPsw, Is.EqualTo(0x0002_0000_0000_0DDDUL));
        Assert.That((vm.Cpu.Storage.ReadDoublewordAbsolute(Low.ProgramOldPsw) >> 32) & 0xFFFF, Is.EqualTo(2UL));
    }

    [Test]
    public void A_disabled_wait_puts_the_user_in_CP_mode_with_DMKDSP450W()
    {
        var (vm, _) = Machine(problem: false);
        var terminal = new Jit360.Cp.Commands.CapturingTerminal();
        var session = new Jit360.Cp.Commands.CpSession(terminal) { Machine = vm, State = Jit360.Cp.Commands.SessionState.Running };
        var exit = Dispatcher.RunSlice(session, TestEngines.Create(engine), 100);
        Assert.That(exit, Is.EqualTo(ExitReason.DisabledWait));
        Assert.That(terminal.Lines, Is.EqualTo(new[] { "DMKDSP450W CP ENTERED; DISABLED WAIT PSW '00020000 00000CCC'" }));
        Assert.That(session.State, Is.EqualTo(Jit360.Cp.Commands.SessionState.CpRead));
    }
}

/// <summary>Random guests: whatever they do, the real CPU never runs them in the supervisor state.</summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class ShadowPswFuzzTests(string engine)
{
    [Test]
    public void Random_code_never_leaves_the_real_CPU_in_the_supervisor_state()
    {
        var random = new Random(7000);
        // Privileged and status-switching opcodes made common, so that most runs exercise CP.
        byte[] favourites = [0x80, 0x82, 0x83, 0xAC, 0xAD, 0xB7, 0xB6, 0x08, 0x09, 0x0A, 0x9C, 0x9D, 0xB2, 0x44, 0x05, 0x47];
        for (int n = 0; n < 100; n++)
        {
            var cpu = new CpuState(Jit360.Architecture.ArchLevel.S370, 0x4000, deterministicTime: true);
            var code = new byte[512];
            random.NextBytes(code);
            for (int i = 0; i < code.Length; i += 4) if (random.Next(2) == 0) code[i] = favourites[random.Next(favourites.Length)];
            cpu.Storage.Load(0x1000, code);
            // New PSWs: BC or EC mode, random masks and key, supervisor or problem, pointing into the code.
            foreach (uint at in new uint[] { Low.ExternalNewPsw, Low.SvcNewPsw, Low.ProgramNewPsw, Low.IoNewPsw })
            {
                ulong psw = (ulong)random.Next(256) << 56 | (ulong)random.Next(16) << 52 | (random.Next(2) == 0 ? 1UL << 48 : 0)
                          | (random.Next(4) == 0 ? 1UL << 49 : 0) | (uint)(0x1000 + 2 * random.Next(256));
                cpu.Storage.WriteDoublewordAbsolute(at, psw);
            }
            for (int r = 0; r < 16; r++) cpu.Gpr[r] = (uint)random.Next(0x3000);
            var vm = new VirtualMachine(cpu, new DiagnoseTable().Register(0x08, (_, _) => null));
            vm.LoadVirtualPsw((random.Next(2) == 0 ? 0x0001_0000_0000_0000UL : 0) | 0x1000);
            var exit = vm.Run(TestEngines.Create(engine), 2000);
            Assert.That(cpu.Problem, Is.True, $"run {n}: real problem state after {exit}");
            Assert.That(vm.VirtualPsw & ~(1UL << 48), Is.EqualTo(cpu.CurrentPsw(0, 0) & ~(1UL << 48)), $"run {n}");
        }
    }
}
