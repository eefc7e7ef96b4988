using System.IO.Compression;
using Jit360.Machine.Channels;
using Jit360.Machine.Devices.Dasd;
using Jit360.Machine.Media;

namespace Jit360.Tests.Dasd;

/// <summary>Temporary images for the DASD tests (a folder per test, removed afterwards).</summary>
public abstract class DasdTestBase
{
    protected string Dir = "";

    [SetUp]
    public void MakeDirectory()
    {
        Dir = Path.Combine(Path.GetTempPath(), "jit360-dasd-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Dir);
    }

    [TearDown]
    public void RemoveDirectory()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>A freshly formatted image of <paramref name="cylinders"/> cylinders (dasdinit layout).</summary>
    protected string NewImage(string type = "3350", int cylinders = 3, string volser = "TEST01", string name = "disk.ckd")
    {
        var path = Path.Combine(Dir, name);
        CkdImageFile.Create(path, DasdGeometry.Find(type)!, cylinders, volser);
        return path;
    }

    protected IDevice Attach(string path, string type = "3350", params string[] options) =>
        DeviceCatalog.Create(0x190, type, [path, .. options], new DeviceContext(Dir));

    /// <summary>Decompresses a .gz from ../shared into this test's folder (never into shared).</summary>
    protected string Gunzip(string gz)
    {
        var target = Path.Combine(Dir, Path.GetFileNameWithoutExtension(gz));
        using var input = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress);
        using var output = File.Create(target);
        input.CopyTo(output);
        return target;
    }
}
