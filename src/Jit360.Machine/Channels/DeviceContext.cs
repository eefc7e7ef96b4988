namespace Jit360.Machine.Channels;

/// <summary>
/// What a device factory may know about the machine it is configured into: where relative
/// file names start, the configuration's system statements (CNSLPORT, ...), and services
/// shared by the devices of one machine (a telnet listener serving every console).
/// </summary>
public sealed class DeviceContext(string baseDirectory, IReadOnlyDictionary<string, string>? settings = null)
{
    public string BaseDirectory { get; } = baseDirectory;
    /// <summary>System statements by upper-case keyword, operands as written.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; } = settings ?? new Dictionary<string, string>();

    readonly Dictionary<Type, object> services = [];

    /// <summary>The machine-wide service of type T, created by <paramref name="create"/> on first use.</summary>
    public T Shared<T>(Func<T> create) where T : class
    {
        lock (services)
        {
            if (services.TryGetValue(typeof(T), out var s)) return (T)s;
            var made = create();
            services[typeof(T)] = made;
            return made;
        }
    }

    /// <summary>Every shared service created so far (disposed with the machine).</summary>
    public IEnumerable<object> Services { get { lock (services) return services.Values.ToList(); } }

    /// <summary>A path from a device statement, relative to the configuration's folder.</summary>
    public string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(BaseDirectory, path));
}
