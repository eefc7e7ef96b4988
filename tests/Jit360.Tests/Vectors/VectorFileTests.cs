using Jit360.Cli.Vectors;
using Jit360.Tests.Support;

namespace Jit360.Tests.Vectors;

/// <summary>
/// Every line of every tests/vectors/*.jsonl file, on every engine: one test case per vector,
/// named by file, line and vector name, so that a failure says which vector and why.
/// </summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public sealed class VectorFileTests(string engine)
{
    static readonly VectorRunner runner = new();

    static string Directory => Path.Combine(AppContext.BaseDirectory, "vectors");

    public static IEnumerable<TestCaseData> Cases()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            yield return new TestCaseData(null, "no vectors directory at " + Directory).SetName("vectors directory missing");
            yield break;
        }
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            List<VectorCase> cases;
            string? error = null;
            try { cases = VectorCase.Load(file); }
            catch (VectorFormatException e) { cases = []; error = e.Message; }
            string stem = Path.GetFileNameWithoutExtension(file);
            if (error != null) { yield return new TestCaseData(null, error).SetName($"{stem} malformed"); continue; }
            foreach (var c in cases)
                yield return new TestCaseData(c, null).SetName($"{stem}:{c.Line} {c.Name} ({c.Level.ToString()})");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Vector(VectorCase? vector, string? loadError)
    {
        if (vector == null) Assert.Fail(loadError);
        var result = runner.Run(vector!, TestEngines.Create(engine));
        if (!result.Passed) Assert.Fail(result.Report());
    }

    [Test]
    public void ThereAreAtLeast600Vectors()
    {
        int n = System.IO.Directory.GetFiles(Directory, "*.jsonl", SearchOption.AllDirectories).Sum(f => VectorCase.Load(f).Count);
        Assert.That(n, Is.GreaterThanOrEqualTo(600));
    }
}
