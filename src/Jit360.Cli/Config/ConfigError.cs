namespace Jit360.Cli.Config;

/// <summary>A configuration or rc-script error, located as FILE:LINE so the user can go straight to it.</summary>
public sealed class ConfigError(string file, int line, string message) : Exception($"{file}:{line}: {message}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Reason { get; } = message;
}
