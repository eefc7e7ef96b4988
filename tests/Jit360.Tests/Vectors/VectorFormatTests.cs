using Jit360.Cli.Vectors;
using Jit360.Tests.Support;

namespace Jit360.Tests.Vectors;

/// <summary>The runner's own rules: malformed lines are located, unnamed changes and wrong values fail.</summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public sealed class VectorFormatTests(string engine)
{
    // LR 1,2 at X'1000' in problem state.
    const string Lr = "{\"name\":\"LR\",\"arch\":\"S/370\",\"psw\":\"0001000000001000\",\"gpr\":{\"2\":\"00000005\"},\"storage\":{\"1000\":\"1812\"},";

    static VectorResult Run(string engine, string json) => new VectorRunner().Run(VectorCase.Parse(json, "t.jsonl", 7), TestEngines.Create(engine));

    [Test]
    public void CorrectExpectationPasses()
        => Assert.That(Run(engine, Lr + "\"expect\":{\"gpr\":{\"1\":\"00000005\"},\"psw\":\"0001000000001002\"}}").Passed, Is.True);

    [Test]
    public void WrongValueFailsWithADiff()
    {
        var r = Run(engine, Lr + "\"expect\":{\"gpr\":{\"1\":\"00000006\"}}}");
        Assert.That(r.Report(), Does.Contain("GPR 1: expected 00000006, got 00000005").And.Contain("t.jsonl:7"));
    }

    [Test]
    public void UnnamedChangeFails()
        => Assert.That(Run(engine, Lr + "\"expect\":{}}").Report(), Does.Contain("GPR 1: expected 00000000 (unchanged), got 00000005"));

    [Test]
    public void UnnamedStoreFails()
    {
        // ST 2,X'2000': the stored word is not named.
        var json = "{\"name\":\"ST\",\"arch\":\"S/370\",\"psw\":\"0001000000001000\",\"gpr\":{\"2\":\"0000000F\"},\"storage\":{\"1000\":\"50200000\"},\"expect\":{}}".Replace("50200000", "50200800");
        Assert.That(Run(engine, json).Report(), Does.Contain("storage 000803: expected 00 (unchanged), got 0F"));
    }

    [Test]
    public void IlcBitsAreNotComparedAfterNormalCompletion()
        => Assert.That(Run(engine, Lr + "\"expect\":{\"gpr\":{\"1\":\"00000005\"},\"psw\":\"00010000C0001002\"}}").Passed, Is.True);

    [Test]
    public void InterruptIsComparedWithTheOldPsw()
    {
        // X'00' is not an instruction: operation exception, ILC 1, old PSW at X'28' excluded from the unchanged rule.
        var json = "{\"name\":\"op\",\"arch\":\"S/370\",\"psw\":\"0001000000001000\",\"storage\":{\"1000\":\"0000\"},"
                 + "\"expect\":{\"interrupt\":{\"class\":\"program\",\"code\":1,\"ilc\":1},\"psw\":\"0001000140001002\"}}";
        var r = Run(engine, json);
        Assert.That(r.Passed, Is.True, r.Report());
    }

    [TestCase("{\"name\":\"x\"", "not valid JSON")]
    [TestCase("{\"name\":\"x\",\"arch\":\"S/390\",\"psw\":\"0000000000000000\",\"expect\":{}}", "\"arch\" must be")]
    [TestCase("{\"name\":\"x\",\"arch\":\"S/370\",\"psw\":\"00\",\"expect\":{}}", "\"psw\" must be exactly 16 hex digits")]
    [TestCase("{\"name\":\"x\",\"arch\":\"S/370\",\"psw\":\"0000000000000000\",\"gpr\":{\"16\":\"00000000\"},\"expect\":{}}", "not 0-15")]
    [TestCase("{\"name\":\"x\",\"arch\":\"S/370\",\"psw\":\"0000000000000000\",\"storage\":{\"FFFFFF\":\"0000\"},\"expect\":{}}", "outside")]
    [TestCase("{\"name\":\"x\",\"arch\":\"S/370\",\"psw\":\"0000000000000000\",\"expect\":{},\"colour\":1}", "unknown field \"colour\"")]
    public void MalformedLinesNameFileAndLine(string json, string message)
    {
        var e = Assert.Throws<VectorFormatException>(() => VectorCase.Parse(json, "bad.jsonl", 3));
        Assert.That(e!.Message, Does.StartWith("bad.jsonl:3: ").And.Contain(message));
    }
}
