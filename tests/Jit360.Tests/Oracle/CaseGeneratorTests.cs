using Jit360.Architecture;

namespace Jit360.Tests.Oracle;

/// <summary>The generator and the exclusion list on their own (no oracle needed).</summary>
public class CaseGeneratorTests
{
    [Test]
    public void Exclusions_are_all_known()
    {
        var ex = ExclusionList.Load();
        Assert.That(ex.Errors, Is.Empty);
    }

    [TestCase(OracleKind.Qemu)]
    [TestCase(OracleKind.Hercules)]
    public void Same_seed_gives_the_same_cases(OracleKind kind)
    {
        var ex = ExclusionList.Load();
        var a = new CaseGenerator(kind, ex, CaseGenerator.Eligible(kind, ex));
        var b = new CaseGenerator(kind, ex, CaseGenerator.Eligible(kind, ex));
        for (int i = 0; i < 50; i++)
            Assert.That(b.Generate(7, i).ToJson(kind == OracleKind.Hercules), Is.EqualTo(a.Generate(7, i).ToJson(kind == OracleKind.Hercules)));
    }

    [TestCase(OracleKind.Qemu)]
    [TestCase(OracleKind.Hercules)]
    public void Every_eligible_instruction_is_generated(OracleKind kind)
    {
        var ex = ExclusionList.Load();
        var rows = CaseGenerator.Eligible(kind, ex).ToList();
        var gen = new CaseGenerator(kind, ex, rows);
        var seen = new HashSet<string>();
        for (int i = 0; i < 3000; i++)
            foreach (var m in gen.Generate(1, i).Mnemonics) seen.Add(m.StartsWith("EX:") ? m[3..] : m);
        Assert.That(rows.Select(r => r.Mnemonic).Where(m => !seen.Contains(m)), Is.Empty);
    }

    [Test]
    public void Qemu_cases_never_contain_SVC_or_excluded_instructions()
    {
        var ex = ExclusionList.Load();
        var gen = new CaseGenerator(OracleKind.Qemu, ex, CaseGenerator.Eligible(OracleKind.Qemu, ex));
        for (int i = 0; i < 3000; i++)
        {
            var c = gen.Generate(3, i);
            foreach (var m in c.Mnemonics.Select(m => m.StartsWith("EX:") ? m[3..] : m))
            {
                Assert.That(m, Is.Not.EqualTo("SVC"));
                Assert.That(ex.ExcludesOp("qemu", m), Is.False, m);
                Assert.That(OpcodeTable.Find(ArchLevel.S360, m), Is.Not.Null, m);
            }
            Assert.That(c.Pm & 8, Is.Zero);
        }
    }
}
