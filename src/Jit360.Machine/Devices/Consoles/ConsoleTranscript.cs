using System.Text;

namespace Jit360.Machine.Devices.Consoles;

/// <summary>
/// The paper of a line-mode console: every line the program printed, the last one possibly
/// still open (written without carrier return). A reader waits for lines expect-style: each
/// wait consumes the lines it passes over, so the same prompt printed twice is seen twice.
/// </summary>
public sealed class ConsoleTranscript
{
    /// <summary>Lines kept; older ones are dropped so a long-running system does not grow without bound.</summary>
    public const int MaxLines = 10000;

    readonly object gate = new();
    readonly List<string> lines = [];
    readonly StringBuilder open = new();
    bool lastOpen;
    int cursor;

    /// <summary>Raised (outside the lock) with each line as it is completed.</summary>
    public event Action<string>? LineCompleted;

    /// <summary>Every line kept, the last possibly open.</summary>
    public IReadOnlyList<string> Lines { get { lock (gate) return lines.ToList(); } }

    /// <summary>Printed text: '\n' ends a line; carrier returns and alarms move nothing on paper that a reader sees.</summary>
    public void Write(string text)
    {
        List<string>? completed = null;
        lock (gate)
        {
            foreach (char c in text)
            {
                if (c is '\r' or '\a') continue;
                if (!lastOpen) { lines.Add(""); open.Clear(); lastOpen = true; }
                if (c == '\n')
                {
                    lines[^1] = open.ToString();
                    lastOpen = false;
                    (completed ??= []).Add(lines[^1]);
                }
                else open.Append(c);
            }
            if (lastOpen) lines[^1] = open.ToString();
            if (lines.Count > MaxLines)
            {
                int drop = lines.Count - MaxLines + MaxLines / 10;
                lines.RemoveRange(0, drop);
                cursor = Math.Max(0, cursor - drop);
            }
            Monitor.PulseAll(gate);
        }
        if (completed != null && LineCompleted is { } handler)
            foreach (var l in completed) handler(l);
    }

    /// <summary>
    /// Waits until a line not yet consumed satisfies <paramref name="match"/> (an open line is
    /// tested too, so a prompt written without carrier return can be waited for); consumes it
    /// and every complete line before it.
    /// </summary>
    public bool TryWait(Func<string, bool> match, TimeSpan timeout, out string line)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (gate)
        {
            while (true)
            {
                for (int i = cursor; i < lines.Count; i++)
                {
                    bool complete = i < lines.Count - 1 || !lastOpen;
                    if (match(lines[i])) { cursor = i + 1; line = lines[i]; return true; }
                    if (complete) cursor = i + 1;
                }
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) { line = ""; return false; }
                Monitor.Wait(gate, left);
            }
        }
    }

    /// <summary>The last lines, for a failure message.</summary>
    public string Tail(int count = 20)
    {
        lock (gate) return string.Join("\n", lines.Skip(Math.Max(0, lines.Count - count)));
    }
}
