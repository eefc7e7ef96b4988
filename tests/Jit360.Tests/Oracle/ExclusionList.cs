namespace Jit360.Tests.Oracle;

/// <summary>
/// exclusions.txt: the oracles' own bugs and limits, one line each with the reason. The
/// generator never produces an excluded mnemonic for that oracle, and consults the behaviour
/// lines by name, so deleting a line lifts the exclusion.
/// </summary>
public sealed class ExclusionList
{
    /// <summary>Every behaviour key the code consults; a line with any other key is an error.</summary>
    public static readonly string[] KnownBehaviours =
    [
        "qemu fixed-point-overflow-interrupt", "qemu odd-fpr", "qemu svc", "qemu low-storage",
        "qemu store-into-code", "qemu tr-cc", "qemu clc-fault-cc", "qemu ts-bits-8-15", "qemu ex-odd-target",
        "hercules io", "hercules ex-target-ilc", "hercules external-enable",
        "hercules unordered-operand-exceptions", "hercules edit-termination",
    ];

    readonly HashSet<string> behaviours = [];
    readonly Dictionary<string, HashSet<string>> ops = new() { ["qemu"] = [], ["hercules"] = [] };
    public List<string> Errors { get; } = [];

    public static string DefaultPath => Path.Combine(Support.Shared.RepositoryRoot, "tests", "Jit360.Tests", "Oracle", "exclusions.txt");

    public static ExclusionList Load(string? path = null)
    {
        var list = new ExclusionList();
        int n = 0;
        foreach (var raw in File.ReadAllLines(path ?? DefaultPath))
        {
            n++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3) { list.Errors.Add($"exclusions.txt:{n}: needs '<oracle> <key> <reason>'"); continue; }
            if (!list.ops.TryGetValue(parts[0], out var set)) { list.Errors.Add($"exclusions.txt:{n}: unknown oracle '{parts[0]}'"); continue; }
            if (parts[1].StartsWith("op:"))
            {
                foreach (var m in parts[1][3..].Split(','))
                    if (Jit360.Architecture.OpcodeTable.All.Any(o => o.Mnemonic == m)) set.Add(m);
                    else list.Errors.Add($"exclusions.txt:{n}: no mnemonic {m} in the opcode table");
            }
            else
            {
                string key = parts[0] + " " + parts[1];
                if (!KnownBehaviours.Contains(key)) list.Errors.Add($"exclusions.txt:{n}: no code consults '{key}'");
                list.behaviours.Add(key);
            }
        }
        return list;
    }

    public bool ExcludesOp(string oracle, string mnemonic) => ops[oracle].Contains(mnemonic);

    public bool Has(string oracle, string behaviour) => behaviours.Contains(oracle + " " + behaviour);
}
