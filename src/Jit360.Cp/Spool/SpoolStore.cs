namespace Jit360.Cp.Spool;

/// <summary>
/// The system's closed spool files, by spoolid, each user's reader, printer and punch queue in
/// order, kept in the spool folder (one <c>nnnn.spool</c> file each, written through a
/// temporary file and renamed) so that a new CP over the same folder finds them again. Without a
/// folder the files live in storage only. Spoolids run from 1 to 9900 and then start again at 1
/// (CP Command Reference, SPOOL), skipping ids in use. Safe for the users' threads.
/// </summary>
public sealed class SpoolStore
{
    public const int MaxSpoolId = 9900;

    readonly object gate = new();
    readonly SortedDictionary<int, SpoolFile> files = [];
    readonly List<string> problems = [];
    int lastId;
    long sequence;

    public string? Folder { get; }
    /// <summary>The clock of the creation times (the CP's).</summary>
    public TimeProvider Clock { get; set; }
    /// <summary>Files in the folder that could not be read back ("name: reason"); they are left where they are.</summary>
    public IReadOnlyList<string> Problems { get { lock (gate) return problems.ToList(); } }

    public SpoolStore(string? folder = null, TimeProvider? clock = null)
    {
        Folder = folder;
        Clock = clock ?? TimeProvider.System;
        if (folder == null) return;
        System.IO.Directory.CreateDirectory(folder);
        foreach (var path in System.IO.Directory.EnumerateFiles(folder, "*.spool").Order(StringComparer.Ordinal))
        {
            try
            {
                using var s = File.OpenRead(path);
                var f = SpoolFileFormat.Read(s);
                if (Path.GetFileNameWithoutExtension(path) != $"{f.Id:D4}") throw new InvalidDataException($"holds spoolid {f.Id}");
                files[f.Id] = f;
                sequence = Math.Max(sequence, f.Sequence);
                lastId = Math.Max(lastId, f.Id);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                problems.Add($"{Path.GetFileName(path)}: {e.Message}");
            }
        }
    }

    public SpoolFile? Find(int id) { lock (gate) return files.GetValueOrDefault(id); }

    /// <summary>A user's files on one queue, in the order they will be processed.</summary>
    public IReadOnlyList<SpoolFile> Queue(string owner, SpoolQueue queue)
    {
        lock (gate)
            return files.Values.Where(f => f.Queue == queue && f.Owner.Equals(owner, StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f.Sequence).ThenBy(f => f.Id).ToList();
    }

    /// <summary>Files a user created that now sit on another user's queue (TRANSFER ... FROM).</summary>
    public IReadOnlyList<SpoolFile> SentBy(string origin, SpoolQueue queue)
    {
        lock (gate)
            return files.Values.Where(f => f.Queue == queue && f.Origin.Equals(origin, StringComparison.OrdinalIgnoreCase)
                && !f.Owner.Equals(origin, StringComparison.OrdinalIgnoreCase)).OrderBy(f => f.Sequence).ToList();
    }

    /// <summary>Files a new spool file with the next spoolid at the end of its owner's queue; null when all 9900 ids are taken.</summary>
    public SpoolFile? Add(string owner, string origin, SpoolQueue queue, string deviceType, char cls, IReadOnlyList<SpoolRecord> records,
        string fileName = "", string fileType = "", string dist = "", int copies = 1, bool hold = false)
    {
        lock (gate)
        {
            int id = NextId();
            if (id == 0) return null;
            var f = new SpoolFile
            {
                Id = id, Owner = owner.ToUpperInvariant(), Origin = origin.ToUpperInvariant(), Queue = queue, DeviceType = deviceType,
                Class = cls, FileName = fileName, FileType = fileType, Dist = dist, Copies = copies, UserHold = hold,
                Created = Clock.GetUtcNow(), Sequence = ++sequence, Records = records.ToList(),
            };
            files[id] = f;
            Save(f);
            return f;
        }
    }

    int NextId()
    {
        for (int i = 1; i <= MaxSpoolId; i++)
        {
            int id = (lastId + i - 1) % MaxSpoolId + 1;
            if (!files.ContainsKey(id)) { lastId = id; return id; }
        }
        return 0;
    }

    /// <summary>Changes a file's attributes (CHANGE, CLOSE of a reader with HOLD) and writes it again.</summary>
    public void Change(SpoolFile f, char? cls = null, bool? hold = null, string? fileName = null, string? fileType = null, int? copies = null, string? dist = null)
    {
        lock (gate)
        {
            if (cls is { } c) f.Class = c;
            if (hold is { } h) f.UserHold = h;
            if (fileName != null) f.FileName = fileName;
            if (fileType != null) f.FileType = fileType;
            if (copies is { } n) f.Copies = n;
            if (dist != null) f.Dist = dist;
            Save(f);
        }
    }

    /// <summary>Moves a file to another user's queue, at its end (TRANSFER).</summary>
    public void Move(SpoolFile f, string owner, SpoolQueue queue)
    {
        lock (gate)
        {
            f.Owner = owner.ToUpperInvariant();
            f.Queue = queue;
            f.Sequence = ++sequence;
            Save(f);
        }
    }

    /// <summary>ORDER: the files given go to the front of their queue, in the order given.</summary>
    public void Order(IReadOnlyList<SpoolFile> first)
    {
        lock (gate)
        {
            long front = files.Values.Count == 0 ? 0 : files.Values.Min(f => f.Sequence) - first.Count - 1;
            foreach (var f in first) { f.Sequence = front++; Save(f); }
        }
    }

    readonly HashSet<int> open = [];

    /// <summary>Marks a reader file as being read by one reader (SFBINUSE); false if it is gone or another reader has it.</summary>
    public bool TryOpen(SpoolFile f) { lock (gate) return files.ContainsKey(f.Id) && open.Add(f.Id); }

    public void Release(SpoolFile f) { lock (gate) open.Remove(f.Id); }

    /// <summary>Whether a reader has the file open (PURGE, TRANSFER and CHANGE leave it alone then).</summary>
    public bool InUse(SpoolFile f) { lock (gate) return open.Contains(f.Id); }

    public bool Remove(SpoolFile f)
    {
        lock (gate)
        {
            open.Remove(f.Id);
            if (!files.Remove(f.Id)) return false;
            if (Folder != null)
                try { File.Delete(PathOf(f.Id)); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { problems.Add($"{f.Id:D4}.spool: not deleted: {e.Message}"); }
            return true;
        }
    }

    string PathOf(int id) => Path.Combine(Folder!, $"{id:D4}.spool");

    /// <summary>Writes a file to the folder; a host failure (disk full, no permission) keeps the file in storage and is noted in <see cref="Problems"/>.</summary>
    void Save(SpoolFile f)
    {
        if (Folder == null) return;
        string path = PathOf(f.Id), temp = path + ".tmp";
        try
        {
            using (var s = File.Create(temp)) SpoolFileFormat.Write(s, f);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{Path.GetFileName(path)}: not written: {e.Message}");
        }
    }
}
