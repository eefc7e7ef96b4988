using System.Diagnostics;
using Jit360.Architecture;
using Jit360.Jit;
using Jit360.Machine;

namespace Jit360.Tests.Jit;

/// <summary>
/// Differential block fuzzer: random blocks from <see cref="BlockGenerator"/> run on the
/// interpreter and on the JIT (translating every block entered twice), and the two final states
/// must be equal in full: registers, PSW (CC, program mask, key, IA), instruction count, the
/// interruption taken (class, code, ILC, old PSW), storage and keys. Each block runs on several
/// data sets (700 blocks x 48 data sets x 3 levels: about 100,000 cases); the code is translated
/// once and the translation reused across them, which keeps compile time (the dominant cost: a
/// few milliseconds of native compilation per DynamicMethod) in proportion.
/// The base seed is printed; JIT360_FUZZ_SEED=n replays a run, JIT360_FUZZ_BLOCK=n one block
/// (the seed a failure names), JIT360_FUZZ_BLOCKS=n changes how many blocks run per level.
/// </summary>
public class BlockFuzzTests
{
    public const int DataSets = 48;
    const long Budget = 300;
    static readonly int BlocksPerLevel = int.TryParse(Environment.GetEnvironmentVariable("JIT360_FUZZ_BLOCKS"), out int b) ? b : 700;
    static readonly int? OneBlock = int.TryParse(Environment.GetEnvironmentVariable("JIT360_FUZZ_BLOCK"), out int one) ? one : null;
    /// <summary>A guard for slow machines: a level stops early after this long (and says so).</summary>
    static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(40);

    static int BaseSeed() => int.TryParse(Environment.GetEnvironmentVariable("JIT360_FUZZ_SEED"), out int s) ? s : Random.Shared.Next();

    [TestCase(ArchLevel.S360)]
    [TestCase(ArchLevel.S360_67)]
    [TestCase(ArchLevel.S370)]
    public void Translated_blocks_end_in_the_state_the_interpreter_reaches(ArchLevel level)
    {
        int seed = BaseSeed();
        TestContext.Out.WriteLine($"{level}: base seed {seed} (replay with JIT360_FUZZ_SEED={seed})");
        var generator = new BlockGenerator(level);
        // A block is translated the second time it is entered: the block under test from its
        // second data set on, while one-off entry points (random branch targets, data executed by
        // accident, the budget's tail) stay interpreted instead of costing a compilation each.
        var jit = new JitEngine { HotThreshold = 1 };
        var interpreter = new Jit360.Interpreter.Interpreter();
        // One translated machine for the whole run, so that the JIT keeps one cache and only
        // code that changed is translated again; each data set is copied into it.
        var translated = new CpuState(level, BlockGenerator.StorageSize, deterministicTime: true);
        var sw = Stopwatch.StartNew();
        var failures = new List<string>();
        var exits = new Dictionary<string, int>();
        long instructions = 0;
        int blocks = 0, cases = 0;
        int count = OneBlock != null ? 1 : BlocksPerLevel;
        for (; blocks < count && failures.Count < 3; blocks++)
        {
            if (sw.Elapsed > TimeLimit) { TestContext.Out.WriteLine($"time limit reached after {blocks} blocks"); break; }
            int blockSeed = OneBlock ?? unchecked(seed + blocks * 7919);
            var block = generator.NextBlock(blockSeed);
            for (int d = 0; d < DataSets; d++)
            {
                int dataSeed = unchecked(blockSeed * 31 + d);
                var reference = generator.NewMachine(block, dataSeed);
                translated.CopyFrom(reference);
                ExitReason ie, je;
                try
                {
                    ie = interpreter.Run(reference, Budget);
                    je = jit.Run(translated, Budget);
                    // The interpreter looks at the machine where its budget ends; let the JIT too.
                    if (je == ExitReason.InstructionLimit) { translated.Attention = true; je = jit.Run(translated, 0); }
                }
                catch (Exception e)
                {
                    failures.Add($"{block.Describe()}data set {d} (seed {dataSeed}): host exception {e}");
                    break;
                }
                cases++;
                instructions += reference.Instructions;
                string outcome = reference.LastInterrupt.Class == InterruptClass.Program ? $"program {reference.LastInterrupt.Code:X2}" : ie.ToString();
                exits[outcome] = exits.GetValueOrDefault(outcome) + 1;
                // Timers in storage are brought up to date only when an engine looks at the machine.
                reference.Clock.Update();
                translated.Clock.Update();
                var differences = CpuComparison.Compare(reference, translated);
                if (differences.Count > 0 || ie != je)
                {
                    failures.Add($"replay with JIT360_FUZZ_BLOCK={blockSeed}\n{block.Describe()}data set {d} (seed {dataSeed}): interpreter exit {ie}, JIT exit {je}\n"
                                 + CpuComparison.SideBySide(reference, "interpreter", translated, "JIT", differences));
                    break;
                }
            }
        }
        var st = jit.Statistics;
        TestContext.Out.WriteLine($"{blocks} blocks x {DataSets} data sets = {cases} cases, {instructions} instructions, {sw.ElapsedMilliseconds} ms; "
                                  + $"{st.BlocksTranslated} translations ({st.CompileTime.TotalMilliseconds:N0} ms compiling), {st.Invalidations} invalidations");
        TestContext.Out.WriteLine("outcomes: " + string.Join(", ", exits.OrderByDescending(e => e.Value).Select(e => $"{e.Key} {e.Value}")));
        Assert.That(failures, Is.Empty, string.Join("\n\n", failures));
        Assert.That(st.InstructionsTranslated, Is.GreaterThan(instructions / 4), "most instructions should have run translated");
    }

    [Test]
    public void The_generator_draws_every_row_of_the_table_at_its_level()
    {
        foreach (var level in new[] { ArchLevel.S360, ArchLevel.S360_67, ArchLevel.S370 })
        {
            var g = new BlockGenerator(level);
            var seen = new HashSet<string>();
            for (int i = 0; i < 4000; i++)
            {
                var block = g.NextBlock(i);
                foreach (int off in block.Offsets)
                    seen.Add(OpcodeTable.Decode(level, block.Code[off], block.Code[off + 1])!.Mnemonic);
            }
            var missing = OpcodeTable.For(level).Select(o => o.Mnemonic).Where(m => !seen.Contains(m)).ToList();
            Assert.That(missing, Is.Empty, $"{level}: never generated");
        }
    }
}
