namespace Jit360.Machine.Devices.Consoles;

/// <summary>
/// A telnet client's keystrokes made into lines (Hercules recv_1052_data's rules): a line ends
/// with CR LF, CR NUL, a lone CR or a lone LF; backspace, DEL and telnet EC erase a character,
/// telnet EL the line; Ctrl-C, telnet BRK and IP are the operator's interrupt. A line longer
/// than the buffer is refused whole when it ends.
/// </summary>
public sealed class TelnetKeyboard(int maxLength)
{
    readonly List<byte> line = [];
    bool overflow, afterCr;

    public Action<byte[]>? Line;
    public Action? Overflowed;
    public Action? Interrupted;

    public void Data(byte b)
    {
        if (afterCr)
        {
            afterCr = false;
            if (b is 0 or (byte)'\n') return;
        }
        switch (b)
        {
            case (byte)'\r': afterCr = true; End(); return;
            case (byte)'\n': End(); return;
            case 0: return;
            case 0x08 or 0x7F: EraseCharacter(); return;
            case 0x03: Interrupt(); return;
        }
        if (line.Count >= maxLength) overflow = true;
        else line.Add(b);
    }

    public void Command(byte command)
    {
        switch (command)
        {
            case Telnet.EraseCharacter: EraseCharacter(); break;
            case Telnet.EraseLine: EraseLine(); break;
            case Telnet.Break or Telnet.InterruptProcess: Interrupt(); break;
        }
    }

    void EraseCharacter()
    {
        if (line.Count > 0 && !overflow) line.RemoveAt(line.Count - 1);
    }

    void EraseLine() { line.Clear(); overflow = false; }

    void Interrupt()
    {
        EraseLine();
        Interrupted?.Invoke();
    }

    void End()
    {
        bool over = overflow;
        var bytes = line.ToArray();
        EraseLine();
        if (over) Overflowed?.Invoke();
        else Line?.Invoke(bytes);
    }
}
