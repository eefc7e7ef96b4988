using System.Text.Json;
using System.Text.Json.Nodes;
using Jit360.Machine;

namespace Jit360.Tests.Oracle;

/// <summary>
/// Compares an oracle's JSON result with our outcome, and writes a divergent case as a vector
/// line (tests/vectors format) whose expectation is the oracle's.
/// </summary>
public static class Divergence
{
    /// <summary>Hercules harness epilogue (h370oracle.py: STM at 0x280): a protection exception there means the test ended with a nonzero PSW key.</summary>
    const uint HerculesEpilogue = 0x280;

    /// <summary>qemu linux-user's signal for a program interruption, and the codes it may stand for (README table).</summary>
    public static int[] QemuCodes(string? signal, string? siCode) => (signal, siCode) switch
    {
        ("SIGILL", "ILL_ILLOPC") => [ProgramInterruptCode.Operation, ProgramInterruptCode.PrivilegedOperation],
        ("SIGILL", "ILL_ILLOPN") => [ProgramInterruptCode.Execute, ProgramInterruptCode.Specification, ProgramInterruptCode.Data],
        ("SIGFPE", "FPE_INTDIV") => [ProgramInterruptCode.FixedPointDivide],
        ("SIGFPE", "FPE_INTOVF") => [ProgramInterruptCode.FixedPointOverflow],
        ("SIGSEGV", "SEGV_MAPERR") => [ProgramInterruptCode.Addressing, ProgramInterruptCode.SegmentTranslation, ProgramInterruptCode.PageTranslation],
        ("SIGSEGV", "SEGV_ACCERR") => [ProgramInterruptCode.Protection],
        _ => [],
    };

    /// <summary>The oracle's result in our terms.</summary>
    public sealed class Expected
    {
        public string Status = "";          // ok, program, svc, running, or the harness's own word
        public uint[]? Gpr;
        public ulong[]? Fpr;                // by register number 0/2/4/6
        public int? Cc, Pm, Ilc;
        public int[] Codes = [];            // acceptable interruption codes (qemu's mapping is lossy)
        public ulong? OldPsw;               // Hercules: the whole old PSW
        public uint? Address;               // the old PSW's instruction address
        public byte[]? Window;
        public uint? InstructionAt;         // qemu SIGSEGV: the PSW points at the instruction
        public string Detail = "";
    }

    public static Expected Parse(OracleKind kind, JsonElement r, OracleCase c)
    {
        var e = new Expected();
        string status = r.GetProperty("status").GetString()!;
        if (r.TryGetProperty("gpr", out var g) && g.GetArrayLength() >= 16 && g[0].GetString() != "????????")
            e.Gpr = Enumerable.Range(0, 16).Select(i => Convert.ToUInt32(g[i].GetString(), 16)).ToArray();
        if (r.TryGetProperty("fpr", out var f) && f.GetArrayLength() >= 4 && f[0].GetString() != "?")
        {
            e.Fpr = new ulong[8];
            for (int i = 0; i < 4; i++) e.Fpr[2 * i] = Convert.ToUInt64(f[kind == OracleKind.Qemu ? 2 * i : i].GetString(), 16);
        }
        if (r.TryGetProperty("window", out var w) && w.GetString() is { Length: > 0 } wh) e.Window = Convert.FromHexString(wh);
        if (r.TryGetProperty("cc", out var cc)) e.Cc = cc.GetInt32();
        if (r.TryGetProperty("pm", out var pm)) e.Pm = pm.GetInt32();
        string? Str(string p) => r.TryGetProperty(p, out var v) ? v.ToString() : null;

        if (kind == OracleKind.Qemu)
        {
            switch (status)
            {
                case "ok": e.Status = "ok"; break;
                case "signal":
                {
                    e.Status = "program";
                    e.Codes = QemuCodes(Str("signal"), Str("si_code"));
                    var psw = Str("psw")!.Split(' ');
                    uint pswa = (uint)Convert.ToUInt64(psw[1], 16);
                    uint siaddr = (uint)Convert.ToUInt64(Str("si_addr")!, 16);
                    if (Str("signal") == "SIGSEGV") e.InstructionAt = pswa & 0xFF_FFFF;
                    else
                    {
                        // SIGILL/SIGFPE: the PSW points past the instruction, si_addr at it.
                        e.Address = pswa & 0xFF_FFFF;
                        uint ilc2 = pswa - siaddr;
                        if (ilc2 is 2 or 4 or 6) e.Ilc = (int)ilc2 / 2;
                    }
                    e.Detail += $" {Str("signal")} {Str("si_code")}";
                    if (e.Codes.Length == 0) e.Status = "unmapped-signal";
                    break;
                }
                case "program-check":
                    e.Status = "program";
                    e.Codes = [Convert.ToInt32(Str("pgm_code")!, 16)];
                    break;
                default:
                    e.Status = status;
                    e.Detail = Str("reason") ?? Str("stderr") ?? "";
                    break;
            }
            return e;
        }

        switch (status)
        {
            case "ok": e.Status = "ok"; break;
            case "running": e.Status = "running"; break;
            case "interrupt" when Str("interrupt") is "program" or "svc":
            {
                int code = Convert.ToInt32(Str("int_code")!, 16);
                ulong old = Convert.ToUInt64(Str("old_psw")!, 16);
                uint addr = (uint)old & 0xFF_FFFF;
                if (Str("interrupt") == "program" && code == ProgramInterruptCode.Protection && addr == HerculesEpilogue + 4)
                {
                    e.Status = "ok";   // the test ended under a nonzero PSW key; registers were saved at the interruption
                    break;
                }
                e.Status = Str("interrupt")!;
                e.Codes = [code];
                e.OldPsw = old;
                e.Address = addr;
                e.Ilc = r.GetProperty("ilc").GetInt32();
                break;
            }
            default:
                e.Status = status + (Str("interrupt") is { } k ? " " + k : "");
                e.Detail = Str("log_tail") ?? Str("hercules_msg") ?? "";
                break;
        }
        return e;
    }

    /// <summary>The differences between the oracle's result and ours; empty when they agree.</summary>
    public static List<string> Compare(OracleKind kind, Expected e, OurOutcome o, OracleCase c, ExclusionList? exclusions = null)
    {
        var d = new List<string>();
        string ours = o.Interrupt is { } oi ? $"{oi.Class} {oi.Code:X2} ilc {oi.Ilc} old PSW {oi.OldPsw:X16}"
                    : o.ReachedEnd ? "ok" : o.OtherExit is { } x ? x.ToString() : "running";
        switch (e.Status)
        {
            case "ok":
                if (!o.ReachedEnd || o.Interrupt != null) d.Add($"oracle completed, ours: {ours}");
                break;
            case "running":
                if (o.ReachedEnd || o.Interrupt != null) d.Add($"oracle kept running, ours: {ours}");
                break;
            case "program" or "svc":
            {
                var cls = e.Status == "svc" ? InterruptClass.Svc : InterruptClass.Program;
                if (kind == OracleKind.Hercules && exclusions?.Has("hercules", "unordered-operand-exceptions") == true
                    && o.Interrupt is { Class: InterruptClass.Program } u && cls == InterruptClass.Program
                    && UnorderedWithAccess(e.Codes, u.Code))
                    return d;   // exclusions.txt "hercules unordered-access-data": either exception is architected
                if (o.Interrupt is not { } i || i.Class != cls || !e.Codes.Contains(i.Code))
                {
                    d.Add($"oracle {e.Status} {string.Join("/", e.Codes.Select(x => x.ToString("X2")))}{e.Detail}, ours: {ours}");
                    return d;   // registers and storage are not comparable past different events
                }
                ulong ilcBits = 0;
                if (kind == OracleKind.Hercules && exclusions?.Has("hercules", "ex-target-ilc") == true && e.Address is { } ea && AfterExecute(c, ea))
                    ilcBits = 3UL << 30;   // exclusions.txt "hercules ex-target-ilc"
                else if (e.Ilc is { } ilc && ilc != i.Ilc) d.Add($"ILC: oracle {ilc}, ours {i.Ilc}");
                if (e.OldPsw is { } psw && (psw & ~ilcBits) != (i.OldPsw & ~ilcBits)) d.Add($"old PSW: oracle {psw:X16}, ours {i.OldPsw:X16}");
                else if (e.Address is { } a && a != ((uint)i.OldPsw & 0xFF_FFFF)) d.Add($"old PSW address: oracle {a:X6}, ours {(uint)i.OldPsw & 0xFF_FFFF:X6}");
                if (e.InstructionAt is { } at)
                {
                    uint ourAt = ((uint)i.OldPsw - (uint)(2 * i.Ilc)) & 0xFF_FFFF;
                    if (at != ourAt) d.Add($"interrupted instruction: oracle {at:X6}, ours {ourAt:X6}");
                }
                break;
            }
            case "interrupt external" when kind == OracleKind.Hercules && exclusions?.Has("hercules", "external-enable") == true:
                // exclusions.txt "hercules external-enable": another instruction's operand data
                // overwrote a PSW that LPSW then loaded with external interruptions enabled.
                return d;
            default:
                d.Add($"oracle status {e.Status}: {e.Detail.Trim()}");
                return d;
        }
        if (d.Count > 0) return d;
        bool terminated = kind == OracleKind.Hercules && exclusions?.Has("hercules", "edit-termination") == true
            && o.Interrupt is { Class: InterruptClass.Program, Code: ProgramInterruptCode.Addressing or ProgramInterruptCode.Protection or ProgramInterruptCode.Data }
            && InterruptedOpcode(c, o) is 0xDE or 0xDF;
        if (e.Gpr != null)
            for (int r = 0; r < 16; r++)
                if (e.Gpr[r] != o.Gpr[r] && !(terminated && r == 1)) d.Add($"R{r}: oracle {e.Gpr[r]:X8}, ours {o.Gpr[r]:X8}");
        bool clcFault = kind == OracleKind.Qemu && exclusions?.Has("qemu", "clc-fault-cc") == true
            && o.Interrupt is { Class: InterruptClass.Program } && InterruptedOpcode(c, o) is 0xD5;
        if (e.Cc is { } cc && cc != o.Cc && !(kind == OracleKind.Qemu && EndsWithTr(c)) && !clcFault) d.Add($"cc: oracle {cc}, ours {o.Cc}");
        if (e.Pm is { } pm && pm != o.Pm) d.Add($"program mask: oracle {pm:X}, ours {o.Pm:X}");
        if (e.Fpr != null)
            foreach (int f in new[] { 0, 2, 4, 6 })
                if (e.Fpr[f] != o.Fpr[f]) d.Add($"F{f}: oracle {e.Fpr[f]:X16}, ours {o.Fpr[f]:X16}");
        if (e.Window != null && !terminated)
            for (int i = 0; i < Math.Min(e.Window.Length, o.Window.Length); i++)
                if (e.Window[i] != o.Window[i])
                {
                    int end = i; while (end < e.Window.Length && e.Window[end] != o.Window[end]) end++;
                    d.Add($"storage {OracleCase.WindowAddress + i:X6}: oracle {Convert.ToHexString(e.Window, i, end - i)}, ours {Convert.ToHexString(o.Window, i, end - i)}");
                    i = end;
                }
        return d;
    }

    /// <summary>
    /// GA22-7000 "Priority of Program Interruption Conditions": the access exceptions of the
    /// different operand accesses (6.B-6.G), the data exception (6.H) and the decimal-divide
    /// exception (6.I) share one priority number, so when several exist it is unpredictable
    /// which is indicated.
    /// </summary>
    static bool UnorderedWithAccess(IEnumerable<int> oracleCodes, int ours)
    {
        static bool Unordered(int c) => c is ProgramInterruptCode.Protection or ProgramInterruptCode.Addressing
                                           or ProgramInterruptCode.Data or ProgramInterruptCode.DecimalDivide;
        return Unordered(ours) && oracleCodes.Any(oc => oc != ours && Unordered(oc));
    }

    /// <summary>The first byte of the instruction our interruption names (old PSW less the ILC), or -1.</summary>
    static int InterruptedOpcode(OracleCase c, OurOutcome o)
    {
        if (o.Interrupt is not { } i) return -1;
        long at = (((uint)i.OldPsw - (uint)(2 * i.Ilc)) & 0xFF_FFFF) - OracleCase.CodeAddress;
        return at >= 0 && at < c.Code.Length ? c.Code[at] : -1;
    }

    /// <summary>True when an address is the one after an EXECUTE in the case's code.</summary>
    static bool AfterExecute(OracleCase c, uint address)
    {
        for (int at = 0; at < c.Code.Length; at += Jit360.Architecture.Formats.LengthOfOpcode(c.Code[at]))
            if (c.Code[at] == 0x44 && OracleCase.CodeAddress + (uint)at + 4 == address) return true;
        return false;
    }

    // qemu's TR leaves a meaningless condition code (exclusions.txt "qemu tr-cc").
    static bool EndsWithTr(OracleCase c)
        => c.Mnemonics[^1] == "TR" || (c.Mnemonics[^1] == "EX" && c.Mnemonics.Contains("EX:TR"));

    /// <summary>The case as a ready-to-paste vector line whose expectation is the oracle's result.</summary>
    public static string VectorLine(OracleKind kind, OracleCase c, Expected e, OurOutcome o)
    {
        var gpr = new JsonObject();
        for (int r = 0; r < 16; r++) if (c.Gpr[r] != 0) gpr[r.ToString()] = c.Gpr[r].ToString("X8");
        var fpr = new JsonObject();
        foreach (int f in new[] { 0, 2, 4, 6 }) if (c.Fpr[f] != 0) fpr[f.ToString()] = c.Fpr[f].ToString("X16");
        var expect = new JsonObject();
        if (e.Gpr != null)
        {
            var eg = new JsonObject();
            for (int r = 0; r < 16; r++) eg[r.ToString()] = e.Gpr[r].ToString("X8");
            expect["gpr"] = eg;
        }
        if (e.Fpr != null)
        {
            var ef = new JsonObject();
            foreach (int f in new[] { 0, 2, 4, 6 }) ef[f.ToString()] = e.Fpr[f].ToString("X16");
            expect["fpr"] = ef;
        }
        if (e.Cc is { } cc) expect["cc"] = cc;
        if (e.Window != null) expect["storage"] = new JsonObject { [OracleCase.WindowAddress.ToString("X6")] = Convert.ToHexString(e.Window) };
        if (e.Status is "program" or "svc")
        {
            // qemu's signal stands for several codes: ours when it is one of them, else the first.
            int code = o.Interrupt is { } i && e.Codes.Contains(i.Code) ? i.Code : e.Codes.FirstOrDefault();
            var intr = new JsonObject { ["class"] = e.Status, ["code"] = code };
            if (e.Ilc is { } ilc) intr["ilc"] = ilc;
            expect["interrupt"] = intr;
        }
        var v = new JsonObject
        {
            ["name"] = $"oracle {kind.ToString().ToLowerInvariant()} {c.Name} {string.Join(' ', c.Mnemonics)}",
            ["arch"] = "S/370",
            ["psw"] = c.Psw.ToString("X16"),
            ["gpr"] = gpr,
            ["fpr"] = fpr,
            ["storage"] = new JsonObject
            {
                [OracleCase.CodeAddress.ToString("X6")] = Convert.ToHexString(c.Code),
                [OracleCase.WindowAddress.ToString("X6")] = Convert.ToHexString(c.Window),
            },
            ["steps"] = Math.Max(o.Steps, 1),
            ["expect"] = expect,
        };
        return v.ToJsonString();
    }
}
