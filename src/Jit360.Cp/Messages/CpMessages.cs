namespace Jit360.Cp.Messages;

/// <summary>
/// The CP messages this Control Program issues. Messages marked unconfirmed (Confirmed =
/// false) follow the VM/370 numbering as far as it could be recalled but were not found in the
/// manuals available here: their ids and wording must be checked against GC20-1808 (VM/370
/// System Messages) before anyone relies on them.
/// <para>
/// What was found (November 2026): GC20-1808 itself is not in the searchable material. The message
/// numbers of MSG (020 no user id, 045 not logged on, 057 disconnected or MSG OFF) agree with the return
/// codes later VM products document for the same command, and 050/053/054 with the LOGON messages of
/// VM/370's successors (HCPLGA050E, HCP053E, HCPLGA054E); the texts were not seen in an R6 manual.
/// emx370 (an emulation of the R6 CP as CMS sees it, a secondary source) issues
/// "DMKLOG020E USERID MISSING OR INVALID" for LOGON (used below), "DMKCFC026E OPERAND MISSING OR INVALID"
/// and "INVALID OPTION - x" as here, but "DMKCFC001E ?CP: x" for an unknown command, where this catalog
/// has DMKCFM001E (left as it is: the lead decides, many tests name it).
/// </para>
/// </summary>
public static class CpMessages
{
    // ---- command entry (DMKCFM console function mode, DMKCFC command operands) ----
    /// <summary>An unknown command, or one outside the user's privilege classes (CP does not tell them apart).</summary>
    public static readonly CpMessage UnknownCommand = new("CFM", 1, 'E', "?CP: {0}", false);
    public static readonly CpMessage InvalidOption = new("CFC", 3, 'E', "INVALID OPTION - {0}", false);
    public static readonly CpMessage InvalidHexloc = new("CFC", 4, 'E', "INVALID HEXLOC - {0}", false);
    public static readonly CpMessage InvalidHexdata = new("CFC", 5, 'E', "INVALID HEXDATA - {0}", false);
    public static readonly CpMessage InvalidRegister = new("CFC", 10, 'E', "INVALID REGISTER - {0}", false);
    public static readonly CpMessage UserIdMissing = new("CFC", 20, 'E', "USERID MISSING OR INVALID", false);
    public static readonly CpMessage OperandMissing = new("CFC", 26, 'E', "OPERAND MISSING OR INVALID", false);
    public static readonly CpMessage HexlocExceedsStorage = new("CDB", 160, 'E', "HEXLOC {0} EXCEEDS STORAGE", false);

    // ---- logon and logoff (DMKLOG, DMKUSO) ----
    /// <summary>LOGON without a user id (DMKLOG's own 020, as emx370 records it).</summary>
    public static readonly CpMessage LogonUserIdMissing = new("LOG", 20, 'E', "USERID MISSING OR INVALID", false);
    public static readonly CpMessage PasswordIncorrect = new("LOG", 50, 'E', "PASSWORD INCORRECT - REINITIATE LOGON PROCEDURE", false);
    public static readonly CpMessage NotInDirectory = new("LOG", 53, 'E', "{0} NOT IN CP DIRECTORY", false);
    public static readonly CpMessage AlreadyLoggedOn = new("LOG", 54, 'E', "ALREADY LOGGED ON {0}", false);

    // ---- messages between users (DMKMSG) ----
    public static readonly CpMessage NotLoggedOn = new("MSG", 45, 'E', "{0} NOT LOGGED ON", false);
    public static readonly CpMessage NotReceiving = new("MSG", 57, 'W', "{0} NOT RECEIVING; {1}", false);

    // ---- minidisks (DMKLNK) ----
    public static readonly CpMessage VolumeNotMounted = new("LNK", 108, 'E', "{0} {1} NOT LINKED; VOLID {2} NOT MOUNTED", false);

    // ---- the dispatcher (DMKDSP) ----
    public static readonly CpMessage DisabledWait = new("DSP", 450, 'W', "CP ENTERED; DISABLED WAIT PSW '{0}'", false);
    public static readonly CpMessage ProgramInterruptLoop = new("DSP", 452, 'W', "CP ENTERED; PROGRAM INTERRUPT LOOP", false);

    /// <summary>Every message above, for tests and for a HELP-like listing.</summary>
    public static IEnumerable<CpMessage> All => typeof(CpMessages).GetFields().Select(f => f.GetValue(null)).OfType<CpMessage>();
}

/// <summary>
/// Responses that carry no message id. The LOGOFF and CONNECT forms are confirmed by the
/// VM/370 Operator's Guide (FORCE) and the CP Command Reference (LOGOFF); ENTER PASSWORD by the
/// CP Command Reference (LOGON: "wait for the ENTER PASSWORD response"); DISCONNECT AT and LOGON AT
/// by emx370 (the R6 DISCONN HELP file has a response section, not seen in full). RECONNECTED AT, WNG FROM and the
/// colon of ENTER PASSWORD: are unconfirmed.
/// </summary>
public static class CpResponses
{
    /// <summary>"hh:mm:ss zone weekday mm/dd/yy", the time stamp of LOGON, LOGOFF, DISCONN and QUERY TIME.</summary>
    public static string Stamp(DateTimeOffset t, string zone)
        => $"{t:HH:mm:ss} {zone} {t.DayOfWeek.ToString().ToUpperInvariant()} {t:MM/dd/yy}";

    public static string LogonAt(DateTimeOffset t, string zone) => "LOGON AT " + Stamp(t, zone);
    public static string LogoffAt(DateTimeOffset t, string zone) => "LOGOFF AT " + Stamp(t, zone);
    public static string DisconnectAt(DateTimeOffset t, string zone) => "DISCONNECT AT " + Stamp(t, zone);
    public static string ReconnectedAt(DateTimeOffset t, string zone) => "RECONNECTED AT " + Stamp(t, zone);
    /// <summary>LOGON without the password asks for it (CP Command Reference, LOGON: "the ENTER PASSWORD response").</summary>
    public const string EnterPassword = "ENTER PASSWORD:";
    public static string TimeIs(DateTimeOffset t, string zone) => "TIME IS " + Stamp(t, zone);

    /// <summary>"CONNECT= hh:mm:ss VIRTCPU= mmm:ss.hs TOTCPU= mmm:ss.hs".</summary>
    public static string Connect(TimeSpan connect, TimeSpan virtualCpu, TimeSpan totalCpu)
        => $"CONNECT= {(int)connect.TotalHours:D2}:{connect.Minutes:D2}:{connect.Seconds:D2} VIRTCPU= {Cpu(virtualCpu)} TOTCPU= {Cpu(totalCpu)}";

    static string Cpu(TimeSpan t) => $"{(int)t.TotalMinutes:D3}:{t.Seconds:D2}.{t.Milliseconds / 10:D2}";

    public static string MessageFrom(string userId, string text) => $"MSG FROM {userId}: {text}";
    public static string WarningFrom(string userId, string text) => $"WNG FROM {userId}: {text}";
}
