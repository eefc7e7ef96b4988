using System.CommandLine;
using Jit360.Cli.Vectors;

namespace Jit360.Cli;

/// <summary>
/// <c>jit360 vectors FILE.jsonl... [--engine interp]</c>: runs test vectors (tests/vectors/README.md),
/// prints a diff for each failure and ends with "N passed, M failed"; exit code 1 if any failed.
/// </summary>
public sealed class VectorsVerb : IVerb
{
    public Command Build()
    {
        var files = new Argument<string[]>("files") { Description = "JSON-lines vector files", Arity = ArgumentArity.OneOrMore };
        var engine = new Option<string>("--engine") { Description = $"execution engine ({string.Join(", ", Engines.Names)})", DefaultValueFactory = _ => "interp" };
        var command = new Command("vectors", "Run instruction test vectors (JSON lines) and report differences") { files, engine };
        command.SetAction(parse => Run(parse.GetValue(files)!, parse.GetValue(engine)!, Console.Out, Console.Error));
        return command;
    }

    public static int Run(IEnumerable<string> files, string engineName, TextWriter output, TextWriter errors)
    {
        if (Array.IndexOf(Engines.Names, engineName) < 0)
        {
            errors.WriteLine($"jit360 vectors: unknown engine '{engineName}' (choose {string.Join(", ", Engines.Names)})");
            return 2;
        }
        var runner = new VectorRunner();
        int passed = 0, failed = 0;
        foreach (var file in files)
        {
            List<VectorCase> cases;
            try { cases = VectorCase.Load(file); }
            catch (VectorFormatException e)
            {
                // A malformed file counts as one failure so that it cannot pass silently.
                output.WriteLine($"ERROR {e.Message}");
                failed++;
                continue;
            }
            foreach (var c in cases)
            {
                var result = runner.Run(c, Engines.Create(engineName));
                if (result.Passed) passed++;
                else { failed++; output.WriteLine(result.Report()); }
            }
        }
        output.WriteLine($"{passed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }
}
