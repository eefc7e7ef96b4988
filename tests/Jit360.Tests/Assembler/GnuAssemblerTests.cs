using System.Diagnostics;
using System.Text.RegularExpressions;
using Jit360.Architecture;
using Jit360.Tests.Support;

namespace Jit360.Tests.Assembler;

/// <summary>
/// For every machine instruction, the bytes equal those of the GNU assembler for s390x
/// (binutils-s390x-linux-gnu) given the same operands. All instructions go into one .s file
/// assembled once; instructions GNU as does not know (the S/360 I/O instructions, Model 67
/// additions) are taken out and listed, and the rest must match.
/// </summary>
public class GnuAssemblerTests
{
    [Test]
    public void Every_instruction_matches_the_GNU_assembler()
    {
        string gas = Shared.RequireTool("s390x-linux-gnu-as", "apt-get install -y binutils-s390x-linux-gnu");
        string objcopy = Shared.RequireTool("s390x-linux-gnu-objcopy", "apt-get install -y binutils-s390x-linux-gnu");
        var rows = OpcodeTable.All.ToList();
        var dir = Directory.CreateTempSubdirectory("jit360-gas");
        try
        {
            var unknown = new Dictionary<string, string>();
            List<Opcode> included = rows;
            byte[]? text = null;
            for (int attempt = 0; attempt < 4 && text == null; attempt++)
            {
                var s = string.Join("\n", included.Select(o => $" {o.Mnemonic.ToLowerInvariant()} {SampleOperands.Gnu(o)}")) + "\n";
                File.WriteAllText(Path.Combine(dir.FullName, "all.s"), s);
                var (rc, err) = Run(gas, $"-m31 -mesa -o all.o all.s", dir.FullName);
                if (rc == 0)
                {
                    var (rc2, err2) = Run(objcopy, "-O binary -j .text all.o all.bin", dir.FullName);
                    Assert.That(rc2, Is.EqualTo(0), err2);
                    text = File.ReadAllBytes(Path.Combine(dir.FullName, "all.bin"));
                    break;
                }
                // Take out the lines GNU as rejects ("all.s:N: Error: ...") and try again.
                var bad = Regex.Matches(err, @"all\.s:(\d+): Error: (.*)").Select(m => (Line: int.Parse(m.Groups[1].Value), Message: m.Groups[2].Value)).ToList();
                Assert.That(bad, Is.Not.Empty, err);
                foreach (var (ln, msg) in bad) unknown[included[ln - 1].Mnemonic] = msg;
                var drop = bad.Select(b => b.Line - 1).ToHashSet();
                included = included.Where((_, i) => !drop.Contains(i)).ToList();
            }
            Assert.That(text, Is.Not.Null, "GNU as kept failing");
            TestContext.Out.WriteLine($"not known to GNU as ({unknown.Count}): " + string.Join(", ", unknown.Select(u => $"{u.Key} ({u.Value.Trim()})")));
            Assert.That(included.Count, Is.GreaterThan(150), "most of the table must be comparable");
            int at = 0;
            var mismatches = new List<string>();
            foreach (var op in included)
            {
                var ours = Asm.Ok($"         {op.Mnemonic,-5} {SampleOperands.Ibm(op)}\n         END\n", SampleOperands.LevelOf(op)).CoreImage.Bytes;
                var theirs = text!.AsSpan(at, op.Length).ToArray();
                at += op.Length;
                if (!ours.AsSpan().SequenceEqual(theirs))
                    mismatches.Add($"{op.Mnemonic}: ours {Convert.ToHexString(ours)}, GNU {Convert.ToHexString(theirs)}");
            }
            Assert.That(mismatches, Is.Empty);
        }
        finally { dir.Delete(true); }
    }

    static (int, string) Run(string exe, string args, string cwd)
    {
        var psi = new ProcessStartInfo(exe, args) { WorkingDirectory = cwd, RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, err);
    }
}
