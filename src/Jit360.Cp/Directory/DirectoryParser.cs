using System.Globalization;

namespace Jit360.Cp.Directory;

/// <summary>
/// Parses a USER DIRECT source (VM/370 Planning and System Generation Guide, "Directory
/// Statements"): 80-column card images or shorter lines, of which only columns 1-71 are read
/// (72 is the continuation column and 73-80 hold sequence numbers); blank lines and lines
/// starting with * are comments. Every error is collected with its line; the parse fails with
/// all of them at once. Overlapping minidisks on one volume are a warning, since real
/// directories overlap on purpose (the $ALLOC$ user covers cylinder 0 of every volume).
/// </summary>
public sealed class DirectoryParser
{
    const int LastColumn = 71;

    readonly string file;
    readonly List<DirectoryDiagnostic> diagnostics = [];
    readonly UserDirectory directory = new();
    UserEntry? user;
    int line;

    DirectoryParser(string file) { this.file = file; }

    public static UserDirectory Parse(string text, string file = "USER DIRECT")
    {
        var p = new DirectoryParser(file);
        p.Run(text);
        var errors = p.diagnostics.Where(d => d.IsError).ToList();
        if (errors.Count > 0) throw new DirectoryException(errors);
        p.directory.Warnings = p.diagnostics.Where(d => !d.IsError).ToList();
        return p.directory;
    }

    void Run(string text)
    {
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            line = i + 1;
            string card = lines[i].TrimEnd('\r');
            if (card.Length > LastColumn) card = card[..LastColumn];
            if (card.TrimStart().StartsWith('*') || string.IsNullOrWhiteSpace(card)) continue;
            string[] words = card.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            try { Statement(words, card); }
            catch (StatementError e) { Error(e.Message); }
        }
        CheckOverlaps();
    }

    sealed class StatementError(string message) : Exception(message);

    void Error(string message) => diagnostics.Add(new DirectoryDiagnostic(file, line, true, message));
    void Warning(string message) => diagnostics.Add(new DirectoryDiagnostic(file, line, false, message));
    static StatementError Fail(string message) => new(message);

    void Statement(string[] w, string card)
    {
        string verb = w[0].ToUpperInvariant();
        if (verb == "DIRECTORY") { Directory(w); return; }
        if (verb == "USER") { User(w); return; }
        if (!Known.Contains(verb)) throw Fail($"unknown statement {w[0]}");
        if (user == null) throw Fail($"{verb} statement before the first USER statement");
        switch (verb)
        {
            case "ACCOUNT": Count(w, 2, 3); user.Account = new AccountDefinition(w[1].ToUpperInvariant(), w.Length > 2 ? w[2].ToUpperInvariant() : null); break;
            case "OPTION": Option(w); break;
            case "IPL": Ipl(w, card); break;
            case "CONSOLE": Console(w); break;
            case "SPOOL": Spool(w); break;
            case "LINK": Link(w); break;
            case "MDISK": Mdisk(w); break;
            case "SPECIAL": Count(w, 3, 3); Use(Address(w[1]), out ushort sa); user.specials.Add(new SpecialDefinition(sa, w[2].ToUpperInvariant())); break;
            case "DEDICATE": Count(w, 3, 3); Use(Address(w[1]), out ushort da); user.dedicated.Add(new DedicateDefinition(da, w[2].ToUpperInvariant())); break;
        }
    }

    static readonly HashSet<string> Known = ["ACCOUNT", "OPTION", "IPL", "CONSOLE", "SPOOL", "LINK", "MDISK", "SPECIAL", "DEDICATE"];

    static void Count(string[] w, int min, int max)
    {
        if (w.Length < min) throw Fail($"{w[0].ToUpperInvariant()} needs at least {min - 1} operands");
        if (w.Length > max) throw Fail($"{w[0].ToUpperInvariant()} has too many operands: {string.Join(' ', w[max..])}");
    }

    void Directory(string[] w)
    {
        Count(w, 4, 4);
        if (directory.Volume != null) throw Fail("a second DIRECTORY statement");
        directory.Volume = new DirectoryVolume(Address(w[1]), DeviceType(w[2], DeviceKind.Dasd), Volser(w[3]));
    }

    void User(string[] w)
    {
        user = null;   // statements after a rejected USER are not charged to the previous user
        Count(w, 3, 7);
        string id = Name(w[1], "user id");
        string password = Name(w[2], "password");
        // Storage defaults are not confirmed against the VM/370 manual: 256K, max = storage, class G.
        uint storage = w.Length > 3 ? Size(w[3]) : 256 * 1024;
        uint max = w.Length > 4 ? Size(w[4]) : storage;
        if (max < storage) throw Fail($"maximum storage {w[4]} is less than the logon storage {w[3]}");
        string classes = w.Length > 5 ? Classes(w[5]) : "G";
        int priority = 50;
        if (w.Length > 6 && (!int.TryParse(w[6], NumberStyles.None, CultureInfo.InvariantCulture, out priority) || priority < 1 || priority > 99))
            throw Fail($"priority {w[6]} is not a number from 1 to 99");
        var entry = new UserEntry { UserId = id, Password = password, Storage = storage, MaxStorage = max, PrivilegeClasses = classes, Priority = priority, Line = line };
        if (!directory.Add(entry))
            throw Fail($"duplicate user {id} (first defined at line {directory.Find(id)!.Line})");
        user = entry;
    }

    void Option(string[] w)
    {
        Count(w, 2, 16);
        for (int i = 1; i < w.Length; i++)
        {
            string o = w[i].ToUpperInvariant();
            DirectoryOptions flag = o switch
            {
                "REALTIMER" => DirectoryOptions.RealTimer,
                "ECMODE" => DirectoryOptions.EcMode,
                "ISAM" => DirectoryOptions.Isam,
                "VIRT=REAL" => DirectoryOptions.VirtEqualsReal,
                "ACCT" => DirectoryOptions.Acct,
                "SVCOFF" => DirectoryOptions.SvcOff,
                "BMX" => DirectoryOptions.Bmx,
                "CPUID" => DirectoryOptions.CpuId,
                "AFFINITY" => DirectoryOptions.Affinity,
                _ => throw Fail($"unknown OPTION {w[i]}"),
            };
            if (flag is DirectoryOptions.CpuId or DirectoryOptions.Affinity)
            {
                if (i + 1 >= w.Length) throw Fail($"OPTION {o} needs a value");
                string v = w[++i].ToUpperInvariant();
                if (flag == DirectoryOptions.CpuId)
                {
                    if (v.Length != 6 || !v.All(char.IsAsciiHexDigit)) throw Fail($"CPUID {v} is not 6 hexadecimal digits");
                    user!.CpuId = v;
                }
            }
            user!.Options |= flag;
        }
    }

    void Ipl(string[] w, string card)
    {
        if (w.Length < 2) throw Fail("IPL needs a system name or device address");
        string target = w[1].ToUpperInvariant();
        if (target.Length > 8) throw Fail($"IPL target {w[1]} is longer than 8 characters");
        string? parm = null;
        if (w.Length > 2)
        {
            if (!w[2].Equals("PARM", StringComparison.OrdinalIgnoreCase)) throw Fail($"IPL operand {w[2]} is not PARM");
            // The parameter text is the rest of the card after PARM, blanks inside kept.
            int at = card.IndexOf(w[2], card.IndexOf(w[1], StringComparison.Ordinal) + w[1].Length, StringComparison.OrdinalIgnoreCase) + 4;
            parm = card[at..].Trim();
            if (parm.Length == 0) throw Fail("PARM needs its text");
            if (parm.Length > 64) throw Fail("PARM text is longer than 64 characters");
        }
        user!.Ipl = new IplDefinition(target, parm);
    }

    void Console(string[] w)
    {
        Count(w, 3, 4);
        if (user!.Console != null) throw Fail("a second CONSOLE statement");
        Use(Address(w[1]), out ushort a);
        user.Console = new ConsoleDefinition(a, DeviceType(w[2], DeviceKind.Console), w.Length > 3 ? SpoolClass(w[3]) : null);
    }

    void Spool(string[] w)
    {
        Count(w, 3, 5);
        Use(Address(w[1]), out ushort a);
        string type = DeviceType(w[2], DeviceKind.UnitRecord);
        SpoolFunction function = type switch
        {
            "2501" or "3505" => SpoolFunction.Reader,
            "3525" => SpoolFunction.Punch,
            "1403" or "3211" or "1443" or "3203" => SpoolFunction.Printer,
            _ => SpoolFunction.Reader,   // 2540: READER or PUNCH below
        };
        int next = 3;
        if (w.Length > next && w[next].ToUpperInvariant() is "READ" or "READER" or "PUNCH" or "PUN")
        {
            if (type != "2540") throw Fail($"{w[next].ToUpperInvariant()} applies to a 2540 only, not a {type}");
            function = w[next].ToUpperInvariant().StartsWith("PUN") ? SpoolFunction.Punch : SpoolFunction.Reader;
            next++;
        }
        else if (type == "2540") throw Fail("a 2540 needs READER or PUNCH");
        char? cls = null;
        if (w.Length > next) { cls = SpoolClass(w[next]); next++; }
        if (w.Length > next) throw Fail($"SPOOL has too many operands: {w[next]}");
        user!.spool.Add(new SpoolDefinition(a, type, function, cls));
    }

    void Link(string[] w)
    {
        Count(w, 4, 5);
        string who = Name(w[1], "user id");
        ushort theirs = Address(w[2]);
        Use(Address(w[3]), out ushort mine);
        var mode = MinidiskMode.R;
        if (w.Length > 4 && !MinidiskModes.TryParse(w[4], out mode)) throw Fail($"bad mode {w[4]}: not R, RR, W, WR, M, MR or MW");
        user!.links.Add(new LinkDefinition(who.Equals("*") ? user.UserId : who, theirs, mine, mode));
    }

    void Mdisk(string[] w)
    {
        Count(w, 6, 10);
        Use(Address(w[1]), out ushort a);
        string type = DeviceType(w[2], DeviceKind.Dasd);
        int start = Cylinders(w[3], "start cylinder", allowZero: true);
        int size = Cylinders(w[4], "size", allowZero: false);
        if (DasdCylinders.TryGetValue(type, out int total) && start + size > total)
            throw Fail($"cylinders {start}-{start + size - 1} are beyond the {total} cylinders of a {type}");
        string volser = Volser(w[5]);
        // The default mode when none is written is not confirmed against the VM/370 manual: W.
        var mode = MinidiskMode.W;
        if (w.Length > 6 && !MinidiskModes.TryParse(w[6], out mode)) throw Fail($"bad mode {w[6]}: not R, RR, W, WR, M, MR or MW");
        string? Pw(int i) => w.Length > i ? Name(w[i], "password") : null;
        user!.minidisks.Add(new MinidiskDefinition(a, type, start, size, volser, mode, Pw(7), Pw(8), Pw(9), line));
    }

    void CheckOverlaps()
    {
        var all = directory.Users.SelectMany(u => u.Minidisks.Select(m => (u, m))).ToList();
        for (int i = 0; i < all.Count; i++)
            for (int j = 0; j < i; j++)
                if (all[i].m.Overlaps(all[j].m))
                {
                    line = all[i].m.Line;
                    var (u1, m1) = all[j];
                    var (u2, m2) = all[i];
                    Warning($"MDISK {u2.UserId} {m2.Address:X3} (cylinders {m2.StartCylinder}-{m2.EndCylinder} of {m2.Volser}) overlaps " +
                            $"{u1.UserId} {m1.Address:X3} (cylinders {m1.StartCylinder}-{m1.EndCylinder}, line {m1.Line})");
                }
    }

    // ---- operands ----

    /// <summary>A virtual device address: 1 to 3 hexadecimal digits.</summary>
    public static bool TryAddress(string text, out ushort address)
    {
        address = 0;
        return text.Length is >= 1 and <= 3 && ushort.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out address);
    }

    static ushort Address(string text)
        => TryAddress(text, out ushort a) ? a : throw Fail($"bad device address {text}: not 1 to 3 hexadecimal digits");

    /// <summary>Each virtual address once per user, whatever statement defines it.</summary>
    void Use(ushort address, out ushort result)
    {
        result = address;
        var u = user!;
        bool taken = (u.Console?.Address == address) || u.spool.Any(s => s.Address == address) || u.links.Any(l => l.Address == address)
                     || u.minidisks.Any(m => m.Address == address) || u.specials.Any(s => s.Address == address) || u.dedicated.Any(d => d.Address == address);
        if (taken) throw Fail($"device address {address:X3} is defined twice for user {u.UserId}");
    }

    /// <summary>A storage size: a decimal number with a K or M suffix, a multiple of 4K, at most 16M.</summary>
    public static uint Size(string text)
    {
        string t = text.ToUpperInvariant();
        if (t.Length < 2 || t[^1] is not ('K' or 'M') || !uint.TryParse(t[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out uint n))
            throw Fail($"bad size {text}: a number followed by K or M");
        ulong bytes = (ulong)n * (t[^1] == 'K' ? 1024UL : 1024UL * 1024);
        if (bytes == 0 || bytes > 16 * 1024 * 1024) throw Fail($"bad size {text}: must be more than 0 and at most 16M");
        if (bytes % 4096 != 0) throw Fail($"bad size {text}: not a multiple of 4K");
        return (uint)bytes;
    }

    static int Cylinders(string text, string what, bool allowZero)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || (n == 0 && !allowZero) || n > 9999)
            throw Fail($"bad {what} {text}: not a {(allowZero ? "" : "positive ")}decimal cylinder count");
        return n;
    }

    static string Name(string text, string what)
    {
        if (text.Length > 8) throw Fail($"{what} {text} is longer than 8 characters");
        return text.ToUpperInvariant();
    }

    static string Volser(string text)
    {
        if (text.Length > 6) throw Fail($"volume serial {text} is longer than 6 characters");
        return text.ToUpperInvariant();
    }

    static string Classes(string text)
    {
        string t = text.ToUpperInvariant();
        if (t.Length > 8 || t.Any(c => c is < 'A' or > 'H') || t.Distinct().Count() != t.Length)
            throw Fail($"bad privilege classes {text}: letters A to H, each at most once");
        return t;
    }

    static char? SpoolClass(string text)
    {
        if (text == "*") return null;
        if (text.Length != 1 || !char.IsAsciiLetterOrDigit(text[0])) throw Fail($"bad spool class {text}: one letter or digit, or *");
        return char.ToUpperInvariant(text[0]);
    }

    enum DeviceKind { Console, UnitRecord, Dasd }

    static readonly Dictionary<string, int> DasdCylinders = new()
    {
        ["2314"] = 203, ["2319"] = 203, ["3330"] = 808, ["3340"] = 696, ["3350"] = 560, ["3375"] = 962, ["3380"] = 2655, ["2305"] = 48,
    };

    static string DeviceType(string text, DeviceKind kind)
    {
        string t = text.ToUpperInvariant();
        bool ok = kind switch
        {
            DeviceKind.Console => t is "3215" or "1052" or "3210" or "3066",
            DeviceKind.UnitRecord => t is "2540" or "2501" or "3505" or "3525" or "1403" or "3211" or "1443" or "3203",
            DeviceKind.Dasd => DasdCylinders.ContainsKey(t),
            _ => false,
        };
        if (!ok) throw Fail($"bad device type {text} for a {kind switch { DeviceKind.Console => "console", DeviceKind.UnitRecord => "spooled unit-record device", _ => "disk" }}");
        return t;
    }
}
