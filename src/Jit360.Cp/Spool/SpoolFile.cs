namespace Jit360.Cp.Spool;

/// <summary>The three spool queues of a user (VM/370 keeps one chain of each kind per system, files tagged with their owner).</summary>
public enum SpoolQueue { Reader, Printer, Punch }

/// <summary>One logical record: the CCW command code that wrote it (printer carriage control) and its data.</summary>
public sealed record SpoolRecord(byte Command, byte[] Data);

/// <summary>
/// A closed spool file, as SFBLOK describes one (VM/370 Data Areas and Control Block Logic): its
/// spoolid (1-9900), owner (whose queue it is on) and originator, the originating device type
/// (PUN, PRT, CON, RDR), class, CMS-style name and type, distribution code, copies, user hold,
/// creation time and the records. Changes go through <see cref="SpoolStore"/>, which writes
/// them to the spool folder.
/// </summary>
public sealed class SpoolFile
{
    public int Id { get; internal set; }
    public string Owner { get; internal set; } = "";
    public string Origin { get; init; } = "";
    public SpoolQueue Queue { get; internal set; }
    /// <summary>PUN, PRT, CON or RDR: the device the file came from.</summary>
    public string DeviceType { get; init; } = "PUN";
    public char Class { get; internal set; } = 'A';
    public string FileName { get; internal set; } = "";
    public string FileType { get; internal set; } = "";
    public string Dist { get; internal set; } = "";
    public int Copies { get; internal set; } = 1;
    public bool UserHold { get; internal set; }
    public DateTimeOffset Created { get; init; }
    /// <summary>Position in the owner's queue (ORDER moves files to the front).</summary>
    public long Sequence { get; internal set; }
    public IReadOnlyList<SpoolRecord> Records { get; init; } = [];

    public int RecordCount => Records.Count;

    /// <summary>The queue's three-letter word (RDR, PRT, PUN).</summary>
    public static string QueueWord(SpoolQueue q) => q switch { SpoolQueue.Reader => "RDR", SpoolQueue.Printer => "PRT", _ => "PUN" };
}
