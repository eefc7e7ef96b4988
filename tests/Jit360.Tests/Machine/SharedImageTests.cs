using System.Runtime.CompilerServices;
using Jit360.Machine;
using Jit360.Machine.Channels;
using Jit360.Tests.Channels;
using Jit360.Tests.Support;

namespace Jit360.Tests.Machine;

/// <summary>
/// <see cref="Storage.LoadShared"/>: an image's host pages mapped copy-on-write into many storages.
/// Every store into a shared page (host, CPU on every engine, channel) stays in that storage; the
/// image and the other storages keep the original bytes; the pages go back to plain zero memory
/// on <see cref="Storage.Release"/>, <see cref="Storage.Clear"/> and when the GC collects the storage.
/// </summary>
[NonParallelizable]
public class SharedImageTests
{
    const uint OneMeg = 0x100000;

    [SetUp]
    public void RequireHost()
    {
        HostMemory.Require();
        if (!SharedPages.Supported) Assert.Ignore($"pages cannot be mapped on this host: {SharedPages.FallbackReason}");
    }

    /// <summary>Ten pages and a bit of recognisable bytes, so that partial host pages exist at both ends.</summary>
    static byte[] ImageBytes(int seed)
    {
        var bytes = new byte[10 * 4096 + 100];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Test]
    public void A_storage_is_zero_and_costs_no_host_memory_until_written()
    {
        GC.Collect();
        long before = HostMemory.Rollup()["Rss"];
        var st = new Storage(16 * OneMeg);
        long added = HostMemory.Rollup()["Rss"] - before;
        Assert.That(added, Is.LessThan(2048), "kB resident after allocating 16M of storage (reused GC memory too: its pages are replaced by fresh zero pages)");
        Assert.That(st.Bytes, Has.Length.EqualTo(16 * OneMeg + 8));
        Assert.That(st.Bytes.AsSpan().ContainsAnyExcept((byte)0), Is.False, "every byte of a new storage is zero");
        Assert.That(st.SharedHostPages, Is.Zero);
    }

    [TestCase(0x0000u)]
    [TestCase(0x3000u)]
    [TestCase(0x1234u)]
    public void Loaded_image_reads_back_and_its_whole_pages_show_the_memory_file(uint address)
    {
        var bytes = ImageBytes(1);
        using var image = new SharedImage("READBACK", bytes);
        var st = new Storage(OneMeg);
        Assert.That(st.LoadShared(address, image), Is.True);
        Assert.That(st.Bytes.AsSpan((int)address, bytes.Length).SequenceEqual(bytes), Is.True);
        if (address > 0) Assert.That(st.Bytes[(int)address - 1], Is.Zero, "nothing before the image changed");
        Assert.That(st.Bytes[(int)address + bytes.Length], Is.Zero, "nothing after the image changed");
        var maps = HostMemory.MappingsIn(st.Bytes, "jit360 READBACK");
        Assert.That(maps, Has.Count.EqualTo(1));
        long pages = (maps[0].End - maps[0].Start) / 4096;
        Assert.That(pages, Is.EqualTo(st.SharedHostPages));
        Assert.That(pages, Is.InRange(9, 10), "the whole host pages inside 10 pages and 100 bytes");
    }

    [Test]
    public void Host_stores_are_private_to_their_storage()
    {
        var bytes = ImageBytes(2);
        using var image = new SharedImage("PRIVATE", bytes);
        var a = new Storage(OneMeg);
        var b = new Storage(OneMeg);
        a.LoadShared(0x10000, image);
        b.LoadShared(0x10000, image);
        a.Bytes[0x12345] ^= 0xFF;
        a.Load(0x14000, new byte[] { 1, 2, 3, 4 });
        Assert.That(a.Bytes[0x12345], Is.EqualTo((byte)(bytes[0x2345] ^ 0xFF)));
        Assert.That(a.Bytes.AsSpan(0x14000, 4).ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        Assert.That(b.Bytes.AsSpan(0x10000, bytes.Length).SequenceEqual(bytes), Is.True, "the other storage keeps the image");
        var c = new Storage(OneMeg);
        c.LoadShared(0x10000, image);
        Assert.That(c.Bytes.AsSpan(0x10000, bytes.Length).SequenceEqual(bytes), Is.True, "the memory file itself is unchanged");
        Assert.That(image.Bytes.Span.SequenceEqual(bytes), Is.True);
    }

    [TestCaseSource(typeof(TestEngines), nameof(TestEngines.Names))]
    public void CPU_stores_into_a_shared_page_are_private_on_every_engine(string engine)
    {
        // The program is part of the image: L 1,X'100'(2); A 1,X'104'(2); ST 1,X'100'(2); MVI X'108'(2),C'A'.
        var bytes = ImageBytes(3);
        Convert.FromHexString("58102100" + "5A102104" + "50102100" + "92C12108").CopyTo(bytes, 0x1000);
        Convert.FromHexString("00000005" + "00000007").CopyTo(bytes, 0x1100);
        using var image = new SharedImage("CPUSTORE", bytes);
        var m = new TestMachine(engine, storage: OneMeg);
        var other = new Storage(OneMeg);
        Assert.That(m.Cpu.Storage.LoadShared(0x1000, image), Is.True);
        Assert.That(other.LoadShared(0x1000, image), Is.True);
        m.Reg(2, 0x2000);
        m.Cpu.Ia = 0x2000;
        m.Run(4);
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Word(0x2100), Is.EqualTo(12u));
        Assert.That(m.Cpu.Storage.Bytes[0x2108], Is.EqualTo(0xC1));
        Assert.That(other.Bytes.AsSpan(0x1000, bytes.Length).SequenceEqual(bytes), Is.True, "the other storage keeps the image");
        var fresh = new Storage(OneMeg);
        fresh.LoadShared(0x1000, image);
        Assert.That(fresh.Bytes.AsSpan(0x1000, bytes.Length).SequenceEqual(bytes), Is.True, "the memory file is unchanged");
    }

    [Test]
    public void Channel_data_into_a_shared_page_is_private()
    {
        var bytes = ImageBytes(4);
        using var image = new SharedImage("CHANNEL", bytes);
        var m = new TestMachine(storage: OneMeg);
        var other = new Storage(OneMeg);
        m.Cpu.Storage.LoadShared(0x4000, image);
        other.LoadShared(0x4000, image);
        using var channels = new ChannelSubsystem(m.Cpu);
        var device = new FakeDevice(0x00C) { ReadData = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray() };
        channels.Attach(device);
        var csw = channels.RunToEnd(0x00C, new Ccw(0x02, 0x6000, 0, 16), TimeSpan.FromSeconds(10));
        Assert.That(csw, Is.Not.Null);
        Assert.That(m.Cpu.Storage.Bytes.AsSpan(0x6000, 16).ToArray(), Is.EqualTo(device.ReadData));
        Assert.That(other.Bytes.AsSpan(0x4000, bytes.Length).SequenceEqual(bytes), Is.True);
    }

    sealed class Watch : IStoreWatch
    {
        public readonly List<(uint, int)> Stores = [];
        public void Stored(uint address, int length) => Stores.Add((address, length));
    }

    [Test]
    public void A_shared_load_tells_the_code_watch_and_Clear_zeroes_bytes_keys_and_mappings()
    {
        var bytes = ImageBytes(5);
        using var image = new SharedImage("CLEAR", bytes);
        var st = new Storage(OneMeg);
        var watch = new Watch();
        st.CodeWatch = watch;
        st.LoadShared(0x8000, image);
        Assert.That(watch.Stores, Does.Contain((0x8000u, bytes.Length)));
        st.SetKey(0x8000, 0x38);
        Assert.That(st.FetchProtectedBlocks, Is.EqualTo(1));
        st.Bytes[0x9000] = 0x55;
        st.Clear();
        Assert.That(st.Bytes.AsSpan().ContainsAnyExcept((byte)0), Is.False);
        Assert.That(st.Keys.AsSpan().ContainsAnyExcept((byte)0), Is.False);
        Assert.That(st.FetchProtectedBlocks, Is.Zero);
        Assert.That(st.SharedHostPages, Is.Zero);
        Assert.That(HostMemory.MappingsIn(st.Bytes, "jit360 CLEAR"), Is.Empty);
        Assert.That(watch.Stores[^1], Is.EqualTo((0u, (int)OneMeg)));
        Assert.That(st.LoadShared(0x8000, image), Is.True, "a cleared storage shares again");
        Assert.That(st.Bytes.AsSpan(0x8000, bytes.Length).SequenceEqual(bytes), Is.True);
    }

    [Test]
    public void Release_returns_the_pages_and_leaves_zero_storage()
    {
        var bytes = ImageBytes(6);
        using var image = new SharedImage("RELEASE", bytes);
        var st = new Storage(OneMeg);
        st.LoadShared(0, image);
        st.Bytes[0x5000] = 1;
        st.Release();
        Assert.That(HostMemory.MappingsIn(st.Bytes, "jit360 RELEASE"), Is.Empty);
        Assert.That(st.SharedHostPages, Is.Zero);
        Assert.That(st.Bytes.AsSpan().ContainsAnyExcept((byte)0), Is.False);
        st.Bytes[0x5000] = 2;
        Assert.That(st.Bytes[0x5000], Is.EqualTo(2), "released storage is still ordinary memory");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static WeakReference Abandoned(SharedImage image, out long start, out long end)
    {
        var st = new Storage(OneMeg);
        st.LoadShared(0, image);
        start = HostMemory.Address(st.Bytes);
        end = start + st.Bytes.Length;
        Assert.That(HostMemory.MappingsIn(st.Bytes, "jit360 ABANDONED"), Has.Count.EqualTo(1));
        return new WeakReference(st);
    }

    [Test]
    public void A_collected_storage_gives_its_shared_pages_back_before_the_GC_reuses_its_memory()
    {
        using var image = new SharedImage("ABANDONED", ImageBytes(7));
        var weak = Abandoned(image, out long start, out long end);
        for (int i = 0; i < 3 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        GC.Collect();
        Assert.That(weak.IsAlive, Is.False);
        Assert.That(HostMemory.Mappings("jit360 ABANDONED").Where(m => m.Start < end && m.End > start), Is.Empty,
            "the array's memory shows no file any more");
    }

    [Test]
    public void Small_storage_copies_instead()
    {
        var bytes = ImageBytes(8);
        using var image = new SharedImage("SMALL", bytes);
        var st = new Storage(0x20000);
        Assert.That(st.LoadShared(0x1000, image), Is.False);
        Assert.That(st.Bytes.AsSpan(0x1000, bytes.Length).SequenceEqual(bytes), Is.True);
        Assert.That(st.SharedHostPages, Is.Zero);
    }

    [Test]
    public void Storages_of_one_size_share_one_memory_file()
    {
        var bytes = ImageBytes(9);
        using var image = new SharedImage("LAYOUT", bytes);
        var storages = Enumerable.Range(0, 8).Select(_ => new Storage(16 * OneMeg)).ToList();
        foreach (var st in storages) Assert.That(st.LoadShared(0, image), Is.True);
        var offsets = storages.Select(s => HostMemory.Address(s.Bytes) % 4096).Distinct().ToList();
        TestContext.Out.WriteLine($"array data offsets within their host page: {string.Join(", ", offsets)}; memory files {image.Layouts}");
        Assert.That(image.Layouts, Is.EqualTo(offsets.Count), "one memory file per distinct offset");
        foreach (var st in storages) st.Release();
    }

    [Test]
    public void An_image_that_does_not_fit_is_refused_with_its_range()
    {
        using var image = new SharedImage("TOOBIG", ImageBytes(10));
        var st = new Storage(OneMeg);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => st.LoadShared(OneMeg - 4096, image));
        Assert.That(ex!.Message, Does.Contain("0FF000"));
    }
}
