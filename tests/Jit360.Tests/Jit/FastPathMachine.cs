using Jit360.Architecture;
using Jit360.Jit;
using Jit360.Machine;

namespace Jit360.Tests.Jit;

/// <summary>
/// Runs a program on the interpreter and on the JIT (translated at once, on the guest thread)
/// in storage of a chosen size, and requires the same registers, PSW, ILC, condition code,
/// count, last interruption, storage and keys: the fast-path tests' judge. The program sits at
/// X'800' behind BALR 12,0 / USING *,12; DONE is a disabled-wait PSW, and so is the program new PSW.
/// </summary>
static class FastPathMachine
{
    internal static (CpuState Interp, CpuState Jit) Both(string source, uint storage = 0x10000, ArchLevel level = ArchLevel.S370, Action<CpuState>? setup = null, long budget = 200_000)
    {
        var interp = Machine(source, storage, level, setup);
        var exitInterp = new Jit360.Interpreter.Interpreter().Run(interp, budget);
        var jit = Machine(source, storage, level, setup);
        var exitJit = new JitEngine { HotThreshold = 1, Synchronous = true }.Run(jit, budget);
        Assert.That(exitJit, Is.EqualTo(exitInterp), "exit reason");
        for (int r = 0; r < 16; r++) Assert.That(jit.Gpr[r], Is.EqualTo(interp.Gpr[r]), $"R{r}");
        Assert.That(jit.CurrentPsw(), Is.EqualTo(interp.CurrentPsw()), "PSW");
        Assert.That(jit.Ilc, Is.EqualTo(interp.Ilc), "ILC");
        Assert.That(jit.Cc, Is.EqualTo(interp.Cc), "condition code");
        Assert.That(jit.Instructions, Is.EqualTo(interp.Instructions), "instruction count");
        Assert.That(jit.LastInterrupt, Is.EqualTo(interp.LastInterrupt), "last interruption");
        int same = jit.Storage.Bytes.AsSpan().CommonPrefixLength(interp.Storage.Bytes);
        Assert.That(same, Is.EqualTo(interp.Storage.Bytes.Length), $"storage differs at {same:X}");
        Assert.That(jit.Storage.Keys, Is.EqualTo(interp.Storage.Keys), "storage keys");
        return (interp, jit);
    }

    static CpuState Machine(string source, uint storage, ArchLevel level, Action<CpuState>? setup)
    {
        var asm = Jit360.Assembler.Assembler.Assemble("         START X'800'\n         BALR  12,0\n         USING *,12\n" + source + "\nDONE     DC    0D'0',X'000200000000AAAA'\n         END", "fast-path-test.asm", new() { Level = level });
        Assert.That(asm.Success, string.Join("\n", asm.Diagnostics));
        var cpu = new CpuState(level, storage, deterministicTime: true);
        cpu.Storage.Load(asm.CoreImage.Origin, asm.CoreImage.Bytes);
        cpu.Storage.Load(Low.ProgramNewPsw, Convert.FromHexString("000200000000EEEE"));
        cpu.LoadPsw(0x800);
        setup?.Invoke(cpu);
        return cpu;
    }

    /// <summary>Every 2K block gets storage key <paramref name="k"/> and the PSW key becomes <paramref name="psw"/>.</summary>
    internal static void Keys(CpuState cpu, byte k, int psw)
    {
        for (uint a = 0; a < cpu.Storage.Size; a += 2048) cpu.Storage.SetKey(a, k);
        cpu.Key = psw;
    }
}
