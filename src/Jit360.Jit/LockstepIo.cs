using System.Collections.Concurrent;
using Jit360.Machine;

namespace Jit360.Jit;

/// <summary>
/// The channel subsystem as the interpreter's copy sees it in lockstep: every I/O instruction goes
/// through to the real subsystem, but interruptions are presented only while <see cref="Open"/>,
/// that is at the points where the lockstep engine lets the interpreter run alone and then copies
/// its state to the translated copy. Between those points neither copy can be interrupted by I/O,
/// so both see the same sequence of events.
/// </summary>
sealed class GatedIo(IIoSubsystem inner) : IIoSubsystem
{
    public readonly IIoSubsystem Inner = inner;
    public bool Open;
    public int StartIo(CpuState cpu, uint deviceAddress, bool fastRelease) => Inner.StartIo(cpu, deviceAddress, fastRelease);
    public int TestIo(CpuState cpu, uint deviceAddress) => Inner.TestIo(cpu, deviceAddress);
    public int HaltIo(CpuState cpu, uint deviceAddress) => Inner.HaltIo(cpu, deviceAddress);
    public int HaltDevice(CpuState cpu, uint deviceAddress) => Inner.HaltDevice(cpu, deviceAddress);
    public int ClearIo(CpuState cpu, uint deviceAddress) => Inner.ClearIo(cpu, deviceAddress);
    public int TestChannel(CpuState cpu, uint channel) => Inner.TestChannel(cpu, channel);
    public int StoreChannelId(CpuState cpu, uint channel) => Inner.StoreChannelId(cpu, channel);
    public bool InterruptPending => Open && Inner.InterruptPending;
    public bool TryAcceptInterrupt(CpuState cpu, Func<int, bool> channelEnabled, out ushort deviceAddress)
    {
        deviceAddress = 0;
        return Open && Inner.TryAcceptInterrupt(cpu, channelEnabled, out deviceAddress);
    }
}

/// <summary>
/// The channel subsystem of the translated copy in lockstep: it has none of its own. An I/O
/// instruction stops the copy before the instruction completes (<see cref="ShadowIoTrap"/>); the
/// interpreter's copy then executes it against the real devices and its state is copied over.
/// </summary>
sealed class ShadowIo : IIoSubsystem
{
    public static readonly ShadowIo Instance = new();
    static int Trap(CpuState cpu) => throw new ShadowIoTrap((cpu.Ia - (uint)(2 * cpu.Ilc)) & cpu.AddressMask);
    public int StartIo(CpuState cpu, uint deviceAddress, bool fastRelease) => Trap(cpu);
    public int TestIo(CpuState cpu, uint deviceAddress) => Trap(cpu);
    public int HaltIo(CpuState cpu, uint deviceAddress) => Trap(cpu);
    public int HaltDevice(CpuState cpu, uint deviceAddress) => Trap(cpu);
    public int ClearIo(CpuState cpu, uint deviceAddress) => Trap(cpu);
    public int TestChannel(CpuState cpu, uint channel) => Trap(cpu);
    public int StoreChannelId(CpuState cpu, uint channel) => Trap(cpu);
    public bool InterruptPending => false;
    public bool TryAcceptInterrupt(CpuState cpu, Func<int, bool> channelEnabled, out ushort deviceAddress) { deviceAddress = 0; return false; }
}

/// <summary>Raised inside the translated copy when it reaches an I/O instruction; carries the instruction's address.</summary>
sealed class ShadowIoTrap(uint instructionAddress) : Exception("I/O instruction in the translated copy")
{
    public uint InstructionAddress { get; } = instructionAddress;
}

/// <summary>
/// Watches the interpreter copy's storage for writes made by other threads (channel data): those
/// are copied to the translated copy before the two are compared, as the interpreter copy's
/// storage is the real one. Writes by the CPU thread are the engines' own and are compared.
/// </summary>
sealed class ForeignWrites(IStoreWatch? next, int cpuThread) : IStoreWatch
{
    public readonly IStoreWatch? Next = next;
    readonly ConcurrentQueue<(uint Address, int Length)> writes = new();

    public void Stored(uint address, int length)
    {
        Next?.Stored(address, length);
        if (Environment.CurrentManagedThreadId != cpuThread) writes.Enqueue((address, length));
    }

    /// <summary>Copies every foreign write seen so far from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public void CopyPending(CpuState from, CpuState to)
    {
        while (writes.TryDequeue(out var w))
        {
            uint size = from.Storage.Size;
            if (w.Address >= size) continue;
            int n = (int)Math.Min((uint)Math.Max(w.Length, 1), size - w.Address);
            from.Storage.Bytes.AsSpan((int)w.Address, n).CopyTo(to.Storage.Bytes.AsSpan((int)w.Address, n));
            to.Storage.Written(w.Address, n);
        }
    }
}
