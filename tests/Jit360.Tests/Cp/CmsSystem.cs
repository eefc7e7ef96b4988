using System.IO.Compression;
using Jit360.Cp.Commands;
using Jit360.Cp.Directory;
using Jit360.Cp.Io;
using Jit360.Cp.SavedSystems;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Cp;

/// <summary>
/// A CP with the real VM/370 R6 CMS: the saved systems CMS and CMSSEG from ../shared, the CMS
/// minidisks gunzipped into a temporary folder (never written in ../shared), the sample
/// directory, and one scripted terminal per user.
/// </summary>
public sealed class CmsSystem : IDisposable
{
    public string Folder { get; }
    public RealVolumes Volumes { get; } = new();
    public SavedSystemCatalog SavedSystems { get; } = new();
    public VirtualDeviceServices Devices { get; }
    public CpSystem System { get; }
    readonly List<UserRunner> runners = [];

    readonly bool ownsFolder;
    readonly Func<IExecutionEngine> engine;

    public CmsSystem(params string[] disks) : this(null, disks) { }

    /// <summary>A CP over the disk images already in <paramref name="folder"/> (a second CP after the first one ended).</summary>
    public static CmsSystem Reopen(string folder, params string[] disks) => new(folder, disks);

    /// <summary>
    /// A CP with its own directory whose users run on the named engine (see <see cref="TestEngines"/>);
    /// <paramref name="prepare"/> may put more images into the folder (returning their paths) before the volumes are mounted.
    /// </summary>
    public CmsSystem(string directory, string engineName, string[] disks, Func<string, IEnumerable<string>>? prepare = null)
        : this(null, disks, directory, () => TestEngines.Create(engineName), prepare) { }

    /// <summary>As above with an engine factory of the caller's own.</summary>
    public CmsSystem(string directory, Func<IExecutionEngine> engine, string[] disks, Func<string, IEnumerable<string>>? prepare = null)
        : this(null, disks, directory, engine, prepare) { }

    CmsSystem(string? folder, string[] disks, string? directory = null, Func<IExecutionEngine>? engine = null, Func<string, IEnumerable<string>>? prepare = null)
    {
        this.engine = engine ?? (() => new Jit360.Interpreter.Interpreter());
        string guest = Shared.Require("guests/vm370r6-cms");
        ownsFolder = folder == null;
        Folder = folder ?? Path.Combine(Path.GetTempPath(), "jit360-cms-" + Guid.NewGuid().ToString("N")[..8]);
        global::System.IO.Directory.CreateDirectory(Folder);
        foreach (var disk in disks)
        {
            string target = Path.Combine(Folder, disk + ".ckd");
            if (ownsFolder)
            {
                using var input = new GZipStream(File.OpenRead(Path.Combine(guest, "disks", disk + ".ckd.gz")), CompressionMode.Decompress);
                using var output = File.Create(target);
                input.CopyTo(output);
            }
            Volumes.Mount(target);
        }
        if (prepare != null)
            foreach (var image in prepare(Folder)) Volumes.Mount(image);
        SavedSystems.Define("CMS", Path.Combine(guest, "CMS.segment"), 0, iplable: true);
        SavedSystems.Define("CMSSEG", Path.Combine(guest, "CMSSEG.segment"), 3840, iplable: false);
        string spool = Path.Combine(Folder, "spool");
        global::System.IO.Directory.CreateDirectory(spool);
        Devices = new VirtualDeviceServices(Volumes, SavedSystems, spoolFolder: spool);
        System = new CpSystem(DirectoryParser.Parse(directory ?? SampleDirectory.Text), Devices);
        Devices.System = System;
    }

    /// <summary>A terminal dialled in to CP, with its own thread running the interpreter.</summary>
    public UserRunner Dial()
    {
        var runner = new UserRunner(System, Devices, new UserTerminal(), engine);
        runners.Add(runner);
        return runner;
    }

    /// <summary>Ends every user and closes the volumes, leaving the images for another CP.</summary>
    public void Shutdown()
    {
        foreach (var r in runners) r.Dispose();
        runners.Clear();
        Volumes.Dispose();
    }

    public void Dispose()
    {
        Shutdown();
        if (!ownsFolder) return;
        try { global::System.IO.Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
