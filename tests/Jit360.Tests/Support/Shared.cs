namespace Jit360.Tests.Support;

/// <summary>
/// Locates <c>../shared</c> (real media, oracles, peer benchmarks) beside the repository, or
/// the directory named by JIT360_SHARED. Tests that need it call <see cref="Require"/>, which
/// skips them with the reason when it is absent (a fresh clone of the project alone).
/// </summary>
public static class Shared
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string? Directory { get; } = Find();

    static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Jit360.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Jit360.sln not found above " + AppContext.BaseDirectory);
    }

    static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("JIT360_SHARED");
        if (!string.IsNullOrEmpty(env)) return System.IO.Directory.Exists(env) ? Path.GetFullPath(env) : null;
        var beside = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
        return System.IO.Directory.Exists(beside) ? beside : null;
    }

    /// <summary>The path of something under shared/, or an Ignore (skip) with the reason.</summary>
    public static string Require(string relative)
    {
        if (Directory == null)
            Assert.Ignore($"needs ../shared beside the repository (or JIT360_SHARED); not found from {RepositoryRoot}");
        var path = Path.Combine(Directory!, relative);
        if (!File.Exists(path) && !System.IO.Directory.Exists(path))
            Assert.Ignore($"needs {path}, which is missing");
        return path;
    }

    /// <summary>Skips unless an external program is on PATH.</summary>
    public static string RequireTool(string name, string install)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            var p = Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        Assert.Ignore($"needs {name} on PATH ({install})");
        return null!;
    }
}
