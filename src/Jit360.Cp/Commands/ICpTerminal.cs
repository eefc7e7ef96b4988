namespace Jit360.Cp.Commands;

/// <summary>Where CP writes a session's responses and messages (a 3215, a 3270 line-mode screen, a test's list).</summary>
public interface ICpTerminal
{
    void Write(string line);
}

/// <summary>A terminal that keeps every line (tests, DIAGNOSE X'08' response buffers).</summary>
public sealed class CapturingTerminal : ICpTerminal
{
    public List<string> Lines { get; } = [];
    public void Write(string line) => Lines.Add(line);
}
