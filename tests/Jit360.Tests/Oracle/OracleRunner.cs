using System.Diagnostics;
using System.Text.Json;
using Jit360.Tests.Support;

namespace Jit360.Tests.Oracle;

/// <summary>
/// Runs cases through ../shared/oracle's harness: one python process per batch (the harness
/// spreads the cases over -j workers itself), cases as JSON lines in, results as JSON lines out.
/// </summary>
public static class OracleRunner
{
    /// <summary>Skips the calling test, with the reason, unless the oracle and its tools are installed.</summary>
    public static string RequireOracle(OracleKind kind)
    {
        string script = Shared.Require(Path.Combine("oracle", kind == OracleKind.Qemu ? "s360oracle.py" : "h370oracle.py"));
        Shared.RequireTool("python3", "apt-get install -y python3");
        if (kind == OracleKind.Qemu)
        {
            Shared.RequireTool("qemu-s390x", "apt-get install -y qemu-user");
            foreach (var t in new[] { "s390x-linux-gnu-as", "s390x-linux-gnu-ld", "s390x-linux-gnu-nm" })
                Shared.RequireTool(t, "apt-get install -y binutils-s390x-linux-gnu");
        }
        else Shared.RequireTool("hercules", "apt-get install -y hercules");
        return script;
    }

    public static List<JsonElement> Run(string script, OracleKind kind, IReadOnlyList<OracleCase> cases, int jobs, TimeSpan timeout)
    {
        string input = Path.Combine(Path.GetTempPath(), $"jit360-oracle-{Environment.ProcessId}-{Guid.NewGuid():N}.jsonl");
        try
        {
            File.WriteAllLines(input, cases.Select(c => c.ToJson(kind == OracleKind.Hercules)));
            var psi = new ProcessStartInfo("python3")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var a in new[] { script, "--batch", input, "--json", "-j", jobs.ToString() }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("python3 did not start");
            var stderr = p.StandardError.ReadToEndAsync();
            var results = new List<JsonElement>(cases.Count);
            string? line;
            var deadline = DateTime.UtcNow + timeout;
            while ((line = p.StandardOutput.ReadLine()) != null)
            {
                if (line.Length > 0) results.Add(JsonDocument.Parse(line).RootElement.Clone());
                if (DateTime.UtcNow > deadline) { p.Kill(entireProcessTree: true); break; }
            }
            if (!p.WaitForExit((int)Math.Max(1000, (deadline - DateTime.UtcNow).TotalMilliseconds))) p.Kill(entireProcessTree: true);
            if (results.Count != cases.Count)
                Assert.Fail($"{Path.GetFileName(script)} returned {results.Count} results for {cases.Count} cases (exit {(p.HasExited ? p.ExitCode : -1)}): {stderr.Result[^Math.Min(2000, stderr.Result.Length)..]}");
            if (Environment.GetEnvironmentVariable("JIT360_ORACLE_KEEP") is { Length: > 0 } keep)
            {
                // Keep the cases and the oracle's answers for a look by hand.
                Directory.CreateDirectory(keep);
                string stem = Path.Combine(keep, $"{kind}-{cases[0].Name}");
                File.Copy(input, stem + ".cases.jsonl", overwrite: true);
                File.WriteAllLines(stem + ".results.jsonl", results.Select(r => r.GetRawText()));
            }
            for (int i = 0; i < cases.Count; i++)
                if (results[i].GetProperty("name").GetString() != cases[i].Name)
                    Assert.Fail($"result {i} is for {results[i].GetProperty("name")}, expected {cases[i].Name}");
            return results;
        }
        finally
        {
            File.Delete(input);
        }
    }
}
