using Jit360.Machine.Channels;

namespace Jit360.Machine.Devices.Consoles;

/// <summary>
/// The 1052 printer-keyboard and 3215 console printer-keyboard, as Hercules presents them
/// (console.c for the telnet-attached kind, con1052c.c for the integrated one): the channel
/// commands, the keyboard's lines, attention and sense. Subclasses say where the paper and
/// keyboard are. Commands (IBM 3210/3215 Component Description; Hercules): WRITE no carrier
/// return X'01', WRITE auto carrier return X'09', READ INQUIRY X'0A', AUDIBLE ALARM X'0B',
/// NO-OPERATION X'03', SENSE X'04', SENSE ID X'E4'; any other command is rejected.
/// </summary>
public abstract class LineConsole : IDevice, IConsoleEndpoint
{
    /// <summary>Hercules' print and keyboard buffer of a 1052/3215: longer writes are cut there (residual), longer input lines are refused.</summary>
    public const int BufferLength = 150;
    /// <summary>Lines typed ahead of the program's reads that are kept; more are refused with the alarm.</summary>
    public const int TypeaheadLimit = 64;

    public ushort Number { get; }
    public string Type { get; }
    public IDeviceHost? Host { get; set; }
    /// <summary>An operator can always type: a console ends an enabled wait with attention.</summary>
    public bool RaisesUnsolicitedStatus => true;
    /// <summary>Hercules' prompt: a READ with nothing typed asks the operator for input (off with <c>noprompt</c>).</summary>
    public bool Prompt { get; }

    /// <summary>Why a pending READ ended without a line.</summary>
    protected enum ReadEnd { None, Halted, Interrupted, Disconnected, Overflow }

    protected readonly object Gate = new();
    readonly Queue<byte[]> typed = new();
    byte[]? remainder;                  // what a data-chained READ left for the next CCW
    bool reading;
    ReadEnd readEnd;
    byte sense;
    readonly ushort deviceType;
    readonly ConsoleTranscript transcript = new();

    public event Action<string>? TextWritten;
    public event Action<string>? LineWritten { add => transcript.LineCompleted += value; remove => transcript.LineCompleted -= value; }
    public event Action<string>? Message;

    protected LineConsole(ushort number, string type, bool prompt)
    {
        Number = number;
        Type = type;
        Prompt = prompt;
        // SENSE ID (Hercules): X'FF', then the type and model twice as control unit and device ("3215-C" is a 3215).
        deviceType = Convert.ToUInt16(type[..4], 16);
    }

    // ---- what a subclass provides ----

    /// <summary>An operator is there to print for and type.</summary>
    public abstract bool Connected { get; }
    /// <summary>Prints <paramref name="text"/> ('\n' ends a line, '\a' rings); false if the terminal failed.</summary>
    protected abstract bool Print(string text);
    /// <summary>Asks the operator for input when a READ finds nothing typed.</summary>
    protected abstract void Solicit();
    public abstract string Describe();

    // ---- the channel's side ----

    public void Execute(CcwExecution ccw)
    {
        // Hercules: without a terminal every command but the sense commands is refused at
        // initial selection with intervention required (unit check alone, no data moved).
        if (!Connected && !ccw.IsSense)
        {
            lock (Gate) sense = Channels.Sense0.InterventionRequired;
            ccw.Status = UnitStatus.UnitCheck;
            ccw.Residual = ccw.Count;
            ccw.More = false;
            return;
        }
        switch (ccw.Command)
        {
            case 0x01: case 0x09: Write(ccw); break;
            // NO-OPERATION and AUDIBLE ALARM are immediate commands (Hercules): no data, the count stays residual.
            case 0x03: ccw.Complete(0); break;
            case 0x0A: Read(ccw); break;
            case 0x0B:
                Print("\a");
                TextWritten?.Invoke("\a");
                ccw.Complete(0);
                break;
            case 0x04:
                lock (Gate) { ccw.Buffer[0] = sense; sense = 0; }
                ccw.Complete(1);
                break;
            case 0xE4:
                Channels.SenseId.Put(ccw, deviceType, 0x00, deviceType, 0x00);
                break;
            default:
                lock (Gate) sense = Channels.Sense0.CommandReject;
                ccw.Reject();
                break;
        }
    }

    void Write(CcwExecution ccw)
    {
        int n = Math.Min(ccw.Count, BufferLength);
        string text = ConsoleText.FromGuest(ccw.Buffer.AsSpan(0, n));
        // The carrier returns after the last CCW of a data-chained write only.
        if (ccw.Command == 0x09 && (ccw.Flags & CcwFlags.ChainData) == 0) text += "\n";
        if (!Print(text))
        {
            lock (Gate) sense = Channels.Sense0.EquipmentCheck;
            ccw.Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd | UnitStatus.UnitCheck;
            ccw.Residual = ccw.Count - n;
            ccw.More = false;
            return;
        }
        transcript.Write(text);
        TextWritten?.Invoke(text);
        ccw.Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd;
        ccw.Residual = ccw.Count - n;
        ccw.More = false;
    }

    void Read(CcwExecution ccw)
    {
        byte[] line;
        // A read with nothing typed waits for the operator, and a deterministic CPU need not wait
        // with it. (Said outside the gate: the channel may be calling Halt under its own lock.)
        bool waits;
        lock (Gate) waits = remainder == null && typed.Count == 0;
        if (waits) Host?.AwaitingInput(this);
        lock (Gate)
        {
            if (remainder == null && typed.Count == 0)
            {
                if (Prompt) Solicit();
                reading = true;
                readEnd = ReadEnd.None;
                Monitor.PulseAll(Gate);
                while (typed.Count == 0 && readEnd == ReadEnd.None && Connected) Monitor.Wait(Gate);
                reading = false;
                var end = readEnd == ReadEnd.None && typed.Count == 0 ? ReadEnd.Disconnected : readEnd;
                readEnd = ReadEnd.None;
                if (end != ReadEnd.None)
                {
                    // Hercules: the operator's interrupt (and here HALT I/O) ends the read with unit
                    // exception; a lost terminal with intervention required, a line beyond the
                    // buffer with equipment check; no data is moved.
                    ccw.Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd;
                    if (end is ReadEnd.Halted or ReadEnd.Interrupted) ccw.Status |= UnitStatus.UnitException;
                    else
                    {
                        ccw.Status |= UnitStatus.UnitCheck;
                        sense = end == ReadEnd.Overflow ? Channels.Sense0.EquipmentCheck : Channels.Sense0.InterventionRequired;
                    }
                    ccw.Residual = ccw.Count;
                    ccw.More = false;
                    return;
                }
            }
            line = remainder ?? typed.Dequeue();
            remainder = null;
            // A data-chained READ keeps what did not fit for the next CCW of the chain (Hercules).
            if ((ccw.Flags & CcwFlags.ChainData) != 0 && line.Length > ccw.Count) remainder = line[ccw.Count..];
        }
        int n = Math.Min(line.Length, ccw.Count);
        line.AsSpan(0, n).CopyTo(ccw.Buffer);
        ccw.Complete(line.Length);
    }

    /// <summary>HALT I/O: a READ waiting for the operator returns at once.</summary>
    public void Halt() => EndRead(ReadEnd.Halted);

    public void Reset()
    {
        lock (Gate)
        {
            typed.Clear();
            remainder = null;
            sense = 0;
        }
        EndRead(ReadEnd.Halted);
    }

    public virtual void Dispose() => EndRead(ReadEnd.Halted);

    // ---- the operator's side ----

    public bool ReadPending { get { lock (Gate) return reading; } }

    public void SendLine(string line) => Enter(ConsoleText.ToGuest(line, BufferLength));

    /// <summary>A complete line from the keyboard (EBCDIC): it goes to the pending READ, or is kept and attention presented.</summary>
    protected void Enter(byte[] line)
    {
        bool refused = false, attention = false;
        lock (Gate)
        {
            if (!reading && typed.Count >= TypeaheadLimit) refused = true;
            else
            {
                typed.Enqueue(line);
                attention = !reading;
                Monitor.PulseAll(Gate);
            }
        }
        if (refused) Print("\a");
        else if (attention) Host?.RaiseStatus(this, UnitStatus.Attention);
    }

    public void Interrupt()
    {
        if (!EndRead(ReadEnd.Interrupted)) Host?.RaiseStatus(this, UnitStatus.Attention | UnitStatus.UnitException);
    }

    /// <summary>The keyboard sent a line longer than the buffer: a pending READ ends with equipment check; otherwise it is refused with the alarm.</summary>
    protected void Overflow()
    {
        if (!EndRead(ReadEnd.Overflow)) Print("\a");
    }

    /// <summary>Ends a pending READ for <paramref name="why"/>; false if none was pending.</summary>
    protected bool EndRead(ReadEnd why)
    {
        lock (Gate)
        {
            if (!reading) return false;
            readEnd = why;
            Monitor.PulseAll(Gate);
            return true;
        }
    }

    /// <summary>The terminal changed (connected, disconnected): wakes a READ so it looks again.</summary>
    protected void TerminalChanged(bool connected)
    {
        lock (Gate)
        {
            if (connected) { typed.Clear(); remainder = null; }
            Monitor.PulseAll(Gate);
        }
        // Hercules: a console becoming ready presents device end.
        if (connected) Host?.RaiseStatus(this, UnitStatus.DeviceEnd);
    }

    protected void Tell(string message) => Message?.Invoke(message);

    public bool WaitForRead(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (Gate)
        {
            while (!reading)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) return false;
                Monitor.Wait(Gate, left);
            }
            return true;
        }
    }

    public IReadOnlyList<string> Lines => transcript.Lines;

    public bool TryWaitForOutput(Func<string, bool> match, TimeSpan timeout, out string line) => transcript.TryWait(match, timeout, out line);

    public string WaitForOutput(Func<string, bool> match, TimeSpan timeout)
    {
        if (transcript.TryWait(match, timeout, out var line)) return line;
        throw new TimeoutException($"console {Number:X4}: no matching output within {timeout.TotalSeconds:0.#}s; last lines:\n{transcript.Tail()}");
    }
}
