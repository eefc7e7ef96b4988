using System.Buffers.Binary;
using Jit360.Architecture;
using Jit360.Cp.Io;
using Jit360.Cp.SavedSystems;
using Jit360.Cp.VirtualMachines;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Cp;

/// <summary>
/// Saved-system pages shared copy-on-write between virtual machines (<see cref="Storage.LoadShared"/>):
/// a hundred machines that IPL CMS and attach CMSSEG hold one copy of those pages in host memory,
/// measured with /proc/self/smaps; real CMS reaches Ready on shared pages on the interpreter and the
/// JIT; LOGOFF gives the pages back. Uses the real R6 saved systems from ../shared when present,
/// else synthetic ones of the same sizes for the memory measurement.
/// </summary>
[NonParallelizable]
public class SharedSavedSystemTests
{
    const uint RealStorage = GuestMachine.RealStorage;
    const int Machines = 100;

    [SetUp]
    public void RequireHost()
    {
        HostMemory.Require();
        if (!SharedPages.Supported) Assert.Ignore($"pages cannot be mapped on this host: {SharedPages.FallbackReason}");
    }

    static string? syntheticFolder;

    [OneTimeTearDown]
    public void RemoveSyntheticFiles()
    {
        if (syntheticFolder != null) global::System.IO.Directory.Delete(syntheticFolder, recursive: true);
        syntheticFolder = null;
    }

    /// <summary>CMS and CMSSEG from ../shared, or synthetic saved systems of the same sizes (33 pages at 0, 16 at X'F00000') in a temporary folder.</summary>
    static SavedSystemCatalog Catalog(bool share, out string source)
    {
        string? cms = Shared.Directory == null ? null : Path.Combine(Shared.Directory, "guests/vm370r6-cms/CMS.segment");
        string? seg = Shared.Directory == null ? null : Path.Combine(Shared.Directory, "guests/vm370r6-cms/CMSSEG.segment");
        if (cms == null || seg == null || !File.Exists(cms) || !File.Exists(seg))
        {
            if (syntheticFolder == null)
            {
                syntheticFolder = Path.Combine(Path.GetTempPath(), "jit360-cow-" + Guid.NewGuid().ToString("N")[..8]);
                global::System.IO.Directory.CreateDirectory(syntheticFolder);
                File.WriteAllBytes(Path.Combine(syntheticFolder, "CMS.segment"), Synthetic(33, 1));
                File.WriteAllBytes(Path.Combine(syntheticFolder, "CMSSEG.segment"), Synthetic(16, 2));
            }
            cms = Path.Combine(syntheticFolder, "CMS.segment");
            seg = Path.Combine(syntheticFolder, "CMSSEG.segment");
            source = "synthetic saved systems (../shared absent)";
        }
        else source = "the R6 CMS and CMSSEG saved systems";
        return new SavedSystemCatalog { SharePages = share }
            .Define("CMS", cms, loadPage: 0, iplable: true)
            .Define("CMSSEG", seg, loadPage: 3840, iplable: false);
    }

    /// <summary>A state page (BC-mode PSW at X'20000', keys E0) and N pages of random bytes.</summary>
    static byte[] Synthetic(int pages, int seed)
    {
        var file = new byte[(pages + 1) * SavedSystem.PageSize];
        new Random(seed).NextBytes(file.AsSpan(SavedSystem.PageSize));
        BinaryPrimitives.WriteUInt64BigEndian(file, 0x00040000_00020000UL);
        file.AsSpan(0, 4096)[168..(168 + 2 * pages)].Fill(0xE0);
        return file;
    }

    sealed record Measurement(string Mode, int Machines, long ImageKb, int Layouts, Dictionary<string, long> Loaded, Dictionary<string, long> Returned,
                              long MappedRssKb, long MappedPssKb, long MappedAnonymousKb, int MappingsAfterRelease, long FilePages, long PrivatePages)
    {
        public double PerMachine(string field) => (double)Loaded.GetValueOrDefault(field) / Machines;

        public override string ToString() =>
            $"{Mode}: {Machines} machines, image {ImageKb}K each: Rss +{Loaded["Rss"] / 1024.0:F1}M ({PerMachine("Rss"):F0}K/VM), " +
            $"Pss +{Loaded["Pss"] / 1024.0:F1}M ({PerMachine("Pss"):F0}K/VM), Private_Dirty +{Loaded["Private_Dirty"] / 1024.0:F1}M ({PerMachine("Private_Dirty"):F0}K/VM); " +
            $"resident in the storage arrays: {4.0 * PrivatePages / Machines:F0}K/VM private, {4.0 * FilePages / Machines:F0}K/VM memory-file pages; " +
            $"image mappings ({Layouts} memory file(s) per image) Rss {MappedRssKb}K Pss {MappedPssKb}K copied {MappedAnonymousKb}K; " +
            $"release returns Pss {Returned["Pss"] / 1024.0:F1}M ({(double)Returned["Pss"] / Machines:F0}K/VM), Rss {Returned["Rss"] / 1024.0:F1}M";
    }

    static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    static Dictionary<string, long> Delta(Dictionary<string, long> after, Dictionary<string, long> before)
        => after.ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key));

    /// <summary>
    /// N machines of 16M IPL CMS and attach CMSSEG, then read every page of both (as running guests
    /// do); host memory before, after, and after every machine released its storage (LOGOFF).
    /// </summary>
    static Measurement Measure(SavedSystemCatalog catalog, string mode, int n)
    {
        var cms = catalog.Find("CMS")!;
        var seg = catalog.Find("CMSSEG")!;
        Settle();
        var before = HostMemory.Rollup();
        var machines = new List<VirtualMachine>();
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            var vm = new VirtualMachine(new CpuState(ArchLevel.S370, RealStorage));
            NamedSystemLoader.IplNamedSystem(vm, cms);
            NamedSystemLoader.AttachSegment(vm.Cpu, seg);
            foreach (var s in new[] { cms, seg })
                for (uint a = s.LoadAddress; a < s.EndAddress; a += 1024) sum += vm.Cpu.Storage.Bytes[a];
            machines.Add(vm);
        }
        var loaded = HostMemory.Rollup();
        var ranges = machines.Select(vm => (Start: HostMemory.Address(vm.Cpu.Storage.Bytes), End: HostMemory.Address(vm.Cpu.Storage.Bytes) + vm.Cpu.Storage.Bytes.Length)).ToList();
        var maps = HostMemory.Mappings("jit360 CMS").Where(m => ranges.Any(r => m.Start >= r.Start && m.End <= r.End)).ToList();
        var residency = machines.Select(vm => HostMemory.Pages(vm.Cpu.Storage.Bytes)).ToList();
        var mapped = HostMemory.Rollup();
        foreach (var vm in machines) vm.Cpu.Storage.Release();
        var released = HostMemory.Rollup();
        int left = HostMemory.Mappings("jit360 CMS").Count(m => ranges.Any(r => m.Start >= r.Start && m.End <= r.End));
        Assert.That(sum, Is.GreaterThan(0));
        GC.KeepAlive(machines);
        return new Measurement(mode, n, (cms.Pages.Length + seg.Pages.Length) / 1024, cms.Image?.Layouts ?? 0, Delta(loaded, before), Delta(mapped, released),
            maps.Sum(m => m["Rss"]), maps.Sum(m => m["Pss"]), maps.Sum(m => m["Anonymous"]), left, residency.Sum(r => r.FilePages), residency.Sum(r => r.AnonymousPages));
    }

    [Test]
    public void A_hundred_machines_that_IPL_CMS_hold_one_copy_of_its_pages()
    {
        Measure(Catalog(share: true, out _), "warm-up", 5);   // the first run in a process also grows the heap and compiles code
        var copied = Measure(Catalog(share: false, out _), "copied", Machines);
        var shared = Measure(Catalog(share: true, out string source), "shared", Machines);
        TestContext.Out.WriteLine(source);
        TestContext.Out.WriteLine(copied);
        TestContext.Out.WriteLine(shared);
        long image = shared.ImageKb;
        // The process totals (smaps_rollup) are printed; the assertions count the storage arrays' own
        // pages (pagemap), which other tests' threads and the GC heap do not move.
        // Copies: every machine holds the whole image privately.
        Assert.That(copied.PrivatePages * 4 / Machines, Is.GreaterThanOrEqualTo(image));
        Assert.That(copied.FilePages, Is.Zero, "copies map no memory file");
        // Shared: a machine's own pages are far fewer than the image (the partial host pages at both
        // ends of each image, the page with the array's header); the rest are the memory files' pages.
        Assert.That(shared.PrivatePages * 4 / Machines, Is.LessThan(image / 4));
        Assert.That(shared.FilePages * 4 / Machines, Is.GreaterThan(image - 5 * 4), "every machine shows the image's whole pages");
        // The image's whole pages are mapped in every machine (Rss counts each mapping) but owned once (Pss).
        Assert.That(shared.MappedRssKb, Is.GreaterThan(Machines * (image - 5 * 4)));
        // Pss splits a page among its mappings: the image counts once per memory file (one per array
        // offset within a host page; smaps rounds each mapping's share down).
        Assert.That(shared.MappedPssKb, Is.LessThanOrEqualTo(image * shared.Layouts), "the image's pages count once per memory file");
        Assert.That(shared.MappedAnonymousKb, Is.Zero, "reading never copies a page");
        // LOGOFF (Storage.Release) unmaps the image and gives the copies back.
        Assert.That(shared.MappingsAfterRelease, Is.Zero);
        Assert.That(copied.Returned["Pss"] / (double)Machines, Is.GreaterThan(image * 0.9));
    }

    [Test]
    public void Stores_by_one_machine_are_not_seen_by_another_nor_by_the_image()
    {
        var catalog = Catalog(share: true, out _);
        var cms = catalog.Find("CMS")!;
        var first = new VirtualMachine(new CpuState(ArchLevel.S370, RealStorage));
        var second = new VirtualMachine(new CpuState(ArchLevel.S370, RealStorage));
        NamedSystemLoader.IplNamedSystem(first, cms);
        NamedSystemLoader.IplNamedSystem(second, cms);
        Assert.That(first.Cpu.Storage.SharedHostPages, Is.GreaterThanOrEqualTo(cms.PageCount - 1));
        first.Cpu.Storage.Bytes.AsSpan(0x4000, 0x2000).Fill(0x5A);
        first.Cpu.Storage.WriteWordAbsolute(0x10000, 0xDEADBEEF);
        Assert.That(second.Cpu.Storage.Bytes.AsSpan(0, cms.Pages.Length).SequenceEqual(cms.Pages.Span), Is.True);
        var third = new VirtualMachine(new CpuState(ArchLevel.S370, RealStorage));
        NamedSystemLoader.IplNamedSystem(third, cms);
        Assert.That(third.Cpu.Storage.Bytes.AsSpan(0, cms.Pages.Length).SequenceEqual(cms.Pages.Span), Is.True, "the shared image is unchanged");
        var firstMaps = HostMemory.MappingsIn(first.Cpu.Storage.Bytes, "jit360 CMS");
        // 0x4000-0x5FFF spans three host pages (the array is not page-aligned), 0x10000 one more.
        Assert.That(firstMaps.Sum(m => m["Anonymous"]), Is.InRange(8, 16), "the written pages alone were copied");
        Assert.That(HostMemory.MappingsIn(second.Cpu.Storage.Bytes, "jit360 CMS").Sum(m => m["Anonymous"]), Is.Zero);
        foreach (var vm in new[] { first, second, third }) vm.Cpu.Storage.Release();
    }

    static readonly string[] Disks = ["cmsuser_191", "cmsuser_192", "shared_19D", "gcccms_201", "gcccms_202"];

    static void Expect(UserRunner user, string text)
    {
        try { user.Terminal.WaitForOutput(l => l.Contains(text, StringComparison.Ordinal), TimeSpan.FromSeconds(60)); }
        catch (TimeoutException)
        {
            Assert.Fail($"no '{text}' on the terminal; transcript:\n{string.Join("\n", user.Terminal.Lines)}\nfailure: {user.Failure}");
        }
    }

    [TestCase("interp")]
    [TestCase("jit")]
    public void CMS_reaches_Ready_on_shared_pages_and_LOGOFF_gives_them_back(string engine)
    {
        using var cp = new CmsSystem(SampleDirectory.Text, engine, Disks);
        var user = cp.Dial();
        user.Terminal.SendLine("LOGON CMSUSER CMSUSER");
        Expect(user, "Ready;");
        var guest = cp.Devices.Guest(user.Session)!;
        var storage = guest.Machine.Cpu.Storage;
        var cmsMaps = HostMemory.MappingsIn(storage.Bytes, "jit360 CMS +");
        var segMaps = HostMemory.MappingsIn(storage.Bytes, "jit360 CMSSEG +");
        Assert.That(cmsMaps, Is.Not.Empty, "IPL CMS mapped the saved system");
        Assert.That(segMaps, Is.Not.Empty, "CMS's DIAGNOSE X'64' mapped CMSSEG");
        Assert.That(guest.RecentEvents.Where(e => e.StartsWith("DIAG 64", StringComparison.Ordinal)), Is.Not.Empty);
        TestContext.Out.WriteLine(string.Join("\n", guest.RecentEvents.Where(e => e.StartsWith("DIAG 64", StringComparison.Ordinal))));
        long cmsKb = cmsMaps.Sum(m => (m.End - m.Start) / 1024), cmsPrivate = cmsMaps.Sum(m => m["Anonymous"]);
        long segKb = segMaps.Sum(m => (m.End - m.Start) / 1024), segPrivate = segMaps.Sum(m => m["Anonymous"]);
        TestContext.Out.WriteLine($"{engine}: at Ready, CMS wrote {cmsPrivate / 4} of its {cmsKb / 4} shared pages and {segPrivate / 4} of CMSSEG's {segKb / 4}");
        Assert.That(cmsPrivate, Is.LessThan(cmsKb), "some CMS pages are still shared at Ready");

        user.Terminal.SendLine("LOGOFF");
        Expect(user, "LOGOFF AT");
        Assert.That(HostMemory.MappingsIn(storage.Bytes, "jit360 CMS"), Is.Empty, "LOGOFF gave the shared pages back");
        Assert.That(storage.SharedHostPages, Is.Zero);

        // The guest's stores went to its own pages: the next user starts from the saved system.
        var cms = cp.SavedSystems.Find("CMS")!;
        var next = new VirtualMachine(new CpuState(ArchLevel.S370, RealStorage));
        NamedSystemLoader.IplNamedSystem(next, cms);
        Assert.That(next.Cpu.Storage.Bytes.AsSpan(0, cms.Pages.Length).SequenceEqual(cms.Pages.Span), Is.True);
        next.Cpu.Storage.Release();
    }
}
