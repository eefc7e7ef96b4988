namespace Jit360.Machine.Devices.Consoles;

/// <summary>
/// A line-mode console (1052, 3215) as a program sees it from the operator's side: what the
/// guest printed, and a keyboard to type on. Every console device implements it, whether its
/// operator is a telnet client, the jit360 terminal, a scripted test or the Control Program.
/// Text is Latin-1; the device translates to and from EBCDIC (code page 037).
/// </summary>
public interface IConsoleEndpoint
{
    ushort Number { get; }
    string Type { get; }
    /// <summary>An operator is there (the integrated console always; a telnet console while a client is connected).</summary>
    bool Connected { get; }
    /// <summary>A READ is waiting for a line.</summary>
    bool ReadPending { get; }

    /// <summary>
    /// The operator enters a line. It satisfies a pending READ; with none pending it is kept for
    /// the next READ and the console presents attention (the 3215 REQUEST key), so the program
    /// knows to read.
    /// </summary>
    void SendLine(string line);

    /// <summary>
    /// The operator's interrupt (Hercules: Ctrl-C, telnet BREAK or IP): a pending READ ends with
    /// unit exception; with none pending the console presents attention and unit exception.
    /// </summary>
    void Interrupt();

    /// <summary>Waits until a READ is pending; true if one is.</summary>
    bool WaitForRead(TimeSpan timeout);

    /// <summary>Every printed line kept so far (the last one may be open).</summary>
    IReadOnlyList<string> Lines { get; }

    /// <summary>Text as the program prints it, '\n' ending lines ('\a' for the alarm).</summary>
    event Action<string>? TextWritten;
    /// <summary>Each printed line, when its carrier return comes.</summary>
    event Action<string>? LineWritten;
    /// <summary>The device's own messages to the operator (input prompts, clients connecting and leaving).</summary>
    event Action<string>? Message;

    /// <summary>
    /// Waits for a printed line that satisfies <paramref name="match"/>, expect-style: lines
    /// passed over are consumed, so each call looks only at output after the previous match.
    /// </summary>
    bool TryWaitForOutput(Func<string, bool> match, TimeSpan timeout, out string line);

    /// <summary>As <see cref="TryWaitForOutput"/>; a timeout throws with the last lines printed.</summary>
    string WaitForOutput(Func<string, bool> match, TimeSpan timeout);
}
