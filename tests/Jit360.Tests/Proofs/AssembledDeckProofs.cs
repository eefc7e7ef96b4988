using Jit360.Architecture;
using Jit360.Cli;
using Jit360.Tests.Support;

namespace Jit360.Tests.Proofs;

/// <summary>
/// Programs assembled by Jit360.Assembler, punched as a self-loading IPL deck, read by a real
/// 3505 from a file and run: console output by SIO and the I/O interruption, and a channel
/// program that never ends stopped by HALT I/O in the program and by the operator.
/// </summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class AssembledDeckProofs(string engine)
{
    ProofRig? rig;

    [TearDown]
    public void TearDown()
    {
        if (rig != null && TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            TestContext.Out.WriteLine(rig.Transcript());
        rig?.Dispose();
        rig = null;
    }

    /// <summary>Assembles <paramref name="source"/>, writes its IPL deck as deck.ipl and IPLs it from 00C with a 3215-C at 009.</summary>
    ProofRig IplAssembled(string source, bool deterministic = true)
    {
        var r = Jit360.Assembler.Assembler.Assemble(source, "proof.asm", new Jit360.Assembler.AssemblerOptions { Level = ArchLevel.S370 });
        Assert.That(r.Success, Is.True, r.DiagnosticText);
        string folder = ProofRig.NewFolder();
        File.WriteAllBytes(Path.Combine(folder, "deck.ipl"), r.IplDeck);
        rig = ProofRig.Create(engine, """
            ARCHMODE S/370
            MAINSIZE 1
            0009 3215-C / noprompt
            000C 3505 deck.ipl ebcdic
            """, deterministic, folder);
        rig.Rc("ipl 00c\n");
        return rig;
    }

    // Low core: the IPL PSW at 0 and an I/O new PSW at X'78'; the program at X'200'.
    const string Hello = """
HELLO    START 0
         DC    X'00000000',A(BEGIN)    IPL PSW: BC mode, disabled
         ORG   HELLO+X'78'
         DC    X'00000000',A(GOTIO)    I/O new PSW: disabled
         ORG   HELLO+X'200'
BEGIN    BALR  12,0
         USING *,12
         MVC   72(4,0),CAW             the CAW at X'48'
         SIO   X'009'                  write the line
         BC    7,FAIL                  not started
         LPSW  WAITIO                  wait for the interruption
* The BC-mode I/O old PSW at X'38' names the device in bytes 2-3;
* the card reader may still report the end of the IPL: wait on.
GOTIO    CLC   X'3A'(2,0),=X'000C'
         BE    AGAIN
         CLC   X'3A'(2,0),=X'0009'
         BNE   FAIL
         TM    68(0),X'0C'             channel end and device end
         BNO   FAIL
         LPSW  DONE
AGAIN    LPSW  WAITIO
FAIL     LPSW  BAD
         DS    0D
WAITIO   DC    X'FE020000',A(0)        channels, not external
DONE     DC    X'00020000',A(X'C0FFEE')
BAD      DC    X'00020000',A(X'000BAD')
CCW      DC    X'09',AL3(MSG),X'20',X'00',AL2(L'MSG)
CAW      DC    A(CCW)
MSG      DC    C'HELLO FROM AN ASSEMBLED DECK'
         END   BEGIN
""";

    [Test]
    public void An_assembled_ipl_deck_writes_to_the_console_and_loads_a_disabled_wait()
    {
        var r = IplAssembled(Hello);
        Assert.That(r.Expect(r.Console(0x009), "HELLO"), Is.EqualTo("HELLO FROM AN ASSEMBLED DECK"));
        Assert.That(r.WaitForStop(), Is.EqualTo(MachineState.DisabledWait));
        Assert.That(r.Machine.PswText, Is.EqualTo("00020000 00C0FFEE"), r.Transcript());
    }

    // A channel program that never ends: NOP with command chaining, TIC back to it. The program
    // lets it run, halts it with HIO, then waits (TIO) until the subchannel is no longer working.
    const string Endless = """
ENDLESS  START 0
         DC    X'00000000',A(BEGIN)
         ORG   ENDLESS+X'200'
BEGIN    BALR  12,0
         USING *,12
         MVC   72(4,0),CAW
         SIO   X'009'
         BC    7,FAIL1                 SIO did not start it
         LA    3,2000
SPIN     BCT   3,SPIN
         TIO   X'009'
         BC    13,FAIL2                still working: cc 2
         HIO   X'009'                  GA22-7000 "Halt I/O"
         BC    8,FAIL3                 cc 0: nothing working
         LA    3,1000
WAITEND  TIO   X'009'
         BC    11,ENDED                not working any more (cc 0, 1 or 3)
         BCT   3,WAITEND
         B     FAIL4
ENDED    LPSW  DONE
FAIL1    MVI   BAD+7,1
         B     FAIL
FAIL2    MVI   BAD+7,2
         B     FAIL
FAIL3    MVI   BAD+7,3
         B     FAIL
FAIL4    MVI   BAD+7,4
FAIL     LPSW  BAD
         DS    0D
DONE     DC    X'00020000',A(X'0A1100')
BAD      DC    X'00020000',A(X'BAD000')
LOOP     DC    X'03',AL3(0),X'40',X'00',AL2(1)   NOP, command chaining
         DC    X'08',AL3(LOOP),X'00',X'00',AL2(1)   TIC back
CAW      DC    A(LOOP)
         END   BEGIN
""";

    [Test]
    public void A_channel_program_that_loops_forever_is_ended_by_HIO_in_the_program()
    {
        var r = IplAssembled(Endless);
        Assert.That(r.WaitForStop(), Is.EqualTo(MachineState.DisabledWait));
        Assert.That(r.Machine.PswText, Is.EqualTo("00020000 000A1100"), r.Transcript());
    }

    // The same channel program, left running while the CPU waits for an interruption that never comes.
    const string EndlessWait = """
ENDLESS  START 0
         DC    X'00000000',A(BEGIN)
         ORG   ENDLESS+X'78'
         DC    X'00000000',A(GOTIO)    I/O new PSW
         ORG   ENDLESS+X'200'
BEGIN    BALR  12,0
         USING *,12
         MVC   72(4,0),CAW
         SIO   X'009'
         BC    7,FAIL
AGAIN    LPSW  WAITIO
GOTIO    CLC   X'3A'(2,0),=X'000C'     the reader: wait on
         BE    AGAIN
FAIL     LPSW  BAD                     the endless program ended?
         DS    0D
WAITIO   DC    X'FE020000',A(0)        not the interval timer
BAD      DC    X'00020000',A(X'000BAD')
LOOP     DC    X'03',AL3(0),X'40',X'00',AL2(1)
         DC    X'08',AL3(LOOP),X'00',X'00',AL2(1)
CAW      DC    A(LOOP)
         END   BEGIN
""";

    [TestCase(true, "stop")]
    [TestCase(false, "stop")]
    [TestCase(false, "quit")]
    public void A_channel_program_that_loops_forever_is_stopped_from_the_panel(bool deterministic, string command)
    {
        var r = IplAssembled(EndlessWait, deterministic);
        Thread.Sleep(200);
        Assert.That(r.Machine.IsRunning, Is.True, "waiting for an I/O interruption that never comes\n" + r.Transcript());
        var stop = Task.Run(() => r.Rc(command + "\n"));
        Assert.That(stop.Wait(ProofRig.Wait), Is.True, $"{command} returns\n{r.Transcript()}");
        Assert.That(r.Machine.State, Is.EqualTo(MachineState.Stopped));
        var shutdown = Task.Run(r.Dispose);
        Assert.That(shutdown.Wait(ProofRig.Wait), Is.True, "closing the devices ends the channel program");
        rig = null;
    }
}
