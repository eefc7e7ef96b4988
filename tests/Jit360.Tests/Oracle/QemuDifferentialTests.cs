namespace Jit360.Tests.Oracle;

/// <summary>
/// Randomised differential test against qemu-s390x user mode: problem-state instructions of the
/// S/360 table that qemu implements correctly (exclusions.txt lists the rest, with reasons).
/// </summary>
[TestFixture, Category("Oracle")]
public class QemuDifferentialTests
{
    [Test]
    public void Interpreter_agrees_with_qemu()
        => DifferentialRun.Execute(OracleKind.Qemu, "JIT360_ORACLE_CASES", defaultCases: 10_000,
                                   jobs: Math.Max(2, Environment.ProcessorCount), batchSize: 2_500,
                                   timeoutPerBatch: TimeSpan.FromMinutes(5));
}
