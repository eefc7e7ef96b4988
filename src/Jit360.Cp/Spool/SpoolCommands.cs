using Jit360.Cp.Commands;
using Jit360.Cp.Directory;
using Jit360.Cp.Io;
using Jit360.Cp.Messages;

namespace Jit360.Cp.Spool;

/// <summary>
/// The spooling commands as the VM/370 R6 CP Command Reference for General Users describes them:
/// SPOOL and CLOSE on a user's virtual unit-record devices, and PURGE, TRANSFER, ORDER, CHANGE and
/// QUERY READER/PRINTER/PUNCH/FILES on the closed files of the user's queues. Class G users act
/// on their own files only.
/// </summary>
public static class SpoolCommands
{
    // ---- operand words ----

    static bool Is(string word, string name, int minimum)
        => word.Length >= minimum && word.Length <= name.Length && name.StartsWith(word, StringComparison.OrdinalIgnoreCase);

    /// <summary>Reader|RDR, Printer|PRT, PUnch|PCH.</summary>
    public static SpoolQueue? QueueOf(string word)
    {
        if (Is(word, "READER", 1) || word.Equals("RDR", StringComparison.OrdinalIgnoreCase)) return SpoolQueue.Reader;
        if (Is(word, "PRINTER", 1) || word.Equals("PRT", StringComparison.OrdinalIgnoreCase)) return SpoolQueue.Printer;
        if (Is(word, "PUNCH", 2) || word.Equals("PCH", StringComparison.OrdinalIgnoreCase)) return SpoolQueue.Punch;
        return null;
    }

    static bool IsConsole(string word) => Is(word, "CONSOLE", 3);

    /// <summary>The devices a SPOOL or CLOSE operand names: all readers, printers or punches, or one address (which must be a unit-record device).</summary>
    static List<VirtualDevice> Devices(GuestMachine g, string word)
    {
        if (IsConsole(word)) throw new CpUnavailableException("console spooling is not provided");
        if (QueueOf(word) is { } q)
            return g.Devices.Where(d => d.Class == q switch { SpoolQueue.Reader => VirtualDeviceClass.Reader, SpoolQueue.Printer => VirtualDeviceClass.Printer, _ => VirtualDeviceClass.Punch }).ToList();
        if (!DirectoryParser.TryAddress(word, out ushort a)) throw new CpCommandException(CpMessages.InvalidOption, word.ToUpperInvariant());
        var d = g.Find(a) ?? throw new CpCommandException(IoMessages.DeviceDoesNotExist, $"{a:X3}");
        if (d.Class == VirtualDeviceClass.Console) throw new CpUnavailableException("console spooling is not provided");
        if (d.Device is not (SpoolReader or SpoolOutputDevice)) throw new CpCommandException(SpoolMessages.InvalidDeviceType, $"{a:X3}");
        return [d];
    }

    static char ClassOperand(IReadOnlyList<string> o, ref int i, bool star)
    {
        if (++i >= o.Count || o[i].Length != 1) throw new CpCommandException(CpMessages.OperandMissing);
        char c = char.ToUpperInvariant(o[i][0]);
        if (!SpoolOptions.IsClass(c) || (c == '*' && !star)) throw new CpCommandException(CpMessages.InvalidOption, o[i].ToUpperInvariant());
        return c;
    }

    static int CopyOperand(IReadOnlyList<string> o, ref int i)
    {
        if (++i >= o.Count || !int.TryParse(o[i], out int n) || n < 1 || n > 99) throw new CpCommandException(CpMessages.OperandMissing);
        return n;
    }

    static string UserOperand(CpSystem system, CpSession session, IReadOnlyList<string> o, ref int i)
    {
        if (++i >= o.Count) throw new CpCommandException(CpMessages.UserIdMissing);
        return User(system, session, o[i]);
    }

    static string User(CpSystem system, CpSession session, string word)
    {
        string u = word.ToUpperInvariant();
        if (u == "*") return session.UserId!;
        if (u == "SYSTEM") return u;
        return system.Directory.Find(u)?.UserId ?? throw new CpCommandException(CpMessages.UserIdMissing);
    }

    // ---- SPOOL ----

    /// <summary>SPOOL Reader|Printer|PUnch|vaddr [CLass c] [CONt|NOCont] [HOld|NOHold] [EOF|NOEof] [COpy nn] [OFF|[TO] userid|FOR userid] [CLOSE|PURGE].</summary>
    public static void Spool(CpSystem system, CpSession session, GuestMachine g, SpoolStore store, IReadOnlyList<string> o)
    {
        if (o.Count == 0) throw new CpCommandException(CpMessages.OperandMissing);
        var devices = Devices(g, o[0]);
        if (o.Count == 1) throw new CpCommandException(CpMessages.OperandMissing);
        bool readers = devices.All(d => d.Device is SpoolReader);
        var set = new List<Action<SpoolOptions>>();
        bool close = false, purge = false;
        for (int i = 1; i < o.Count; i++)
        {
            string w = o[i].ToUpperInvariant();
            if (Is(w, "CLASS", 2)) { char c = ClassOperand(o, ref i, readers); set.Add(s => s.Class = c); }
            else if (Is(w, "CONT", 3)) set.Add(s => s.Cont = true);
            else if (Is(w, "NOCONT", 3)) set.Add(s => s.Cont = false);
            else if (Is(w, "HOLD", 2)) set.Add(s => s.Hold = true);
            else if (Is(w, "NOHOLD", 3)) set.Add(s => s.Hold = false);
            else if (readers && w == "EOF") set.Add(s => s.Eof = true);
            else if (readers && Is(w, "NOEOF", 3)) set.Add(s => s.Eof = false);
            else if (!readers && Is(w, "COPY", 2)) { int n = CopyOperand(o, ref i); set.Add(s => s.Copies = n); }
            else if (!readers && w == "OFF") set.Add(s => { s.To = null; s.For = null; });
            else if (!readers && Is(w, "TO", 1)) { string u = UserOperand(system, session, o, ref i); set.Add(s => { s.To = u == "SYSTEM" ? null : u; s.For = null; }); }
            else if (!readers && w == "FOR") { string u = UserOperand(system, session, o, ref i); set.Add(s => { s.For = u == "SYSTEM" ? null : u; s.To = null; }); }
            else if (!readers && w == "CLOSE") close = true;
            else if (!readers && Is(w, "PURGE", 2)) purge = true;
            else if (!readers && system.Directory.Find(w) is { } who) { string u = who.UserId; set.Add(s => { s.To = u; s.For = null; }); }
            else throw new CpCommandException(CpMessages.InvalidOption, w);
        }
        foreach (var d in devices)
        {
            var options = d.Device is SpoolReader r ? r.Options : ((SpoolOutputDevice)d.Device).Options;
            foreach (var s in set) s(options);
            // SPOOL's own CLOSE or PURGE acts even on a CONT device (SPOOL PUNCH NOCONT CLOSE is how a continuous file ends).
            if (d.Device is SpoolOutputDevice p && (close || purge)) CloseOutput(system, session, store, d, p, new CloseRequest { Purge = purge });
        }
    }

    // ---- CLOSE ----

    /// <summary>What CLOSE says beyond the device.</summary>
    public sealed class CloseRequest
    {
        public bool? Hold;
        public bool Purge;
        public string? Dist, FileName, FileType;
        /// <summary>Close even a device spooled CONT (SPOOL ... CLOSE, LOGOFF, DETACH); a CLOSE command or a guest's CLOSE is ignored there ("CONT ... causes all CLOSE requests to be ignored until reset by NOCONT").</summary>
        public bool Forced = true;
    }

    /// <summary>CLOSE Reader|Printer|PUnch|CONsole|vaddr [HOld|NOHold] [PUrge] [DIst distcode] [NAme fn [ft]].</summary>
    public static void Close(CpSystem system, CpSession session, GuestMachine g, SpoolStore store, IReadOnlyList<string> o)
    {
        if (o.Count == 0) throw new CpCommandException(CpMessages.OperandMissing);
        var devices = Devices(g, o[0]);
        var request = new CloseRequest { Forced = false };
        for (int i = 1; i < o.Count; i++)
        {
            string w = o[i].ToUpperInvariant();
            if (Is(w, "HOLD", 2)) request.Hold = true;
            else if (Is(w, "NOHOLD", 3)) request.Hold = false;
            else if (Is(w, "PURGE", 2)) request.Purge = true;
            else if (Is(w, "DIST", 2))
            {
                if (++i >= o.Count || o[i].Length > 8) throw new CpCommandException(CpMessages.OperandMissing);
                request.Dist = o[i].ToUpperInvariant();
            }
            else if (Is(w, "NAME", 2))
            {
                if (++i >= o.Count || o[i].Length > 24) throw new CpCommandException(CpMessages.OperandMissing);
                request.FileName = o[i].ToUpperInvariant();
                request.FileType = "";
                if (request.FileName.Length > 8) { }   // an OS/DOS dsname, up to 24 characters
                else if (i + 1 < o.Count && o[i + 1].Length <= 8 && !IsCloseKeyword(o[i + 1])) request.FileType = o[++i].ToUpperInvariant();
            }
            else throw new CpCommandException(CpMessages.InvalidOption, w);
        }
        foreach (var d in devices)
        {
            if (d.Device is SpoolReader r) r.Close(request.Hold);
            else CloseOutput(system, session, store, d, (SpoolOutputDevice)d.Device, request);
        }
    }

    static bool IsCloseKeyword(string w) => Is(w, "HOLD", 2) || Is(w, "NOHOLD", 3) || Is(w, "PURGE", 2) || Is(w, "DIST", 2);

    /// <summary>
    /// Closes an output device's open file: to the TO user's reader, else to the owner's (or the FOR
    /// user's) printer or punch queue. A device spooled CONT ignores a CLOSE from the guest (DIAGNOSE
    /// X'08' or a guest CLOSE); an empty file makes no spool file. Returns the file, if one was made.
    /// </summary>
    public static SpoolFile? CloseOutput(CpSystem system, CpSession session, SpoolStore store, VirtualDevice d, SpoolOutputDevice p, CloseRequest request)
    {
        var options = p.Options;
        if (options.Cont && !request.Purge && !request.Forced) return null;
        var records = p.TakeRecords();
        if (request.Purge || records.Count == 0) return null;
        string word = SpoolFile.QueueWord(p.Queue);
        string owner = options.To ?? options.For ?? p.UserId;
        var queue = options.To != null ? SpoolQueue.Reader : p.Queue;
        bool hold = request.Hold ?? options.Hold;
        var f = store.Add(owner, p.UserId, queue, word, options.Class, records, request.FileName ?? "", request.FileType ?? "",
            request.Dist ?? p.UserId, options.Copies, hold);
        if (f == null) throw new CpCommandException(SpoolMessages.SpoolSpaceFull, word, $"{d.Address:X3}");
        if (options.To != null)
        {
            session.Terminal.Write(SpoolMessages.Closed(f, word, "TO", options.To));
            Notify(system, options.To, SpoolMessages.Arrived(f, p.UserId));
        }
        else if (options.For != null) session.Terminal.Write(SpoolMessages.Closed(f, word, "FOR", options.For));
        else if (hold || f.Copies > 1) session.Terminal.Write(SpoolMessages.Closed(f, word, "FOR", p.UserId));
        return f;
    }

    static void Notify(CpSystem system, string userId, string line)
    {
        if (system.Find(userId) is { } s) s.Terminal.Write(line);
    }

    // ---- file selection for PURGE, TRANSFER, ORDER, CHANGE, QUERY ----

    /// <summary>
    /// [Reader|Printer|PUnch] {spoolid...|CLass c|ALL}: the files of the user's queues chosen. A
    /// spoolid that is not one of the user's files is DMKCSU042E. <paramref name="next"/> is the
    /// first operand after the selection.
    /// </summary>
    static List<SpoolFile> Select(SpoolStore store, string user, IReadOnlyList<string> o, out int next, bool needSelection = true)
    {
        int i = 0;
        SpoolQueue[] queues = [SpoolQueue.Reader, SpoolQueue.Printer, SpoolQueue.Punch];
        if (i < o.Count && QueueOf(o[i]) is { } q) { queues = [q]; i++; }
        var mine = queues.SelectMany(q => store.Queue(user, q)).ToList();
        var chosen = new List<SpoolFile>();
        if (i < o.Count && o[i].Equals("ALL", StringComparison.OrdinalIgnoreCase)) { chosen.AddRange(mine); i++; }
        else if (i < o.Count && Is(o[i], "CLASS", 2))
        {
            char c = ClassOperand(o, ref i, false);
            chosen.AddRange(mine.Where(f => f.Class == c));
            i++;
        }
        else
        {
            while (i < o.Count && o[i].Length <= 4 && o[i].All(char.IsAsciiDigit))
            {
                int id = int.Parse(o[i]);
                var f = mine.FirstOrDefault(x => x.Id == id) ?? throw new CpCommandException(SpoolMessages.SpoolIdDoesNotExist, $"{id:D4}");
                if (!chosen.Contains(f)) chosen.Add(f);
                i++;
            }
            if (chosen.Count == 0 && needSelection) throw new CpCommandException(CpMessages.OperandMissing);
        }
        next = i;
        return chosen;
    }

    // ---- PURGE ----

    /// <summary>PURGE [Reader|Printer|PUnch] {spoolid...|CLass c|ALL}: files a reader has open are left alone.</summary>
    public static void Purge(CommandContext c, SpoolStore store)
    {
        var files = Select(store, c.Session.UserId!, c.Operands, out int next);
        if (next < c.Operands.Count) throw new CpCommandException(CpMessages.InvalidOption, c.Operands[next].ToUpperInvariant());
        int n = files.Count(f => !store.InUse(f) && store.Remove(f));
        c.Write(SpoolMessages.Count(n, "PURGED"));
    }

    // ---- TRANSFER ----

    /// <summary>
    /// TRANSFER [Reader|Printer|PUnch] {spoolid...|CLass c|ALL} {[TO] userid|FROM userid}: TO moves your
    /// files to that user's reader; FROM reclaims into your reader the files you created that
    /// are on that user's queue.
    /// </summary>
    public static void Transfer(CommandContext c, SpoolStore store)
    {
        var o = c.Operands;
        string me = c.Session.UserId!;
        int fromAt = o.ToList().FindIndex(w => w.Equals("FROM", StringComparison.OrdinalIgnoreCase));
        List<SpoolFile> files;
        string other;
        bool from = fromAt >= 0;
        if (from)
        {
            if (fromAt + 2 != o.Count) throw new CpCommandException(CpMessages.UserIdMissing);
            other = User(c.System, c.Session, o[fromAt + 1]);
            var head = o.Take(fromAt).ToList();
            SpoolQueue[] queues = head.Count > 0 && QueueOf(head[0]) is { } q ? [q] : [SpoolQueue.Reader, SpoolQueue.Printer, SpoolQueue.Punch];
            var theirs = queues.SelectMany(q => store.Queue(other, q)).Where(f => f.Origin.Equals(me, StringComparison.OrdinalIgnoreCase)).ToList();
            var rest = head.Skip(head.Count > 0 && QueueOf(head[0]) != null ? 1 : 0).ToList();
            files = SelectAmong(theirs, rest);
        }
        else
        {
            files = Select(store, me, o, out int next);
            if (next < o.Count && Is(o[next], "TO", 1)) next++;
            if (next + 1 != o.Count) throw new CpCommandException(CpMessages.UserIdMissing);
            other = User(c.System, c.Session, o[next]);
            if (other == "SYSTEM") throw new CpCommandException(CpMessages.UserIdMissing);
        }
        int n = 0;
        foreach (var f in files)
        {
            if (store.InUse(f)) continue;
            string to = from ? me : other;
            store.Move(f, to, SpoolQueue.Reader);
            n++;
            if (!to.Equals(me, StringComparison.OrdinalIgnoreCase)) Notify(c.System, to, SpoolMessages.Arrived(f, me));
        }
        c.Write(SpoolMessages.Count(n, "TRANSFERRED"));
    }

    static List<SpoolFile> SelectAmong(List<SpoolFile> files, List<string> o)
    {
        if (o.Count == 0) throw new CpCommandException(CpMessages.OperandMissing);
        if (o.Count == 1 && o[0].Equals("ALL", StringComparison.OrdinalIgnoreCase)) return files;
        if (o.Count == 2 && Is(o[0], "CLASS", 2) && o[1].Length == 1) return files.Where(f => f.Class == char.ToUpperInvariant(o[1][0])).ToList();
        var chosen = new List<SpoolFile>();
        foreach (var w in o)
        {
            if (w.Length > 4 || !w.All(char.IsAsciiDigit)) throw new CpCommandException(CpMessages.InvalidOption, w.ToUpperInvariant());
            int id = int.Parse(w);
            chosen.Add(files.FirstOrDefault(f => f.Id == id) ?? throw new CpCommandException(SpoolMessages.SpoolIdDoesNotExist, $"{id:D4}"));
        }
        return chosen;
    }

    // ---- ORDER ----

    /// <summary>ORDER Reader|Printer|PUnch {spoolid|CLass c}...: those files first, in the order given.</summary>
    public static void Order(CommandContext c, SpoolStore store)
    {
        var o = c.Operands;
        if (o.Count < 2 || QueueOf(o[0]) is not { } q) throw new CpCommandException(CpMessages.OperandMissing);
        var mine = store.Queue(c.Session.UserId!, q);
        var first = new List<SpoolFile>();
        for (int i = 1; i < o.Count; i++)
        {
            if (Is(o[i], "CLASS", 2))
            {
                char cls = ClassOperand(o, ref i, false);
                first.AddRange(mine.Where(f => f.Class == cls && !first.Contains(f)));
                continue;
            }
            if (o[i].Length > 4 || !o[i].All(char.IsAsciiDigit)) throw new CpCommandException(CpMessages.InvalidOption, o[i].ToUpperInvariant());
            int id = int.Parse(o[i]);
            var f = mine.FirstOrDefault(x => x.Id == id) ?? throw new CpCommandException(SpoolMessages.SpoolIdDoesNotExist, $"{id:D4}");
            if (!first.Contains(f)) first.Add(f);
        }
        store.Order(first);
    }

    // ---- CHANGE ----

    /// <summary>CHANGE [Reader|Printer|PUnch] {spoolid...|CLass c|ALL} [CLass c] [HOld|NOHold] [COpy nn] [NAme fn [ft]] [DIst d].</summary>
    public static void Change(CommandContext c, SpoolStore store)
    {
        var o = c.Operands;
        var files = Select(store, c.Session.UserId!, o, out int i);
        if (i >= o.Count) throw new CpCommandException(CpMessages.OperandMissing);
        char? cls = null; bool? hold = null; int? copies = null; string? fn = null, ft = null, dist = null;
        for (; i < o.Count; i++)
        {
            string w = o[i].ToUpperInvariant();
            if (Is(w, "CLASS", 2)) cls = ClassOperand(o, ref i, false);
            else if (Is(w, "HOLD", 2)) hold = true;
            else if (Is(w, "NOHOLD", 3)) hold = false;
            else if (Is(w, "COPY", 2)) copies = CopyOperand(o, ref i);
            else if (Is(w, "DIST", 2))
            {
                if (++i >= o.Count || o[i].Length > 8) throw new CpCommandException(CpMessages.OperandMissing);
                dist = o[i].ToUpperInvariant();
            }
            else if (Is(w, "NAME", 2))
            {
                if (++i >= o.Count || o[i].Length > 24) throw new CpCommandException(CpMessages.OperandMissing);
                fn = o[i].ToUpperInvariant();
                ft = "";
                if (fn.Length <= 8 && i + 1 < o.Count && o[i + 1].Length <= 8 && !IsChangeKeyword(o[i + 1])) ft = o[++i].ToUpperInvariant();
            }
            else throw new CpCommandException(CpMessages.InvalidOption, w);
        }
        int n = 0;
        foreach (var f in files)
        {
            if (store.InUse(f)) continue;
            store.Change(f, cls, hold, fn, ft, copies, dist);
            n++;
        }
        c.Write(SpoolMessages.Count(n, "CHANGED"));
    }

    static bool IsChangeKeyword(string w) => Is(w, "CLASS", 2) || Is(w, "HOLD", 2) || Is(w, "NOHOLD", 3) || Is(w, "COPY", 2) || Is(w, "DIST", 2);

    // ---- QUERY ----

    /// <summary>QUERY Reader|Printer|PUnch [ALL] [spoolid], QUERY FILES; false for any other operand.</summary>
    public static bool Query(CpSession session, SpoolStore store, IReadOnlyList<string> o)
    {
        string user = session.UserId!;
        if (Is(o[0], "FILES", 5))
        {
            if (o.Count > 1) throw new CpCommandException(CpMessages.InvalidOption, o[1].ToUpperInvariant());
            static string N(int n, string w) => n == 0 ? $"NO {w}" : $"{n:D4} {w}";
            session.Terminal.Write($"FILES: {N(store.Queue(user, SpoolQueue.Reader).Count, "RDR")}, {N(store.Queue(user, SpoolQueue.Printer).Count, "PRT")}, {N(store.Queue(user, SpoolQueue.Punch).Count, "PUN")}");
            return true;
        }
        if (QueueOf(o[0]) is not { } q) return false;
        bool all = false;
        int? id = null;
        foreach (var w in o.Skip(1))
        {
            if (w.Equals("ALL", StringComparison.OrdinalIgnoreCase)) all = true;
            else if (w.Length <= 4 && w.All(char.IsAsciiDigit)) id = int.Parse(w);
            else throw new CpCommandException(CpMessages.InvalidOption, w.ToUpperInvariant());
        }
        var files = store.Queue(user, q).ToList();
        if (id is { } one)
        {
            files = files.Where(f => f.Id == one).ToList();
            if (files.Count == 0) throw new CpCommandException(SpoolMessages.SpoolIdDoesNotExist, $"{one:D4}");
            all = true;     // a spoolid shows the additional information (Operator's Guide)
        }
        if (files.Count == 0) { session.Terminal.Write($"NO {SpoolFile.QueueWord(q)} FILES"); return true; }
        foreach (var line in QueryLines(files, all)) session.Terminal.Write(line);
        return true;
    }

    /// <summary>
    /// The QUERY READER/PRINTER/PUNCH table (VM/370 Operator's Guide, QUERY): OWNERID FILE CLASS RECDS
    /// CPY HOLD, and with ALL or a spoolid also DATE TIME NAME TYPE DIST.
    /// </summary>
    public static IEnumerable<string> QueryLines(IEnumerable<SpoolFile> files, bool all)
    {
        yield return "OWNERID  FILE CLASS RECDS  CPY HOLD" + (all ? "  DATE  TIME     NAME      TYPE      DIST" : "");
        foreach (var f in files)
        {
            string basic = $"{f.Owner,-8} {f.Id:D4} {f.Class} {f.DeviceType} {Math.Min(f.RecordCount, 999999):D6} {f.Copies:D2}  {(f.UserHold ? "USER" : "NONE")}";
            yield return all
                ? $"{basic}  {f.Created:MM/dd} {f.Created:HH:mm:ss} {Cut(f.FileName, 8),-9} {Cut(f.FileType, 8),-9} {f.Dist}".TrimEnd()
                : basic;
        }
    }

    static string Cut(string s, int n) => s.Length > n ? s[..n] : s;
}
