using System.CommandLine;
using Jit360.Cli.Config;
using Jit360.Cp.Commands;
using Jit360.Cp.Directory;
using Jit360.Cp.Io;
using Jit360.Cp.SavedSystems;
using Jit360.Machine.Devices.Dasd;
using Jit360.Machine.Media;

namespace Jit360.Cli;

/// <summary>
/// <c>jit360 cp -f FILE.cnf --directory USER.DIRECT --system CMS=CMS.segment --segment CMSSEG=CMSSEG.segment@3840</c>:
/// starts the Control Program. The DASD statements of the configuration name the real volumes
/// (found by their VOL1 or CMS label, which MDISK statements refer to); the operator's console is
/// this terminal, logged on as the system operator (OPERATOR) at start, as VM/370 does at IPL; SHUTDOWN
/// (class A) or the end of its input logs everyone off, flushes the volumes and ends; other users dial in with a
/// line-mode telnet client to the port (<c>--port</c>, else the configuration's CNSLPORT, else 3270).
/// The virtual machines share <c>--cpus</c> host threads (default: one per host core).
/// </summary>
public sealed class CpVerb : IVerb
{
    public Command Build()
    {
        var config = new Option<FileInfo>("--config", "-f") { Description = "Hercules-style configuration whose DASD statements are CP's real volumes", Required = true };
        var directory = new Option<FileInfo>("--directory", "-d") { Description = "the USER DIRECT file", Required = true };
        var systems = new Option<string[]>("--system") { Description = "an IPL-able saved system, NAME=FILE[@page] (page 0 by default)", AllowMultipleArgumentsPerToken = false };
        var segments = new Option<string[]>("--segment") { Description = "a shared segment, NAME=FILE@page (CMSSEG=CMSSEG.segment@3840)" };
        var engine = new Option<string>("--engine") { Description = $"execution engine ({string.Join(", ", Engines.Names)})", DefaultValueFactory = _ => "interp" };
        engine.AcceptOnlyFromAmong(Engines.Names);
        var port = new Option<int?>("--port") { Description = "TCP port for users' line-mode terminals (0: none)" };
        var spool = new Option<DirectoryInfo?>("--spool") { Description = "folder of the spool files (nnnn.spool), kept across CP restarts; without it spool files live in storage only" };
        var cpus = new Option<int>("--cpus") { Description = "host threads that dispatch the virtual machines (default: one per host core)", DefaultValueFactory = _ => Environment.ProcessorCount };
        cpus.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--cpus must be at least 1"); });
        var cmd = new Command("cp", "Run the Control Program: virtual machines for the users of a VM/370 directory") { config, directory, systems, segments, engine, port, spool, cpus };
        cmd.SetAction(p => Run(p.GetValue(config)!, p.GetValue(directory)!, p.GetValue(systems) ?? [], p.GetValue(segments) ?? [], p.GetValue(engine)!, p.GetValue(port), p.GetValue(spool), p.GetValue(cpus)));
        return cmd;
    }

    static int Run(FileInfo configFile, FileInfo directoryFile, string[] systems, string[] segments, string engineName, int? port, DirectoryInfo? spool, int cpus)
    {
        using var volumes = new RealVolumes();
        var catalog = new SavedSystemCatalog();
        UserDirectory directory;
        HerculesConfig config;
        var realDasd = new List<(ushort Address, string Type, string Volser)>();
        try
        {
            config = HerculesConfig.Load(configFile.ToString());
            directory = UserDirectory.Load(directoryFile.ToString());
            string baseDir = Path.GetDirectoryName(Path.GetFullPath(configFile.ToString()))!;
            foreach (var d in config.Devices.Where(d => DasdGeometry.Find(d.Type) != null && d.Arguments.Count > 0))
            {
                string path = Path.IsPathRooted(d.Arguments[0]) ? d.Arguments[0] : Path.Combine(baseDir, d.Arguments[0]);
                bool ro = d.Arguments.Skip(1).Any(a => a.ToLowerInvariant() is "ro" or "readonly");
                string volser = volumes.Mount(path, ro);
                foreach (var number in d.Numbers) realDasd.Add((number, d.Type, volser));
                Console.WriteLine($"JIT360 CP: volume {volser} on {path}");
            }
            foreach (var s in systems) Define(catalog, s, iplable: true);
            foreach (var s in segments) Define(catalog, s, iplable: false);
        }
        catch (Exception e) when (e is ConfigError or DirectoryException or CkdImageException or SavedSystemException or FormatException or IOException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        spool?.Create();
        var devices = new VirtualDeviceServices(volumes, catalog, spoolFolder: spool?.FullName);
        foreach (var (address, type, volser) in realDasd) devices.AddRealDevice(address, type, volser);
        foreach (var problem in devices.SpoolFiles.Problems) Console.Error.WriteLine($"JIT360 CP: spool file {problem}; left in place");
        var system = new CpSystem(directory, devices);
        devices.System = system;
        using var scheduler = new Cp.Scheduling.Scheduler(system, cpus);
        UserRunner Dial(UserTerminal t) => new(scheduler, system, devices, t, () => Engines.Create(engineName));

        int tcpPort = port ?? (config.Settings.TryGetValue("CNSLPORT", out var p) && int.TryParse(p, out int n) ? n : 3270);
        using var server = tcpPort > 0 ? new LineTerminalServer(tcpPort, Dial) : null;
        if (server != null) Console.WriteLine($"JIT360 CP: users dial in on port {server.Port} (telnet, line mode)");

        // The operator's console is this terminal, logged on as the system operator as VM/370 does at IPL.
        // A DISCONN there leaves the operator's machine running and gives the console a new terminal for a LOGON.
        var consoles = new List<UserRunner>();
        UserRunner console = null!;
        UserRunner NewConsole()
        {
            var terminal = new UserTerminal { Echo = false };
            terminal.Output += Console.Write;
            terminal.Hangup += _ => { NewConsole(); Console.WriteLine(LineTerminalServer.OnlineMessage); };
            var runner = Dial(terminal);
            lock (consoles) { consoles.Add(runner); console = runner; }
            return runner;
        }
        var operatorRunner = NewConsole();
        var shutdown = new ManualResetEventSlim();   // not disposed: the console thread may still set it at the end of its input
        system.ShutdownRequested += shutdown.Set;
        if (!SystemShutdown.LogOnOperator(system, operatorRunner.Session))
            Console.WriteLine($"JIT360 CP: no user {system.OperatorUserId} in the directory; LOGON userid password");
        Console.WriteLine("JIT360 CP: the operator's console; SHUTDOWN (or Ctrl-D) ends CP");
        UserRunner Current() { lock (consoles) return console; }
        var stdin = new Thread(() =>
        {
            while (Console.ReadLine() is { } line) Current().Terminal.SendLine(line);
            // The end of the input ends CP like SHUTDOWN, once the lines typed before it have been taken.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (DateTime.UtcNow < deadline && !system.ShuttingDown)
            {
                lock (consoles) if (consoles.All(c => c.Terminal.PendingLines == 0)) break;
                Thread.Sleep(20);
            }
            Thread.Sleep(100);   // the last line taken is being carried out
            shutdown.Set();
        }) { IsBackground = true, Name = "CP operator's console" };
        stdin.Start();
        shutdown.Wait();

        // Every machine stops, every user is logged off (LOGOFF AT on its terminal), the volumes are flushed and closed.
        if (server != null) server.Dispose();
        List<UserRunner> all;
        lock (consoles) all = consoles.ToList();
        foreach (var r in all) r.Dispose();
        SystemShutdown.LogOffEveryone(system);
        server?.CloseConnections();
        Console.WriteLine("JIT360 CP: SYSTEM SHUTDOWN COMPLETE");
        Console.Out.Flush();
        return 0;
    }

    /// <summary>NAME=FILE[@page].</summary>
    static void Define(SavedSystemCatalog catalog, string text, bool iplable)
    {
        int eq = text.IndexOf('=');
        if (eq <= 0) throw new FormatException($"'{text}': expected NAME=FILE[@page]");
        string name = text[..eq], rest = text[(eq + 1)..];
        int at = rest.LastIndexOf('@');
        int page = 0;
        if (at >= 0 && int.TryParse(rest[(at + 1)..], out int pg)) { page = pg; rest = rest[..at]; }
        if (!File.Exists(rest)) throw new FormatException($"'{text}': no file {rest}");
        catalog.Define(name, rest, page, iplable);
    }
}
