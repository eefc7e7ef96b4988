using Jit360.Machine.Channels;
using Jit360.Machine.Media;

namespace Jit360.Machine.Devices.Dasd;

/// <summary>
/// A count-key-data disk (2311, 2314, 2305, 3330, 3340, 3350) on a Hercules CKD image.
/// Device statement as Hercules: <c>devnum type FILE [ro|readonly] [sf=shadow] [cu=type] [lazywrite] [nosyncio]...</c>;
/// <c>ro</c>/<c>readonly</c> attach the image read-only (needed for compressed CKD_C370 images, which
/// Jit360 only reads); writes then end in unit check with file-protected sense. <c>sf=</c> (shadow
/// files) and <c>cu=</c> (control unit type) are accepted and have no effect; other Hercules
/// performance options are accepted and ignored too.
/// This file holds the attachment, the channel-facing state machine (data chaining, sense); the
/// commands are in CkdCommands.cs, the track position in CkdPosition.cs.
/// </summary>
public sealed partial class CkdDevice : IDevice
{
    public ushort Number { get; }
    public string Type { get; }
    public DasdGeometry Geometry { get; }
    public CkdImage Image { get; }
    public IDeviceHost? Host { get; set; }

    readonly byte[] sense;

    // Data chaining: a read's bytes not yet sent, or a write's bytes gathered so far.
    byte[] readPending = [];
    int readOffset;
    readonly MemoryStream writeGathered = new();

    public CkdDevice(ushort number, string type, DasdGeometry geometry, CkdImage image)
    {
        Number = number; Type = type; Geometry = geometry; Image = image;
        sense = new byte[geometry.SenseLength];
        track = new byte[image.TrackSlot];
    }

    /// <summary>The factory registered in <see cref="DeviceCatalog"/>.</summary>
    public static IDevice Create(ushort number, string type, IReadOnlyList<string> arguments, DeviceContext context)
    {
        var geometry = DasdGeometry.Find(type) ?? throw new DeviceConfigException($"{type} is not a CKD device type");
        if (arguments.Count == 0) throw new DeviceConfigException($"{number:X4} {type}: the image file name is missing");
        string path = context.Resolve(arguments[0]);
        bool readOnly = false;
        foreach (var a in arguments.Skip(1))
        {
            string opt = a.ToLowerInvariant();
            if (opt is "ro" or "readonly") readOnly = true;
            else if (opt.StartsWith("sf=", StringComparison.Ordinal) || opt.StartsWith("cu=", StringComparison.Ordinal)) { }
            else if (opt is "lazywrite" or "nolazywrite" or "fulltrackio" or "fulltrkio" or "ftio" or "nofulltrackio" or "nosyncio" or "syncio" or "nosyio" or "syio") { }
            else throw new DeviceConfigException($"{number:X4} {type}: unknown option '{a}' (ro, readonly, sf=, cu= are accepted)");
        }
        CkdImage image;
        try { image = CkdImage.Open(path, readOnly); }
        catch (CkdImageException e) { throw new DeviceConfigException(e.Message); }
        if (image.Heads != geometry.Heads || image.TrackSlot != geometry.TrackSlot)
        {
            var found = DasdGeometry.FromImageType(image.ImageType)?.Name ?? $"X'{image.ImageType:X2}'";
            image.Dispose();
            throw new DeviceConfigException($"{path}: a {found} image ({image.Heads} heads, {image.TrackSlot}-byte tracks) cannot be attached as a {type} ({geometry.Heads} heads, {geometry.TrackSlot}-byte tracks)");
        }
        return new CkdDevice(number, type, geometry, image);
    }

    public string Describe() =>
        $"{Image.FileName} [{Image.Format}] cyls={Image.Cylinders} cyl={cylinder} head={head}{(Image.ReadOnly ? " ro" : "")}";

    public void Execute(CcwExecution ccw)
    {
        lock (sense)
        {
            if (ccw.Sequence == 0 && !ccw.DataChained) StartChannelProgram();
            if (ccw.DataChained) { ContinueDataChain(ccw); return; }
            if ((ccw.Command & 0x0F) != 0x04) Array.Clear(sense);
            readPending = []; readOffset = 0;
            writeGathered.SetLength(0);
            bool carriesData = !ccw.IsRead && !ccw.IsSense && ccw.Command != 0x03;
            if (carriesData && (ccw.Flags & CcwFlags.ChainData) != 0)
            {
                // The operation's data continues in the next CCW: gather it, then execute.
                writeGathered.Write(ccw.Buffer, 0, ccw.Count);
                pendingCommand = ccw.Command;
                pendingChained = ccw.CommandChained;
                ccw.Residual = 0; ccw.More = true; ccw.Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd;
                return;
            }
            Run(ccw, ccw.Command, ccw.CommandChained, ccw.Buffer.AsSpan(0, ccw.Count), ccw.Count);
        }
    }

    // The command (and whether it was command-chained) whose output data is being gathered.
    byte pendingCommand;
    bool pendingChained;

    void ContinueDataChain(CcwExecution ccw)
    {
        if (writeGathered.Length > 0)
        {
            writeGathered.Write(ccw.Buffer, 0, ccw.Count);
            if ((ccw.Flags & CcwFlags.ChainData) != 0) { ccw.Residual = 0; ccw.More = true; ccw.Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd; return; }
            var all = writeGathered.ToArray();
            writeGathered.SetLength(0);
            Run(ccw, pendingCommand, pendingChained, all, ccw.Count);
            return;
        }
        // A read continuing: hand over what the first CCW could not take.
        int left = Math.Max(0, readPending.Length - readOffset);
        int n = Math.Min(left, ccw.Count);
        readPending.AsSpan(readOffset, n).CopyTo(ccw.Buffer);
        readOffset += n;
        ccw.Residual = ccw.Count - n;
        ccw.More = left > ccw.Count;
        ccw.Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd;
    }

    /// <summary>
    /// Runs one command with its whole output data (<paramref name="data"/>, gathered over data
    /// chaining); <paramref name="lastCount"/> is the count of the CCW that ends the operation.
    /// </summary>
    void Run(CcwExecution ccw, byte command, bool commandChained, ReadOnlySpan<byte> data, int lastCount)
    {
        var r = Perform(command, data, commandChained);
        ccw.Status = r.Status;
        if ((r.Status & UnitStatus.UnitCheck) != 0) { ccw.Residual = lastCount; ccw.More = false; return; }
        if (r.Read != null)
        {
            int n = Math.Min(r.Read.Length, ccw.Count);
            r.Read.AsSpan(0, n).CopyTo(ccw.Buffer);
            ccw.Residual = ccw.Count - n;
            ccw.More = r.Read.Length > ccw.Count;
            readPending = r.Read; readOffset = n;
            return;
        }
        // An output command used r.Used bytes of the data; residual is counted in the last CCW.
        int before = data.Length - lastCount;
        int usedHere = Math.Clamp(r.Used - before, 0, lastCount);
        ccw.Residual = lastCount - usedHere;
        ccw.More = r.Used > data.Length;
    }

    /// <summary>What a command did: its status, and either the bytes it reads or how many output bytes it wanted.</summary>
    readonly record struct Outcome(UnitStatus Status, byte[]? Read, int Used);

    static Outcome Done(byte[] read, UnitStatus extra = UnitStatus.None) => new(UnitStatus.ChannelEnd | UnitStatus.DeviceEnd | extra, read, 0);
    static Outcome Took(int used, UnitStatus extra = UnitStatus.None) => new(UnitStatus.ChannelEnd | UnitStatus.DeviceEnd | extra, null, used);

    Outcome Check(byte byte0, byte byte1 = 0)
    {
        Array.Clear(sense);
        sense[0] = byte0;
        sense[1] = byte1;
        if (sense.Length >= 24)
        {
            // Format 0 sense (3330-3350): byte 4 the drive, bytes 5-6 the cylinder, byte 7 format/message.
            sense[4] = (byte)(Number & 0x07);
            sense[5] = (byte)(cylinder >> 8); sense[6] = (byte)cylinder;
        }
        return new(UnitStatus.ChannelEnd | UnitStatus.DeviceEnd | UnitStatus.UnitCheck, null, 0);
    }

    Outcome Reject(byte byte1 = 0) => Check(CkdSense.CommandReject, byte1);

    public void Halt() { }

    public void Reset()
    {
        lock (sense)
        {
            Array.Clear(sense);
            cylinder = 0; head = 0;
            orientation = Orientation.None;
            readPending = []; readOffset = 0; writeGathered.SetLength(0);
            StartChannelProgram();
        }
    }

    public void Dispose()
    {
        lock (sense) Image.Dispose();
    }
}
