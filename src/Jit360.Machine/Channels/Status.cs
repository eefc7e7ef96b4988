namespace Jit360.Machine.Channels;

/// <summary>Unit status, CSW byte 4 (GA22-7000 "Unit Status Conditions"; GA22-6821 "Unit Status").</summary>
[Flags]
public enum UnitStatus : byte
{
    None = 0,
    Attention = 0x80,
    StatusModifier = 0x40,
    ControlUnitEnd = 0x20,
    Busy = 0x10,
    ChannelEnd = 0x08,
    DeviceEnd = 0x04,
    UnitCheck = 0x02,
    UnitException = 0x01,
}

/// <summary>Channel status, CSW byte 5 (GA22-7000 "Channel Status Conditions").</summary>
[Flags]
public enum ChannelStatus : byte
{
    None = 0,
    ProgramControlledInterruption = 0x80,
    IncorrectLength = 0x40,
    ProgramCheck = 0x20,
    ProtectionCheck = 0x10,
    ChannelDataCheck = 0x08,
    ChannelControlCheck = 0x04,
    InterfaceControlCheck = 0x02,
    ChainingCheck = 0x01,
}

/// <summary>CCW flag bits, CCW bits 32-37 (GA22-7000 "Channel Command Word"; bit 37, IDA, is S/370 only).</summary>
public static class CcwFlags
{
    public const byte ChainData = 0x80;
    public const byte ChainCommand = 0x40;
    public const byte SuppressLengthIndication = 0x20;
    public const byte Skip = 0x10;
    public const byte ProgramControlledInterruption = 0x08;
    public const byte IndirectDataAddress = 0x04;
}

/// <summary>
/// Sense byte 0 bits common to most devices (GA22-7000 "Sense"; device manuals): what a device
/// sets before presenting unit check.
/// </summary>
public static class Sense0
{
    public const byte CommandReject = 0x80;
    public const byte InterventionRequired = 0x40;
    public const byte BusOutCheck = 0x20;
    public const byte EquipmentCheck = 0x10;
    public const byte DataCheck = 0x08;
    public const byte Overrun = 0x04;
}
