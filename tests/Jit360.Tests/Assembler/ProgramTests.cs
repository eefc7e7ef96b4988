using System.Buffers.Binary;
using Jit360.Architecture;
using Jit360.Assembler;
using Jit360.Interpreter;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Assembler;

/// <summary>
/// Assembler programs that ship with Jit360 (the built-in demo) and those under traces/programs/,
/// assembled at test time and run on every engine.
/// </summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class ProgramTests(string engine)
{
    static AssemblyResult AssembleFile(string relative, ArchLevel level)
    {
        var path = Path.Combine(Shared.RepositoryRoot, relative);
        var r = Jit360.Assembler.Assembler.Assemble(File.ReadAllText(path), path, new AssemblerOptions { Level = level });
        Assert.That(r.Success, Is.True, r.DiagnosticText);
        return r;
    }

    /// <summary>Loads the core image at its origin, starts with the PSW at location 0 (as loadcore or IPL would) and runs to a wait.</summary>
    CpuState Run(AssemblyResult r, ArchLevel level, out ExitReason exit)
    {
        var cpu = new CpuState(level, 0x10000, deterministicTime: true);
        cpu.Storage.Load(r.CoreImage.Origin, r.CoreImage.Bytes);
        cpu.LoadPsw(cpu.Storage.ReadDoublewordAbsolute(0));
        exit = TestEngines.Create(engine).Run(cpu, 2_000_000);
        return cpu;
    }

    static uint Word(CpuState cpu, long at) => BinaryPrimitives.ReadUInt32BigEndian(cpu.Storage.Bytes.AsSpan((int)at, 4));

    [TestCase(ArchLevel.S360)]
    [TestCase(ArchLevel.S370)]
    public void Demo_program_finds_the_primes_below_1000_and_waits(ArchLevel level)
    {
        var r = AssembleFile("src/Jit360.Cli/Programs/demo.asm", level);
        Assert.That(r.EntryPoint, Is.EqualTo(r.Symbols["BEGIN"]));
        var cpu = Run(r, level, out var exit);
        Assert.That(exit, Is.EqualTo(ExitReason.DisabledWait), cpu.PswText());
        Assert.That(Word(cpu, r.Symbols["COUNTP"]), Is.EqualTo(168));
        Assert.That(Word(cpu, r.Symbols["SUMP"]), Is.EqualTo(76127));
        Assert.That(Word(cpu, r.Symbols["LARGEST"]), Is.EqualTo(997));
        Assert.That(Convert.ToHexString(cpu.Storage.Bytes, (int)r.Symbols["FIRST10"], 20), Is.EqualTo("0002000300050007000B000D001100130017001D"));
        Assert.That(cpu.PswText(), Is.EqualTo("00020000 000000A8"));
    }

    [Test]
    public void Sieve_from_traces_programs_counts_the_primes_as_the_byte_sieve_does()
    {
        var r = AssembleFile("traces/programs/sieve.asm", ArchLevel.S370);
        var cpu = Run(r, ArchLevel.S370, out var exit);
        Assert.That(exit, Is.EqualTo(ExitReason.DisabledWait), cpu.PswText());
        Assert.That(Word(cpu, r.Symbols["RES"]), Is.EqualTo(ByteSieve(8190)));
        Assert.That(cpu.PswText(), Is.EqualTo("00020000 00000000"));
    }

    /// <summary>The BYTE-magazine sieve, written again in C#: flag i stands for 2i+3.</summary>
    static uint ByteSieve(int size)
    {
        var flags = Enumerable.Repeat(true, size + 1).ToArray();
        uint count = 0;
        for (int i = 0; i <= size; i++)
        {
            if (!flags[i]) continue;
            int prime = i + i + 3;
            for (int k = i + prime; k <= size; k += prime) flags[k] = false;
            count++;
        }
        return count;
    }

    [Test]
    public void Decimal_from_traces_programs_sums_packed_amounts()
    {
        var r = AssembleFile("traces/programs/decimal.asm", ArchLevel.S370);
        // The macro generated 64 amounts of 5 bytes each.
        long amts = r.Symbols["AMTS"];
        var image = r.CoreImage.Bytes;
        long total = 0, grand = 0;
        for (int j = 0; j < 64; j++)
        {
            long a = (j * 7919L + 12345) % 1000000;
            if (j % 5 == 4) a = -a;
            total += a;
            grand += a - 125;
            Assert.That(Convert.ToHexString(image, (int)(amts + 5 * j), 5), Is.EqualTo(Packed(a, 5)), $"amount {j}");
        }
        var cpu = Run(r, ArchLevel.S370, out var exit);
        Assert.That(exit, Is.EqualTo(ExitReason.DisabledWait), cpu.PswText());
        long res = r.Symbols["RES"];
        Assert.That((int)Word(cpu, res), Is.EqualTo(total));
        Assert.That((int)Word(cpu, res + 4), Is.EqualTo(total));
        Assert.That(Convert.ToHexString(cpu.Storage.Bytes, (int)res + 8, 8), Is.EqualTo(Packed(grand, 8)));
    }

    static string Packed(long v, int length)
    {
        string digits = Math.Abs(v).ToString().PadLeft(2 * length - 1, '0');
        return digits + (v < 0 ? "D" : "C");
    }
}
