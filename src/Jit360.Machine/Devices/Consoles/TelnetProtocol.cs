namespace Jit360.Machine.Devices.Consoles;

/// <summary>Telnet command and option codes (RFC 854, 855; terminal type RFC 1091; echo RFC 857; suppress go-ahead RFC 858).</summary>
public static class Telnet
{
    public const byte Se = 240, Nop = 241, DataMark = 242, Break = 243, InterruptProcess = 244, AbortOutput = 245,
        AreYouThere = 246, EraseCharacter = 247, EraseLine = 248, GoAhead = 249, Sb = 250,
        Will = 251, Wont = 252, Do = 253, Dont = 254, Iac = 255;

    public const byte OptionEcho = 1, OptionSuppressGoAhead = 3, OptionTerminalType = 24;
    /// <summary>Terminal-type subnegotiation: IS and SEND (RFC 1091).</summary>
    public const byte Is = 0, Send = 1;
}

/// <summary>
/// Splits a telnet byte stream into data bytes, commands, option requests and subnegotiations
/// (RFC 854 "The Network Virtual Terminal", RFC 855). Any byte sequence is accepted: a
/// malformed one ends as data or is dropped; subnegotiations are cut at <see cref="MaxSubnegotiation"/>.
/// </summary>
public sealed class TelnetParser
{
    public const int MaxSubnegotiation = 256;

    enum State { Data, Iac, Option, Sub, SubIac }

    State state;
    byte verb;
    readonly List<byte> sub = [];

    public Action<byte>? Data;
    /// <summary>A two-byte command (IAC BRK, IAC IP, IAC EC, IAC EL, IAC AYT, ...).</summary>
    public Action<byte>? Command;
    /// <summary>An option request: verb (WILL, WONT, DO, DONT) and option.</summary>
    public Action<byte, byte>? Option;
    /// <summary>A subnegotiation's bytes between IAC SB and IAC SE (IAC IAC undoubled).</summary>
    public Action<byte[]>? Subnegotiation;

    public void Feed(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes) Feed(b);
    }

    public void Feed(byte b)
    {
        switch (state)
        {
            case State.Data:
                if (b == Telnet.Iac) state = State.Iac; else Data?.Invoke(b);
                break;
            case State.Iac:
                if (b == Telnet.Iac) { state = State.Data; Data?.Invoke(b); }
                else if (b is Telnet.Will or Telnet.Wont or Telnet.Do or Telnet.Dont) { verb = b; state = State.Option; }
                else if (b == Telnet.Sb) { sub.Clear(); state = State.Sub; }
                else { state = State.Data; Command?.Invoke(b); }
                break;
            case State.Option:
                state = State.Data;
                Option?.Invoke(verb, b);
                break;
            case State.Sub:
                if (b == Telnet.Iac) state = State.SubIac;
                else if (sub.Count < MaxSubnegotiation) sub.Add(b);
                break;
            case State.SubIac:
                if (b == Telnet.Se) { state = State.Data; Subnegotiation?.Invoke(sub.ToArray()); }
                else if (b == Telnet.Iac) { state = State.Sub; if (sub.Count < MaxSubnegotiation) sub.Add(b); }
                // IAC followed by anything else inside a subnegotiation: RFC 855 leaves it undefined; keep collecting.
                else state = State.Sub;
                break;
        }
    }
}
