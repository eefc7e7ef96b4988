using System.Runtime.InteropServices;
using Jit360.Architecture;
using Jit360.Jit;
using Jit360.Machine;

namespace Jit360.Tests.Jit;

/// <summary>The statistics a run prints: native code size per region, interpreter fallbacks by mnemonic.</summary>
public class JitStatisticsTests
{
    /// <summary>A program at X'800' behind BALR 12,0 / USING *,12, with DONE a disabled-wait PSW; translation on the guest thread.</summary>
    static (CpuState cpu, JitEngine jit) Machine(string source, int threshold = 0)
    {
        var asm = Jit360.Assembler.Assembler.Assemble("         START X'800'\n         BALR  12,0\n         USING *,12\n" + source + "\nDONE     DC    0D'0',X'000200000000AAAA'\n         END", "statistics-test.asm", new() { Level = ArchLevel.S370 });
        Assert.That(asm.Success, string.Join("\n", asm.Diagnostics));
        var cpu = new CpuState(ArchLevel.S370, 0x10000, deterministicTime: true);
        cpu.Storage.Load(asm.CoreImage.Origin, asm.CoreImage.Bytes);
        cpu.Storage.Load(Low.ProgramNewPsw, Convert.FromHexString("000200000000EEEE"));
        cpu.LoadPsw(0x800);
        return (cpu, new JitEngine { HotThreshold = threshold, Synchronous = true });
    }

    static Dictionary<string, long> Fallbacks(JitEngine jit) => jit.Statistics.FallbacksByMnemonic.ToDictionary(p => p.Key, p => p.Value);

    [Test]
    public void Native_bytes_are_the_size_of_each_regions_x86_code()
    {
        Assume.That(RuntimeInformation.ProcessArchitecture, Is.EqualTo(System.Runtime.InteropServices.Architecture.X64), "native code is located on x64 only");
        var small = Translated("""
         LA    3,100
LOOP     BCT   3,LOOP
         LPSW  DONE
""");
        var large = Translated("""
         LA    3,100
LOOP     L     1,WORD
         A     1,WORD
         ST    1,WORD
         MVC   BUF(8),BUF+8
         CLC   BUF(4),WORD
         BE    SKIP
         AP    PK,PK
SKIP     BCT   3,LOOP
         LPSW  DONE
WORD     DC    F'1'
BUF      DC    XL16'00'
PK       DC    PL8'1'
""");
        var first = (small.Cache.Blocks.Single(b => b.Entry == 0x800), large.Cache.Blocks.Single(b => b.Entry == 0x800));
        Assert.That(first.Item2.Instructions.Count, Is.GreaterThan(first.Item1.Instructions.Count + 5));
        Assert.That(first.Item2.NativeBytes, Is.GreaterThan(first.Item1.NativeBytes), "more guest code, more native code");
    }

    /// <summary>Runs a program with everything translated; checks each region's native size against its listing and the statistics' sum.</summary>
    static JitEngine Translated(string source)
    {
        var (cpu, jit) = Machine(source);
        Assert.That(jit.Run(cpu, 100_000), Is.EqualTo(ExitReason.DisabledWait));
        var blocks = jit.Cache.Blocks.ToList();
        Assert.That(blocks, Is.Not.Empty);
        foreach (var b in blocks)
        {
            var listing = NativeCode.Of(b)!;
            Assert.That(b.NativeBytes, Is.GreaterThan(0), $"region {b.Entry:X6}");
            Assert.That(listing.Size, Is.EqualTo(b.NativeBytes), $"region {b.Entry:X6}: the listing and the statistics measure the same code");
            // The code ends where control cannot fall through (a return, a jump, the int3 after a call that does not return).
            Assert.That(listing.Lines[^1], Does.Match(@"\s(ret|jmp|int3)\b"), $"region {b.Entry:X6} ends in the middle of its code");
        }
        Assert.That(jit.Statistics.NativeBytes, Is.EqualTo(blocks.Sum(b => (long)b.NativeBytes)));
        Assert.That(jit.Statistics.ToString(), Does.Contain($"{jit.Statistics.NativeBytes:N0} native bytes"));
        return jit;
    }

    [Test]
    public void A_patched_instruction_runs_on_the_interpreter_and_is_counted_under_its_mnemonic()
    {
        // Every pass rewrites the AR's registers (the same bytes): after the first invalidation the
        // AR is left to the interpreter, all ten times it runs, and nothing else is.
        const string code = """
         LA    3,10
LOOP     MVI   TARGET+1,X'12'
TARGET   AR    1,2
         BCT   3,LOOP
         LPSW  DONE
""";
        var (cpu, jit) = Machine(code);
        cpu.Gpr[2] = 7;
        Assert.That(jit.Run(cpu, 10_000), Is.EqualTo(ExitReason.DisabledWait));
        Assert.That(cpu.Gpr[1], Is.EqualTo(70u));
        Assert.That(Fallbacks(jit), Is.EqualTo(new Dictionary<string, long> { ["AR"] = 10 }));
        Assert.That(jit.Statistics.InstructionsInterpreted, Is.EqualTo(10));
        Assert.That(jit.Statistics.PatchedInstructions, Is.EqualTo(1));
        Assert.That(jit.Statistics.Invalidations, Is.EqualTo(1), "the region holding the AR is invalidated once, never again");
        Assert.That(jit.Statistics.ToString(), Does.Contain("interpreter fallbacks AR 10"));
    }

    [Test]
    public void Code_below_the_hot_threshold_is_counted_by_mnemonic()
    {
        // The first pass runs in the block behind the BALR (LA, LA, BCT); the loop's own block is
        // then interpreted at its first 16 entries (hot threshold 16) and translated at the 17th.
        var (cpu, jit) = Machine("""
         LA    2,1000
LOOP     LA    1,1(1)
         BCT   2,LOOP
         LPSW  DONE
""", threshold: 16);
        Assert.That(jit.Run(cpu, 100_000), Is.EqualTo(ExitReason.DisabledWait));
        var fallbacks = Fallbacks(jit);
        Assert.That(fallbacks["BCT"], Is.EqualTo(1 + 16));
        Assert.That(fallbacks["LA"], Is.EqualTo(1 + 1 + 16), "the LA before the loop, and the loop's LA as often as its BCT");
        Assert.That(fallbacks["BALR"], Is.EqualTo(1));
        Assert.That(fallbacks.Values.Sum(), Is.EqualTo(jit.Statistics.InstructionsInterpreted));
        Assert.That(jit.Statistics.InstructionsInterpreted + jit.Statistics.InstructionsTranslated, Is.EqualTo(cpu.Instructions));
    }

    [Test]
    public void An_undecodable_opcode_is_counted_under_its_hex_opcode()
    {
        // X'00' is no instruction: the interpreter raises the operation exception (the program new PSW is a wait).
        var (cpu, jit) = Machine("         DC    X'0000'");
        jit.Run(cpu, 1000);
        Assert.That(cpu.LastInterrupt.Code, Is.EqualTo(1), "operation exception");
        Assert.That(Fallbacks(jit), Does.ContainKey("X'00'"));
        Assert.That(Fallbacks(jit)["X'00'"], Is.EqualTo(1));
    }
}
