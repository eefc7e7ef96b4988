namespace Jit360.Machine.Channels;

/// <summary>
/// What the channel subsystem keeps for one device (Jit360 gives every device its own
/// subchannel, like a block-multiplexer channel with nonshared subchannels): the program
/// running, the interruption conditions pending, and the worker thread the device runs on.
/// Guarded by the subsystem's lock.
/// </summary>
sealed class Subchannel(IDevice device)
{
    public IDevice Device { get; } = device;
    public ushort Number { get; } = device.Number;
    /// <summary>The channel: device address bits 16-23 (a S/360-S/370 address is channel and unit).</summary>
    public int Channel => Number >> 8;
    public readonly CcwExecution Execution = new();
    public readonly DeviceWorker Worker = new($"DEV{device.Number:X4}");

    /// <summary>The channel program at work (the subchannel is working with the device), or null.</summary>
    public ChannelProgram? Program;
    /// <summary>Status that ended a channel program, waiting for the CPU (interruption pending in the subchannel).</summary>
    public Csw? Completion;
    /// <summary>A program-controlled interruption of the program at work, not yet taken.</summary>
    public Csw? Pci;
    /// <summary>Status the device raised on its own (attention, device end after channel end): pending in the device.</summary>
    public UnitStatus DevicePending;
    /// <summary>The device signalled channel end without device end: it is busy until device end arrives.</summary>
    public bool DeviceBusy;

    public bool HasPending => Completion != null || Pci != null || DevicePending != UnitStatus.None;

    /// <summary>The program's end merged with an unaccepted PCI (GA22-7000: the PCI bit may appear with the final status).</summary>
    public Csw TakeCompletion()
    {
        var c = Completion!.Value;
        if (Pci != null) c = c.With(ChannelStatus.ProgramControlledInterruption);
        Completion = null;
        Pci = null;
        return c;
    }

    /// <summary>The highest-priority pending condition as a CSW, cleared: the program's end, then a PCI, then device status.</summary>
    public Csw TakePending()
    {
        if (Completion != null) return TakeCompletion();
        if (Pci is { } p) { Pci = null; return p; }
        var s = Csw.StatusOnly(DevicePending);
        DevicePending = UnitStatus.None;
        return s;
    }
}
