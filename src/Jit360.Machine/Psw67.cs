namespace Jit360.Machine;

/// <summary>
/// The System/360 Model 67 extended PSW (GA27-2719, in use while control register 6 bit 8 is one).
/// <code>
///  bits 0-3  spare        4  32-bit addressing   5  translation   6  I/O mask (summary)   7  external mask
///  bits 8-11 key         12  USASCII            13  machine check 14  wait                15  problem state
///  bits 16-17 ILC     18-19  condition code  20-23  program mask  24-31 spare        32-63  instruction address
/// </code>
/// The interruption code has no room in this PSW: it is stored in a halfword of low storage
/// instead (<see cref="CodeLocation"/>). The channel masks move to control register 4.
/// </summary>
/// <remarks>
/// The bit layout follows GA27-2719 (as tabulated in the PSW article that cites it). The
/// interruption-code halfwords are not in any text we could consult; they are taken from an
/// independent Model 67 simulator that runs CP-67 (R. Cornwell's IBM360 simh, storepsw), and
/// are to be re-checked against GA27-2719 "Extended PSW mode".
/// </remarks>
public static class Psw67
{
    public static ulong Encode(CpuState cpu, int ilc)
    {
        ulong w = (ulong)cpu.SystemMask << 56 | (ulong)(cpu.Key & 0xF) << 52
                | (cpu.Ascii ? 1UL << 51 : 0) | (cpu.MachineCheckMask ? 1UL << 50 : 0)
                | (cpu.Wait ? 1UL << 49 : 0) | (cpu.Problem ? 1UL << 48 : 0)
                | (ulong)(ilc & 3) << 46 | (ulong)(cpu.Cc & 3) << 44 | (ulong)(cpu.ProgramMask & 0xF) << 40;
        return w | (cpu.Ia & (cpu.Addressing32 ? 0xFFFF_FFFFu : 0x00FF_FFFFu));
    }

    /// <summary>Loads the fields after bits 0-15 (which <see cref="CpuState.LoadPsw"/> has taken); the ILC of a new PSW is ignored.</summary>
    public static void Decode(CpuState cpu, ulong w)
    {
        cpu.EcMode = false;
        cpu.Ascii = (w & 1UL << 51) != 0;
        cpu.Cc = (int)(w >> 44) & 3;
        cpu.ProgramMask = (int)(w >> 40) & 0xF;
        cpu.Ia = (cpu.SystemMask & 0x08) != 0 ? (uint)w : (uint)w & 0x00FF_FFFF;
    }

    /// <summary>Where the extended mode stores the 16-bit interruption code of each class, or null.</summary>
    public static uint? CodeLocation(InterruptClass cls) => cls switch
    {
        InterruptClass.External => 0x0E,
        InterruptClass.Svc => 0x10,
        InterruptClass.Program => 0x12,
        InterruptClass.Io => 0x16,
        _ => null,
    };

    /// <summary>Control register 6 bit 8: the extended PSW is in use.</summary>
    public const uint ExtendedPswBit = 0x0080_0000;
}
