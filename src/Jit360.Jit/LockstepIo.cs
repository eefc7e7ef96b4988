using System.Collections.Concurrent;
using Jit360.Machine;

namespace Jit360.Jit;

/// <summary>
/// The channel subsystem as the interpreter's copy sees it in lockstep: every I/O instruction goes
/// through to the real subsystem, but interruptions are presented only while <see cref="Open"/>,
/// that is at the points where the lockstep engine lets the interpreter run alone and then copies
/// its state to the translated copy. Between those points neither copy can be interrupted by I/O,
/// and both see the same answer to "is an I/O interruption pending?": <see cref="Frozen"/>, the
/// real subsystem's answer when the round began. So an enabled wait ends the round on both copies
/// when an interruption is waiting (instead of letting time run on to the next timer event on
/// one copy and not the other), and an interruption that arrives during a round (an operator's
/// line, a channel program ending on its own thread) is taken at the next round.
/// </summary>
sealed class GatedIo(IIoSubsystem inner) : IIoSubsystem
{
    public readonly IIoSubsystem Inner = inner;
    public bool Open;
    /// <summary>What both copies see as <see cref="InterruptPending"/> while the gate is closed.</summary>
    public bool Frozen;
    public int StartIo(CpuState cpu, uint deviceAddress, bool fastRelease) => Inner.StartIo(cpu, deviceAddress, fastRelease);
    public int TestIo(CpuState cpu, uint deviceAddress) => Inner.TestIo(cpu, deviceAddress);
    public int HaltIo(CpuState cpu, uint deviceAddress) => Inner.HaltIo(cpu, deviceAddress);
    public int HaltDevice(CpuState cpu, uint deviceAddress) => Inner.HaltDevice(cpu, deviceAddress);
    public int ClearIo(CpuState cpu, uint deviceAddress) => Inner.ClearIo(cpu, deviceAddress);
    public int TestChannel(CpuState cpu, uint channel) => Inner.TestChannel(cpu, channel);
    public int StoreChannelId(CpuState cpu, uint channel) => Inner.StoreChannelId(cpu, channel);
    public bool InterruptPending => Open ? Inner.InterruptPending : Frozen;
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
/// Whether an interruption is pending, it answers as the interpreter's copy does (<see cref="GatedIo.Frozen"/>);
/// it never presents one.
/// </summary>
sealed class ShadowIo(GatedIo? gate) : IIoSubsystem
{
    static int Trap(CpuState cpu) => throw new ShadowIoTrap((cpu.Ia - (uint)(2 * cpu.Ilc)) & cpu.AddressMask);
    public int StartIo(CpuState cpu, uint deviceAddress, bool fastRelease) => Trap(cpu);
    public int TestIo(CpuState cpu, uint deviceAddress) => Trap(cpu);
    public int HaltIo(CpuState cpu, uint deviceAddress) => Trap(cpu);
    public int HaltDevice(CpuState cpu, uint deviceAddress) => Trap(cpu);
    public int ClearIo(CpuState cpu, uint deviceAddress) => Trap(cpu);
    public int TestChannel(CpuState cpu, uint channel) => Trap(cpu);
    public int StoreChannelId(CpuState cpu, uint channel) => Trap(cpu);
    public bool InterruptPending => gate?.Frozen ?? false;
    public bool TryAcceptInterrupt(CpuState cpu, Func<int, bool> channelEnabled, out ushort deviceAddress) { deviceAddress = 0; return false; }
}

/// <summary>Raised inside the translated copy when it reaches an I/O instruction; carries the instruction's address.</summary>
sealed class ShadowIoTrap(uint instructionAddress) : Exception("I/O instruction in the translated copy")
{
    public uint InstructionAddress { get; } = instructionAddress;
}

/// <summary>
/// Watches the interpreter copy's storage for writes that are not the engines' own: writes made
/// by other threads, and writes reported while neither engine runs a round (the host's between
/// runs; the channel subsystem reports the data a channel program stored when the CPU thread
/// next looks at it, see ChannelStorage; the interpreter's while it runs alone).
/// Those are copied to the translated copy, as the interpreter copy's storage is the real one.
/// Writes the engines make while they run are compared instead.
/// </summary>
sealed class ForeignWrites(IStoreWatch? next, int cpuThread) : IStoreWatch
{
    public readonly IStoreWatch? Next = next;
    /// <summary>The thread running the engines now (a scheduler may run the next slice on another).</summary>
    public int CpuThread = cpuThread;
    readonly ConcurrentQueue<(uint Address, int Length)> writes = new();

    /// <summary>True while an engine runs one of the copies on the CPU thread.</summary>
    public bool EnginesRunning;

    public void Stored(uint address, int length)
    {
        Next?.Stored(address, length);
        if (!EnginesRunning || Environment.CurrentManagedThreadId != CpuThread) writes.Enqueue((address, length));
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

    public void Clear() => writes.Clear();
}
