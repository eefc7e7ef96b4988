namespace Jit360.Machine.Channels;

/// <summary>
/// An I/O device as the channel sees it. Created from a Hercules device statement by
/// <see cref="DeviceCatalog"/>. The channel calls <see cref="Execute"/> once per CCW, off the
/// CPU's thread: a device may block there (host file I/O, a console read waiting for the
/// operator) until <see cref="Halt"/> is called.
/// </summary>
public interface IDevice : IDisposable
{
    /// <summary>The device number (what the program addresses: channel in bits 8-15, unit in 0-7 on S/360-S/370).</summary>
    ushort Number { get; }
    /// <summary>The device type as configured and shown by devlist ("3215", "3350", "3420"...).</summary>
    string Type { get; }
    /// <summary>Executes one CCW; sets <see cref="CcwExecution.Status"/>, Residual and More.</summary>
    void Execute(CcwExecution ccw);
    /// <summary>HALT I/O / HALT DEVICE / CLEAR I/O while <see cref="Execute"/> may be blocked: return from it promptly.</summary>
    void Halt();
    /// <summary>System reset (and IPL): drops sense, contingent state and buffered status.</summary>
    void Reset();
    /// <summary>Set by the channel subsystem: where the device raises unsolicited status (attention, device end on becoming ready).</summary>
    IDeviceHost? Host { get; set; }
    /// <summary>One line for the operator's devlist: what is attached and where ("/path/x.ckd cyls=115").</summary>
    string Describe();
    /// <summary>
    /// True for a device that can raise status on its own at any time (a console with an operator
    /// at it): while one is attached, an enabled wait with no I/O under way is not a wait that
    /// nothing can end.
    /// </summary>
    bool RaisesUnsolicitedStatus => false;
}

/// <summary>What a device may ask of the channel subsystem it is attached to.</summary>
public interface IDeviceHost
{
    /// <summary>
    /// Unsolicited status (GA22-7000 "Attention"; a device becoming ready presents device end):
    /// made pending as an interruption for the device, or kept until the device is free.
    /// </summary>
    void RaiseStatus(IDevice device, UnitStatus status);
    /// <summary>
    /// Called from inside Execute just before the device blocks for something outside the
    /// machine (an operator's input). In deterministic mode the CPU stops waiting for the
    /// channel program here and goes on; without the call it waits until Execute returns.
    /// </summary>
    void AwaitingInput(IDevice device) { }
}

/// <summary>A device statement that cannot be carried out; the caller adds the file and line.</summary>
public sealed class DeviceConfigException(string message) : Exception(message);
