using System.Globalization;
using System.Text;

namespace Jit360.Cli.Demo;

/// <summary>The demo's report: a table of the virtual machines (check, instructions, elapsed, MIPS, DIAGNOSEs) with a total line, then what each wrote on its console.</summary>
public static class DemoSummary
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Format(DemoOutcome outcome)
    {
        var s = new StringBuilder();
        s.AppendLine($"{"USERID",-8} {"PROGRAM",-7} {"CHECK",-6} {"INSTRUCTIONS",14} {"ELAPSED",9} {"MIPS",8}  DIAGNOSE");
        foreach (var u in outcome.Users)
            s.AppendLine(Row(u.UserId, u.Program.Name, u.Ok ? "ok" : "FAILED", u.Instructions, u.Elapsed, u.Mips, u.Diagnoses));
        var diagnoses = outcome.Users.SelectMany(u => u.Diagnoses).GroupBy(d => d.Key).ToDictionary(g => g.Key, g => g.Sum(d => d.Value));
        int ok = outcome.Users.Count(u => u.Ok);
        s.AppendLine(Row("TOTAL", $"{outcome.Users.Count} VMs", $"{ok}/{outcome.Users.Count}", outcome.Instructions, outcome.Elapsed, outcome.Mips, diagnoses));
        s.AppendLine("(elapsed: from IPL 00C to LOGOFF, the total from the first IPL to the last LOGOFF; MIPS: guest instructions per elapsed microsecond)");
        s.AppendLine("What each virtual machine wrote on its console, checked against the values computed by jit360 itself:");
        foreach (var u in outcome.Users)
        {
            foreach (var r in u.Results) s.AppendLine($"{u.UserId,-8} {r}");
            if (u.Problem != null) s.AppendLine($"{u.UserId,-8} FAILED: {u.Problem}");
        }
        return s.ToString();
    }

    static string Row(string user, string program, string check, long instructions, TimeSpan elapsed, double mips, IReadOnlyDictionary<int, long> diagnoses)
        => string.Create(Invariant, $"{user,-8} {program,-7} {check,-6} {instructions,14:N0} {elapsed.TotalSeconds,7:0.000} s {mips,8:0.0}  {Diagnoses(diagnoses)}");

    /// <summary>"08 x2, 0C x1": each code the guest issued, in hex, and how often.</summary>
    public static string Diagnoses(IReadOnlyDictionary<int, long> counts)
        => counts.Count == 0 ? "-" : string.Join(", ", counts.OrderBy(c => c.Key).Select(c => string.Create(Invariant, $"{c.Key:X2} x{c.Value}")));
}
