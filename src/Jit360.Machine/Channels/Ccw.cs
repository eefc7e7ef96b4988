namespace Jit360.Machine.Channels;

/// <summary>
/// A channel command word (GA22-7000 "Channel Command Word"; GA22-6821 "Channel Command Word"):
/// bits 0-7 command code, 8-31 data address, 32-37 flags (37, indirect data addressing, S/370
/// only: on a System/360 it is one of the bits 37-39 that must be zero), 38-39 zero, 48-63 count.
/// </summary>
public readonly record struct Ccw(byte Command, uint DataAddress, byte Flags, int Count)
{
    public static Ccw Decode(ulong w) => new((byte)(w >> 56), (uint)(w >> 32) & 0x00FF_FFFF, (byte)(w >> 24), (int)(w & 0xFFFF));

    /// <summary>TRANSFER IN CHANNEL: command code bits 4-7 are 1000, bits 0-3 are ignored.</summary>
    public bool IsTic => (Command & 0x0F) == 0x08;

    /// <summary>Command code bits 4-7 all zero is invalid (GA22-7000 "Command Code").</summary>
    public bool InvalidCommand => (Command & 0x0F) == 0x00;

    /// <summary>Bits 38-39 (and on a System/360 also bit 37) must be zero in every CCW other than TIC, else program check.</summary>
    public bool InvalidFlags(bool s370) => (Flags & (s370 ? 0x03 : 0x07)) != 0;

    /// <summary>The data address designates the first IDAW, not the data (GA22-7000 "Channel Indirect Data Addressing").</summary>
    public bool IndirectData => (Flags & CcwFlags.IndirectDataAddress) != 0;

    public bool ChainData => (Flags & CcwFlags.ChainData) != 0;
    public bool ChainCommand => (Flags & CcwFlags.ChainCommand) != 0;
    public bool SuppressLength => (Flags & CcwFlags.SuppressLengthIndication) != 0;
    public bool Skip => (Flags & CcwFlags.Skip) != 0;
    public bool Pci => (Flags & CcwFlags.ProgramControlledInterruption) != 0;

    public override string ToString() => $"{Command:X2}{DataAddress:X6} {Flags:X2}00{Count:X4}";
}
