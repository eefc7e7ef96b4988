using Jit360.Cp.Directory;
using Jit360.Cp.VirtualMachines;

namespace Jit360.Cp.Commands;

/// <summary>
/// What the CP commands need from the I/O layer (virtual devices, minidisks, spooling, real
/// devices). CP parses and checks the command, then calls here; errors come back as
/// <see cref="CpCommandException"/> with the DMK message to show. Responses are written to the
/// session's terminal by the implementation.
/// </summary>
public interface IDeviceServices
{
    /// <summary>LOGON after CP checked the user id and password: build the virtual machine from the directory entry (storage, console, spool devices, links, minidisks) and run the directory IPL if any, unless LOGON said NOIPL.</summary>
    VirtualMachine CreateVirtualMachine(CpSession session, UserEntry user, bool automaticIpl);
    /// <summary>LOGOFF: close spool files, detach every device, release the machine.</summary>
    void DestroyVirtualMachine(CpSession session);
    /// <summary>IPL a device address or a saved-system name, with PARM text when given; CLEAR resets storage first.</summary>
    void Ipl(CpSession session, string target, string? parm, bool clear);
    /// <summary>LINK userid vaddr1 vaddr2 mode [password].</summary>
    void Link(CpSession session, string userId, ushort theirAddress, ushort address, MinidiskMode mode, string? password);
    /// <summary>ATTACH realdevice [TO] userid [AS] vaddr (class B).</summary>
    void Attach(CpSession session, IReadOnlyList<string> operands);
    /// <summary>DETACH vaddr (or a real device, class B).</summary>
    void Detach(CpSession session, IReadOnlyList<string> operands);
    /// <summary>DEFINE a device or STORAGE.</summary>
    void Define(CpSession session, IReadOnlyList<string> operands);
    /// <summary>SPOOL a virtual unit-record device or the console.</summary>
    void Spool(CpSession session, IReadOnlyList<string> operands);
    /// <summary>CLOSE a virtual unit-record device.</summary>
    void Close(CpSession session, IReadOnlyList<string> operands);
    /// <summary>QUERY operands about devices and spool files (DASD, RDR, PRT, PUN, FILES, VIRTUAL devices, a device address, ...); false when the operand is not one of them.</summary>
    bool Query(CpSession session, IReadOnlyList<string> operands);
    /// <summary>The system's spool files (PURGE, TRANSFER, ORDER, CHANGE); null when this I/O layer has no spool.</summary>
    Spool.SpoolStore? SpoolFiles => null;
}
