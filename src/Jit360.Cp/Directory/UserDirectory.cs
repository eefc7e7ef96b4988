namespace Jit360.Cp.Directory;

/// <summary>The VM/370 user directory: every user CP knows, as the USER DIRECT source defined them.</summary>
public sealed class UserDirectory
{
    readonly Dictionary<string, UserEntry> users = new(StringComparer.OrdinalIgnoreCase);

    public DirectoryVolume? Volume { get; internal set; }
    /// <summary>Warnings from the source (overlapping minidisks, ...); errors never reach a directory.</summary>
    public IReadOnlyList<DirectoryDiagnostic> Warnings { get; internal set; } = [];

    public IEnumerable<UserEntry> Users => users.Values.OrderBy(u => u.Line);

    public UserEntry? Find(string userId) => users.GetValueOrDefault(userId);

    internal bool Add(UserEntry user) => users.TryAdd(user.UserId, user);

    /// <summary>Reads a USER DIRECT file; throws <see cref="DirectoryException"/> listing every error.</summary>
    public static UserDirectory Load(string path) => DirectoryParser.Parse(File.ReadAllText(path), Path.GetFileName(path));
}
