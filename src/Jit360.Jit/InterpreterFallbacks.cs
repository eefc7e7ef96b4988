using Jit360.Architecture;

namespace Jit360.Jit;

/// <summary>
/// Interpreter fallbacks: every instruction the JIT engine runs through the interpreter's
/// handlers from its own interpreting loop (<c>JitEngine.Interpret</c>) instead of in translated
/// code, counted by opcode when it
/// starts, whether it completes or ends in a program interruption. That is code below the hot
/// threshold, instructions no region can hold (not decodable or not fetchable at discovery,
/// patched in place while translated, see <see cref="BlockCache.PatchBytes"/>), a region's first
/// basic block that does not fit the instructions left, and everything while a store observer
/// is attached. Not counted: instructions translated code runs through their interpreter
/// handler (they are part of a region), the instruction an EX executes (counted as EX), and
/// interruptions. The cost on the interpreting path is one array increment per instruction;
/// mnemonics are looked up only when the counts are read.
/// </summary>
public sealed class InterpreterFallbacks
{
    /// <summary>The architecture level the opcodes are decoded at (set when the engine attaches to a CPU).</summary>
    public ArchLevel Level
    {
        get => level;
        set
        {
            level = value;
            for (int b = 0; b < 256; b++) twoByte[b] = OpcodeTable.IsTwoByteOpcode(level, (byte)b);
        }
    }

    ArchLevel level;
    readonly long[] byFirst = new long[256];
    // Two-byte opcodes (B2xx on S/370...): counted by their second byte as well, allocated when first seen.
    readonly long[]?[] bySecond = new long[]?[256];
    readonly bool[] twoByte = new bool[256];

    public InterpreterFallbacks() => Level = ArchLevel.S370;

    /// <summary>Counts an instruction by its first two bytes (the second matters only for two-byte opcodes).</summary>
    public void Count(byte first, byte second)
    {
        if (!twoByte[first]) byFirst[first]++;
        else (bySecond[first] ??= new long[256])[second]++;
    }

    /// <summary>Counts the instruction at <paramref name="ia"/> whose first byte is <paramref name="first"/> (the byte after it is read, if there is one, for two-byte opcodes).</summary>
    public void Count(byte first, byte[] storage, uint ia)
        => Count(first, ia + 1 < (uint)storage.Length ? storage[ia + 1] : (byte)0);

    public long Total => byFirst.Sum() + bySecond.Sum(a => a?.Sum() ?? 0);

    /// <summary>Counts by mnemonic (undecodable opcodes as X'xx' or X'xxxx'), most frequent first.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> ByMnemonic()
    {
        var d = new Dictionary<string, long>();
        void Add(byte first, byte second, bool two, long n)
        {
            if (n == 0) return;
            string name = OpcodeTable.Decode(Level, first, second)?.Mnemonic ?? (two ? $"X'{first:X2}{second:X2}'" : $"X'{first:X2}'");
            d[name] = d.GetValueOrDefault(name) + n;
        }
        for (int f = 0; f < 256; f++)
        {
            Add((byte)f, 0, false, byFirst[f]);
            if (bySecond[f] is { } s)
                for (int t = 0; t < 256; t++) Add((byte)f, (byte)t, true, s[t]);
        }
        return d.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
    }
}
