using Jit360.Machine.Channels;
using Jit360.Machine.Media;

namespace Jit360.Machine.Devices.Tape;

/// <summary>
/// A 2400-series, 3410 or 3420 magnetic tape drive with an AWS file as its reel.
/// Statement: <c>devnum 3420 FILE [ro|readonly|noring]</c>, or <c>*</c> for a drive with no tape
/// (not ready: intervention required). Commands and their status follow the 3420 reference
/// (GA32-0021) as Hercules implements them: a tape mark read or spaced over by a block command
/// gives unit exception; backward motion at load point gives unit check with sense byte 0 zero
/// and the load point bit; forward motion past the last thing written gives unit check,
/// equipment check (the tape would run off the reel). Not ready and command reject are
/// presented as unit check alone (initial status).
/// </summary>
public sealed class TapeDevice : IDevice
{
    readonly object gate = new();
    AwsTape? tape;
    readonly byte[] sense;
    bool sensePending;
    // What a data-chained read still has to give (Hercules curbufoff/curblkrem), in transfer order.
    byte[] readRest = [];
    int readRestAt;
    // A data-chained write collects its pieces until the last CCW of the chain.
    readonly List<byte> writeCollect = [];

    public ushort Number { get; }
    public string Type { get; }
    public IDeviceHost? Host { get; set; }
    public bool Loaded => tape != null;
    public AwsTape? Tape => tape;

    public TapeDevice(ushort number, string type, AwsTape? tape)
    {
        Number = number;
        Type = type;
        this.tape = tape;
        sense = new byte[TapeSense.Length(type)];
    }

    public static readonly string[] Types = ["2400", "2401", "2415", "2420", "3410", "3411", "3420"];

    /// <summary>The catalog factory: <c>FILE|* [ro|readonly|noring|rw|ring]</c>.</summary>
    public static IDevice Create(ushort number, string type, IReadOnlyList<string> args, DeviceContext context)
    {
        if (args.Count == 0)
            throw new DeviceConfigException($"{type} needs a tape file (an AWS file) or * for no tape");
        bool readOnly = false;
        foreach (var a in args.Skip(1))
        {
            switch (a.ToLowerInvariant())
            {
                case "ro" or "readonly" or "noring": readOnly = true; break;
                case "rw" or "ring" or "awstape": break;
                default: throw new DeviceConfigException($"{type}: unknown option '{a}' (known: ro, readonly, noring, rw, ring, awstape)");
            }
        }
        if (args[0] == "*") return new TapeDevice(number, type, null);
        try
        {
            return new TapeDevice(number, type, AwsTape.Open(context.Resolve(args[0]), readOnly));
        }
        catch (AwsTapeException e) { throw new DeviceConfigException(e.Message); }
    }

    /// <summary>Mounts a reel (the operator's devinit); a malformed file throws <see cref="AwsTapeException"/>.</summary>
    public void Mount(string path, bool readOnly)
    {
        var t = AwsTape.Open(path, readOnly);
        lock (gate)
        {
            tape?.Dispose();
            tape = t;
            Array.Clear(sense);
            sensePending = false;
        }
        // A drive becoming ready presents device end unsolicited.
        Host?.RaiseStatus(this, UnitStatus.DeviceEnd);
    }

    public void Unmount()
    {
        lock (gate)
        {
            tape?.Dispose();
            tape = null;
        }
    }

    public void Execute(CcwExecution ccw)
    {
        lock (gate) Run(ccw);
    }

    void Run(CcwExecution ccw)
    {
        ccw.More = false;
        byte cmd = ccw.Command;
        if (ccw.DataChained)
        {
            if (ccw.IsRead || ccw.IsReadBackward) { GiveRest(ccw); return; }
            if (cmd == 0x01) { TakeWrite(ccw); return; }
        }
        if ((ccw.Flags & CcwFlags.ChainData) != 0 && !(ccw.IsRead || ccw.IsReadBackward || cmd == 0x01))
        {
            Reject(ccw);   // only data transfers can be data-chained
            return;
        }
        switch (cmd)
        {
            case 0x04: Sense(ccw); return;
            case 0xE4: Reject(ccw); return;   // no SENSE ID on the 2803/3803 control units
        }
        bool needsTape = cmd is 0x01 or 0x02 or 0x0C or 0x07 or 0x0F or 0x17 or 0x1F or 0x27 or 0x2F or 0x37 or 0x3F or 0x97 or 0x03;
        bool modeSet = (cmd & 0x07) == 0x03 && cmd != 0x03;
        if (!needsTape && !modeSet) { Reject(ccw); return; }
        if (modeSet) { Normal(ccw); return; }   // density/parity settings mean nothing to an AWS file
        if (tape == null)
        {
            SetSense(ErrorSense());
            ccw.Status = UnitStatus.UnitCheck;
            ccw.Residual = ccw.Count;
            return;
        }
        switch (cmd)
        {
            case 0x01: TakeWrite(ccw); return;
            case 0x02: Read(ccw, backward: false); return;
            case 0x0C: Read(ccw, backward: true); return;
            case 0x03: Normal(ccw); return;
            case 0x07: tape.Rewind(); Normal(ccw); return;
            case 0x0F: RewindUnload(ccw); return;
            case 0x17: if (Writable(ccw)) Normal(ccw); return;     // erase gap: nothing to erase in an AWS file
            case 0x1F:
                if (!Writable(ccw)) return;
                if (tape.WriteTapeMark()) Normal(ccw); else WriteFailed(ccw);
                return;
            case 0x97:
                if (!Writable(ccw)) return;
                if (tape.EraseToEnd()) Normal(ccw); else WriteFailed(ccw);
                return;
            case 0x27: Motion(ccw, tape.BackspaceBlock(), tapeMarkIsException: true); return;
            case 0x37: Motion(ccw, tape.ForwardSpaceBlock(), tapeMarkIsException: true); return;
            case 0x2F: Motion(ccw, tape.BackspaceFile(), tapeMarkIsException: false); return;
            case 0x3F: Motion(ccw, tape.ForwardSpaceFile(), tapeMarkIsException: false); return;
        }
    }

    void Read(CcwExecution ccw, bool backward)
    {
        var r = backward ? tape!.ReadBackward(out var data) : tape!.ReadForward(out data);
        if (r == TapeResult.TapeMark) { ccw.Complete(0, UnitStatus.UnitException); return; }   // a tape mark has no data
        if (r != TapeResult.Block) { Motion(ccw, r, tapeMarkIsException: true); return; }
        if (backward) Array.Reverse(data);   // the drive sends the block last byte first
        readRest = data;
        readRestAt = 0;
        GiveRest(ccw);
    }

    void GiveRest(CcwExecution ccw)
    {
        int available = readRest.Length - readRestAt;
        int n = Math.Min(available, ccw.Count);
        readRest.AsSpan(readRestAt, n).CopyTo(ccw.Buffer);
        readRestAt += n;
        ccw.Complete(available);
    }

    void TakeWrite(CcwExecution ccw)
    {
        if (!ccw.DataChained)
        {
            writeCollect.Clear();
            if (tape == null) return;   // handled before (not ready)
            if (!Writable(ccw)) return;
        }
        writeCollect.AddRange(ccw.Buffer.AsSpan(0, ccw.Count));
        // Everything given is taken; with chain data the block goes on in the next CCW, so ask for more.
        ccw.Complete(ccw.Count);
        if ((ccw.Flags & CcwFlags.ChainData) != 0) { ccw.More = true; return; }
        var block = writeCollect.ToArray();
        writeCollect.Clear();
        if (tape == null || !tape.Write(block)) WriteFailed(ccw);
    }

    void Motion(CcwExecution ccw, TapeResult r, bool tapeMarkIsException)
    {
        switch (r)
        {
            case TapeResult.Block:
                Normal(ccw);
                break;
            case TapeResult.TapeMark:
                Normal(ccw);
                if (tapeMarkIsException) ccw.Status |= UnitStatus.UnitException;
                break;
            case TapeResult.LoadPoint:
                UnitCheck(ccw, ErrorSense());
                break;
            case TapeResult.EndOfData:
                {
                    var s = ErrorSense();
                    s[0] = Sense0.EquipmentCheck;   // the tape would run off the reel
                    s[1] = TapeSense.StatusB;
                    if (s.Length > 7) s[7] = 0x60;
                    UnitCheck(ccw, s);
                    break;
                }
            default:
                {
                    var s = ErrorSense();
                    s[0] = Sense0.DataCheck;
                    if (s.Length > 3) s[3] = TapeSense.VerticalRedundancy | TapeSense.MultipleTrack;
                    UnitCheck(ccw, s);
                    break;
                }
        }
    }

    void RewindUnload(CcwExecution ccw)
    {
        tape!.Rewind();
        Unmount();
        // As Hercules' 3420: the unload completes with unit check, intervention required (the drive is not ready now).
        var s = ErrorSense();
        s[0] = Sense0.InterventionRequired;
        SetSense(s);
        ccw.Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd | UnitStatus.UnitCheck | UnitStatus.ControlUnitEnd;
        ccw.Residual = ccw.Count;
    }

    bool Writable(CcwExecution ccw)
    {
        if (!tape!.ReadOnly) return true;
        var s = ErrorSense();
        s[0] = Sense0.CommandReject;   // file protected: no write ring
        UnitCheck(ccw, s);
        return false;
    }

    void WriteFailed(CcwExecution ccw)
    {
        var s = ErrorSense();
        s[0] = Sense0.DataCheck;
        if (s.Length > 3) s[3] = TapeSense.LongitudinalRedundancy | TapeSense.MultipleTrack;
        UnitCheck(ccw, s);
    }

    void Reject(CcwExecution ccw)
    {
        var s = ErrorSense();
        s[0] = Sense0.CommandReject;
        if (s.Length > 4) s[4] = 0x01;
        SetSense(s);
        ccw.Status = UnitStatus.UnitCheck;
        ccw.Residual = ccw.Count;
        ccw.More = false;
    }

    /// <summary>
    /// Ending status of a control command: no data moved, so the residual is the count, as in
    /// Hercules (an immediate operation: the channel signals no incorrect length, GA22-7000).
    /// </summary>
    static void Normal(CcwExecution ccw) => ccw.Complete(0);

    void UnitCheck(CcwExecution ccw, byte[] s)
    {
        SetSense(s);
        ccw.Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd | UnitStatus.UnitCheck;
        ccw.Residual = ccw.Count;
        ccw.More = false;
    }

    byte[] ErrorSense() => new byte[sense.Length];

    /// <summary>Makes <paramref name="s"/> the pending sense, with the drive's state filled in.</summary>
    void SetSense(byte[] s)
    {
        TapeSense.Complete(s, Type, tape != null, tape?.AtLoadPoint ?? false, tape?.ReadOnly ?? false);
        s.CopyTo(sense, 0);
        sensePending = true;
    }

    void Sense(CcwExecution ccw)
    {
        if (!sensePending) SetSense(ErrorSense());   // no unit check waiting: report the drive's state
        sense.CopyTo(ccw.Buffer, 0);
        ccw.Complete(sense.Length);
        Array.Clear(sense);
        sensePending = false;
    }

    public void Halt() { }

    public void Reset()
    {
        lock (gate)
        {
            Array.Clear(sense);
            sensePending = false;
            readRest = [];
            readRestAt = 0;
            writeCollect.Clear();
        }
    }

    public string Describe()
    {
        lock (gate)
        {
            if (tape == null) return "* (no tape mounted)";
            return $"{tape.FilePath}{(tape.ReadOnly ? " ro" : "")} file {tape.FileNumber} block {tape.Position}";
        }
    }

    public void Dispose() => Unmount();
}
