using Jit360.Machine.Media;

namespace Jit360.Tests.Devices;

public class AwsTapeTests
{
    string dir = "";

    [SetUp] public void MakeDir() => dir = Directory.CreateTempSubdirectory("jit360-aws-").FullName;
    [TearDown] public void RemoveDir() => Directory.Delete(dir, true);

    static byte[] Pattern(int length, int seed) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + seed)).ToArray();

    [Test]
    public void Blocks_and_tape_marks_written_read_back_by_a_fresh_reader()
    {
        string path = Path.Combine(dir, "t.aws");
        using (var t = AwsTape.Create(path))
        {
            Assert.That(t.Write(Pattern(100, 1)), Is.True);
            Assert.That(t.Write(Pattern(70000, 2)), Is.True);   // more than one chunk
            Assert.That(t.WriteTapeMark(), Is.True);
            Assert.That(t.Write(Pattern(3, 3)), Is.True);
            Assert.That(t.WriteTapeMark(), Is.True);
            Assert.That(t.WriteTapeMark(), Is.True);
        }
        using var r = AwsTape.Open(path, readOnly: true);
        Assert.That(r.Blocks.Select(b => b.IsTapeMark ? -1 : b.Length), Is.EqualTo(new[] { 100, 70000, -1, 3, -1, -1 }));
        Assert.That(r.ReadForward(out var d), Is.EqualTo(TapeResult.Block));
        Assert.That(d, Is.EqualTo(Pattern(100, 1)));
        Assert.That(r.ReadForward(out d), Is.EqualTo(TapeResult.Block));
        Assert.That(d, Is.EqualTo(Pattern(70000, 2)));
        Assert.That(r.ReadForward(out d), Is.EqualTo(TapeResult.TapeMark));
        Assert.That(r.FileNumber, Is.EqualTo(2));
        Assert.That(r.ReadForward(out d), Is.EqualTo(TapeResult.Block));
        Assert.That(d, Is.EqualTo(Pattern(3, 3)));
        Assert.That(r.ReadForward(out _), Is.EqualTo(TapeResult.TapeMark));
        Assert.That(r.ReadForward(out _), Is.EqualTo(TapeResult.TapeMark));
        Assert.That(r.ReadForward(out _), Is.EqualTo(TapeResult.EndOfData));
        // backward: the marks, then the block, whole and in recorded order
        Assert.That(r.ReadBackward(out _), Is.EqualTo(TapeResult.TapeMark));
        Assert.That(r.BackspaceFile(), Is.EqualTo(TapeResult.TapeMark));
        Assert.That(r.Position, Is.EqualTo(4));
        Assert.That(r.ReadBackward(out d), Is.EqualTo(TapeResult.Block));
        Assert.That(d, Is.EqualTo(Pattern(3, 3)));
        Assert.That(r.BackspaceFile(), Is.EqualTo(TapeResult.TapeMark));
        Assert.That(r.Position, Is.EqualTo(2));
        Assert.That(r.BackspaceFile(), Is.EqualTo(TapeResult.LoadPoint));
        Assert.That(r.AtLoadPoint, Is.True);
        Assert.That(r.BackspaceBlock(), Is.EqualTo(TapeResult.LoadPoint));
        Assert.That(r.ForwardSpaceFile(), Is.EqualTo(TapeResult.TapeMark));
        Assert.That(r.ForwardSpaceBlock(), Is.EqualTo(TapeResult.Block));
        r.Rewind();
        Assert.That(r.Position, Is.EqualTo(0));
        Assert.That(r.Write([1]), Is.False, "a read-only tape takes no writes");
    }

    [Test]
    public void Writing_truncates_everything_after_the_write_point()
    {
        string path = Path.Combine(dir, "t.aws");
        using (var t = AwsTape.Create(path))
        {
            for (int i = 0; i < 5; i++) t.Write(Pattern(50, i));
            t.WriteTapeMark();
            t.Rewind();
            t.ForwardSpaceBlock();
            t.Write(Pattern(10, 9));
            Assert.That(t.Blocks.Count, Is.EqualTo(2));
        }
        Assert.That(new FileInfo(path).Length, Is.EqualTo(6 + 50 + 6 + 10));
        using var r = AwsTape.Open(path);
        Assert.That(r.ReadForward(out var a), Is.EqualTo(TapeResult.Block));
        Assert.That(a, Is.EqualTo(Pattern(50, 0)));
        Assert.That(r.ReadForward(out var b), Is.EqualTo(TapeResult.Block));
        Assert.That(b, Is.EqualTo(Pattern(10, 9)));
        Assert.That(r.ReadForward(out _), Is.EqualTo(TapeResult.EndOfData));
    }

    [Test]
    public void Headers_follow_the_aws_layout()
    {
        string path = Path.Combine(dir, "t.aws");
        using (var t = AwsTape.Create(path)) { t.Write([0xC1, 0xC2]); t.WriteTapeMark(); }
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 2, 0, 0, 0, 0xA0, 0, 0xC1, 0xC2, 0, 0, 2, 0, 0x40, 0 }));
    }

    static byte[] Header(int len, int prev, byte flags) => [(byte)len, (byte)(len >> 8), (byte)prev, (byte)(prev >> 8), flags, 0];

    static IEnumerable<TestCaseData> Corrupt()
    {
        yield return new TestCaseData(Header(2, 0, 0xA0).Concat(new byte[] { 1, 2 }).Concat(new byte[] { 0, 0, 2 }).ToArray(), "truncated header").SetName("Truncated header");
        yield return new TestCaseData(Header(10, 0, 0xA0).Concat(new byte[] { 1, 2 }).ToArray(), "runs past the end").SetName("Chunk past end of file");
        yield return new TestCaseData(Header(2, 0, 0xA0).Concat(new byte[] { 1, 2 }).Concat(Header(1, 5, 0xA0)).Concat(new byte[] { 3 }).ToArray(), "previous-length").SetName("Previous length mismatch");
        yield return new TestCaseData(Header(2, 0, 0x20).Concat(new byte[] { 1, 2 }).ToArray(), "without start of record").SetName("Block without start of record");
        yield return new TestCaseData(Header(2, 0, 0x80).Concat(new byte[] { 1, 2 }).ToArray(), "ends inside").SetName("File ends inside a block");
    }

    [TestCaseSource(nameof(Corrupt))]
    public void A_malformed_file_is_refused_with_file_offset_and_fault(byte[] bytes, string fault)
    {
        string path = Path.Combine(dir, "bad.aws");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<AwsTapeException>(() => AwsTape.Open(path, readOnly: true))!;
        Assert.That(e.Message, Does.Contain(path).And.Contain("offset").And.Contain(fault));
    }

    [Test]
    public void A_file_changed_after_mount_gives_a_data_check_not_an_exception()
    {
        string path = Path.Combine(dir, "t.aws");
        using (var t = AwsTape.Create(path)) { t.Write(Pattern(20, 1)); t.Write(Pattern(20, 2)); }
        using var r = AwsTape.Open(path, readOnly: true);
        using (var w = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)) w.SetLength(30);
        Assert.That(r.ReadForward(out _), Is.EqualTo(TapeResult.Block));
        Assert.That(r.ReadForward(out _), Is.EqualTo(TapeResult.DataCheck));
        Assert.That(r.LastError, Does.Contain(path));
    }

    [Test]
    public void Random_bytes_are_a_tape_or_refused_never_a_host_exception()
    {
        var rnd = new Random(360);
        string path = Path.Combine(dir, "rnd.aws");
        for (int i = 0; i < 300; i++)
        {
            var bytes = new byte[rnd.Next(0, 200)];
            rnd.NextBytes(bytes);
            if (i % 2 == 0 && bytes.Length >= 6) { bytes[1] = 0; bytes[2] = bytes[3] = 0; }   // plausible first header more often
            File.WriteAllBytes(path, bytes);
            try
            {
                using var t = AwsTape.Open(path, readOnly: true);
                while (t.ReadForward(out _) is TapeResult.Block or TapeResult.TapeMark) { }
            }
            catch (AwsTapeException e) { Assert.That(e.Message, Does.Contain("offset")); }
        }
    }
}
