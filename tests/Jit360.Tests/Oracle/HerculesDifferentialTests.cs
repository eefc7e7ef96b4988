namespace Jit360.Tests.Oracle;

/// <summary>
/// Randomised differential test against Hercules 3.13 in S/370 mode: what qemu lacks (decimal,
/// HFP, overflow interruptions, privileged instructions in supervisor state, PSW keys, SVC).
/// A Hercules case costs about a second of mostly idle time (the harness waits for savecore),
/// so many run at once.
/// </summary>
[TestFixture, Category("Oracle")]
public class HerculesDifferentialTests
{
    [Test]
    public void Interpreter_agrees_with_Hercules()
        => DifferentialRun.Execute(OracleKind.Hercules, "JIT360_ORACLE_HERCULES_CASES", defaultCases: 400,
                                   jobs: 8, batchSize: 400, timeoutPerBatch: TimeSpan.FromMinutes(6));
}
