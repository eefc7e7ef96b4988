using System.Globalization;
using System.Text.Json;
using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Cli.Vectors;

/// <summary>A malformed vector line: the message names the file and line.</summary>
public sealed class VectorFormatException(string message) : Exception(message);

/// <summary>A run of bytes at an address (initial storage or expected storage).</summary>
public readonly record struct StorageRun(uint Address, byte[] Bytes);

/// <summary>What must hold after a case has run (tests/vectors/README.md). Null: not checked beyond the unchanged rule.</summary>
public sealed class VectorExpectation
{
    public SortedDictionary<int, uint> Gpr { get; } = new();
    public SortedDictionary<int, ulong> Fpr { get; } = new();
    public List<StorageRun> Storage { get; } = new();
    public SortedDictionary<uint, byte> Keys { get; } = new();
    public int? Cc { get; set; }
    public ulong? Psw { get; set; }
    public InterruptClass? InterruptClass { get; set; }
    public int? InterruptCode { get; set; }
    public int? InterruptIlc { get; set; }
}

/// <summary>One line of a test-vector file (tests/vectors/README.md documents the format).</summary>
public sealed class VectorCase
{
    public const uint DefaultMainSize = 16 * 1024 * 1024;

    public required string File { get; init; }
    public required int Line { get; init; }
    public required string Name { get; init; }
    public required ArchLevel Level { get; init; }
    public required ulong Psw { get; init; }
    public SortedDictionary<int, uint> Gpr { get; } = new();
    public SortedDictionary<int, ulong> Fpr { get; } = new();
    public List<StorageRun> Storage { get; } = new();
    public SortedDictionary<uint, byte> Keys { get; } = new();
    public long Steps { get; init; } = 1;
    public uint MainSize { get; init; } = DefaultMainSize;
    public string? Source { get; init; }
    public required VectorExpectation Expect { get; init; }

    public string Location => $"{File}:{Line}";
    public override string ToString() => $"{Name} ({Level.Name()})";

    /// <summary>Reads every case of a JSON-lines file; blank lines and lines starting with '#' or "//" are skipped.</summary>
    public static List<VectorCase> Load(string path)
    {
        string[] lines;
        try { lines = System.IO.File.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new VectorFormatException($"{path}: cannot read: {e.Message}"); }
        var cases = new List<VectorCase>();
        for (int i = 0; i < lines.Length; i++)
        {
            string t = lines[i].Trim();
            if (t.Length == 0 || t.StartsWith('#') || t.StartsWith("//")) continue;
            cases.Add(Parse(t, path, i + 1));
        }
        return cases;
    }

    /// <summary>Parses one line; any defect is a <see cref="VectorFormatException"/> naming file:line and the field.</summary>
    public static VectorCase Parse(string json, string file, int line)
    {
        string where = $"{file}:{line}";
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new VectorFormatException($"{where}: not valid JSON: {e.Message}"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new VectorFormatException($"{where}: a case must be a JSON object");
            var r = new Reader(where);
            r.AllowOnly(root, "", "name", "arch", "psw", "gpr", "fpr", "storage", "keys", "steps", "mainsize", "expect", "source", "note");
            string name = r.String(root, "name");
            string archText = r.String(root, "arch");
            if (!ArchLevels.TryParse(archText, out var level) || archText is not ("S/360" or "S/360-67" or "S/370"))
                throw new VectorFormatException($"{where}: \"arch\" must be \"S/360\", \"S/360-67\" or \"S/370\", not \"{archText}\"");
            long steps = root.TryGetProperty("steps", out var st) ? r.Integer(st, "steps", 0, 1_000_000) : 1;
            long mainsize = root.TryGetProperty("mainsize", out var ms) ? r.Integer(ms, "mainsize", 2048, 0x7FFF_0000) : DefaultMainSize;
            if (mainsize % 2048 != 0) throw new VectorFormatException($"{where}: \"mainsize\" must be a multiple of 2048");
            if (!root.TryGetProperty("expect", out var ex) || ex.ValueKind != JsonValueKind.Object)
                throw new VectorFormatException($"{where}: \"expect\" (an object) is required");
            var c = new VectorCase
            {
                File = file, Line = line, Name = name, Level = level,
                Psw = r.Hex64(r.Required(root, "psw"), "psw", 16),
                Steps = steps, MainSize = (uint)mainsize,
                Source = root.TryGetProperty("source", out var so) ? r.StringValue(so, "source") : null,
                Expect = ParseExpect(r, ex, (uint)mainsize),
            };
            r.Gprs(root, "gpr", c.Gpr);
            r.Fprs(root, "fpr", c.Fpr);
            r.StorageRuns(root, "storage", c.Storage, c.MainSize);
            r.KeyMap(root, "keys", c.Keys, c.MainSize);
            return c;
        }
    }

    static VectorExpectation ParseExpect(Reader r, JsonElement ex, uint mainsize)
    {
        r.AllowOnly(ex, "expect.", "gpr", "fpr", "storage", "keys", "cc", "psw", "interrupt");
        var e = new VectorExpectation();
        r.Gprs(ex, "expect.gpr", e.Gpr, "gpr");
        r.Fprs(ex, "expect.fpr", e.Fpr, "fpr");
        r.StorageRuns(ex, "expect.storage", e.Storage, mainsize, "storage");
        r.KeyMap(ex, "expect.keys", e.Keys, mainsize, "keys");
        if (ex.TryGetProperty("cc", out var cc)) e.Cc = (int)r.Integer(cc, "expect.cc", 0, 3);
        if (ex.TryGetProperty("psw", out var psw)) e.Psw = r.Hex64(psw, "expect.psw", 16);
        if (ex.TryGetProperty("interrupt", out var it))
        {
            if (it.ValueKind != JsonValueKind.Object) throw r.Error("\"expect.interrupt\" must be an object");
            r.AllowOnly(it, "expect.interrupt.", "class", "code", "ilc");
            string cls = r.String(it, "class", "expect.interrupt.class");
            e.InterruptClass = cls switch
            {
                "program" => InterruptClass.Program,
                "svc" => InterruptClass.Svc,
                "external" => InterruptClass.External,
                "io" => InterruptClass.Io,
                _ => throw r.Error($"\"expect.interrupt.class\" must be program, svc, external or io, not \"{cls}\""),
            };
            if (it.TryGetProperty("code", out var code)) e.InterruptCode = (int)r.Integer(code, "expect.interrupt.code", 0, 0xFFFF);
            if (it.TryGetProperty("ilc", out var ilc)) e.InterruptIlc = (int)r.Integer(ilc, "expect.interrupt.ilc", 0, 3);
        }
        return e;
    }

    /// <summary>Typed field readers that turn every defect into a located message.</summary>
    sealed class Reader(string where)
    {
        public VectorFormatException Error(string message) => new($"{where}: {message}");

        public void AllowOnly(JsonElement obj, string prefix, params string[] names)
        {
            foreach (var p in obj.EnumerateObject())
                if (Array.IndexOf(names, p.Name) < 0)
                    throw Error($"unknown field \"{prefix}{p.Name}\" (allowed: {string.Join(", ", names)})");
        }

        public JsonElement Required(JsonElement obj, string field)
            => obj.TryGetProperty(field, out var v) ? v : throw Error($"\"{field}\" is required");

        public string String(JsonElement obj, string field, string? label = null) => StringValue(Required(obj, field), label ?? field);

        public string StringValue(JsonElement v, string label)
            => v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Error($"\"{label}\" must be a string");

        public long Integer(JsonElement v, string label, long min, long max)
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n))
                throw Error($"\"{label}\" must be an integer");
            if (n < min || n > max) throw Error($"\"{label}\" is {n}, outside {min}..{max}");
            return n;
        }

        public ulong Hex64(JsonElement v, string label, int digits)
        {
            string s = StringValue(v, label);
            if (s.Length != digits || !ulong.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong x))
                throw Error($"\"{label}\" must be exactly {digits} hex digits, not \"{s}\"");
            return x;
        }

        byte[] HexBytes(JsonElement v, string label)
        {
            string s = StringValue(v, label).Replace(" ", "");
            if (s.Length == 0 || s.Length % 2 != 0) throw Error($"\"{label}\" must be a non-empty even number of hex digits");
            try { return Convert.FromHexString(s); }
            catch (FormatException) { throw Error($"\"{label}\" is not hex: \"{s}\""); }
        }

        uint Address(string key, string label, uint mainsize, int length)
        {
            if (!uint.TryParse(key, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint a))
                throw Error($"\"{label}\" key \"{key}\" is not a hex address");
            if ((ulong)a + (ulong)length > mainsize)
                throw Error($"\"{label}\" at {a:X6} (+{length}) lies outside the {mainsize}-byte main storage");
            return a;
        }

        JsonElement? Object(JsonElement obj, string field, string label)
        {
            if (!obj.TryGetProperty(field, out var v)) return null;
            if (v.ValueKind != JsonValueKind.Object) throw Error($"\"{label}\" must be an object");
            return v;
        }

        public void Gprs(JsonElement obj, string label, SortedDictionary<int, uint> into, string? field = null)
        {
            if (Object(obj, field ?? label, label) is not { } o) return;
            foreach (var p in o.EnumerateObject())
            {
                if (!int.TryParse(p.Name, out int r) || r is < 0 or > 15) throw Error($"\"{label}\" register \"{p.Name}\" is not 0-15");
                into[r] = (uint)Hex64(p.Value, $"{label}.{p.Name}", 8);
            }
        }

        public void Fprs(JsonElement obj, string label, SortedDictionary<int, ulong> into, string? field = null)
        {
            if (Object(obj, field ?? label, label) is not { } o) return;
            foreach (var p in o.EnumerateObject())
            {
                if (p.Name is not ("0" or "2" or "4" or "6")) throw Error($"\"{label}\" register \"{p.Name}\" is not 0, 2, 4 or 6");
                into[int.Parse(p.Name)] = Hex64(p.Value, $"{label}.{p.Name}", 16);
            }
        }

        public void StorageRuns(JsonElement obj, string label, List<StorageRun> into, uint mainsize, string? field = null)
        {
            if (Object(obj, field ?? label, label) is not { } o) return;
            foreach (var p in o.EnumerateObject())
            {
                var bytes = HexBytes(p.Value, $"{label}.{p.Name}");
                into.Add(new StorageRun(Address(p.Name, label, mainsize, bytes.Length), bytes));
            }
        }

        public void KeyMap(JsonElement obj, string label, SortedDictionary<uint, byte> into, uint mainsize, string? field = null)
        {
            if (Object(obj, field ?? label, label) is not { } o) return;
            foreach (var p in o.EnumerateObject())
            {
                uint a = Address(p.Name, label, mainsize, 1);
                into[a & ~0x7FFu] = (byte)Hex64(p.Value, $"{label}.{p.Name}", 2);
            }
        }
    }
}
