using System.Text;
using Jit360.Architecture;
using Jit360.Machine.Channels;

namespace Jit360.Machine.Devices.UnitRecord;

/// <summary>
/// A 1403 or 3211 line printer writing a text file. Statement (Hercules): <c>devnum 1403 FILE [crlf] [noclear]</c>.
/// Command byte (GA24-3073 1403 component description; GA24-3543 3211): bits 0-4 are the
/// carriage control, the low three bits X'1' write a line, X'3' move the paper only:
/// X'01'/X'09'/X'11'/X'19' write then space 0/1/2/3 lines, X'89'+8(n-1) write then skip to
/// channel n; X'0B'/X'13'/X'1B' space and X'8B'+8(n-1) skip immediately. A line is the
/// EBCDIC text translated to characters, trailing blanks dropped; spacing is newlines, a skip
/// to channel 1 is a form feed, a skip to another channel newlines to its line of the
/// carriage tape (Hercules' default tape: 66 lines, channel 1 at line 1, 2 at 7, ... 9 at 63,
/// 12 at 61); write without spacing ends with a carriage return (the next line overprints).
/// </summary>
public sealed class Printer : IDevice
{
    public const int LinesPerPage = 66;
    /// <summary>The line each carriage-tape channel 1-12 is punched at.</summary>
    static readonly int[] channelLine = [0, 1, 7, 13, 19, 25, 31, 37, 43, 63, 49, 55, 61];

    readonly object gate = new();
    readonly OutputFile output;
    readonly List<byte> line = [];
    readonly byte[] sense = new byte[1];
    int currentLine = 1;

    public ushort Number { get; }
    public string Type { get; }
    public IDeviceHost? Host { get; set; }
    public bool CrLf { get; }
    public int LineCount { get; private set; }

    public Printer(ushort number, string type, string path, bool crlf = false, bool noclear = false)
    {
        Number = number;
        Type = type;
        CrLf = crlf;
        output = new OutputFile(path, noclear);
    }

    public static IDevice Create(ushort number, string type, IReadOnlyList<string> args, DeviceContext context)
    {
        if (args.Count == 0) throw new DeviceConfigException($"{type} needs an output file");
        bool crlf = false, noclear = false;
        foreach (var a in args.Skip(1))
        {
            switch (a.ToLowerInvariant())
            {
                case "crlf": crlf = true; break;
                case "noclear": noclear = true; break;
                default: throw new DeviceConfigException($"{type}: unknown option '{a}' (known: crlf, noclear)");
            }
        }
        return new Printer(number, type, context.Resolve(args[0]), crlf, noclear);
    }

    public void Execute(CcwExecution ccw)
    {
        lock (gate) Run(ccw);
    }

    void Run(CcwExecution ccw)
    {
        ccw.More = false;
        byte cmd = ccw.Command;
        int control = cmd >> 3;      // 0-3 space that many lines; 0x11-0x1C skip to channel 1-12
        bool validControl = control <= 3 || control is >= 0x11 and <= 0x1C;
        if ((cmd & 0x07) == 0x01 && validControl) { Write(ccw, control); return; }
        if ((cmd & 0x07) == 0x03 && validControl)
        {
            Finish(ccw, Carriage(control, afterWrite: false));
            ccw.Residual = ccw.Count;   // immediate: no data moved
            return;
        }
        if (cmd == 0x04)
        {
            sense.CopyTo(ccw.Buffer, 0);
            ccw.Complete(sense.Length);
            Array.Clear(sense);
            return;
        }
        sense[0] = Sense0.CommandReject;
        ccw.Reject();
    }

    void Write(CcwExecution ccw, int control)
    {
        if (!ccw.DataChained) line.Clear();
        for (int i = 0; i < ccw.Count; i++)
        {
            char c = Ebcdic.ToChar(ccw.Buffer[i]);
            line.Add(c < ' ' || c is >= (char)0x7F and < (char)0xA0 ? (byte)' ' : (byte)c);   // controls print as blanks
        }
        if ((ccw.Flags & CcwFlags.ChainData) != 0)
        {
            Finish(ccw, true);
            ccw.More = true;    // the line goes on in the next CCW
            return;
        }
        int end = line.Count;
        while (end > 0 && line[end - 1] == ' ') end--;
        var text = new StringBuilder(end + 4);
        for (int i = 0; i < end; i++) text.Append((char)line[i]);
        line.Clear();
        LineCount++;
        Finish(ccw, Put(text.ToString()) && Carriage(control, afterWrite: true));
    }

    /// <summary>Moves the paper: space <paramref name="control"/> lines, or skip to channel control-0x10.</summary>
    bool Carriage(int control, bool afterWrite)
    {
        string nl = CrLf ? "\r\n" : "\n";
        if (control <= 3)
        {
            if (control == 0) return !afterWrite || Put("\r");
            Advance(control);
            return Put(string.Concat(Enumerable.Repeat(nl, control)));
        }
        int channel = control - 0x10;
        if (channel == 1)
        {
            currentLine = 1;
            return Put("\f");
        }
        int target = channelLine[channel];
        var s = new StringBuilder();
        if (target <= currentLine) { s.Append('\f'); currentLine = 1; }
        while (currentLine < target) { s.Append(nl); currentLine++; }
        return Put(s.ToString());
    }

    void Advance(int lines) => currentLine = (currentLine - 1 + lines) % LinesPerPage + 1;

    bool Put(string text) => text.Length == 0 || output.Write(Encoding.UTF8.GetBytes(text), out _);

    void Finish(CcwExecution ccw, bool ok)
    {
        ccw.Residual = 0;
        ccw.Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd;
        if (ok) return;
        sense[0] = Sense0.InterventionRequired;
        ccw.Status |= UnitStatus.UnitCheck;
    }

    public void Halt() { }

    public void Reset()
    {
        lock (gate) { Array.Clear(sense); line.Clear(); }
    }

    public string Describe() => $"{output.Path}{(CrLf ? " crlf" : "")} {LineCount} lines";

    public void Dispose() => output.Dispose();
}
