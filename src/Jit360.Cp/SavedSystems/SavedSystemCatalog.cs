namespace Jit360.Cp.SavedSystems;

/// <summary>
/// The named saved systems and segments CP knows (what VM/370 keeps in DMKSNT): name, file,
/// load page, and whether IPL by name is allowed. Each file is read the first time a virtual
/// machine needs it and kept: every later IPL or attach shares the same <see cref="SavedSystem"/>
/// (<see cref="FileReads"/> counts the reads, so that sharing can be checked), and with
/// <see cref="SharePages"/> every machine maps the same host pages copy-on-write.
/// </summary>
public sealed class SavedSystemCatalog
{
    sealed record Entry(string Name, string Path, int LoadPage, bool Iplable)
    {
        public SavedSystem? Loaded;
    }

    readonly Dictionary<string, Entry> entries = new(StringComparer.OrdinalIgnoreCase);
    readonly object gate = new();

    /// <summary>
    /// Whether IPL and attach share the pages copy-on-write through the host's memory mapping
    /// (<see cref="Jit360.Machine.Storage.LoadShared"/>); false: every machine gets a copy. Either way
    /// the guest sees the same bytes; sharing saves host memory and the copy at IPL.
    /// </summary>
    public bool SharePages { get; init; } = true;

    /// <summary>Files read so far.</summary>
    public int FileReads { get; private set; }

    /// <summary>Names a saved system: at most 8 characters, as a VM/370 system name.</summary>
    public SavedSystemCatalog Define(string name, string path, int loadPage, bool iplable)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 8 || name.Contains(' '))
            throw new SavedSystemException($"saved system name '{name}' must be 1 to 8 characters without blanks");
        if (!entries.TryAdd(name, new Entry(name.ToUpperInvariant(), path, loadPage, iplable)))
            throw new SavedSystemException($"saved system {name} is already defined");
        return this;
    }

    public bool IsDefined(string name) => entries.ContainsKey(name);

    public IEnumerable<string> Names => entries.Values.Select(e => e.Name).Order();

    /// <summary>The saved system of that name, read from its file on first use; null if no such name.</summary>
    public SavedSystem? Find(string name)
    {
        if (!entries.TryGetValue(name, out var e)) return null;
        lock (gate)
        {
            if (e.Loaded == null)
            {
                FileReads++;
                var system = SavedSystemReader.Read(e.Path, e.Name, e.LoadPage, e.Iplable);
                if (SharePages) system.Image = new Jit360.Machine.SharedImage(system.Name, system.Pages);
                e.Loaded = system;
            }
            return e.Loaded;
        }
    }
}
