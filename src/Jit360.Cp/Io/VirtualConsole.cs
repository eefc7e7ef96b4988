using Jit360.Machine.Devices.Consoles;

namespace Jit360.Cp.Io;

/// <summary>
/// The virtual console (the directory's CONSOLE statement, a 3215): the ordinary line console
/// device whose paper is the user's terminal. CP hands it the lines the user types while the
/// guest runs (VM READ), so a READ with nothing typed simply waits. Instead of printing a prompt,
/// such a READ raises <see cref="ReadWaiting"/>: CP gives the guest a line only when it reads.
/// </summary>
public sealed class VirtualConsole(ushort number, string type, UserTerminal terminal) : LineConsole(number, type, prompt: true)
{
    public override bool Connected => true;
    protected override bool Print(string text) { terminal.Print(text); return true; }
    /// <summary>Called under the device's lock as a READ starts to wait: handlers must be quick and must not call the console.</summary>
    protected override void Solicit() => ReadWaiting?.Invoke();
    /// <summary>A READ is waiting for the user's line (raised on the device's thread).</summary>
    public event Action? ReadWaiting;
    public override string Describe() => $"virtual console of a CP user";
}
