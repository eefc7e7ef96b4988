using Jit360.Architecture;
using Jit360.Cp.Commands;
using Jit360.Cp.Directory;
using Jit360.Cp.Io;
using Jit360.Cp.SavedSystems;
using Jit360.Machine;

namespace Jit360.Tests.Cp;

/// <summary>The CMS DIAGNOSE codes on a tiny guest: one DIAGNOSE at X'1000', run for one instruction; bad operands get the architected answer, never a host exception.</summary>
public class CpIoDiagnoseTests
{
    GuestMachine guest = null!;
    CpuState cpu = null!;

    [SetUp]
    public void Guest()
    {
        // A real LOGON (NOIPL) through the I/O layer, with no volumes mounted: the console only.
        volumes = new RealVolumes();
        var devices = new VirtualDeviceServices(volumes, new SavedSystemCatalog());
        var system = new CpSystem(DirectoryParser.Parse(SampleDirectory.Text), devices);
        devices.System = system;
        var session = new CpSession(new UserTerminal());
        Assert.That(system.Execute(session, "LOGON CMSUSER CMSUSER NOIPL"), Is.Zero);
        guest = devices.Guest(session)!;
        cpu = guest.Machine.Cpu;
        // Program new PSW: a disabled wait, so a reflected exception is visible and stops there.
        cpu.Storage.WriteDoublewordAbsolute(Low.ProgramNewPsw, 0x000A0000_0000DEADUL);
        guest.Machine.LoadVirtualPsw(0x00000000_00001000UL);
    }

    RealVolumes volumes = null!;

    [TearDown]
    public void Done() { guest.Dispose(); volumes.Dispose(); }

    /// <summary>Runs DIAG rx,ry,code once.</summary>
    void Diagnose(int rx, int ry, int code)
    {
        cpu.Storage.Load(0x1000, [0x83, (byte)(rx << 4 | ry), (byte)(code >> 8), (byte)code]);
        guest.Machine.Run(new Jit360.Interpreter.Interpreter(), 1);
    }

    int ReflectedCode => guest.Machine.Reflected == 0 ? 0 : cpu.Storage.ReadWordAbsolute(Low.ProgramOldPsw) is var w ? (int)(w & 0xFFFF) : 0;

    [Test]
    public void DASD_IO_to_a_missing_device_is_cc1_R15_1()
    {
        cpu.Gpr[4] = 0x191; cpu.Gpr[8] = 0x2000;
        Diagnose(4, 8, 0x18);
        Assert.That((cpu.Cc, cpu.Gpr[15]), Is.EqualTo((1, 1u)));
    }

    [Test]
    public void DASD_IO_to_a_console_is_cc1_R15_2()
    {
        cpu.Gpr[4] = 0x009; cpu.Gpr[8] = 0x2000;
        Diagnose(4, 8, 0x18);
        Assert.That((cpu.Cc, cpu.Gpr[15]), Is.EqualTo((1, 2u)));
    }

    [Test]
    public void General_IO_with_a_misaligned_CCW_string_is_cc2_R15_5()
    {
        cpu.Gpr[4] = 0x009; cpu.Gpr[8] = 0x2004;
        Diagnose(4, 8, 0x20);
        Assert.That((cpu.Cc, cpu.Gpr[15]), Is.EqualTo((2, 5u)));
    }

    [Test]
    public void General_IO_writes_on_the_console()
    {
        cpu.Storage.WriteDoublewordAbsolute(0x2000, 0x09003000_20000005UL);
        cpu.Storage.Load(0x3000, Ebcdic.FromString("HELLO"));
        cpu.Gpr[4] = 0x009; cpu.Gpr[8] = 0x2000;
        Diagnose(4, 8, 0x20);
        Assert.That(cpu.Cc, Is.Zero);
        Assert.That(guest.Terminal.Lines, Does.Contain("HELLO"));
    }

    [Test]
    public void Device_type_of_the_console_by_minus_one()
    {
        cpu.Gpr[13] = 0xFFFF_FFFF;
        Diagnose(13, 14, 0x24);
        Assert.That((cpu.Cc, cpu.Gpr[13], cpu.Gpr[14], cpu.Gpr[15]), Is.EqualTo((0, 0x009u, 0x8000_0000u, 0x8000_0082u)));
        cpu.Gpr[13] = 0x555;
        guest.Machine.LoadVirtualPsw(0x00000000_00001000UL);
        Diagnose(13, 14, 0x24);
        Assert.That(cpu.Cc, Is.EqualTo(3));
    }

    [Test]
    public void Storage_size_is_the_directory_size()
    {
        Diagnose(5, 6, 0x60);
        Assert.That(cpu.Gpr[5], Is.EqualTo(15u * 1024 * 1024));
    }

    [Test]
    public void FINDSYS_of_an_unknown_segment_is_cc2_44()
    {
        cpu.Storage.Load(0x2000, Ebcdic.FromString("NOSUCH  "));
        cpu.Gpr[1] = 0x2000; cpu.Gpr[2] = 0x0C;
        Diagnose(1, 2, 0x64);
        Assert.That((cpu.Cc, cpu.Gpr[2]), Is.EqualTo((2, 44u)));
    }

    [Test]
    public void An_invalid_named_segment_subcode_is_a_specification_exception()
    {
        cpu.Storage.Load(0x2000, Ebcdic.FromString("CMSSEG  "));
        cpu.Gpr[1] = 0x2000; cpu.Gpr[2] = 0x10;
        Diagnose(1, 2, 0x64);
        Assert.That(ReflectedCode, Is.EqualTo(ProgramInterruptCode.Specification));
    }

    [Test]
    public void Pseudo_timer_at_an_odd_address_is_a_specification_exception()
    {
        cpu.Gpr[1] = 0x2001;
        Diagnose(1, 0, 0x0C);
        Assert.That(ReflectedCode, Is.EqualTo(ProgramInterruptCode.Specification));
    }

    [Test]
    public void Pseudo_timer_stores_date_and_time()
    {
        cpu.Gpr[1] = 0x2000;
        Diagnose(1, 0, 0x0C);
        Assert.That(Ebcdic.ToString(cpu.Storage.Span(0x2000, 16)), Does.Match(@"^\d\d/\d\d/\d\d\d\d:\d\d:\d\d$"));
    }

    [Test]
    public void An_unknown_code_is_a_specification_exception()
    {
        Diagnose(1, 2, 0xFC);
        Assert.That(ReflectedCode, Is.EqualTo(ProgramInterruptCode.Specification));
    }

    [Test]
    public void A_CP_command_with_a_response_buffer()
    {
        cpu.Storage.Load(0x2000, Ebcdic.FromString("QUERY USERID"));
        // DIAG 2,4: Rx = R2 command, Ry = R4 length and flags; R3 the buffer address, R5 its length.
        cpu.Gpr[2] = 0x2000; cpu.Gpr[3] = 0x3000;
        cpu.Gpr[4] = 0x4000_0000 | 12; cpu.Gpr[5] = 100;
        Diagnose(2, 4, 0x08);
        Assert.That(guest.Machine.Reflected, Is.Zero);
        Assert.That((cpu.Cc, cpu.Gpr[4]), Is.EqualTo((0, 0u)));
        Assert.That(Ebcdic.ToString(cpu.Storage.Span(0x3000, (int)cpu.Gpr[5])), Is.EqualTo("CMSUSER AT JIT360"));
    }

    [Test]
    public void A_response_buffer_too_short_is_cc1_with_the_bytes_left_over()
    {
        cpu.Storage.Load(0x2000, Ebcdic.FromString("QUERY USERID"));
        cpu.Gpr[2] = 0x2000; cpu.Gpr[3] = 0x3000;
        cpu.Gpr[4] = 0x4000_0000 | 12; cpu.Gpr[5] = 7;
        Diagnose(2, 4, 0x08);
        Assert.That((cpu.Cc, cpu.Gpr[5]), Is.EqualTo((1, 10u)));
        Assert.That(Ebcdic.ToString(cpu.Storage.Span(0x3000, 7)), Is.EqualTo("CMSUSER"));
    }

    [Test]
    public void A_CP_command_longer_than_240_bytes_is_a_specification_exception()
    {
        cpu.Gpr[2] = 0x2000; cpu.Gpr[4] = 241;
        Diagnose(2, 4, 0x08);
        Assert.That(ReflectedCode, Is.EqualTo(ProgramInterruptCode.Specification));
    }
}
