namespace Jit360.Cp.Messages;

/// <summary>
/// A CP message in the VM/370 form DMKmmmnnns: module (3 letters), number, severity (I
/// information, W warning, E error, A action), then the text, in which {0}, {1}, ... stand for
/// the variable parts. <see cref="Confirmed"/> says whether the id and text were checked against
/// the VM/370 R6 manuals (System Messages, CP Command Reference, Operator's Guide).
/// </summary>
public sealed record CpMessage(string Module, int Number, char Severity, string Text, bool Confirmed)
{
    public string Id => $"DMK{Module}{Number:D3}{Severity}";

    /// <summary>The message as SET EMSG shows it: ON both, CODE the id only, TEXT the text only, OFF nothing (null).</summary>
    public string? Format(EmsgMode mode, params object[] args)
    {
        string text = args.Length == 0 ? Text : string.Format(System.Globalization.CultureInfo.InvariantCulture, Text, args);
        return mode switch
        {
            EmsgMode.On => $"{Id} {text}",
            EmsgMode.Code => Id,
            EmsgMode.Text => text,
            _ => null,
        };
    }

    public override string ToString() => $"{Id} {Text}";
}

/// <summary>SET EMSG: how error messages are shown.</summary>
public enum EmsgMode { On, Off, Code, Text }
