using Jit360.Cp.VirtualMachines;
using Jit360.Machine;

namespace Jit360.Cp.Io;

/// <summary>
/// A virtual machine's I/O instructions go to its own channel subsystem (the guest CpuState's
/// <see cref="CpuState.Io"/>): the subsystem's devices are the virtual devices, its CSWs and
/// interruptions land in the guest's storage and are taken by the guest's CPU under the
/// guest's own masks. CP does no CCW translation: each minidisk is a device over a
/// <see cref="MinidiskImage"/>, which relocates cylinders itself.
/// </summary>
public sealed class ChannelVirtualIo(GuestMachine? guest = null) : IVirtualIo
{

    public int Execute(VirtualMachine vm, IoInstruction instruction, uint operandAddress)
    {
        var cpu = vm.Cpu;
        var io = cpu.Io;
        // Device addresses are bits 16-31 of the operand address; channel addresses bits 16-23 (GA22-7000 "Input/Output Instruction Formats").
        uint device = operandAddress & 0xFFFF;
        uint channel = (operandAddress >> 8) & 0xFF;
        int cc = instruction switch
        {
            IoInstruction.SIO => io.StartIo(cpu, device, false),
            IoInstruction.SIOF => io.StartIo(cpu, device, true),
            IoInstruction.TIO => io.TestIo(cpu, device),
            IoInstruction.CLRIO => io.ClearIo(cpu, device),
            IoInstruction.HIO => io.HaltIo(cpu, device),
            IoInstruction.HDV => io.HaltDevice(cpu, device),
            IoInstruction.TCH => io.TestChannel(cpu, channel),
            IoInstruction.STIDC => io.StoreChannelId(cpu, channel),
            _ => 3,
        };
        guest?.Record($"{instruction} {operandAddress:X3} at {vm.Cpu.Ia:X6} -> cc {cc}");
        return cc;
    }
}
