namespace Jit360.Machine;

// The PSW as a doubleword (GA22-6821 "Program Status Word", GA22-7000 "Program-Status-Word
// Format" BC and EC modes, GA27-2719 Model 67 extended PSW).
public sealed partial class CpuState
{
    /// <summary>
    /// The unassigned EC-mode bits (16-17, 24-39) of an invalid PSW, kept so that the program
    /// old PSW shows the PSW exactly as it was introduced (GA22-7000 "Early Exception Recognition").
    /// </summary>
    ulong invalidEcBits;

    /// <summary>The current PSW as it would be stored, with an interruption code in BC mode.</summary>
    public ulong CurrentPsw(int interruptCode = 0, int? ilc = null)
    {
        int l = ilc ?? Ilc;
        ulong w = (ulong)SystemMask << 56 | (ulong)(Key & 0xF) << 52
                | (MachineCheckMask ? 1UL << 50 : 0) | (Wait ? 1UL << 49 : 0) | (Problem ? 1UL << 48 : 0);
        if (EcMode)
            return w | 1UL << 51 | (ulong)(Cc & 3) << 44 | (ulong)(ProgramMask & 0xF) << 40 | (Ia & 0x00FF_FFFF)
                     | (PswInvalid ? invalidEcBits : 0);
        if (Extended67)
            return Psw67.Encode(this, l);
        return w | (Ascii ? 1UL << 51 : 0) | (ulong)(ushort)interruptCode << 32 | (ulong)(l & 3) << 30
                 | (ulong)(Cc & 3) << 28 | (ulong)(ProgramMask & 0xF) << 24 | (Ia & 0x00FF_FFFF);
    }

    /// <summary>
    /// Makes a doubleword the current PSW. An invalid format is not an error here: the
    /// specification exception is recognised when the next instruction is to be fetched
    /// (GA22-7000 "Exceptions Associated with the PSW", early exception recognition).
    /// </summary>
    public void LoadPsw(ulong w)
    {
        SystemMask = (byte)(w >> 56);
        Key = (int)(w >> 52) & 0xF;
        bool bit12 = (w & 1UL << 51) != 0;
        MachineCheckMask = (w & 1UL << 50) != 0;
        Wait = (w & 1UL << 49) != 0;
        Problem = (w & 1UL << 48) != 0;
        PswInvalid = false;
        invalidEcBits = 0;
        if (Extended67)
        {
            Psw67.Decode(this, w);
        }
        else if (IsS370 && bit12)
        {
            EcMode = true; Ascii = false;
            Cc = (int)(w >> 44) & 3;
            ProgramMask = (int)(w >> 40) & 0xF;
            Ia = (uint)w & 0x00FF_FFFF;
            // GA22-7000-4: bit positions 0, 2-4, 16-17 and 24-39 are unassigned and must be zero.
            invalidEcBits = w & 0x0000_C0FF_FF00_0000UL;
            PswInvalid = (SystemMask & 0xB8) != 0 || invalidEcBits != 0;
        }
        else
        {
            EcMode = false;
            Ascii = !IsS370 && bit12;
            Cc = (int)(w >> 28) & 3;
            ProgramMask = (int)(w >> 24) & 0xF;
            Ia = (uint)w & 0x00FF_FFFF;
        }
        RefreshSystemMask();
    }

    /// <summary>
    /// Replaces PSW bits 0-7 (SET SYSTEM MASK, STORE THEN AND/OR SYSTEM MASK). Returns true when the
    /// result is a PSW-format error (EC mode: bits 0 and 2-4 must be zero); the caller then
    /// recognises the specification exception after completing the instruction.
    /// </summary>
    public bool SetSystemMask(byte mask)
    {
        SystemMask = mask;
        RefreshSystemMask();
        return EcMode && (mask & 0xB8) != 0;
    }

    /// <summary>
    /// Derives the PSW-mode dependent meanings of the system mask: PER and DAT in S/370 EC mode,
    /// 32-bit addressing and translation in the Model 67 extended PSW, channel masks otherwise.
    /// Also called when control register 6 of a Model 67 switches the PSW format.
    /// </summary>
    public void RefreshSystemMask()
    {
        bool ec = EcMode, x67 = Extended67;
        PerMask = ec && (SystemMask & 0x40) != 0;
        Translate = (ec || x67) && (SystemMask & 0x04) != 0;
        Addressing32 = x67 && (SystemMask & 0x08) != 0;
        AddressMask = Addressing32 ? 0xFFFF_FFFF : 0x00FF_FFFF;
        if (!Addressing32) Ia &= 0x00FF_FFFF;
        Attention = true;
    }

    /// <summary>The current PSW formatted as Hercules shows it: two words in hex.</summary>
    /// <remarks>
    /// The current PSW is shown with a zero ILC: in a BC-mode PSW the ILC is defined only in a
    /// stored old PSW, so the current PSW reads as it was loaded.
    /// </remarks>
    public string PswText(ulong? psw = null)
    {
        ulong w = psw ?? CurrentPsw(0, 0);
        return $"{(uint)(w >> 32):X8} {(uint)w:X8}";
    }
}
