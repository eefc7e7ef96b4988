namespace Jit360.Machine.Channels;

/// <summary>
/// One CCW's worth of work handed by the channel to a device: the shape of Hercules'
/// <c>execute_ccw</c>, which device authors already know. The channel fetches and checks
/// the CCW, moves data between <see cref="Buffer"/> and main storage (honouring skip, keys,
/// read backward, data chaining) and builds the CSW; the device only interprets the command.
/// </summary>
public sealed class CcwExecution
{
    /// <summary>Largest count a CCW can hold; <see cref="Buffer"/> is at least this long.</summary>
    public const int MaxCount = 65535;

    /// <summary>
    /// The command code. On a data-chained CCW this is still the command of the CCW that
    /// started the operation (the new CCW's command bits are ignored, as the PoO says).
    /// </summary>
    public byte Command;
    public byte Flags;
    /// <summary>This CCW continues the data transfer of the previous one (it had chain data).</summary>
    public bool DataChained;
    /// <summary>This CCW was reached by command chaining (a new command of the same channel program).</summary>
    public bool CommandChained;
    /// <summary>The command of the previous CCW of this channel program, 0 for the first.</summary>
    public byte PreviousCommand;
    /// <summary>0 for the first CCW of the channel program, counting every executed CCW (TICs excluded).</summary>
    public int Sequence;
    /// <summary>The CCW's byte count (1-65535; a CCW with count 0 never reaches the device).</summary>
    public int Count;
    /// <summary>
    /// The data. Write-type (and control) commands: the first <see cref="Count"/> bytes were
    /// fetched from storage. Read-type and sense: the device puts what it transfers at the
    /// start, in transfer order (for read backward, last byte of the block first; the channel
    /// stores the bytes at descending addresses).
    /// </summary>
    public readonly byte[] Buffer = new byte[MaxCount + 1];

    // ---- set by the device ----

    /// <summary>Ending status; normally ChannelEnd | DeviceEnd, plus UnitCheck, UnitException, StatusModifier...</summary>
    public UnitStatus Status;
    /// <summary>Count minus the bytes transferred.</summary>
    public int Residual;
    /// <summary>
    /// The device had more data to send (read) or wanted more than was given (write) when the
    /// count ran out. With residual 0 and this set, the channel signals incorrect length
    /// (unless SLI or chain data says otherwise).
    /// </summary>
    public bool More;

    public bool IsRead => (Command & 0x03) == 0x02;
    public bool IsWrite => (Command & 0x03) == 0x01;
    public bool IsControl => (Command & 0x03) == 0x03;
    public bool IsSense => (Command & 0x0F) == 0x04;
    public bool IsReadBackward => (Command & 0x0F) == 0x0C;

    /// <summary>Device helper: the command is rejected (unit check; the device sets sense byte 0 bit 0 first).</summary>
    public void Reject() { Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd | UnitStatus.UnitCheck; Residual = Count; More = false; }

    /// <summary>Device helper: a normal ending having transferred <paramref name="transferred"/> of the device's <paramref name="available"/> bytes.</summary>
    public void Complete(int available, UnitStatus extra = UnitStatus.None)
    {
        int n = Math.Min(available, Count);
        Residual = Count - n;
        More = available > Count;
        Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd | extra;
    }
}
