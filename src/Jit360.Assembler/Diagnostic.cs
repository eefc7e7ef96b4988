namespace Jit360.Assembler;

public enum Severity { Note, Warning, Error }

/// <summary>A message about the source, with its place: file, line and column (1-based).</summary>
public sealed record Diagnostic(Severity Severity, string File, int Line, int Column, string Message)
{
    public bool IsError => Severity == Severity.Error;
    public override string ToString()
        => $"{File}:{Line}:{Column}: {Severity.ToString().ToLowerInvariant()}: {Message}";
}

/// <summary>
/// An error found while assembling one statement. Thrown inside the assembler and caught at
/// the statement that caused it, where it becomes a <see cref="Diagnostic"/>; it never
/// reaches a caller of <see cref="Assembler.Assemble"/>.
/// </summary>
sealed class AsmException(int column, string message) : Exception(message)
{
    /// <summary>Column within the statement's text (1-based), 0 when unknown.</summary>
    public int Column { get; } = column;
}
