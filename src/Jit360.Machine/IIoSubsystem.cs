namespace Jit360.Machine;

/// <summary>
/// The channel side of the S/360-S/370 I/O instructions (GA22-7000 "Input/Output Operations").
/// Each method returns the condition code; a subsystem that stores a CSW does so at location 64.
/// </summary>
public interface IIoSubsystem
{
    int StartIo(CpuState cpu, uint deviceAddress, bool fastRelease);
    int TestIo(CpuState cpu, uint deviceAddress);
    int HaltIo(CpuState cpu, uint deviceAddress);
    int HaltDevice(CpuState cpu, uint deviceAddress);
    int ClearIo(CpuState cpu, uint deviceAddress);
    int TestChannel(CpuState cpu, uint channel);
    int StoreChannelId(CpuState cpu, uint channel);
    /// <summary>True when some device has an interruption pending (checked at instruction boundaries).</summary>
    bool InterruptPending { get; }
    /// <summary>
    /// Accepts one pending interruption whose channel is enabled by <paramref name="channelEnabled"/>:
    /// stores the CSW at location 64 and returns the device address, or returns false.
    /// </summary>
    bool TryAcceptInterrupt(CpuState cpu, Func<int, bool> channelEnabled, out ushort deviceAddress);
}

/// <summary>A machine with no channels: every device is not operational (condition code 3).</summary>
public sealed class NoChannels : IIoSubsystem
{
    public static readonly NoChannels Instance = new();
    public int StartIo(CpuState cpu, uint deviceAddress, bool fastRelease) => 3;
    public int TestIo(CpuState cpu, uint deviceAddress) => 3;
    public int HaltIo(CpuState cpu, uint deviceAddress) => 3;
    public int HaltDevice(CpuState cpu, uint deviceAddress) => 3;
    public int ClearIo(CpuState cpu, uint deviceAddress) => 3;
    public int TestChannel(CpuState cpu, uint channel) => 3;
    public int StoreChannelId(CpuState cpu, uint channel) => 3;
    public bool InterruptPending => false;
    public bool TryAcceptInterrupt(CpuState cpu, Func<int, bool> channelEnabled, out ushort deviceAddress) { deviceAddress = 0; return false; }
}
