using Jit360.Machine.Devices.Consoles;

namespace Jit360.Cp.Io;

/// <summary>
/// The virtual console (the directory's CONSOLE statement, a 3215): the ordinary line console
/// device whose paper is the user's terminal. CP hands it the lines the user types while the
/// guest runs (VM READ), so a READ with nothing typed simply waits.
/// </summary>
public sealed class VirtualConsole(ushort number, string type, UserTerminal terminal) : LineConsole(number, type, prompt: false)
{
    public override bool Connected => true;
    protected override bool Print(string text) { terminal.Print(text); return true; }
    protected override void Solicit() { }
    public override string Describe() => $"virtual console of a CP user";
}
