using Jit360.Architecture;
using Jit360.Machine.Channels;

namespace Jit360.Cp.Spool;

/// <summary>
/// A virtual card reader (2540R, 3505) over its user's reader queue (CP Command Reference, SPOOL
/// and CLOSE): the first READ opens the first file of the reader's class (any class for CLASS *)
/// that is not held or open elsewhere; each READ gives one record as an 80-column card (short
/// records padded with blanks, since CP keeps them without trailing blanks). The read after the
/// last card gets unit exception (EOF) or unit check with intervention required (NOEOF), and the
/// file is closed: purged, unless the reader is spooled HOLD. With CONT the next file follows
/// without an end-of-file indication. With no file to read the reader is not ready: unit check,
/// intervention required. DIAGNOSE X'14' reads the same open file.
/// </summary>
public sealed class SpoolReader : IDevice
{
    public const int CardLength = 80;

    readonly object gate = new();
    readonly byte[] sense = new byte[1];
    byte[] card = [];
    int cardAt;

    public ushort Number { get; }
    public string Type { get; }
    public string UserId { get; }
    public SpoolOptions Options { get; }
    public SpoolStore Store { get; }
    public IDeviceHost? Host { get; set; }

    /// <summary>The open file and the next record in it.</summary>
    public SpoolFile? Active { get; private set; }
    public int Position { get; internal set; }
    /// <summary>DIAGNOSE X'14': the number of the last full-page buffer given from the active file.</summary>
    public int BufferNumber { get; set; }
    /// <summary>DIAGNOSE X'14' subcodes X'04'/X'08': where the last SFBLOK given was in the queue, and for which subcode (repeated calls go on from there).</summary>
    public long? BlockCursor { get; set; }
    public int BlockKind { get; set; }

    public SpoolReader(ushort number, string type, string userId, SpoolOptions options, SpoolStore store)
    {
        Number = number; Type = type; UserId = userId; Options = options; Store = store;
    }

    /// <summary>Runs <paramref name="action"/> holding the reader (DIAGNOSE X'14' and CLOSE use the same state as the channel).</summary>
    public T Locked<T>(Func<T> action) { lock (gate) return action(); }

    /// <summary>Whether this reader reads a file of that class.</summary>
    public bool Accepts(SpoolFile f) => Options.Class == '*' || f.Class == Options.Class;

    /// <summary>Opens the first readable file of the queue (or keeps the open one); false when there is none.</summary>
    public bool Open()
    {
        lock (gate)
        {
            if (Active != null) return true;
            foreach (var f in Store.Queue(UserId, SpoolQueue.Reader))
                if (!f.UserHold && Accepts(f) && Store.TryOpen(f))
                {
                    Active = f;
                    Position = 0;
                    return true;
                }
            return false;
        }
    }

    /// <summary>Opens a given file, the one DIAGNOSE X'14' selected or that was ordered first.</summary>
    public bool OpenFile(SpoolFile f)
    {
        lock (gate)
        {
            if (Active == f) return true;
            if (Active != null || !Store.TryOpen(f)) return false;
            Active = f;
            Position = 0;
            return true;
        }
    }

    /// <summary>The next record of the open file, or null at its end.</summary>
    public SpoolRecord? Next()
    {
        lock (gate)
        {
            if (Active == null || Position >= Active.RecordCount) return null;
            return Active.Records[Position++];
        }
    }

    /// <summary>Steps back one record (DIAGNOSE X'14' subcode X'18'); false when at the first.</summary>
    public bool Backspace()
    {
        lock (gate)
        {
            if (Active == null || Position == 0) return false;
            Position--;
            return true;
        }
    }

    public void Restart() { lock (gate) Position = 0; }

    /// <summary>CLOSE: the open file is purged, or kept for reading again when held; returns it, or null if none was open.</summary>
    public SpoolFile? Close(bool? hold = null)
    {
        lock (gate)
        {
            var f = Active;
            if (f == null) return null;
            Active = null;
            Position = 0;
            Store.Release(f);
            if (!(hold ?? Options.Hold)) Store.Remove(f);
            else if (Options.Cont) Store.Change(f, hold: true);   // CONT HOLD: saved in user hold (SPOOL)
            return f;
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
        if (ccw.DataChained && ccw.IsRead) { Give(ccw); return; }
        if ((cmd & 0x17) == 0x02) { Read(ccw); return; }
        if ((cmd & 0x37) == 0x23 || cmd == 0x03) { ccw.Complete(0); return; }
        if (cmd == 0x04)
        {
            sense.CopyTo(ccw.Buffer, 0);
            ccw.Complete(1);
            Array.Clear(sense);
            return;
        }
        sense[0] = Sense0.CommandReject;
        ccw.Reject();
    }

    void Read(CcwExecution ccw)
    {
        Array.Clear(sense);
        while (Open())
        {
            if (Next() is { } r)
            {
                card = new byte[CardLength];
                int n = Math.Min(r.Data.Length, CardLength);
                r.Data.AsSpan(0, n).CopyTo(card);
                card.AsSpan(n).Fill(Ebcdic.Blank);
                cardAt = 0;
                Give(ccw);
                return;
            }
            // The end of the file: closed at the last-card indication.
            Close();
            if (Options.Cont && Open()) continue;
            ccw.Residual = ccw.Count;
            if (Options.Eof) { ccw.Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd | UnitStatus.UnitException; return; }
            break;
        }
        sense[0] = Sense0.InterventionRequired;
        ccw.Residual = ccw.Count;
        ccw.Status = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd | UnitStatus.UnitCheck;
    }

    void Give(CcwExecution ccw)
    {
        int available = card.Length - cardAt;
        int n = Math.Min(available, ccw.Count);
        card.AsSpan(cardAt, n).CopyTo(ccw.Buffer);
        cardAt += n;
        ccw.Complete(available);
    }

    public void Halt() { }

    public void Reset()
    {
        lock (gate) { Array.Clear(sense); card = []; cardAt = 0; }
    }

    public string Describe() { lock (gate) return Active == null ? $"spooled RDR of {UserId}, no file open" : $"spooled RDR of {UserId}, file {Active.Id:D4} record {Position + 1} of {Active.RecordCount}"; }

    public void Dispose() => Close(hold: true);
}
