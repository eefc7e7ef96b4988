using Jit360.Architecture;
using Jit360.Cli;

namespace Jit360.Tests.Jit;

/// <summary>The block viewer shows a translated region's guest code, IL and x86-64 code.</summary>
public class BlockVerbTests
{
    [Test]
    public void It_shows_guest_mnemonics_IL_opcodes_and_x86_instructions_for_a_hot_loop()
    {
        var asm = Jit360.Assembler.Assembler.Assemble("""
         START X'800'
         BALR  12,0
         USING *,12
         LA    2,500
LOOP     L     3,WORD
         AR    4,3
         ST    4,WORD
         BCT   2,LOOP
         LPSW  DONE
WORD     DC    F'1'
DONE     DC    0D'0',X'000200000000AAAA'
         END
""", "block-test.asm", new() { Level = ArchLevel.S370 });
        Assert.That(asm.Success, string.Join("\n", asm.Diagnostics));
        string core = Path.Combine(Path.GetTempPath(), $"jit360-block-{Guid.NewGuid():N}.img");
        try
        {
            File.WriteAllBytes(core, asm.CoreImage.Bytes);
            var output = new StringWriter();
            int rc = BlockVerb.Run(output, "806", new FileInfo(core), asm.CoreImage.Origin.ToString("X"), "800", "S/370", 1, 10_000, null, null);
            string text = output.ToString();
            Assert.That(rc, Is.EqualTo(0), text);
            Assert.That(text, Does.Contain("== guest"));
            Assert.That(text, Does.Match(@"000806> \S+\s+L\s+3,"));
            Assert.That(text, Does.Contain("BCT"));
            Assert.That(text, Does.Contain("== IL"));
            Assert.That(text, Does.Contain("ldloc"));
            Assert.That(text, Does.Contain("stfld CpuState.Instructions"));
            if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64)
            {
                Assert.That(text, Does.Contain("== x86-64"));
                Assert.That(text, Does.Match(@"[0-9A-F]{16}  (mov|push|sub|lea)\s"));
                Assert.That(text, Does.Match(@"[0-9A-F]{16}  ret"));
            }
        }
        finally { File.Delete(core); }
    }

    [Test]
    public void An_address_without_a_region_is_a_clear_error()
    {
        string core = Path.Combine(Path.GetTempPath(), $"jit360-block-{Guid.NewGuid():N}.img");
        try
        {
            File.WriteAllBytes(core, Convert.FromHexString("82000808000000000002000000000000"));
            var error = Console.Error;
            var captured = new StringWriter();
            Console.SetError(captured);
            int rc;
            try { rc = BlockVerb.Run(new StringWriter(), "900", new FileInfo(core), "800", "800", "S/370", 1, 100, null, null); }
            finally { Console.SetError(error); }
            Assert.That(rc, Is.EqualTo(1));
            Assert.That(captured.ToString(), Does.Contain("no region containing 000900"));
        }
        finally { File.Delete(core); }
    }
}
