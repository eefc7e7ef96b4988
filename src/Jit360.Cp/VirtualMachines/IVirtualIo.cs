using Jit360.Machine;

namespace Jit360.Cp.VirtualMachines;

/// <summary>The S/370 I/O instructions a virtual machine issues (GA22-7000 chapter 12 "Input/Output Operations").</summary>
public enum IoInstruction { SIO, SIOF, TIO, CLRIO, HIO, HDV, TCH, STIDC }

/// <summary>
/// The I/O layer's side of a virtual machine: CP hands it every I/O instruction the guest
/// issues in the virtual supervisor state, with the operand address (device address for
/// SIO..HDV, channel address in bits 16-23 for TCH and STIDC). It returns the condition code
/// and stores the CSW (location 64) or channel id (location 168) in the guest's storage as
/// the real instruction would. Interruptions go the other way: the I/O layer sets the guest
/// <see cref="CpuState.Io"/> (an <see cref="IIoSubsystem"/>) so that the guest CPU takes its
/// own I/O interruptions under its own masks; <see cref="VirtualMachine"/> sees each of them
/// as a PSW swap and keeps the shadow PSW right.
/// </summary>
public interface IVirtualIo
{
    int Execute(VirtualMachine vm, IoInstruction instruction, uint operandAddress);
}

/// <summary>A virtual machine without devices: every device and channel is not operational (condition code 3).</summary>
public sealed class NoVirtualDevices : IVirtualIo
{
    public static readonly NoVirtualDevices Instance = new();
    public int Execute(VirtualMachine vm, IoInstruction instruction, uint operandAddress) => 3;
}
