using Jit360.Machine.Channels;

namespace Jit360.Cp.Io;

public enum VirtualDeviceClass { Console, Dasd, Reader, Punch, Printer }

/// <summary>
/// A virtual device as CP knows it: the device object on the VM's channel subsystem, plus what
/// QUERY VIRTUAL and DIAGNOSE X'24' report. For a minidisk, its owner, real volume and extent.
/// </summary>
public sealed record VirtualDevice(ushort Address, VirtualDeviceClass Class, string Type, IDevice Device)
{
    public string? Volser { get; init; }
    public int Cylinders { get; init; }
    public bool ReadOnly { get; init; }
    /// <summary>For a device given by ATTACH, the real device's address.</summary>
    public ushort? RealAddress { get; init; }

    /// <summary>
    /// DIAGNOSE X'24' Ry: VDEVTYPC, VDEVTYPE, VDEVSTAT, VDEVFLAG. Values as VM/370 R6 CP returns
    /// them (recorded by emx370 against a SixPack 1.2 system): 3215 X'80000000'; 2540 reader
    /// X'20820000', punch X'10820000'; 1403 X'10410000'; 3350 class X'04' type X'08', flag
    /// X'80' (VDEVRDO) for a read-only link.
    /// </summary>
    public uint VirtualInfo => Class switch
    {
        VirtualDeviceClass.Console => 0x8000_0000,
        VirtualDeviceClass.Reader => 0x2082_0000,
        VirtualDeviceClass.Punch => 0x1082_0000,
        VirtualDeviceClass.Printer => 0x1041_0000,
        _ => 0x0400_0000u | (uint)DasdTypeCode(Type) << 16 | (ReadOnly ? 0x80u : 0u),
    };

    /// <summary>DIAGNOSE X'24' Ry+1: RDEVTYPC, RDEVTYPE, RDEVMDL, RDEVFTR (3215: model 130-column line, X'80000082'; spooled unit record X'00000040').</summary>
    public uint RealInfo => Class switch
    {
        VirtualDeviceClass.Console => 0x8000_0082,
        VirtualDeviceClass.Dasd => 0x0400_0000u | (uint)DasdTypeCode(Type) << 16,
        _ => 0x0000_0040,
    };

    /// <summary>CP's device-type codes within the DASD class (VM/370 RDEVTYPE equates, as emx370's drive table lists them).</summary>
    static int DasdTypeCode(string type) => type switch
    {
        "2311" => 0x80,
        "2314" or "2319" => 0x40,
        "3330" => 0x10,
        "3340" => 0x01,
        "3350" => 0x08,
        "2305" => 0x02,
        "3375" => 0x04,
        "3380" => 0x20,
        _ => 0x00,
    };

    /// <summary>The QUERY VIRTUAL line.</summary>
    public string QueryLine => Class switch
    {
        VirtualDeviceClass.Console => $"CONS {Address:X3} ON DEV {Address:X3}",
        VirtualDeviceClass.Dasd => $"DASD {Address:X3} {Type} {Volser,-6} {(ReadOnly ? "R/O" : "R/W")} {Cylinders,6} CYL",
        VirtualDeviceClass.Reader => $"RDR  {Address:X3} CL * NOCONT NOHOLD EOF    READY",
        VirtualDeviceClass.Punch => $"PUN  {Address:X3} CL A NOCONT NOHOLD COPY 01 READY",
        _ => $"PRT  {Address:X3} CL A NOCONT NOHOLD COPY 01 READY",
    };
}
