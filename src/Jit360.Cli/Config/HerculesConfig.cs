using System.Globalization;
using Jit360.Architecture;

namespace Jit360.Cli.Config;

/// <summary>A device statement (<c>devnum devtype [arguments]</c>), kept for the I/O configuration.</summary>
public sealed record DeviceStatement(int Line, IReadOnlyList<ushort> Numbers, string Type, IReadOnlyList<string> Arguments);

/// <summary>
/// A Hercules-style configuration file (Hercules' grammar: one statement per line, keyword
/// then operands, <c>#</c> or <c>*</c> comments). Jit360 acts on MAINSIZE, ARCHLVL/ARCHMODE
/// and NUMCPU; the other system statements real configurations carry are accepted and kept;
/// device statements are kept for the channel subsystem. Anything else is an error naming
/// the file and line.
/// </summary>
public sealed class HerculesConfig
{
    public string File { get; }
    /// <summary>Main storage in bytes (MAINSIZE is in megabytes, or with a K/M suffix).</summary>
    public uint MainSize { get; private set; } = 1 << 20;
    public ArchLevel Level { get; private set; } = ArchLevel.S370;
    public int NumCpu { get; private set; } = 1;
    /// <summary>System statements accepted as written (keyword upper case, operands verbatim).</summary>
    public IReadOnlyDictionary<string, string> Settings => settings;
    public IReadOnlyList<DeviceStatement> Devices => devices;

    readonly Dictionary<string, string> settings = new(StringComparer.OrdinalIgnoreCase);
    readonly List<DeviceStatement> devices = [];

    /// <summary>Statements of Hercules configurations that do not change what Jit360 simulates (consoles, priorities, identification).</summary>
    static readonly HashSet<string> Recorded = new(StringComparer.OrdinalIgnoreCase)
    {
        "CPUSERIAL", "CPUMODEL", "CPUVERID", "CNSLPORT", "PANRATE", "CPUPRIO", "TODPRIO", "DEVPRIO",
        "HERCPRIO", "LPARNAME", "LOADPARM", "MODEL", "PLANT", "MANUFACTURER", "OSTAILOR", "SYSEPOCH",
        "YROFFSET", "TZOFFSET", "TIMERINT", "HTTPPORT", "HTTPROOT", "CODEPAGE", "LEGACYSENSEID",
        "DIAG8CMD", "SHCMDOPT", "ECPSVM", "PGMPRDOS", "XPNDSIZE", "MOUNTED_TAPE_REINIT", "AUTO_SCSI_MOUNT",
        "LOGOPT", "PANTITLE", "MAXCPU", "ENGINES", "IODELAY", "TRACEOPT", "CONKPALV", "SCPIMPLY",
    };

    HerculesConfig(string file) => File = file;

    public static HerculesConfig Load(string path)
    {
        string text;
        try { text = System.IO.File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new ConfigError(path, 0, $"cannot read configuration: {e.Message}"); }
        return Parse(text, path);
    }

    public static HerculesConfig Parse(string text, string file)
    {
        var c = new HerculesConfig(file);
        int lineNo = 0, storageLine = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var words = Words(raw);
            if (words.Count == 0) continue;
            string key = words[0];
            var ops = words.Skip(1).ToList();
            switch (key.ToUpperInvariant())
            {
                case "MAINSIZE":
                    c.MainSize = ParseMainSize(One(ops, file, lineNo, key), file, lineNo);
                    storageLine = lineNo;
                    break;
                case "ARCHLVL" or "ARCHMODE":
                    c.Level = ParseLevel(One(ops, file, lineNo, key), file, lineNo);
                    break;
                case "NUMCPU":
                {
                    string n = One(ops, file, lineNo, key);
                    if (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int cpus) || cpus < 1)
                        throw new ConfigError(file, lineNo, $"NUMCPU {n}: not a number of CPUs");
                    if (cpus != 1)
                        throw new ConfigError(file, lineNo, $"NUMCPU {cpus}: only one CPU is supported");
                    c.NumCpu = cpus;
                    break;
                }
                default:
                    if (Recorded.Contains(key)) c.settings[key.ToUpperInvariant()] = string.Join(' ', ops);
                    else if (TryDeviceNumbers(key, out var numbers))
                    {
                        if (ops.Count == 0) throw new ConfigError(file, lineNo, $"device {key}: device type missing");
                        c.devices.Add(new DeviceStatement(lineNo, numbers, ops[0].ToUpperInvariant(), ops.Skip(1).ToList()));
                    }
                    else throw new ConfigError(file, lineNo, $"unknown statement {key}");
                    break;
            }
        }
        // 24-bit addressing reaches 16M; only the Model 67's 32-bit mode addresses more.
        if (c.Level != ArchLevel.S360_67 && c.MainSize > 16u << 20)
            throw new ConfigError(file, storageLine, $"MAINSIZE {c.MainSize >> 20}M: {c.Level.Name()} addresses at most 16M");
        return c;
    }

    /// <summary>The line split into words, with comments removed (a <c>#</c> anywhere, a <c>*</c> at the start).</summary>
    static List<string> Words(string line)
    {
        int hash = line.IndexOf('#');
        if (hash >= 0) line = line[..hash];
        line = line.Trim();
        if (line.StartsWith('*')) return [];
        return line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    static string One(List<string> ops, string file, int line, string key)
    {
        if (ops.Count != 1) throw new ConfigError(file, line, $"{key.ToUpperInvariant()} takes one operand, found {ops.Count}");
        return ops[0];
    }

    static uint ParseMainSize(string s, string file, int line)
    {
        // Hercules 3.13 takes megabytes; later versions accept a K/M/G suffix, which real S/360 configurations use for small storage.
        ulong unit = 1 << 20;
        string digits = s;
        char last = char.ToUpperInvariant(s[^1]);
        if (last is 'K' or 'M' or 'G') { unit = last switch { 'K' => 1UL << 10, 'M' => 1UL << 20, _ => 1UL << 30 }; digits = s[..^1]; }
        if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) || n == 0)
            throw new ConfigError(file, line, $"MAINSIZE {s}: not a storage size (megabytes, or a number with K or M)");
        ulong bytes = n * unit;
        if (n > (1UL << 32) || bytes > 2047UL << 20)
            throw new ConfigError(file, line, $"MAINSIZE {s}: more storage than Jit360 supports (2047M)");
        if (bytes % 2048 != 0)
            throw new ConfigError(file, line, $"MAINSIZE {s}: storage must be a multiple of 2K");
        return (uint)bytes;
    }

    static ArchLevel ParseLevel(string s, string file, int line)
    {
        if (ArchLevels.TryParse(s, out var level)) return level;
        string u = s.ToUpperInvariant();
        if (u is "ESA/390" or "ESA390" or "390" or "Z/ARCH" or "ZARCH" or "ESAME" or "S/390" or "Z")
            throw new ConfigError(file, line, $"ARCHLVL {s}: Jit360 simulates S/360, S/360-67 and S/370 only");
        throw new ConfigError(file, line, $"ARCHLVL {s}: unknown architecture (S/360, S/360-67 or S/370)");
    }

    /// <summary>Hercules device numbers: <c>000C</c>, <c>0120-0123</c>, <c>0120.4</c>, or comma-separated lists of those.</summary>
    static bool TryDeviceNumbers(string word, out IReadOnlyList<ushort> numbers)
    {
        var list = new List<ushort>();
        numbers = list;
        foreach (var part in word.Split(','))
        {
            int dash = part.IndexOf('-'), dot = part.IndexOf('.');
            if (dash > 0)
            {
                if (!Hex(part[..dash], out ushort a) || !Hex(part[(dash + 1)..], out ushort b) || b < a) return false;
                for (int d = a; d <= b; d++) list.Add((ushort)d);
            }
            else if (dot > 0)
            {
                if (!Hex(part[..dot], out ushort a) || !int.TryParse(part[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
                    || count < 1 || a + count - 1 > 0xFFFF) return false;
                for (int d = 0; d < count; d++) list.Add((ushort)(a + d));
            }
            else if (Hex(part, out ushort a)) list.Add(a);
            else return false;
        }
        return list.Count > 0;
    }

    static bool Hex(string s, out ushort v) { v = 0; return s.Length is >= 1 and <= 4 && ushort.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out v); }
}
