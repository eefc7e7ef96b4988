namespace Jit360.Machine;

/// <summary>
/// The System/360 Model 67 extended PSW (GA27-2719, active when control register 6 bit 8 is
/// one). Bit 4 selects 32-bit addressing, bit 5 translation, bit 6 the I/O summary mask, bit 7
/// the external mask; bits 16-17 hold the ILC, 18-19 the condition code, 20-23 the program
/// mask, and bits 32-63 the instruction address. Interruption codes are stored in the
/// extended-mode locations instead of the PSW.
/// </summary>
public static class Psw67
{
    public static ulong Encode(CpuState cpu, int interruptCode, int ilc)
    {
        ulong w = (ulong)cpu.SystemMask << 56 | (ulong)(cpu.Key & 0xF) << 52
                | (cpu.Ascii ? 1UL << 51 : 0) | (cpu.MachineCheckMask ? 1UL << 50 : 0)
                | (cpu.Wait ? 1UL << 49 : 0) | (cpu.Problem ? 1UL << 48 : 0)
                | (ulong)(ilc & 3) << 46 | (ulong)(cpu.Cc & 3) << 44 | (ulong)(cpu.ProgramMask & 0xF) << 40;
        return w | (cpu.Ia & (cpu.Addressing32 ? 0xFFFF_FFFFu : 0x00FF_FFFFu));
    }

    public static void Decode(CpuState cpu, ulong w)
    {
        cpu.EcMode = false;
        cpu.Ascii = (w & 1UL << 51) != 0;
        cpu.Addressing32 = (cpu.SystemMask & 0x08) != 0;
        cpu.Translate = (cpu.SystemMask & 0x04) != 0;
        cpu.Cc = (int)(w >> 44) & 3;
        cpu.ProgramMask = (int)(w >> 40) & 0xF;
        cpu.Ia = cpu.Addressing32 ? (uint)w : (uint)w & 0x00FF_FFFF;
    }
}
