namespace Jit360.Machine.Devices.Consoles;

/// <summary>
/// The 1052-C / 3215-C: a console on the operator's own terminal (Hercules con1052c.c). It is
/// always ready; what the program prints goes to <see cref="IConsoleEndpoint.TextWritten"/>, and
/// the operator's panel hands it the lines typed with its <see cref="Prefix"/> ("/" unless the
/// device statement names another).
/// </summary>
public sealed class IntegratedConsole(ushort number, string type, string prefix, bool prompt) : LineConsole(number, type, prompt)
{
    public const string DefaultPrefix = "/";

    /// <summary>What starts a line meant for this console on the panel.</summary>
    public string Prefix { get; } = prefix;

    public override bool Connected => true;

    protected override bool Print(string text) => true;

    // Hercules' message for the integrated console's prompt.
    protected override void Solicit() => Tell($"HHC1C001A Enter input for console device {Number:X4}");

    public override string Describe() => $"*syscons cmdpref({Prefix}){(Prompt ? "" : " noprompt")}";
}
