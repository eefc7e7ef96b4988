using System.Diagnostics;
using Jit360.Machine.Devices.Dasd;
using Jit360.Machine.Media;
using Jit360.Tests.Support;

namespace Jit360.Tests.Proofs;

/// <summary>
/// The built <c>jit360 run -f CNF -r RC</c> as a process, driven the way a user drives it: console
/// lines typed on stdin after the integrated console's prefix, the console's output on stdout,
/// configuration errors on stderr with FILE:LINE and exit code 1.
/// </summary>
public class CliProofs
{
    string folder = "";

    [SetUp]
    public void SetUp() => folder = ProofRig.NewFolder();

    [TearDown]
    public void TearDown() => Directory.Delete(folder, true);

    static string CliDll()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "jit360.dll");
        if (!File.Exists(dll)) Assert.Ignore($"needs the built CLI at {dll}");
        return dll;
    }

    /// <summary>
    /// Runs jit360; <paramref name="dialog"/> pairs say what to wait for on stdout (null: nothing)
    /// before typing the line, as a user at the terminal would; each wait looks past the previous
    /// one's match. <see cref="ReadPrompt"/> is the integrated console's prompt: a READ is waiting. Kills the process after the timeout.
    /// </summary>
    (int Exit, string Out, string Err) Run(string[] args, IEnumerable<(string? WaitFor, string Line)> dialog, TimeSpan? timeout = null, Action<Process>? then = null)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(CliDll());
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        var reader = Task.Run(() =>
        {
            int c;
            while ((c = p.StandardOutput.Read()) >= 0)
                lock (output) { output.Append((char)c); Monitor.PulseAll(output); }
        });
        var e = p.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow + (timeout ?? ProofRig.Wait);
        string Fail(string why)
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.WaitForExit();
            reader.Wait(ProofRig.Wait);
            lock (output) Assert.Fail($"jit360 {string.Join(' ', args)}: {why}\nstdout:\n{output}\nstderr:\n{e.Result}");
            return "";
        }
        int searchFrom = 0;
        foreach (var (waitFor, line) in dialog)
        {
            if (waitFor != null)
                lock (output)
                {
                    int found;
                    while ((found = output.ToString().IndexOf(waitFor, searchFrom, StringComparison.Ordinal)) < 0)
                    {
                        var left = deadline - DateTime.UtcNow;
                        if (left <= TimeSpan.Zero || p.HasExited && reader.IsCompleted) { Monitor.Exit(output); try { Fail($"\"{waitFor}\" did not appear"); } finally { Monitor.Enter(output); } }
                        Monitor.Wait(output, TimeSpan.FromMilliseconds(Math.Min(200, Math.Max(1, left.TotalMilliseconds))));
                    }
                    searchFrom = found + waitFor.Length;
                }
            p.StandardInput.WriteLine(line);
            p.StandardInput.Flush();
        }
        then?.Invoke(p);
        p.StandardInput.Close();
        var rest = deadline - DateTime.UtcNow;
        if (rest < TimeSpan.Zero || !p.WaitForExit(rest)) Fail($"did not end within {(timeout ?? ProofRig.Wait).TotalSeconds} s");
        reader.Wait(ProofRig.Wait);
        lock (output) return (p.ExitCode, output.ToString(), e.Result);
    }

    /// <summary>Hercules' prompt of an integrated console without noprompt: the program is reading.</summary>
    const string ReadPrompt = "HHC1C001A Enter input for console device 0009";

    string Write(string name, string text)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void T3215_driven_through_jit360_run_on_stdin_and_stdout()
    {
        string deck = Shared.Require("guests/tapes/sattape-decks/T3215.saipl");
        Write("t3215.cnf", $"ARCHMODE S/370\nMAINSIZE 1\n0009 3215-C\n000C 3505 {deck} ebcdic\n");
        Write("t3215.rc", "ipl 00c\n");
        var (exit, stdout, stderr) = Run(["run", "-f", "t3215.cnf", "-r", "t3215.rc"], [(ReadPrompt, "/4")]);
        string all = $"exit {exit}\nstdout:\n{stdout}\nstderr:\n{stderr}";
        Assert.That(exit, Is.EqualTo(0), all);
        Assert.That(stdout, Does.Contain("MENU\n").And.Contain("4: QUIT"), all);
        Assert.That(stdout, Does.Contain("/(0009) 4\n"), "the panel echoes the line typed for the console: " + all);
        Assert.That(stdout, Does.Contain("ALL DONE"), all);
        Assert.That(stdout, Does.Contain("JIT360 CPU0000 disabled wait state, PSW 00020000 0099FACE"), all);
        Assert.That(stdout.IndexOf("MENU"), Is.LessThan(stdout.IndexOf("ALL DONE")), all);
    }

    [Test]
    public void Stop_at_the_panel_keeps_the_session_until_start_and_quit()
    {
        var image = new byte[0x808];
        image[0x800] = 0x47; image[0x801] = 0xF0; image[0x802] = 0x08; image[0x803] = 0x00;   // B X'800': a loop
        File.WriteAllBytes(Path.Combine(folder, "loop.img"), image);
        Write("loop.cnf", "ARCHMODE S/370\nMAINSIZE 1\n");
        Write("loop.rc", "loadcore loop.img 0\npsw ia=800\nstart\n");
        const string Stopped = "JIT360 CPU stopped, PSW=";
        var (exit, stdout, stderr) = Run(["run", "-f", "loop.cnf", "-r", "loop.rc"],
            [(null, "stop"), (Stopped, "start"), (null, "stop"), (Stopped, "quit")]);
        string all = $"exit {exit}\nstdout:\n{stdout}\nstderr:\n{stderr}";
        Assert.That(exit, Is.EqualTo(0), all);
        Assert.That(stdout.Split(Stopped).Length - 1, Is.EqualTo(2), "stopped twice, resumed in between: " + all);
        Assert.That(stdout, Does.Contain("00000800"), "the loop's PSW: " + all);
    }

    [Test]
    public void A_truncated_ckd_image_is_an_error_at_its_configuration_line()
    {
        string full = Path.Combine(folder, "full.ckd");
        CkdImageFile.Create(full, DasdGeometry.Find("3350")!, 1, "TRUNC1");
        File.WriteAllBytes(Path.Combine(folder, "trunc.ckd"), File.ReadAllBytes(full)[..30000]);
        string cnf = Write("bad.cnf", "ARCHMODE S/370\nMAINSIZE 1\n\n0191 3350 trunc.ckd\n");
        Write("ipl.rc", "ipl 191\n");
        var (exit, stdout, stderr) = Run(["run", "-f", "bad.cnf", "-r", "ipl.rc"], []);
        Assert.That(exit, Is.EqualTo(1), stdout + stderr);
        Assert.That(stderr, Does.StartWith("bad.cnf:4: device 0191 3350"), stderr);
        Assert.That(stderr, Does.Not.Contain("   at "), "no host stack trace");
    }

    [Test]
    public void A_corrupt_aws_tape_is_an_error_at_its_configuration_line()
    {
        var garbage = new byte[4000];
        new Random(360).NextBytes(garbage);
        File.WriteAllBytes(Path.Combine(folder, "bad.aws"), garbage);
        Write("bad.cnf", "ARCHMODE S/370\nMAINSIZE 1\n0181 3420 bad.aws\n");
        Write("ipl.rc", "ipl 181\n");
        var (exit, stdout, stderr) = Run(["run", "-f", "bad.cnf", "-r", "ipl.rc"], []);
        Assert.That(exit, Is.EqualTo(1), stdout + stderr);
        Assert.That(stderr, Does.StartWith("bad.cnf:3: device 0181 3420"), stderr);
        Assert.That(stderr, Does.Not.Contain("   at "), "no host stack trace");
    }

    [Test]
    public void Ipl_from_a_device_that_is_not_there_is_an_error_at_its_rc_line()
    {
        Write("x.cnf", "ARCHMODE S/370\nMAINSIZE 1\n0009 3215-C\n");
        Write("x.rc", "devlist\nipl 00c\n");
        var (exit, stdout, stderr) = Run(["run", "-f", "x.cnf", "-r", "x.rc"], []);
        Assert.That(exit, Is.EqualTo(1), stdout + stderr);
        Assert.That(stderr, Does.StartWith("x.rc:2: ").And.Contain("000C"), stderr);
        Assert.That(stderr, Does.Not.Contain("   at "), "no host stack trace");
    }

    [Test]
    public void A_card_reader_with_a_garbage_deck_ends_in_an_architected_state()
    {
        // Random cards: whatever the first card says as a PSW and CCWs, the IPL ends with a
        // message or the program runs into a program-interruption loop, a wait, or is stopped.
        var garbage = new byte[80 * 10];
        new Random(1052).NextBytes(garbage);
        File.WriteAllBytes(Path.Combine(folder, "garbage.ipl"), garbage);
        Write("g.cnf", "ARCHMODE S/370\nMAINSIZE 1\n000C 3505 garbage.ipl\n");
        Write("g.rc", "ipl 00c\npause 1\nquit\n");
        var (exit, stdout, stderr) = Run(["run", "-f", "g.cnf", "-r", "g.rc", "--deterministic"], []);
        string all = $"exit {exit}\nstdout:\n{stdout}\nstderr:\n{stderr}";
        Assert.That(stderr + stdout, Does.Not.Contain("   at ").And.Not.Contain("Unhandled"), all);
        if (exit == 1) Assert.That(stderr, Does.StartWith("g.rc:1: IPL from 000C failed"), all);
        else Assert.That(stdout, Does.Match(@"JIT360 CPU0000 (stopped|disabled wait state|program interruption loop|enabled wait state)"), all);
    }

    [Test]
    public void SIGTERM_during_a_DDR_restore_leaves_the_disk_image_readable()
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("POSIX signals");
        string ddr = Shared.Require("guests/tapes/dmkddr.aws");
        string gz = Shared.Require("guests/vm370r6-cms/disks/gcccms_201.ckd.gz");
        using (var from = new System.IO.Compression.GZipStream(File.OpenRead(gz), System.IO.Compression.CompressionMode.Decompress))
        using (var to = File.Create(Path.Combine(folder, "gcc201.ckd")))
            from.CopyTo(to);
        Write("ipl.rc", "ipl 580\n");
        Write("dump.cnf", $"ARCHMODE S/370\nMAINSIZE 1\n0009 3215-C\n0580 3420 {ddr} ro\n0181 3420 dump.aws\n0191 3350 gcc201.ckd\n");
        var (exit, stdout, stderr) = Run(["run", "-f", "dump.cnf", "-r", "ipl.rc", "--deterministic"],
            [(ReadPrompt, "/input 191 3350 GCC201"), (ReadPrompt, "/output 181 3420"), (ReadPrompt, "/dump 0 0"), (ReadPrompt, "/"), ("END OF DUMP", "quit")]);
        Assert.That(exit, Is.EqualTo(0), stdout + stderr);

        string image = Path.Combine(folder, "new.ckd");
        CkdImageFile.Create(image, DasdGeometry.Find("3350")!, 1, "NEWVOL");
        Write("restore.cnf", $"ARCHMODE S/370\nMAINSIZE 1\n0009 3215-C\n0580 3420 {ddr} ro\n0181 3420 dump.aws ro\n0192 3350 new.ckd\n");
        (exit, stdout, stderr) = Run(["run", "-f", "restore.cnf", "-r", "ipl.rc", "--deterministic"],
            [(ReadPrompt, "/input 181 3420"), (ReadPrompt, "/output 192 3350 SCRATCH"), (ReadPrompt, "/restore 0 0"), (ReadPrompt, "/"), ("RESTORING", "")],
            then: p => Process.Start("kill", ["-TERM", p.Id.ToString()])!.WaitForExit());
        Assert.That(exit, Is.EqualTo(130), "stopped by the signal: " + stdout + stderr);
        Assert.That(stderr, Does.Not.Contain("   at "), stderr);

        // The image opens and every track is well formed, however far the restore had come.
        using var ckd = CkdImage.Open(image, readOnly: true);
        var slot = new byte[ckd.TrackSlot];
        for (int t = 0; t < ckd.Tracks; t++)
        {
            ckd.ReadTrack(t, slot);
            Assert.That(CkdTrack.Check(slot, out _), Is.Null, $"track {t}");
        }
    }
}
