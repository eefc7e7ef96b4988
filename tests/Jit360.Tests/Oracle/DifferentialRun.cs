using System.Diagnostics;
using Jit360.Interpreter;

namespace Jit360.Tests.Oracle;

/// <summary>
/// The loop both differential tests share: generate, run the oracle in batches, replay each
/// case on our interpreter, compare, print every divergence as a vector line.
/// Environment: JIT360_ORACLE_SEED (repeat a run), JIT360_ORACLE_CASES (qemu cases),
/// JIT360_ORACLE_HERCULES_CASES, JIT360_ORACLE_FAMILIES (e.g. "Decimal,Float"; default: every
/// family with handlers), JIT360_ORACLE_UNHANDLED=1 (also instructions without a handler: shows
/// what the oracle does with them, every such case diverging).
/// </summary>
public static class DifferentialRun
{
    public static int EnvInt(string name, int fallback)
        => int.TryParse(Environment.GetEnvironmentVariable(name), out int v) ? v : fallback;

    public static void Execute(OracleKind kind, string casesVariable, int defaultCases, int jobs, int batchSize, TimeSpan timeoutPerBatch)
    {
        string script = OracleRunner.RequireOracle(kind);
        var exclusions = ExclusionList.Load();
        Assert.That(exclusions.Errors, Is.Empty, "exclusions.txt");
        int seed = EnvInt("JIT360_ORACLE_SEED", Random.Shared.Next(1, int.MaxValue));
        int count = EnvInt(casesVariable, defaultCases);
        var families = Families.Parse(Environment.GetEnvironmentVariable("JIT360_ORACLE_FAMILIES"));
        // Only instructions our interpreter has a handler for: the families other branches add join by themselves.
        bool unhandled = Environment.GetEnvironmentVariable("JIT360_ORACLE_UNHANDLED") == "1";
        var rows = CaseGenerator.Eligible(kind, exclusions)
            .Where(o => (unhandled || DispatchTable.HandlerFor(o.Mnemonic) != null) && (families == null || families.Contains(Families.Of(o))))
            .ToList();
        if (rows.Count == 0) Assert.Ignore($"no instruction of the selected families has a handler yet ({kind})");
        var gen = new CaseGenerator(kind, exclusions, rows);
        var log = TestContext.Progress;
        log.WriteLine($"{kind} differential: seed {seed} (JIT360_ORACLE_SEED={seed} repeats it), {count} cases, " +
                      $"{rows.Count} instructions in {string.Join(",", gen.FamiliesCovered)}");

        var cases = Enumerable.Range(0, count).Select(i => gen.Generate(seed, i)).ToList();
        var oracleTime = new Stopwatch();
        var ourTime = new Stopwatch();
        var statuses = new Dictionary<string, int>();
        int divergent = 0, oracleErrors = 0;
        for (int start = 0; start < cases.Count; start += batchSize)
        {
            var batch = cases.GetRange(start, Math.Min(batchSize, cases.Count - start));
            oracleTime.Start();
            var results = OracleRunner.Run(script, kind, batch, jobs, timeoutPerBatch);
            oracleTime.Stop();
            for (int i = 0; i < batch.Count; i++)
            {
                var c = batch[i];
                var expected = Divergence.Parse(kind, results[i], c);
                if (expected.Status == "error")
                {
                    // The oracle itself produced no result (qemu-user died, Hercules never
                    // answered): ask it once more, alone; only a repeatable failure counts.
                    expected = Divergence.Parse(kind, OracleRunner.Run(script, kind, [c], 1, timeoutPerBatch)[0], c);
                    if (expected.Status == "error") { oracleErrors++; log.WriteLine($"ORACLE ERROR {c}: {expected.Detail.Trim()}"); }
                }
                statuses[expected.Status] = statuses.GetValueOrDefault(expected.Status) + 1;
                if (expected.Status == "error") continue;
                ourTime.Start();
                var ours = Replay.Run(c);
                ourTime.Stop();
                var diffs = Divergence.Compare(kind, expected, ours, c, exclusions);
                if (diffs.Count == 0) continue;
                ours = Replay.Run(c, fresh: true);   // what the vector line will replay
                diffs = Divergence.Compare(kind, expected, ours, c, exclusions);
                if (diffs.Count == 0) { divergent++; log.WriteLine($"DIVERGES {c} only on a reused machine: state leaks between cases"); continue; }
                divergent++;
                if (divergent <= 50)
                {
                    log.WriteLine($"DIVERGES {c}: {string.Join("; ", diffs)}");
                    log.WriteLine(Divergence.VectorLine(kind, c, expected, ours));
                }
            }
        }
        log.WriteLine($"{kind}: {count} cases, oracle {oracleTime.Elapsed.TotalSeconds:F1} s, ours {ourTime.Elapsed.TotalSeconds:F1} s; " +
                      $"oracle outcomes {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}"))}; {divergent} divergent");
        if (divergent > 0) Assert.Fail($"{divergent} of {count} {kind} cases diverge (seed {seed}; vector lines above)");
        // An oracle that fails on more than one case in a hundred is not checking anything.
        if (oracleErrors * 100 > count) Assert.Fail($"the {kind} oracle failed on {oracleErrors} of {count} cases (seed {seed}; ORACLE ERROR lines above)");
    }
}
