using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Machine.Channels;
using Jit360.Tests.Support;

namespace Jit360.Tests.Channels;

/// <summary>Initial program loading through the channel (GA22-7000 "Initial Program Loading").</summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class IplTests(string engine)
{
    static Jit360.Assembler.AssemblyResult Demo()
    {
        var source = File.ReadAllText(Path.Combine(Shared.RepositoryRoot, "src/Jit360.Cli/Programs/demo.asm"));
        var r = Jit360.Assembler.Assembler.Assemble(source, "demo.asm", new Jit360.Assembler.AssemblerOptions { Level = ArchLevel.S370 });
        Assert.That(r.Success, Is.True, r.DiagnosticText);
        return r;
    }

    [Test]
    public void Ipl_from_a_card_reader_loads_the_assembled_deck_and_runs_it()
    {
        var r = Demo();
        var cpu = new CpuState(ArchLevel.S370, 0x10000, deterministicTime: true);
        using var ch = new ChannelSubsystem(cpu);
        var reader = new CardReader(0x00C, r.IplDeck);
        ch.Attach(reader);
        var result = InitialProgramLoad.Run(cpu, ch, 0x00C, TimeSpan.FromSeconds(30));
        Assert.That(result.Success, Is.True, result.Message);
        Assert.That(reader.CardsRead, Is.EqualTo(r.IplDeck.Length / 80), "every card read");
        Assert.That(cpu.Ia, Is.EqualTo(r.EntryPoint));
        Assert.That(cpu.Storage.ReadWordAbsolute(0) & 0xFFFF, Is.EqualTo(0x000Cu), "BC mode: the load unit's address in bytes 2-3");
        Assert.That(ch.InterruptPending, Is.False, "the IPL's ending status is not presented");
        var exit = TestEngines.Create(engine).Run(cpu, 2_000_000);
        Assert.That(exit, Is.EqualTo(ExitReason.DisabledWait));
        Assert.That(cpu.Storage.ReadWordAbsolute((uint)r.Symbols["COUNTP"]), Is.EqualTo(168));
    }

    [Test]
    public void Ipl_stores_the_address_at_186_when_the_new_psw_is_ec_mode()
    {
        // Card 1: an EC-mode PSW, then no further CCWs (the implied read ends the chain: CCW at 8 is
        // a NOP without chaining).
        var card = new byte[80];
        Convert.FromHexString("00080000" + "00000200" + "03000000" + "20000001" + "03000000" + "20000001").CopyTo(card, 0);
        var cpu = new CpuState(ArchLevel.S370, 0x10000, deterministicTime: true);
        using var ch = new ChannelSubsystem(cpu);
        ch.Attach(new CardReader(0x01C, card));
        var result = InitialProgramLoad.Run(cpu, ch, 0x01C);
        Assert.That(result.Success, Is.True, result.Message);
        Assert.That(cpu.EcMode, Is.True);
        Assert.That(cpu.Ia, Is.EqualTo(0x200u));
        Assert.That(cpu.Storage.ReadWordAbsolute(184), Is.EqualTo(0x01Cu));
    }

    [Test]
    public void Ipl_failures_leave_a_clear_message()
    {
        var cpu = new CpuState(ArchLevel.S370, 0x10000, deterministicTime: true);
        using var ch = new ChannelSubsystem(cpu);
        ch.Attach(new CardReader(0x00C, []));
        var empty = InitialProgramLoad.Run(cpu, ch, 0x00C);
        Assert.That(empty.Success, Is.False);
        Assert.That(empty.Message, Does.Contain("00C").And.Contain("UnitException"));
        var missing = InitialProgramLoad.Run(cpu, ch, 0x00D);
        Assert.That(missing.Success, Is.False);
        Assert.That(missing.Message, Does.Contain("not operational"));
    }

    [Test]
    public void System_360_ipl_puts_the_address_in_the_psw_interruption_code()
    {
        var r = Jit360.Assembler.Assembler.Assemble(File.ReadAllText(Path.Combine(Shared.RepositoryRoot, "src/Jit360.Cli/Programs/demo.asm")),
            "demo.asm", new Jit360.Assembler.AssemblerOptions { Level = ArchLevel.S360 });
        Assert.That(r.Success, Is.True, r.DiagnosticText);
        var cpu = new CpuState(ArchLevel.S360, 0x10000, deterministicTime: true);
        using var ch = new ChannelSubsystem(cpu);
        ch.Attach(new CardReader(0x00C, r.IplDeck));
        Assert.That(InitialProgramLoad.Run(cpu, ch, 0x00C).Success, Is.True);
        Assert.That(cpu.Storage.ReadWordAbsolute(0) & 0xFFFF, Is.EqualTo(0x000Cu));
        Assert.That(TestEngines.Create(engine).Run(cpu, 2_000_000), Is.EqualTo(ExitReason.DisabledWait));
        Assert.That(cpu.Storage.ReadWordAbsolute((uint)r.Symbols["COUNTP"]), Is.EqualTo(168));
    }
}
