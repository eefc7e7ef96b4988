using System.Buffers.Binary;
using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Tests.Support;

/// <summary>
/// A bare CPU for behaviour tests: put code and data in storage, set registers, run a number
/// of instructions (stopping at the first interruption), then look at the state.
/// </summary>
public sealed class TestMachine
{
    public readonly CpuState Cpu;
    public readonly IExecutionEngine Engine;
    public const uint CodeAddress = 0x1000;

    public TestMachine(string engine = "interp", ArchLevel level = ArchLevel.S370, uint storage = 0x10000)
    {
        Cpu = new CpuState(level, storage, deterministicTime: true) { StopOnInterrupt = true };
        Engine = TestEngines.Create(engine);
        Cpu.LoadPsw(0x0000_0000_0000_0000UL | CodeAddress);   // BC mode, supervisor, key 0, disabled
    }

    /// <summary>Places instruction bytes (hex) at the code address and points the PSW at them.</summary>
    public TestMachine Code(string hex, uint at = CodeAddress)
    {
        Cpu.Storage.Load(at, Convert.FromHexString(hex.Replace(" ", "")));
        Cpu.Ia = at;
        return this;
    }

    public TestMachine Bytes(uint at, string hex) { Cpu.Storage.Load(at, Convert.FromHexString(hex.Replace(" ", ""))); return this; }
    public TestMachine Reg(int r, uint v) { Cpu.Gpr[r] = v; return this; }
    public TestMachine Fpr(int r, ulong v) { Cpu.Fpr[r] = v; return this; }
    public TestMachine Psw(ulong psw) { Cpu.LoadPsw(psw); return this; }
    public TestMachine Cc(int cc) { Cpu.Cc = cc; return this; }
    public TestMachine ProgramMask(int pm) { Cpu.ProgramMask = pm; return this; }

    /// <summary>Runs up to n instructions; returns the exit reason.</summary>
    public ExitReason Run(int n = 1) => Engine.Run(Cpu, n);

    public uint Word(uint at) => BinaryPrimitives.ReadUInt32BigEndian(Cpu.Storage.Bytes.AsSpan((int)at, 4));
    public string Hex(uint at, int len) => Convert.ToHexString(Cpu.Storage.Bytes, (int)at, len);

    /// <summary>The program-interruption code of the last interruption, or null if none happened.</summary>
    public int? ProgramCheck => Cpu.LastInterrupt.Class == InterruptClass.Program ? Cpu.LastInterrupt.Code : null;
}
