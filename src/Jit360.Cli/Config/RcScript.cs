using System.Globalization;

namespace Jit360.Cli.Config;

/// <summary>One command of an rc script: its line, the command word (lower case) and its operands.</summary>
public sealed record RcCommand(int Line, string Verb, IReadOnlyList<string> Operands);

/// <summary>
/// A Hercules rc script: panel commands run in order at start-up. Jit360 understands
/// <c>loadcore FILE [ADDR]</c>, <c>psw [ia= sm= pk= cmwp= cc= pm=]</c>, <c>r</c> (display or
/// alter storage), <c>gpr</c> (display or alter), <c>start</c>, <c>stop</c>, <c>ipl DEVNUM</c>,
/// <c>devlist</c>, <c>attach DEVNUM TYPE [ARGS...]</c>, <c>detach DEVNUM</c>, <c>pause N</c> and <c>quit</c>;
/// <c>#</c> starts a comment. Every command is checked when the script is read, so a mistake
/// on line 9 is reported before line 1 runs.
/// </summary>
public sealed class RcScript
{
    public string File { get; }
    public IReadOnlyList<RcCommand> Commands { get; }

    RcScript(string file, List<RcCommand> commands) { File = file; Commands = commands; }

    /// <summary>The operand keywords of the psw command (Hercules' names).</summary>
    public static readonly string[] PswFields = ["sm", "pk", "cmwp", "cc", "pm", "ia"];

    public static RcScript Load(string path)
    {
        string text;
        try { text = System.IO.File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new ConfigError(path, 0, $"cannot read rc script: {e.Message}"); }
        return Parse(text, path);
    }

    public static RcScript Parse(string text, string file)
    {
        var list = new List<RcCommand>();
        int lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith('*')) continue;
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var cmd = new RcCommand(lineNo, words[0].ToLowerInvariant(), words.Skip(1).ToList());
            Check(cmd, file);
            list.Add(cmd);
        }
        return new RcScript(file, list);
    }

    static void Check(RcCommand c, string file)
    {
        var ops = c.Operands;
        ConfigError Bad(string why) => new(file, c.Line, $"{c.Verb}: {why}");
        switch (c.Verb)
        {
            case "loadcore":
                if (ops.Count is < 1 or > 2) throw Bad("usage: loadcore FILE [ADDRESS]");
                if (ops.Count == 2 && !TryHex(ops[1], out _)) throw Bad($"address {ops[1]} is not hexadecimal");
                break;
            case "psw":
                var seen = new HashSet<string>();
                foreach (var op in ops)
                {
                    int eq = op.IndexOf('=');
                    string key = eq > 0 ? op[..eq].ToLowerInvariant() : op;
                    if (eq <= 0 || !PswFields.Contains(key)) throw Bad($"{op}: expected one of {string.Join("= ", PswFields)}=");
                    if (!seen.Add(key)) throw Bad($"{key}= given twice");
                    if (!TryHex(op[(eq + 1)..], out ulong v)) throw Bad($"{op}: value is not hexadecimal");
                    ulong max = key switch { "sm" => 0xFF, "pk" or "cmwp" or "pm" => 0xF, "cc" => 3, _ => 0xFFFF_FFFF };
                    if (v > max) throw Bad($"{op}: value larger than {max:X}");
                }
                break;
            case "r":
                if (ops.Count != 1) throw Bad("usage: r ADDR[.LEN] | r ADDR-END | r ADDR=HEXBYTES");
                if (!TryStorageOperand(ops[0], out _, out _, out _)) throw Bad($"{ops[0]}: expected ADDR[.LEN], ADDR-END or ADDR=HEXBYTES (hexadecimal)");
                break;
            case "gpr":
                if (ops.Count > 1) throw Bad("usage: gpr [N=VALUE]");
                if (ops.Count == 1 && !TryGprAlter(ops[0], out _, out _)) throw Bad($"{ops[0]}: expected N=VALUE, N 0-15 decimal or hex, VALUE hexadecimal");
                break;
            case "start" or "stop" or "quit" or "devlist":
                if (ops.Count != 0) throw Bad("takes no operands");
                break;
            case "ipl" or "detach":
                if (ops.Count != 1) throw Bad($"usage: {c.Verb} DEVNUM");
                if (!TryDeviceNumber(ops[0], out _)) throw Bad($"{ops[0]} is not a device number (1-4 hexadecimal digits)");
                break;
            case "attach":
                if (ops.Count < 2) throw Bad("usage: attach DEVNUM TYPE [ARGUMENTS...]");
                if (!TryDeviceNumber(ops[0], out _)) throw Bad($"{ops[0]} is not a device number (1-4 hexadecimal digits)");
                break;
            case "pause":
                if (ops.Count != 1 || !double.TryParse(ops[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double s) || s < 0)
                    throw Bad("usage: pause SECONDS");
                break;
            default:
                throw new ConfigError(file, c.Line, $"unknown command {c.Verb}");
        }
    }

    /// <summary>A device number as Hercules writes it: 1-4 hexadecimal digits.</summary>
    public static bool TryDeviceNumber(string s, out ushort number)
    {
        number = 0;
        if (s.Length is < 1 or > 4 || !TryHex(s, out ulong v)) return false;
        number = (ushort)v;
        return true;
    }

    public static bool TryHex(string s, out ulong v)
    {
        v = 0;
        return s.Length is >= 1 and <= 16 && ulong.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out v);
    }

    /// <summary>
    /// Parses the operand of <c>r</c>: <c>ADDR</c>, <c>ADDR.LEN</c>, <c>ADDR-END</c> (display) or
    /// <c>ADDR=HEXBYTES</c> (alter). Returns the bytes to store in <paramref name="alter"/> (null to display).
    /// </summary>
    public static bool TryStorageOperand(string op, out uint address, out uint length, out byte[]? alter)
    {
        address = 0; length = 64; alter = null;
        int eq = op.IndexOf('=');
        if (eq > 0)
        {
            string hex = op[(eq + 1)..];
            if (!TryHex(op[..eq], out ulong a) || a > uint.MaxValue || hex.Length == 0 || hex.Length % 2 != 0) return false;
            try { alter = Convert.FromHexString(hex); } catch (FormatException) { return false; }
            address = (uint)a; length = (uint)alter.Length;
            return true;
        }
        int dot = op.IndexOf('.'), dash = op.IndexOf('-');
        string first = dot > 0 ? op[..dot] : dash > 0 ? op[..dash] : op;
        if (!TryHex(first, out ulong start) || start > uint.MaxValue) return false;
        address = (uint)start;
        if (dot > 0)
        {
            if (!TryHex(op[(dot + 1)..], out ulong len) || len == 0 || len > 0x10000) return false;
            length = (uint)len;
        }
        else if (dash > 0)
        {
            if (!TryHex(op[(dash + 1)..], out ulong end) || end < start || end - start >= 0x10000) return false;
            length = (uint)(end - start + 1);
        }
        return true;
    }

    public static bool TryGprAlter(string op, out int register, out uint value)
    {
        register = 0; value = 0;
        int eq = op.IndexOf('=');
        if (eq <= 0) return false;
        string r = op[..eq];
        if (!int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out register) &&
            !int.TryParse(r, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out register)) return false;
        if (register is < 0 or > 15) return false;
        if (!TryHex(op[(eq + 1)..], out ulong v) || v > uint.MaxValue) return false;
        value = (uint)v;
        return true;
    }
}
