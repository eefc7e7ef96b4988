namespace Jit360.Machine;

public enum InterruptClass { None, Restart, External, Svc, Program, MachineCheck, Io }

/// <summary>What the last interruption was, for tracing, vectors and the Control Program.</summary>
public readonly record struct InterruptRecord(InterruptClass Class, int Code, int Ilc, ulong OldPsw);

/// <summary>Fixed storage locations (GA22-7000 "Assigned Storage Locations"; GA22-6821 "Fixed Storage Locations").</summary>
public static class Low
{
    public const uint IplPsw = 0x00, RestartNewPsw = 0x00, RestartOldPsw = 0x08;
    public const uint ExternalOldPsw = 0x18, SvcOldPsw = 0x20, ProgramOldPsw = 0x28, MachineCheckOldPsw = 0x30, IoOldPsw = 0x38;
    public const uint Csw = 0x40, Caw = 0x48, IntervalTimer = 0x50;
    public const uint ExternalNewPsw = 0x58, SvcNewPsw = 0x60, ProgramNewPsw = 0x68, MachineCheckNewPsw = 0x70, IoNewPsw = 0x78;
    // EC mode (S/370): interruption codes stored outside the PSW.
    public const uint ExternalCode = 0x86, SvcIlc = 0x89, SvcCode = 0x8A, ProgramIlc = 0x8D, ProgramCode = 0x8E, IoAddress = 0xBA;
    public const uint MonitorClass = 0x95, MonitorCode = 0x9C;
}
