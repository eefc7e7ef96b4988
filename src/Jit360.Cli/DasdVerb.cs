using System.CommandLine;
using Jit360.Machine.Devices.Dasd;
using Jit360.Machine.Media;

namespace Jit360.Cli;

/// <summary>
/// <c>jit360 dasd init TYPE FILE [CYLS] [--volser VOLSER] [--raw]</c> builds an empty CKD_P370 image as Hercules
/// dasdinit does; <c>jit360 dasd info FILE</c> describes a CKD or CCKD image (geometry, volume serial,
/// track 0 records, compression statistics).
/// </summary>
public sealed class DasdVerb : IVerb
{
    public Command Build()
    {
        var type = new Argument<string>("TYPE") { Description = "device type: " + string.Join(", ", DasdGeometry.All.Select(g => g.Name)) };
        var file = new Argument<FileInfo>("FILE") { Description = "the image file to create" };
        var cyls = new Argument<int?>("CYLS") { Description = "cylinders (default: the device's full size)", Arity = ArgumentArity.ZeroOrOne };
        var volser = new Option<string>("--volser") { Description = "volume serial for the VOL1 label (1-6 characters)", DefaultValueFactory = _ => "111111" };
        var raw = new Option<bool>("--raw") { Description = "no IPL records or VOL1 label on track 0 (dasdinit -r)" };
        var init = new Command("init", "Create an empty CKD disk image (like Hercules dasdinit)") { type, file, cyls, volser, raw };
        init.SetAction(p => Init(p.GetValue(type)!, p.GetValue(file)!.FullName, p.GetValue(cyls), p.GetValue(volser)!, p.GetValue(raw), Console.Out, Console.Error));

        var infoFile = new Argument<FileInfo>("FILE") { Description = "a CKD_P370 or CKD_C370 image" };
        var info = new Command("info", "Describe a CKD disk image") { infoFile };
        info.SetAction(p => Info(p.GetValue(infoFile)!.FullName, Console.Out, Console.Error));

        return new Command("dasd", "CKD disk images: init, info") { init, info };
    }

    public static int Init(string type, string path, int? cylinders, string volser, bool raw, TextWriter output, TextWriter error)
    {
        var g = DasdGeometry.Find(type);
        if (g == null) { error.WriteLine($"jit360 dasd init: unknown device type '{type}' (known: {string.Join(", ", DasdGeometry.All.Select(x => x.Name))})"); return 1; }
        int cyls = cylinders ?? g.Cylinders;
        if (cyls is < 1 or > 65535) { error.WriteLine($"jit360 dasd init: {cyls} cylinders (1-65535)"); return 1; }
        if (volser.Length is < 1 or > 6 || !volser.All(c => char.IsAsciiLetterOrDigit(c) || c is '$' or '#' or '@' or '-'))
        { error.WriteLine($"jit360 dasd init: volume serial '{volser}' must be 1-6 letters, digits, $ # @ or -"); return 1; }
        output.WriteLine($"Creating {g.Name} volume {volser.ToUpperInvariant()}: {cyls} cyls, {g.Heads} trks/cyl, {g.TrackSlot} bytes/track");
        bool large = cyls * (long)g.Heads * g.TrackSlot > 32L << 20;
        try
        {
            CkdImageFile.Create(path, g, cyls, volser, raw, c =>
            {
                if (large && (c + 1) % 50 == 0) output.WriteLine($"  {c + 1}/{cyls} cylinders written");
            });
        }
        catch (CkdImageException e) { error.WriteLine($"jit360 dasd init: {e.Message}"); return 1; }
        output.WriteLine($"{cyls} cylinders written to {path}");
        return 0;
    }

    public static int Info(string path, TextWriter output, TextWriter error)
    {
        CkdImage image;
        try { image = CkdImage.Open(path, readOnly: true); }
        catch (CkdImageException e) { error.WriteLine($"jit360 dasd info: {e.Message}"); return 1; }
        using (image)
        {
            var g = DasdGeometry.FromImageType(image.ImageType);
            output.WriteLine($"file:        {path}");
            output.WriteLine($"format:      {image.Format}");
            output.WriteLine($"device type: {g?.Name ?? "unknown"} (X'{image.ImageType:X2}')");
            output.WriteLine($"cylinders:   {image.Cylinders}");
            output.WriteLine($"heads:       {image.Heads}");
            output.WriteLine($"track size:  {image.TrackSlot}");
            var track = new byte[image.TrackSlot];
            image.ReadTrack(0, track);
            output.WriteLine($"volser:      {CkdVolumeLabel.Read(track) ?? "(no VOL1 or CMS label)"}");
            output.WriteLine("track 0:");
            int pos = CkdTrack.HomeAddressLength;
            while (!CkdTrack.IsEndMarker(track, pos))
            {
                int kl = CkdTrack.KeyLength(track, pos), dl = CkdTrack.DataLength(track, pos);
                output.WriteLine($"  R{track[pos + 4]}: CCHH {Convert.ToHexString(track, pos, 4)} key {kl} data {dl}");
                pos += CkdTrack.CountLength + kl + dl;
            }
            if (image is CckdImageFile c)
            {
                int stored = c.StoredTracks();
                output.WriteLine($"compression: {(c.Compression switch { 0 => "none", 1 => "zlib", 2 => "bzip2", _ => c.Compression.ToString() })}");
                output.WriteLine($"stored:      {stored} of {image.Tracks} tracks ({image.Tracks - stored} null)");
                output.WriteLine($"file size:   {c.FileSize} bytes, {c.UsedBytes} used ({100.0 * c.FileSize / ((long)image.Tracks * image.TrackSlot + 512):F1}% of the uncompressed size)");
            }
        }
        return 0;
    }
}
