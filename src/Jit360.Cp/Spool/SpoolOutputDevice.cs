using Jit360.Machine.Channels;

namespace Jit360.Cp.Spool;

/// <summary>
/// A virtual punch (2540P, 3525) or printer (1403, 3211, 3203): every WRITE, and on a printer every
/// immediate carriage-control command, becomes one record of the open spool file, kept with its
/// command code as a VM/370 spool buffer keeps the CCW; nothing is written anywhere until CLOSE.
/// A card is at most 80 bytes and a line at most 132 (150 on a 3211); the rest is not taken
/// (residual count), as on the real device. Data chaining builds one record from several CCWs.
/// </summary>
public sealed class SpoolOutputDevice : IDevice
{
    readonly object gate = new();
    readonly List<SpoolRecord> records = [];
    readonly List<byte> pending = [];
    bool chaining;
    byte pendingCommand;
    readonly byte[] sense = new byte[1];

    public ushort Number { get; }
    public string Type { get; }
    public SpoolQueue Queue { get; }
    public string UserId { get; }
    public SpoolOptions Options { get; }
    public IDeviceHost? Host { get; set; }
    public int RecordLimit { get; }

    public SpoolOutputDevice(ushort number, string type, SpoolQueue queue, string userId, SpoolOptions options)
    {
        if (queue == SpoolQueue.Reader) throw new ArgumentException("an output device spools to a printer or punch queue", nameof(queue));
        Number = number; Type = type; Queue = queue; UserId = userId; Options = options;
        RecordLimit = queue == SpoolQueue.Punch ? 80 : type == "3211" ? 150 : 132;
    }

    /// <summary>Records in the open file.</summary>
    public int RecordCount { get { lock (gate) return records.Count; } }

    public void Execute(CcwExecution ccw)
    {
        lock (gate) Run(ccw);
    }

    void Run(CcwExecution ccw)
    {
        ccw.More = false;
        byte cmd = ccw.Command;
        if ((cmd & 0x03) == 0x01 && (Queue == SpoolQueue.Printer || (cmd & 0x3F) == 0x01)) { Write(ccw); return; }
        if (cmd == 0x04)
        {
            sense.CopyTo(ccw.Buffer, 0);
            ccw.Complete(1);
            Array.Clear(sense);
            return;
        }
        if (cmd == 0x03) { ccw.Complete(0); return; }
        if ((cmd & 0x03) == 0x03 && Queue == SpoolQueue.Printer)
        {
            // Space or skip immediately: a record with no data, as CP keeps the immediate CCW.
            records.Add(new SpoolRecord(cmd, []));
            ccw.Complete(0);
            return;
        }
        sense[0] = Sense0.CommandReject;
        ccw.Reject();
    }

    void Write(CcwExecution ccw)
    {
        if (!ccw.DataChained || !chaining) { pending.Clear(); pendingCommand = ccw.Command; }
        int n = Math.Min(ccw.Count, RecordLimit - pending.Count);
        pending.AddRange(ccw.Buffer.AsSpan(0, n).ToArray());
        ccw.Residual = ccw.Count - n;
        ccw.Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd;
        if ((ccw.Flags & CcwFlags.ChainData) != 0 && pending.Count < RecordLimit)
        {
            chaining = true;
            ccw.More = true;
            return;
        }
        chaining = false;
        records.Add(new SpoolRecord(pendingCommand, pending.ToArray()));
        pending.Clear();
    }

    /// <summary>Takes the open file's records and starts a new, empty one.</summary>
    public IReadOnlyList<SpoolRecord> TakeRecords()
    {
        lock (gate)
        {
            var taken = records.ToList();
            records.Clear();
            return taken;
        }
    }

    public void Halt() { }

    public void Reset()
    {
        lock (gate) { Array.Clear(sense); pending.Clear(); chaining = false; }
    }

    public string Describe() => $"spooled {SpoolFile.QueueWord(Queue)} for {UserId}, {RecordCount} records open";

    public void Dispose() { }
}
