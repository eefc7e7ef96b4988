namespace Jit360.Cp.Directory;

/// <summary>A problem found in a directory source, located by file and line ("USER DIRECT:12: ...").</summary>
public sealed record DirectoryDiagnostic(string File, int Line, bool IsError, string Message)
{
    public override string ToString() => $"{File}:{Line}: {(IsError ? "error" : "warning")}: {Message}";
}

/// <summary>A directory that has errors: the message lists every one with its line.</summary>
public sealed class DirectoryException(IReadOnlyList<DirectoryDiagnostic> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<DirectoryDiagnostic> Errors { get; } = errors;
}
