using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Interpreter;

[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class FixedPointTests(string engine)
{
    TestMachine M(ArchLevel level = ArchLevel.S370) => new(engine, level);

    [Test]
    public void AR_sets_cc_and_overflow_completes_without_interrupt_when_masked()
    {
        var m = M().Code("1A12").Reg(1, 0x7FFF_FFFF).Reg(2, 1);
        m.Run();
        Assert.That(m.Cpu.Gpr[1], Is.EqualTo(0x8000_0000u));
        Assert.That(m.Cpu.Cc, Is.EqualTo(3));
        Assert.That(m.ProgramCheck, Is.Null);
    }

    [Test]
    public void AR_overflow_interrupts_when_mask_on_with_result_stored()
    {
        var m = M().Code("1A12").Reg(1, 0x7FFF_FFFF).Reg(2, 1).ProgramMask(8);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.FixedPointOverflow));
        Assert.That(m.Cpu.Gpr[1], Is.EqualTo(0x8000_0000u));
        Assert.That(m.Cpu.LastInterrupt.Ilc, Is.EqualTo(1));
        Assert.That((uint)m.Cpu.LastInterrupt.OldPsw & 0xFFFFFF, Is.EqualTo(TestMachine.CodeAddress + 2));
    }

    [Test]
    public void DR_by_zero_is_suppressed()
    {
        var m = M().Code("1D24").Reg(2, 0).Reg(3, 100).Reg(4, 0);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.FixedPointDivide));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(100u));
    }

    [Test]
    public void L_unaligned_is_specification_on_S360_but_allowed_on_S370()
    {
        var s360 = M(ArchLevel.S360).Code("58100101").Bytes(0x101, "11223344");
        s360.Run();
        Assert.That(s360.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Specification));
        var s370 = M(ArchLevel.S370).Code("58100101").Bytes(0x101, "11223344");
        s370.Run();
        Assert.That(s370.ProgramCheck, Is.Null);
        Assert.That(s370.Cpu.Gpr[1], Is.EqualTo(0x11223344u));
    }

    [Test]
    public void BALR_stores_ilc_cc_and_program_mask()
    {
        var m = M().Code("05E0").Cc(2).ProgramMask(0xA);
        m.Run();
        Assert.That(m.Cpu.Gpr[14], Is.EqualTo(0x6A00_0000u | (TestMachine.CodeAddress + 2)));
    }

    [Test]
    public void MVC_overlap_propagates_one_byte_at_a_time()
    {
        var m = M().Code("D206C001C000").Reg(12, 0x2000).Bytes(0x2000, "5C0102030405060708");
        m.Run();
        Assert.That(m.Hex(0x2000, 9), Is.EqualTo("5C5C5C5C5C5C5C5C08"));
    }

    [Test]
    public void EX_ors_register_into_target_length()
    {
        // EX 3,X'800' where X'800' is MVC 0(1,12),16(12): R3=5 gives a 6-byte move.
        var m = M().Code("44300800").Reg(3, 5).Reg(12, 0x3000)
                   .Bytes(0x800, "D200C000C010").Bytes(0x3010, "C1C2C3C4C5C6C7");
        m.Run();
        Assert.That(m.Hex(0x3000, 7), Is.EqualTo("C1C2C3C4C5C600"));
    }

    [Test]
    public void EX_of_EX_is_an_execute_exception_with_ilc_2()
    {
        var m = M().Code("44000800").Bytes(0x800, "44000800");
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Execute));
        Assert.That(m.Cpu.LastInterrupt.Ilc, Is.EqualTo(2));
    }

    [Test]
    public void Operand_wraps_at_16_MiB()
    {
        // L 1,0(2) with R2 = X'FFFFFFFE' on a 16 MiB machine reads FFFFFE, FFFFFF, 0, 1.
        var m = new TestMachine(engine, ArchLevel.S370, 16 * 1024 * 1024).Code("58102000").Reg(2, 0xFFFF_FFFE)
            .Bytes(0xFFFFFE, "AABB").Bytes(0, "CCDD");
        m.Run();
        Assert.That(m.Cpu.Gpr[1], Is.EqualTo(0xAABBCCDDu));
    }

    [Test]
    public void Address_beyond_storage_is_an_addressing_exception()
    {
        var m = M().Code("58102000").Reg(2, 0x20000);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Addressing));
    }

    [Test]
    public void Store_with_mismatched_key_is_a_protection_exception()
    {
        var m = M().Code("50102000").Reg(2, 0x4000).Reg(1, 0x12345678);
        m.Cpu.Storage.SetKey(0x4000, 0x30);
        m.Cpu.LoadPsw(0x0020_0000_0000_0000UL | TestMachine.CodeAddress);   // key 2
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Protection));
        Assert.That(m.Word(0x4000), Is.EqualTo(0u));
    }
}
