namespace Jit360.Cp.VirtualMachines;

/// <summary>
/// One DIAGNOSE instruction as CP sees it (VM/370 CP convention "DIAGNOSE Rx,Ry,code",
/// machine format X'83' Rx Ry and the code in the displacement D2; the base field is not
/// part of the code).
/// </summary>
public readonly record struct DiagnoseCall(int Rx, int Ry, int Code);

/// <summary>
/// A DIAGNOSE code's simulation. It reads and updates the virtual machine (registers, storage,
/// condition code); to reject the call it throws <see cref="Jit360.Machine.CpuState.Fault"/>
/// with the program-interruption code to reflect (VM/370 reflects a specification exception
/// for invalid operands). It returns null to resume the guest, or an exit reason for the CP
/// dispatcher (for example when a CP command issued through DIAGNOSE X'08' logs the user off).
/// </summary>
public interface IDiagnose
{
    Jit360.Machine.ExitReason? Execute(VirtualMachine vm, DiagnoseCall call);
}
