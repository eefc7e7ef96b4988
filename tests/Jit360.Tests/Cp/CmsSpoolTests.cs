using Jit360.Cp.Io;

namespace Jit360.Tests.Cp;

/// <summary>
/// Real VM/370 R6 CMS on the spool, through CP commands.
/// </summary>
[NonParallelizable]
public class CmsSpoolTests
{
    static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    static string Directory()
    {
        var cards = new List<string> { "DIRECTORY 6A1 3350 VM50-1", "USER CMSUSER CMSUSER 15M 16M G", " MDISK 192 3350 000 115 CMS192 MR ALL WRITE MULT" };
        for (int i = 1; i <= 2; i++)
        {
            cards.Add($"USER U{i:D2} PW{i:D2} 15M 16M G");
            cards.Add(" IPL CMS PARM AUTOCR");
            cards.Add(" CONSOLE 009 3215");
            cards.Add(" SPOOL 00C 2540 READER *");
            cards.Add(" SPOOL 00D 2540 PUNCH A");
            cards.Add(" SPOOL 00E 1403 A");
            cards.Add(" LINK CMSUSER 192 192 RR");
            cards.Add($" MDISK 191 3350 000 001 USR{i:D3} MR");
        }
        return string.Join("\n", cards) + "\n";
    }

    static void Command(UserRunner user, string line, params string[] expected)
    {
        int from = user.Terminal.Lines.Count;
        user.Terminal.SendLine(line);
        try { user.Terminal.WaitForOutput(l => l.Contains(expected[^1], StringComparison.Ordinal), Long); }
        catch (TimeoutException)
        {
            var g = user.Devices.Guest(user.Session);
            Assert.Fail($"no '{expected[^1]}' after '{line}':\n{string.Join("\n", user.Terminal.Lines)}\nfailure: {user.Failure}\n"
                + (g == null ? "" : string.Join("\n", g.RecentEvents.TakeLast(20))));
        }
        string response = string.Join("\n", user.Terminal.Lines.Skip(from));
        foreach (var e in expected[..^1])
            Assert.That(response, Does.Contain(e), $"after '{line}'");
    }

    /// <summary>
    /// The R6 nucleus has no spooling command of its own (PUNCH, PRINT, DISK and READCARD are modules on
    /// the S-disk, which is not among the shared disks: "DMSMOD104S ERROR '3' READING FILE 'PUNCH MODULE'"),
    /// so CMS drives the spool through CP commands: SPOOL, QUERY and PURGE through DIAGNOSE X'08'.
    /// </summary>
    [Test]
    public void CMS_spools_its_punch_to_another_user_and_queries_and_purges_its_reader_through_CP()
    {
        using var cp = new CmsSystem(Directory(), "interp", ["cmsuser_192"], ManyUsersTests.UserDisks);
        var u1 = cp.Dial();
        Command(u1, "LOGON U01 PW01", "Ready;");
        Command(u1, "CP SPOOL PUNCH TO U02 CONT", "Ready;");
        Command(u1, "CP QUERY VIRTUAL 00D", "PUN  00D CL A CONT   NOHOLD COPY 01 READY", "00D TO U02", "Ready;");
        Command(u1, "CP QUERY FILES", "FILES: NO RDR, NO PRT, NO PUN", "Ready;");
        var card = Jit360.Architecture.Ebcdic.FromString("HELLO".PadRight(80));
        cp.Devices.SpoolFiles.Add("U01", "U02", Jit360.Cp.Spool.SpoolQueue.Reader, "PUN", 'A', [new(0x01, card)], "HELLO", "DATA");
        Command(u1, "CP QUERY RDR ALL", "U01      0001 A PUN 000001 01  NONE", "HELLO     DATA", "Ready;");
        Command(u1, "CP PURGE RDR ALL", "0001 FILE(S) PURGED", "Ready;");
        Command(u1, "CP PURGE RDR 7", "DMKCSU042E SPOOLID 0007 DOES NOT EXIST", "Ready(00042);");
    }
}
