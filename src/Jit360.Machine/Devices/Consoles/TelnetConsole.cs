using System.Net;
using System.Text;

namespace Jit360.Machine.Devices.Consoles;

/// <summary>
/// A 1052 / 3215 whose operator is a telnet client of the machine's console port (Hercules
/// console.c). Hercules' arguments: <c>[noprompt] [group|*] [ipaddr [mask]]</c>: a client names
/// the group (or the device number) after '@' in its terminal type; only clients whose address
/// masked by <c>mask</c> equals <c>ipaddr</c> may connect. Without a client the device is not
/// ready: commands other than sense get unit check with intervention required.
/// </summary>
public sealed class TelnetConsole : LineConsole
{
    readonly TelnetConsoleServer server;
    volatile TelnetSession? session;

    /// <summary>The group a client names to reach this console ('@group' in its terminal type); null for none.</summary>
    public string? Group { get; }
    public IPAddress? AllowedAddress { get; }
    public IPAddress? AllowedMask { get; }
    public TelnetConsoleServer Server => server;

    public TelnetConsole(ushort number, string type, bool prompt, string? group, IPAddress? address, IPAddress? mask, TelnetConsoleServer server)
        : base(number, type, prompt)
    {
        Group = group;
        AllowedAddress = address;
        AllowedMask = mask;
        this.server = server;
        server.Add(this);
    }

    public override bool Connected => session != null;

    /// <summary>The client's address, when one is connected.</summary>
    public IPAddress? ClientAddress => session?.Address;

    /// <summary>Hercules: <c>(client &amp; mask) == ipaddr</c>.</summary>
    internal bool Admits(IPAddress client)
    {
        if (AllowedAddress == null) return true;
        var c = client.GetAddressBytes();
        var a = AllowedAddress.GetAddressBytes();
        var m = (AllowedMask ?? IPAddress.Broadcast).GetAddressBytes();
        if (c.Length != a.Length || m.Length != a.Length) return false;
        for (int i = 0; i < c.Length; i++) if ((c[i] & m[i]) != a[i]) return false;
        return true;
    }

    /// <summary>Takes the client if free (called by the server under its lock); true if taken.</summary>
    internal bool TryAttach(TelnetSession s)
    {
        lock (Gate)
        {
            if (session != null) return false;
            session = s;
        }
        return true;
    }

    /// <summary>The client is now this console's operator: device end is presented as Hercules does.</summary>
    internal void Attached(TelnetSession s)
    {
        TerminalChanged(true);
        Tell($"HHCTE009I Client {s.Address} connected to {Type} device {Number:X4}");
    }

    internal void Detach(TelnetSession s)
    {
        lock (Gate)
        {
            if (session != s) return;
            session = null;
        }
        TerminalChanged(false);
        Tell($"HHCTE008I Device {Number:X4} connection closed by client {s.Address}");
    }

    /// <summary>A line the client typed (bytes as sent, UTF-8 or ASCII).</summary>
    internal void Typed(byte[] bytes) => Enter(ConsoleText.ToGuest(Encoding.UTF8.GetString(bytes), BufferLength));
    internal void TypedTooMuch() => Overflow();

    protected override bool Print(string text) => session?.Send(text) ?? false;

    // Hercules' prompt on the client's terminal.
    protected override void Solicit() => session?.Send($"HHCTE006A Enter input for console device {Number:X4}\n");

    public override string Describe()
    {
        var s = session;
        if (s != null) return $"{s.Address}{(Prompt ? "" : " noprompt")}";
        var parts = new List<string>();
        if (Group != null) parts.Add($"GROUP={Group}");
        if (!Prompt) parts.Add("noprompt");
        if (AllowedAddress != null) parts.Add($"{AllowedAddress} mask {AllowedMask ?? IPAddress.Broadcast}");
        parts.Add($"port {server.Port}");
        return string.Join(' ', parts);
    }

    public override void Dispose()
    {
        server.Remove(this);
        session?.CloseAfter($"Device {Number:X4} detached\n");
        base.Dispose();
    }
}
