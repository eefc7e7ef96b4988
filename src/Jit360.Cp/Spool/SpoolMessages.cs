using Jit360.Cp.Messages;

namespace Jit360.Cp.Spool;

/// <summary>
/// The spooling messages and responses. DMKCSU042E is the VM/370 text as remembered; the ids of the
/// others follow VM/370's module naming (DMKCSO SPOOL/CLOSE, DMKCSU PURGE/CHANGE/ORDER/TRANSFER,
/// DMKDEF DEFINE) and all are unconfirmed: check them against GC20-1808 (System Messages).
/// </summary>
public static class SpoolMessages
{
    public static readonly CpMessage InvalidDeviceType = new("CSO", 6, 'E', "INVALID DEVICE TYPE - {0}", false);
    public static readonly CpMessage SpoolIdDoesNotExist = new("CSU", 42, 'E', "SPOOLID {0} DOES NOT EXIST", false);
    public static readonly CpMessage SpoolSpaceFull = new("CSO", 407, 'E', "SPOOL SPACE FULL; {0} {1} NOT CLOSED", false);
    public static readonly CpMessage DeviceAlreadyDefined = new("DEF", 6, 'E', "DEV {0} ALREADY DEFINED", false);
    public static readonly CpMessage NoSpool = new("CSO", 8, 'E', "SPOOLING NOT AVAILABLE", false);

    /// <summary>"PUN FILE 0005 TO U02 COPY 01 NOHOLD": CLOSE of a file spooled to another user, held, or in several copies.</summary>
    public static string Closed(SpoolFile f, string word, string toOrFor, string user)
        => $"{word} FILE {f.Id:D4} {toOrFor} {user} COPY {f.Copies:D2} {(f.UserHold ? "HOLD" : "NOHOLD")}";

    /// <summary>What the receiving user sees when a file arrives in the reader: "PUN FILE 0005 FROM U01 COPY 01 NOHOLD".</summary>
    public static string Arrived(SpoolFile f, string from)
        => $"{f.DeviceType} FILE {f.Id:D4} FROM {from} COPY {f.Copies:D2} {(f.UserHold ? "HOLD" : "NOHOLD")}";

    /// <summary>"0002 FILE(S) PURGED", or "NO FILES PURGED".</summary>
    public static string Count(int n, string verb) => n == 0 ? $"NO FILES {verb}" : $"{n:D4} FILE(S) {verb}";
}
