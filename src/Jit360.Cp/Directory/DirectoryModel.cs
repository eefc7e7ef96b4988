namespace Jit360.Cp.Directory;

/// <summary>The DIRECTORY statement: where the directory itself is written (cuu devtype volser).</summary>
public sealed record DirectoryVolume(ushort Address, string DeviceType, string Volser);

/// <summary>ACCOUNT number [distribution].</summary>
public sealed record AccountDefinition(string Number, string? Distribution);

/// <summary>IPL name-or-cuu [PARM text]: what LOGON IPLs automatically.</summary>
public sealed record IplDefinition(string Target, string? Parm)
{
    /// <summary>The device address when the target is one (1-3 hex digits), else null (a saved-system name).</summary>
    public ushort? Address => DirectoryParser.TryAddress(Target, out ushort a) ? a : null;
}

/// <summary>CONSOLE cuu devtype [class].</summary>
public sealed record ConsoleDefinition(ushort Address, string DeviceType, char? SpoolClass);

/// <summary>SPOOL cuu devtype [READER|PUNCH] [class|*]: a virtual reader, punch or printer.</summary>
public sealed record SpoolDefinition(ushort Address, string DeviceType, SpoolFunction Function, char? SpoolClass);

public enum SpoolFunction { Reader, Punch, Printer }

/// <summary>LINK userid cuu cuu [mode]: another user's minidisk (their address) at one of ours.</summary>
public sealed record LinkDefinition(string UserId, ushort TheirAddress, ushort Address, MinidiskMode Mode);

/// <summary>SPECIAL cuu type: a device with no real counterpart (TIMER, CTCA, a 3270 to DIAL to, ...).</summary>
public sealed record SpecialDefinition(ushort Address, string Type);

/// <summary>DEDICATE cuu realcuu: a real device given to the user.</summary>
public sealed record DedicateDefinition(ushort Address, string RealDevice);

/// <summary>MDISK cuu devtype start size volser [mode [readpw [writepw [multpw]]]]: cylinders start..start+size-1 of a volume.</summary>
public sealed record MinidiskDefinition(
    ushort Address, string DeviceType, int StartCylinder, int Cylinders, string Volser, MinidiskMode Mode,
    string? ReadPassword, string? WritePassword, string? MultiPassword, int Line)
{
    public int EndCylinder => StartCylinder + Cylinders - 1;
    public bool Overlaps(MinidiskDefinition other)
        => string.Equals(Volser, other.Volser, StringComparison.OrdinalIgnoreCase)
           && StartCylinder <= other.EndCylinder && other.StartCylinder <= EndCylinder;
}

/// <summary>OPTION flags (VM/370 directory OPTION statement).</summary>
[Flags]
public enum DirectoryOptions
{
    None = 0,
    RealTimer = 1 << 0,
    EcMode = 1 << 1,
    Isam = 1 << 2,
    VirtEqualsReal = 1 << 3,
    Acct = 1 << 4,
    SvcOff = 1 << 5,
    Bmx = 1 << 6,
    CpuId = 1 << 7,
    Affinity = 1 << 8,
}
