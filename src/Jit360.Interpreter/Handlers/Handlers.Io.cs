using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Interpreter;

// Input/output instructions, the CPU side (GA22-6821 "Input/Output Operations"; GA22-7000
// chapter 13). All are privileged. The device address is bits 16-31 of the second-operand
// address (S/360: bits 16-23 channel, 24-31 device; the channel subsystem decides which bits it
// looks at); TEST CHANNEL and STORE CHANNEL ID take the channel from bits 16-23. The channel
// subsystem sets the condition code (cc 3, not operational, when there are no channels).
// S/360 uses the SI form (9C-9F, I2 ignored), S/370 the two-byte S form; both address the
// operand through B and D in bits 16-31, so one handler serves both.
public static unsafe partial class Handlers
{
    static uint IoAddress(CpuState cpu, ulong insn)
    {
        cpu.RequireSupervisor();
        var f = new S(insn);
        return cpu.Address(f.B2, f.D2);
    }

    /// <summary>After an I/O instruction an interruption may have become pending: look at the boundary.</summary>
    static void IoDone(CpuState cpu, int cc)
    {
        cpu.Cc = cc;
        cpu.Attention = true;
    }

    public static void SIO(CpuState cpu, ulong insn) { uint a = IoAddress(cpu, insn); IoDone(cpu, cpu.Io.StartIo(cpu, a & 0xFFFF, fastRelease: false)); }
    public static void SIOF(CpuState cpu, ulong insn) { uint a = IoAddress(cpu, insn); IoDone(cpu, cpu.Io.StartIo(cpu, a & 0xFFFF, fastRelease: true)); }
    public static void TIO(CpuState cpu, ulong insn) { uint a = IoAddress(cpu, insn); IoDone(cpu, cpu.Io.TestIo(cpu, a & 0xFFFF)); }
    public static void CLRIO(CpuState cpu, ulong insn) { uint a = IoAddress(cpu, insn); IoDone(cpu, cpu.Io.ClearIo(cpu, a & 0xFFFF)); }
    public static void HIO(CpuState cpu, ulong insn) { uint a = IoAddress(cpu, insn); IoDone(cpu, cpu.Io.HaltIo(cpu, a & 0xFFFF)); }
    public static void HDV(CpuState cpu, ulong insn) { uint a = IoAddress(cpu, insn); IoDone(cpu, cpu.Io.HaltDevice(cpu, a & 0xFFFF)); }
    public static void TCH(CpuState cpu, ulong insn) { uint a = IoAddress(cpu, insn); IoDone(cpu, cpu.Io.TestChannel(cpu, (a >> 8) & 0xFF)); }
    public static void STIDC(CpuState cpu, ulong insn) { uint a = IoAddress(cpu, insn); IoDone(cpu, cpu.Io.StoreChannelId(cpu, (a >> 8) & 0xFF)); }
}
