using System.IO.Compression;
using System.Text;
using Jit360.Cp.Io;
using Jit360.Tests.Support;

namespace Jit360.Tests.Cp;

/// <summary>
/// Ten users logged on at once, each IPLing real VM/370 R6 CMS with an A-disk of its own (a copy of the
/// one-cylinder GCC201 minidisk relabelled USR001..USR010), running commands at the same time, on the
/// interpreter and on the JIT.
/// </summary>
[NonParallelizable]
public class ManyUsersTests
{
    const int Users = 10;
    static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    static string UserId(int i) => $"U{i:D2}";
    static string Volser(int i) => $"USR{i:D3}";

    /// <summary>Each user: CMS from the saved system, CMSUSER's 192 (for the FSQRY module GENMOD saves), its own 191.</summary>
    public static string Directory()
    {
        var cards = new List<string> { "DIRECTORY 6A1 3350 VM50-1", "USER CMSUSER CMSUSER 15M 16M G", " MDISK 192 3350 000 115 CMS192 MR ALL WRITE MULT" };
        for (int i = 1; i <= Users; i++)
        {
            cards.Add($"USER {UserId(i)} PW{i:D2} 15M 16M G");
            cards.Add(" IPL CMS PARM AUTOCR");
            cards.Add(" CONSOLE 009 3215");
            cards.Add(" LINK CMSUSER 192 192 RR");
            cards.Add($" MDISK 191 3350 000 001 {Volser(i)} MR");
        }
        return string.Join("\n", cards) + "\n";
    }

    /// <summary>
    /// Ten copies of gcccms_201 in the folder, each with its own CMS label: the label is record 3 of
    /// cylinder 0 head 0, data "CMS=GCC201"; only the six volid bytes change.
    /// </summary>
    public static IEnumerable<string> UserDisks(string folder)
    {
        string source = Path.Combine(Shared.Require("guests/vm370r6-cms"), "disks", "gcccms_201.ckd.gz");
        byte[] image;
        using (var input = new GZipStream(File.OpenRead(source), CompressionMode.Decompress))
        using (var bytes = new MemoryStream())
        {
            input.CopyTo(bytes);
            image = bytes.ToArray();
        }
        byte[] label = Ebcdic("CMS=GCC201");
        int at = image.AsSpan(0, Math.Min(image.Length, 512 + 19_456)).IndexOf(label);
        if (at < 0) throw new InvalidDataException("gcccms_201: no CMS=GCC201 label in track 0");
        var paths = new List<string>();
        for (int i = 1; i <= Users; i++)
        {
            Ebcdic("CMS=" + Volser(i)).CopyTo(image, at);
            string path = Path.Combine(folder, $"user{i:D2}_191.ckd");
            File.WriteAllBytes(path, image);
            paths.Add(path);
        }
        return paths;
    }

    static byte[] Ebcdic(string s) => Jit360.Architecture.Ebcdic.FromString(s);

    /// <summary>Types a line and waits for the last expected text; returns an error text (with the transcript) or null.</summary>
    static string? Command(UserRunner user, string line, params string[] expected)
    {
        int from = user.Terminal.Lines.Count;
        user.Terminal.SendLine(line);
        try { user.Terminal.WaitForOutput(l => l.Contains(expected[^1], StringComparison.Ordinal), Long); }
        catch (TimeoutException) { return $"no '{expected[^1]}' after '{line}'"; }
        string response = string.Join("\n", user.Terminal.Lines.Skip(from));
        foreach (var e in expected[..^1])
            if (!response.Contains(e, StringComparison.Ordinal)) return $"no '{e}' after '{line}'";
        return null;
    }

    /// <summary>One user's session: its own file on its own A-disk, then a check that the next user's file is not there.</summary>
    static string? Session(UserRunner user, int i, Barrier written)
    {
        string id = UserId(i), other = UserId(i % Users + 1);
        string? error = Command(user, $"LOGON {id} PW{i:D2}", "Ready;")
            ?? Command(user, "CP QUERY USERID", $"{id} AT", "Ready;")
            ?? Command(user, "ACCESS 192 B", "Ready;")
            ?? Command(user, "LOADMOD FSQRY", "Ready;")
            ?? Command(user, $"GENMOD {id} MODULE A", "Ready;")
            ?? Command(user, $"STATE {id} MODULE A", "Ready;");
        // Every user has written its file before any looks for another's (a failed user still arrives).
        written.SignalAndWait(Long);
        return error
            ?? Command(user, $"STATE {other} MODULE A", "DMSSTT002E", "Ready(00028);")
            ?? Command(user, $"STATE {id} MODULE A", "Ready;");
    }

    [TestCase("interp")]
    [TestCase("jit")]
    public void Ten_users_each_reach_Ready_on_their_own_A_disk(string engine)
    {
        using var cp = new CmsSystem(Directory(), engine, ["cmsuser_192"], UserDisks);
        var users = Enumerable.Range(1, Users).Select(_ => cp.Dial()).ToArray();
        using var written = new Barrier(Users);
        var sessions = users.Select((u, n) => Task.Run(() => Session(u, n + 1, written))).ToArray();
        Task.WaitAll(sessions);

        var failures = new StringBuilder();
        for (int n = 0; n < Users; n++)
            if (sessions[n].Result is { } error)
                failures.AppendLine($"{UserId(n + 1)}: {error}; failure: {users[n].Failure}\n  " + string.Join("\n  ", users[n].Terminal.Lines));
        Assert.That(failures.ToString(), Is.Empty);
        TestContext.Out.WriteLine(string.Join("\n", users[0].Terminal.Lines));
    }
}

/// <summary>The CMS-to-Ready; test on every engine (lockstep compares the JIT with the interpreter as CMS runs).</summary>
[NonParallelizable]
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class CmsReadyEngineTests(string engine)
{
    [Test]
    public void IPL_CMS_reaches_Ready()
    {
        using var cp = new CmsSystem(ManyUsersTests.Directory(), engine, ["cmsuser_192"], ManyUsersTests.UserDisks);
        var user = cp.Dial();
        user.Terminal.SendLine("LOGON U01 PW01");
        if (!user.Terminal.TryWaitForOutput(l => l.Contains("Ready;", StringComparison.Ordinal), TimeSpan.FromSeconds(20), out _))
        {
            var vm = user.Session.Machine;
            var g = user.Devices.Guest(user.Session);
            Assert.Fail($"no Ready; on {engine}:\n{string.Join("\n", user.Terminal.Lines)}\nfailure: {user.Failure}\n"
                + (vm == null ? "" : $"PSW {vm.Cpu.PswText(vm.VirtualPsw)} after {vm.Cpu.Instructions} instructions; storage at IA-16: "
                    + string.Concat(Enumerable.Range(0, 32).Select(k => vm.Cpu.Storage.Bytes[(int)(vm.Cpu.Ia - 16 + k)].ToString("X2"))) + "\n")
                + (g == null ? "" : string.Join("\n", g.RecentEvents.TakeLast(30))));
        }
        user.Terminal.SendLine("CP QUERY USERID");
        user.Terminal.WaitForOutput(l => l.StartsWith("U01 AT", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }
}
