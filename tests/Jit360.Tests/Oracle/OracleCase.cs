using System.Text;
using System.Text.Json;

namespace Jit360.Tests.Oracle;

/// <summary>
/// One generated test case in the layout both oracle harnesses use (../shared/oracle/README.md):
/// code at C = 0x100000, a data window at W = 0x200000, E = the end of the code. The harness
/// branches from E to its epilogue; our interpreter stops when it reaches E.
/// </summary>
public sealed class OracleCase
{
    public const uint CodeAddress = 0x100000;
    public const uint WindowAddress = 0x200000;
    public const int WindowSize = 512;
    /// <summary>Storage of the machine that replays a case: 4 MiB, as the Hercules harness's MAINSIZE.</summary>
    public const uint StorageSize = 0x400000;

    public required string Name { get; init; }
    public required byte[] Code { get; init; }
    public uint[] Gpr { get; } = new uint[16];
    /// <summary>Floating-point registers by number (0, 2, 4, 6 used).</summary>
    public ulong[] Fpr { get; } = new ulong[8];
    public byte[] Window { get; } = new byte[WindowSize];
    public int Cc { get; set; }
    public int Pm { get; set; }
    public bool Supervisor { get; set; }
    public int Key { get; set; }
    public byte SystemMask { get; set; }
    /// <summary>The mnemonics in the code (and of an EXECUTE target), for reports.</summary>
    public List<string> Mnemonics { get; } = [];

    public uint End => CodeAddress + (uint)Code.Length;

    /// <summary>The case as one JSON line for s360oracle.py / h370oracle.py --batch.</summary>
    public string ToJson(bool hercules)
    {
        var d = new Dictionary<string, object>
        {
            ["name"] = Name,
            ["code"] = Convert.ToHexString(Code),
            ["regs"] = Enumerable.Range(0, 16).ToDictionary(r => r.ToString(), r => $"0x{Gpr[r]:x}"),
            ["fprs"] = new[] { 0, 2, 4, 6 }.ToDictionary(r => r.ToString(), r => $"0x{Fpr[r]:x}"),
            ["mem"] = new[] { new[] { "0", Convert.ToHexString(Window) } },
            ["cc"] = Cc,
            ["pm"] = Pm,
            ["window"] = WindowSize,
        };
        if (hercules)
        {
            d["state"] = Supervisor ? "supervisor" : "problem";
            d["key"] = Key;
            d["sysmask"] = SystemMask;
        }
        return JsonSerializer.Serialize(d);
    }

    /// <summary>The BC-mode PSW the case starts with (GA22-7000 "Program-Status Word").</summary>
    public ulong Psw => (ulong)SystemMask << 56 | (ulong)(Key & 0xF) << 52 | (Supervisor ? 0UL : 1UL << 48)
                      | (ulong)(Cc & 3) << 28 | (ulong)(Pm & 0xF) << 24 | CodeAddress;

    public override string ToString()
    {
        var sb = new StringBuilder($"{Name} [{string.Join(' ', Mnemonics)}] code {Convert.ToHexString(Code)}");
        return sb.ToString();
    }
}
