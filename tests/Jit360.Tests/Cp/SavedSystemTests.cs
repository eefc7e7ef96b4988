using Jit360.Architecture;
using Jit360.Cp.SavedSystems;
using Jit360.Cp.VirtualMachines;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Cp;

public class SavedSystemTests
{
    static SavedSystemCatalog Catalog(out string cms)
    {
        cms = Shared.Require("guests/vm370r6-cms/CMS.segment");
        string cmsseg = Shared.Require("guests/vm370r6-cms/CMSSEG.segment");
        return new SavedSystemCatalog()
            .Define("CMS", cms, loadPage: 0, iplable: true)
            .Define("CMSSEG", cmsseg, loadPage: 3840, iplable: false);
    }

    [Test]
    public void IPL_CMS_loads_the_pages_and_keys_and_resumes_after_SAVESYS()
    {
        var catalog = Catalog(out _);
        var cms = catalog.Find("cms")!;
        Assert.That(cms.PageCount, Is.EqualTo(33));
        var cpu = new CpuState(ArchLevel.S370, 0x100000);
        NamedSystemLoader.IplNamedSystem(cpu, cms);

        Assert.That(Ebcdic.ToString(cpu.Storage.Bytes.AsSpan(0x200, 32)), Is.EqualTo("CMS VERSION 6.0 - 09/30/10 21:03"));
        Assert.That(cms.Psw, Is.EqualTo(0x000400CA_80020128UL));
        // A current BC-mode PSW holds no interruption code or ILC: stored with the saved ones it is the saved PSW.
        Assert.That(cpu.CurrentPsw(0x00CA, 2), Is.EqualTo(cms.Psw));
        Assert.That(cpu.EcMode, Is.False);
        Assert.That(cpu.Problem, Is.False);
        Assert.That(cpu.Ia, Is.EqualTo(0x020128u));
        Assert.That(cpu.Gpr[3], Is.EqualTo(0x00F0_0000u));
        Assert.That(cpu.Gpr[12], Is.EqualTo(0x0002_0000u));
        Assert.That(cpu.Gpr[14], Is.EqualTo(0x6002_02B2u));
        Assert.That(cpu.Cr[14], Is.EqualTo(0xC400_0000u));
        // 66 key bytes: F6 x7, E6, F6 x12, E6 E6, F6 x6, E6 x4, F6 x32, E6 E6 (bit 7 dropped: it is not part of a key).
        string expected = string.Concat(Enumerable.Repeat("F6", 7)) + "E6" + string.Concat(Enumerable.Repeat("F6", 12)) + "E6E6"
                        + string.Concat(Enumerable.Repeat("F6", 6)) + "E6E6E6E6" + string.Concat(Enumerable.Repeat("F6", 32)) + "E6E6";
        Assert.That(Convert.ToHexString(cpu.Storage.Keys, 0, 66), Is.EqualTo(expected));
        Assert.That(cpu.Storage.Keys[66], Is.Zero, "the block after the system keeps key 0");
    }

    [Test]
    public void A_second_IPL_shares_the_image_instead_of_reading_the_file_again()
    {
        var catalog = Catalog(out _);
        var first = new VirtualMachine(new CpuState(ArchLevel.S370, 0x100000));
        var second = new VirtualMachine(new CpuState(ArchLevel.S370, 0x100000));
        NamedSystemLoader.IplNamedSystem(first, catalog.Find("CMS")!);
        Assert.That(catalog.FileReads, Is.EqualTo(1));
        NamedSystemLoader.IplNamedSystem(second, catalog.Find("CMS")!);
        Assert.That(catalog.FileReads, Is.EqualTo(1), "the second IPL used the loaded image");
        Assert.That(catalog.Find("CMS"), Is.SameAs(catalog.Find("CMS")));
        // Both show the one image (copy-on-write where the host maps pages); a store in one is not seen by the other.
        if (SharedPages.Supported) Assert.That(second.Cpu.Storage.SharedHostPages, Is.GreaterThanOrEqualTo(31), "the 33 pages minus the partial host pages at both ends");
        first.Cpu.Storage.Bytes[0x200] = 0;
        first.Cpu.Storage.Bytes[0x5000] ^= 0xFF;
        Assert.That(second.Cpu.Storage.Bytes[0x200], Is.EqualTo(Ebcdic.FromChar('C')));
        Assert.That(second.Cpu.Storage.Bytes.AsSpan(0, 33 * 4096).SequenceEqual(catalog.Find("CMS")!.Pages.Span), Is.True);
        Assert.That(second.VirtualPsw, Is.EqualTo(0x00040000_00020128UL), "the virtual PSW is the saved one, without the stored code and ILC");
        Assert.That(second.Cpu.Problem, Is.True, "the real CPU runs the guest in the problem state");
        Assert.That(second.VirtualProblem, Is.False);
    }

    [Test]
    public void CMSSEG_attaches_at_F00000_but_cannot_be_IPLed()
    {
        var catalog = Catalog(out _);
        var seg = catalog.Find("CMSSEG")!;
        Assert.That(seg.PageCount, Is.EqualTo(16));
        Assert.That(seg.LoadAddress, Is.EqualTo(0xF00000u));
        var cpu = new CpuState(ArchLevel.S370, 0x1000000);
        NamedSystemLoader.AttachSegment(cpu, seg);
        Assert.That(cpu.Storage.GetKey(0xF00000), Is.EqualTo(0xD4));
        Assert.That(cpu.Storage.GetKey(0xF0F800), Is.EqualTo(0xD4));
        Assert.That(cpu.Storage.GetKey(0xF10000), Is.Zero);
        Assert.That(cpu.Storage.Bytes.AsSpan(0xF00000, 16 * 4096).SequenceEqual(seg.Pages.Span), Is.True);
        if (SharedPages.Supported) Assert.That(cpu.Storage.SharedHostPages, Is.GreaterThanOrEqualTo(15), "attached copy-on-write");
        var ex = Assert.Throws<SavedSystemException>(() => NamedSystemLoader.IplNamedSystem(cpu, seg));
        Assert.That(ex!.Message, Does.Contain("CMSSEG").And.Contain("not an IPL-able"));
    }

    [Test]
    public void A_segment_beyond_the_machine_storage_is_refused_with_its_range()
    {
        var catalog = Catalog(out _);
        var cpu = new CpuState(ArchLevel.S370, 0x100000);
        var ex = Assert.Throws<SavedSystemException>(() => NamedSystemLoader.AttachSegment(cpu, catalog.Find("CMSSEG")!));
        Assert.That(ex!.Message, Does.Contain("X'F00000'-X'F0FFFF'").And.Contain("1024K"));
    }

    [Test]
    public void A_catalog_that_does_not_share_copies()
    {
        var catalog = Catalog(out string path);
        var copying = new SavedSystemCatalog { SharePages = false }.Define("CMS", path, 0, iplable: true);
        Assert.That(catalog.Find("CMS")!.Image, Is.Not.Null);
        Assert.That(copying.Find("CMS")!.Image, Is.Null);
        var cpu = new CpuState(ArchLevel.S370, 0x100000);
        NamedSystemLoader.IplNamedSystem(cpu, copying.Find("CMS")!);
        Assert.That(cpu.Storage.SharedHostPages, Is.Zero);
        Assert.That(cpu.Storage.Bytes.AsSpan(0, 33 * 4096).SequenceEqual(copying.Find("CMS")!.Pages.Span), Is.True);
    }

    [TestCase(4095, "not a multiple of 4096")]
    [TestCase(4096, "no page after the state page")]
    [TestCase(0, "no page after the state page")]
    [TestCase(4096 * 2000, "key bytes")]
    public void Malformed_files_get_a_clear_error(int size, string message)
    {
        var ex = Assert.Throws<SavedSystemException>(() => SavedSystemReader.Parse(new byte[size], "test.segment", "TEST", 0, true));
        Assert.That(ex!.Message, Does.StartWith("test.segment: ").And.Contain(message));
    }

    [Test]
    public void A_missing_file_is_named_in_the_error()
    {
        var catalog = new SavedSystemCatalog().Define("GONE", "/nonexistent/gone.segment", 0, true);
        var ex = Assert.Throws<SavedSystemException>(() => catalog.Find("GONE"));
        Assert.That(ex!.Message, Does.Contain("/nonexistent/gone.segment"));
        Assert.That(catalog.Find("NOSUCH"), Is.Null);
    }
}
