using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Interpreter;

/// <summary>
/// The 1975 System/370 problem-state additions (GA22-7000-4): MVCL, CLCL, ICM, STCM, CLM, CS,
/// CDS. Expected values follow the PoO; the register, cc and storage results of the ordinary
/// cases were also checked against qemu-s390x (24-bit mode), and the zero-mask and overlap
/// cases against Hercules 3.13; <see cref="Agrees_with_the_qemu_oracle"/> repeats the qemu
/// check on every run where the oracle is installed.
/// </summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class S370Tests(string engine)
{
    const uint Code = TestMachine.CodeAddress;

    TestMachine M(uint storage = 0x10000, ArchLevel level = ArchLevel.S370) => new(engine, level, storage);

    static uint OldIa(TestMachine m) => (uint)m.Cpu.LastInterrupt.OldPsw & 0x00FF_FFFF;

    /// <summary>Raises Attention at the first store, as a pending interruption would.</summary>
    /// <summary>Something an interruptible instruction must stop for (here the operator's stop) arrives with its first store.</summary>
    sealed class StopOnStore(CpuState cpu) : IStoreWatch
    {
        public int Stores;
        public void Stored(uint address, int length) { Stores++; cpu.StopRequested = true; cpu.Attention = true; }
    }

    /// <summary>Attention alone (a time slice ending, a store into translated code) is not a reason to stop.</summary>
    sealed class AttentionOnStore(CpuState cpu) : IStoreWatch
    {
        public int Stores;
        public void Stored(uint address, int length) { Stores++; cpu.Attention = true; }
    }

    // ================================================================ MVCL

    [Test]
    public void MVCL_equal_lengths_moves_and_updates_registers()
    {
        var m = M().Code("0E24").Reg(2, 0xAA00_3000).Reg(3, 0x5500_0006).Reg(4, 0xBB00_2000).Reg(5, 0x6600_0006)
                   .Bytes(0x2000, "C1C2C3C4C5C6C7");
        m.Run();
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Hex(0x3000, 7), Is.EqualTo("C1C2C3C4C5C600"));
        Assert.That(m.Cpu.Cc, Is.EqualTo(0));
        // Bits 0-7 of R1 and R2 become zero; those of R1+1 and R2+1 stay.
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x0000_3006u));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(0x5500_0000u));
        Assert.That(m.Cpu.Gpr[4], Is.EqualTo(0x0000_2006u));
        Assert.That(m.Cpu.Gpr[5], Is.EqualTo(0x6600_0000u));
    }

    [Test]
    public void MVCL_pads_when_second_operand_is_shorter_cc2()
    {
        // Checked against qemu and Hercules: 41 42 43 then five C1 padding bytes.
        var m = M().Code("0E24").Reg(2, 0xAA00_3000).Reg(3, 0xCC00_0008).Reg(4, 0xBB00_2000).Reg(5, 0xC100_0003)
                   .Bytes(0x2000, "414243");
        m.Run();
        Assert.That(m.Hex(0x3000, 9), Is.EqualTo("414243C1C1C1C1C100"));
        Assert.That(m.Cpu.Cc, Is.EqualTo(2));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x3008u));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(0xCC00_0000u));
        Assert.That(m.Cpu.Gpr[4], Is.EqualTo(0x2003u));
        Assert.That(m.Cpu.Gpr[5], Is.EqualTo(0xC100_0000u));
    }

    [Test]
    public void MVCL_first_shorter_moves_first_length_cc1()
    {
        var m = M().Code("0E24").Reg(2, 0x3000).Reg(3, 2).Reg(4, 0x2000).Reg(5, 5).Bytes(0x2000, "0102030405");
        m.Run();
        Assert.That(m.Hex(0x3000, 3), Is.EqualTo("010200"));
        Assert.That(m.Cpu.Cc, Is.EqualTo(1));
        Assert.That(m.Cpu.Gpr[4], Is.EqualTo(0x2002u));
        Assert.That(m.Cpu.Gpr[5], Is.EqualTo(3u));
    }

    [Test]
    public void MVCL_zero_first_length_moves_nothing_and_accesses_nothing()
    {
        // Addresses beyond storage: no access is made, so no addressing exception.
        var m = M().Code("0E24").Reg(2, 0xFF80_0000).Reg(3, 0).Reg(4, 0x1190_0000).Reg(5, 4);
        m.Run();
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Cpu.Cc, Is.EqualTo(1));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x0080_0000u));
        Assert.That(m.Cpu.Gpr[4], Is.EqualTo(0x0090_0000u));
        Assert.That(m.Cpu.Gpr[5], Is.EqualTo(4u));
    }

    [Test]
    public void MVCL_clears_storage_with_zero_second_length()
    {
        var m = M().Code("0E24").Reg(2, 0x3000).Reg(3, 0x1000).Reg(4, 0xDEAD_BEEF).Reg(5, 0);
        m.Cpu.Storage.Bytes.AsSpan(0x3000, 0x1001).Fill(0x77);
        m.Run();
        Assert.That(m.Cpu.Storage.Bytes.AsSpan(0x3000, 0x1000).IndexOfAnyExcept((byte)0), Is.EqualTo(-1));
        Assert.That(m.Cpu.Storage.Bytes[0x4000], Is.EqualTo(0x77));
        Assert.That(m.Cpu.Cc, Is.EqualTo(2));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x4000u));
        Assert.That(m.Cpu.Gpr[4], Is.EqualTo(0x00AD_BEEFu), "R2 bits 0-7 zeroed though R2 addresses nothing");
    }

    [TestCase("0E34")]
    [TestCase("0E25")]
    public void MVCL_odd_register_is_a_specification_exception(string code)
    {
        var m = M().Code(code).Reg(2, 0xAA00_3000).Reg(3, 4).Reg(4, 0xBB00_2000).Reg(5, 4).Bytes(0x2000, "01020304");
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Specification));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0xAA00_3000u));
        Assert.That(m.Word(0x3000), Is.EqualTo(0u));
    }

    [TestCase(0x2001u, 8u, 8u, 3)]    // first operand starts inside the second: destructive
    [TestCase(0x2007u, 8u, 8u, 3)]    // the last participating byte
    [TestCase(0x2008u, 8u, 8u, 0)]    // just past it
    [TestCase(0x2004u, 8u, 4u, 2)]    // only 2000-2003 participate (the shorter length): 2004 is outside
    [TestCase(0x2004u, 4u, 8u, 1)]    // likewise with the first operand the shorter
    [TestCase(0x2001u, 8u, 1u, 2)]    // one-byte second operand never overlaps destructively
    [TestCase(0x2000u, 8u, 8u, 0)]    // the same location
    [TestCase(0x1FF0u, 8u, 8u, 0)]    // first to the left: a left shift, allowed
    public void MVCL_destructive_overlap_is_decided_on_participating_bytes(uint d, uint dl, uint sl, int cc)
    {
        var m = M().Code("0E24").Reg(2, d).Reg(3, dl).Reg(4, 0x2000).Reg(5, sl).Bytes(0x2000, "0102030405060708");
        string before = m.Hex(0x1FF0, 0x20);
        m.Run();
        Assert.That(m.Cpu.Cc, Is.EqualTo(cc));
        if (cc == 3)
        {
            Assert.That(m.Hex(0x1FF0, 0x20), Is.EqualTo(before), "no movement on destructive overlap");
            Assert.That(m.Cpu.Gpr[3], Is.EqualTo(dl), "lengths unchanged");
        }
        else Assert.That(m.Cpu.Gpr[3], Is.EqualTo(0u));
    }

    [Test]
    public void MVCL_left_shift_overlap_gives_the_byte_by_byte_result()
    {
        var m = M().Code("0E24").Reg(2, 0x2000).Reg(3, 6).Reg(4, 0x2002).Reg(5, 6).Bytes(0x2000, "0102030405060708");
        m.Run();
        Assert.That(m.Cpu.Cc, Is.EqualTo(0));
        Assert.That(m.Hex(0x2000, 8), Is.EqualTo("0304050607080708"));
    }

    [Test]
    public void MVCL_overlap_check_counts_wraparound_at_16_MiB()
    {
        // Second operand FFFFF8-FFFFFF,000000-000007; first operand at 4 lies inside it: cc 3,
        // decided before any access (so no addressing exception on a 64K machine). Hercules agrees.
        var m = M().Code("0E24").Reg(2, 0xAA00_0004).Reg(3, 16).Reg(4, 0xBBFF_FFF8).Reg(5, 0xC100_0010);
        m.Run();
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Cpu.Cc, Is.EqualTo(3));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(4u));
        Assert.That(m.Cpu.Gpr[4], Is.EqualTo(0x00FF_FFF8u));
        Assert.That(m.Cpu.Gpr[5], Is.EqualTo(0xC100_0010u));
    }

    [Test]
    public void MVCL_wrapping_second_operand_moves_when_first_is_right_of_its_end()
    {
        // Second operand FFFFF8..000007 (16 bytes); first at 000010: to the right of the last
        // participating byte and left of the first, so it moves, wrapping at 16 MiB.
        var m = M(0x0100_0000).Code("0E24").Reg(2, 0x10).Reg(3, 16).Reg(4, 0xFF_FFF8).Reg(5, 16)
                              .Bytes(0xFF_FFF8, "A0A1A2A3A4A5A6A7").Bytes(0, "B0B1B2B3B4B5B6B7");
        m.Run();
        Assert.That(m.Cpu.Cc, Is.EqualTo(0));
        Assert.That(m.Hex(0x10, 16), Is.EqualTo("A0A1A2A3A4A5A6A7B0B1B2B3B4B5B6B7"));
        Assert.That(m.Cpu.Gpr[4], Is.EqualTo(8u), "the second-operand address wrapped");
    }

    [Test]
    public void MVCL_protection_part_way_leaves_registers_showing_progress()
    {
        // First operand 4700-48FF: block 4000 has key 2 (ours), block 4800 key 3.
        var m = M().Code("0E24").Reg(2, 0x4700).Reg(3, 0x200).Reg(4, 0x2000).Reg(5, 0x200);
        m.Cpu.Storage.Bytes.AsSpan(0x2000, 0x200).Fill(0x5A);
        m.Cpu.LoadPsw(0x0020_0000_0000_0000UL | Code);
        m.Cpu.Storage.SetKey(0x4000, 0x20);
        m.Cpu.Storage.SetKey(0x4800, 0x30);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Protection));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x4800u));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(0x100u));
        Assert.That(m.Cpu.Gpr[4], Is.EqualTo(0x2100u));
        Assert.That(m.Cpu.Gpr[5], Is.EqualTo(0x100u));
        Assert.That(m.Cpu.Storage.Bytes[0x47FF], Is.EqualTo(0x5A));
        Assert.That(m.Cpu.Storage.Bytes[0x4800], Is.EqualTo(0));
        Assert.That(m.Cpu.LastInterrupt.Ilc, Is.EqualTo(1));
    }

    [Test]
    public void MVCL_addressing_exception_at_end_of_storage_after_partial_move()
    {
        var m = M().Code("0E24").Reg(2, 0xF800).Reg(3, 0x1000).Reg(4, 0).Reg(5, 0);
        m.Cpu.Storage.Bytes.AsSpan(0xF800, 0x800).Fill(0x11);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Addressing));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x10000u));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(0x800u));
        Assert.That(m.Cpu.Storage.Bytes[0xFFFF], Is.EqualTo(0));
    }

    [Test]
    public void MVCL_stops_between_units_when_an_interruption_is_pending_and_resumes()
    {
        var m = M().Code("0E24").Reg(2, 0x4000).Reg(3, 0x1800).Reg(4, 0x8000).Reg(5, 0x1000);
        for (int i = 0; i < 0x1000; i++) m.Cpu.Storage.Bytes[0x8000 + i] = (byte)(i * 7);
        var watch = new StopOnStore(m.Cpu);
        m.Cpu.StoreWatch = watch;
        m.Run();
        Assert.That(watch.Stores, Is.EqualTo(1), "one unit of operation");
        Assert.That(m.Cpu.Ia, Is.EqualTo(Code), "instruction address backed up to MVCL");
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x4800u));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(0x1000u));
        Assert.That(m.Cpu.Gpr[4], Is.EqualTo(0x8800u));
        Assert.That(m.Cpu.Gpr[5], Is.EqualTo(0x800u));
        m.Cpu.StoreWatch = null;
        m.Run();
        Assert.That(m.Cpu.Ia, Is.EqualTo(Code + 2));
        Assert.That(m.Cpu.Cc, Is.EqualTo(2));
        Assert.That(m.Cpu.Storage.Bytes.AsSpan(0x4000, 0x1000).SequenceEqual(m.Cpu.Storage.Bytes.AsSpan(0x8000, 0x1000)));
        Assert.That(m.Cpu.Storage.Bytes.AsSpan(0x5000, 0x800).IndexOfAnyExcept((byte)0), Is.EqualTo(-1));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x5800u));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(0u));
    }

    [Test]
    public void MVCL_goes_on_when_attention_is_raised_without_an_interruption()
    {
        var m = M().Code("0E24").Reg(2, 0x4000).Reg(3, 0x1800).Reg(4, 0x8000).Reg(5, 0x1000);
        var watch = new AttentionOnStore(m.Cpu);
        m.Cpu.StoreWatch = watch;
        m.Run();
        Assert.That(m.Cpu.Ia, Is.EqualTo(Code + 2), "completed in one execution");
        Assert.That(watch.Stores, Is.GreaterThan(1));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(0u));
    }

    [Test]
    public void MVCL_interrupted_under_EXECUTE_resumes_at_the_EXECUTE()
    {
        var m = M().Code("44000800").Bytes(0x800, "0E24").Reg(2, 0x4000).Reg(3, 0x1000).Reg(4, 0).Reg(5, 0);
        m.Cpu.StoreWatch = new StopOnStore(m.Cpu);
        m.Run();
        Assert.That(m.Cpu.Ia, Is.EqualTo(Code));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x4800u));
    }

    [Test]
    public void MVCL_of_nearly_16_MiB_is_one_fast_instruction()
    {
        var m = M(0x0100_0000).Code("0E24").Reg(2, 0x2000).Reg(3, 0x7F_E000).Reg(4, 0x80_1000).Reg(5, 0x7F_E000);
        m.Cpu.Storage.Bytes.AsSpan(0x80_1000, 0x7F_E000).Fill(0x42);
        var sw = Stopwatch.StartNew();
        m.Run();
        Assert.That(m.Cpu.Storage.Bytes.AsSpan(0x2000, 0x7F_E000).IndexOfAnyExcept((byte)0x42), Is.EqualTo(-1));
        // And a pad fill of the top 16 MiB less 8K.
        m.Code("0E24").Reg(2, 0x2000).Reg(3, 0xFF_E000).Reg(4, 0).Reg(5, 0xEE00_0000);
        m.Run();
        sw.Stop();
        Assert.That(m.Cpu.Storage.Bytes.AsSpan(0x2000, 0xFF_E000).IndexOfAnyExcept((byte)0xEE), Is.EqualTo(-1));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0u), "address wrapped to 0 after the last byte");
        Assert.That(m.Cpu.Instructions, Is.EqualTo(2));
        Assert.That(sw.ElapsedMilliseconds, Is.LessThan(2000), "block copies, not byte loops");
    }

    [Test]
    public void MVCL_is_an_operation_exception_on_System_360()
    {
        var m = M(level: ArchLevel.S360).Code("0E24");
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Operation));
    }

    // ================================================================ CLCL

    [Test]
    public void CLCL_equal_with_padding_cc0_and_registers_at_the_ends()
    {
        // Bits 0-7 of R1 and R2 become zero (Hercules 3.13 agrees; qemu 7.2 keeps them).
        var m = M().Code("0F24").Reg(2, 0xAA00_2000).Reg(3, 0x1100_0005).Reg(4, 0xBB00_3000).Reg(5, 0x4000_0003)
                   .Bytes(0x2000, "C1C2C34040").Bytes(0x3000, "C1C2C3");
        m.Run();
        Assert.That(m.Cpu.Cc, Is.EqualTo(0));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x2005u));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(0x1100_0000u));
        Assert.That(m.Cpu.Gpr[4], Is.EqualTo(0x3003u));
        Assert.That(m.Cpu.Gpr[5], Is.EqualTo(0x4000_0000u));
    }

    [Test]
    public void CLCL_unequal_in_the_padding_points_at_the_byte_cc2()
    {
        // The qemu case: C1C2C34041 against C1C2C3 padded with 40: 41 > 40 at offset 4.
        var m = M().Code("0F24").Reg(2, 0x2000).Reg(3, 5).Reg(4, 0x3000).Reg(5, 0x4000_0003)
                   .Bytes(0x2000, "C1C2C34041").Bytes(0x3000, "C1C2C3");
        m.Run();
        Assert.That(m.Cpu.Cc, Is.EqualTo(2));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x2004u));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(1u));
        Assert.That(m.Cpu.Gpr[4], Is.EqualTo(0x3003u));
        Assert.That(m.Cpu.Gpr[5], Is.EqualTo(0x4000_0000u));
    }

    [Test]
    public void CLCL_first_operand_low_cc1()
    {
        var m = M().Code("0F24").Reg(2, 0x2000).Reg(3, 4).Reg(4, 0x3000).Reg(5, 4)
                   .Bytes(0x2000, "01020304").Bytes(0x3000, "01028304");
        m.Run();
        Assert.That(m.Cpu.Cc, Is.EqualTo(1));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x2002u));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(2u));
        Assert.That(m.Cpu.Gpr[4], Is.EqualTo(0x3002u));
        Assert.That(m.Cpu.Gpr[5], Is.EqualTo(2u));
    }

    [Test]
    public void CLCL_second_operand_longer_compares_against_padding_cc1()
    {
        // First operand exhausted: pad 00 against 05 is low.
        var m = M().Code("0F24").Reg(2, 0x2000).Reg(3, 1).Reg(4, 0x3000).Reg(5, 3).Bytes(0x2000, "AA").Bytes(0x3000, "AA0005");
        m.Run();
        Assert.That(m.Cpu.Cc, Is.EqualTo(1));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x2001u));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(0u));
        Assert.That(m.Cpu.Gpr[4], Is.EqualTo(0x3002u));
        Assert.That(m.Cpu.Gpr[5], Is.EqualTo(1u));
    }

    [Test]
    public void CLCL_zero_lengths_are_equal_without_access()
    {
        var m = M().Code("0F24").Reg(2, 0x00F0_0000).Reg(3, 0).Reg(4, 0x00F0_0000).Reg(5, 0xFF00_0000);
        m.Run();
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Cpu.Cc, Is.EqualTo(0));
    }

    [Test]
    public void CLCL_odd_register_is_a_specification_exception()
    {
        var m = M().Code("0F34").Reg(2, 0x2000).Reg(3, 1).Reg(4, 0x3000).Reg(5, 1);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Specification));
    }

    [Test]
    public void CLCL_addressing_exception_part_way_keeps_the_equal_part()
    {
        // Equal up to the end of storage (zeros against zero padding), then beyond it.
        var m = M().Code("0F24").Reg(2, 0xF000).Reg(3, 0x2000).Reg(4, 0).Reg(5, 0);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Addressing));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x10000u));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(0x1000u));
    }

    [Test]
    public void CLCL_long_equal_operands_across_blocks()
    {
        var m = M().Code("0F24").Reg(2, 0x2100).Reg(3, 0x3000).Reg(4, 0x6300).Reg(5, 0x3000);
        for (int i = 0; i < 0x3000; i++) m.Cpu.Storage.Bytes[0x2100 + i] = m.Cpu.Storage.Bytes[0x6300 + i] = (byte)(i * 13);
        m.Cpu.Storage.Bytes[0x6300 + 0x2345] ^= 1;
        m.Run();
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x2100u + 0x2345));
        Assert.That(m.Cpu.Gpr[5], Is.EqualTo(0x3000u - 0x2345));
        Assert.That(m.Cpu.Cc, Is.EqualTo(2), "X'81' against X'80'");
    }

    // ================================================================ ICM / STCM / CLM

    [TestCase(0xF, "80112233", 0x80112233u, 1)]
    [TestCase(0xF, "00000000", 0x00000000u, 0)]
    [TestCase(0x5, "8099", 0x11803399u, 1)]     // qemu: 11803399 cc 1
    [TestCase(0x5, "7F99", 0x117F3399u, 2)]
    [TestCase(0x6, "0000", 0x11000044u, 0)]     // inserted bits all zero: cc 0 although R1 is not
    [TestCase(0x1, "FF", 0x112233FFu, 1)]
    [TestCase(0x8, "01", 0x01223344u, 2)]
    public void ICM_inserts_selected_bytes_and_sets_cc(int mask, string data, uint expected, int cc)
    {
        var m = M().Code($"BF1{mask:X}C001").Reg(1, 0x11223344).Reg(12, 0x2000).Bytes(0x2001, data);
        m.Run();
        Assert.That(m.Cpu.Gpr[1], Is.EqualTo(expected));
        Assert.That(m.Cpu.Cc, Is.EqualTo(cc));
    }

    [Test]
    public void ICM_mask_zero_sets_cc0_changes_nothing_but_fetches_one_byte()
    {
        var ok = M().Code("BF10C000").Reg(1, 0x11223344).Reg(12, 0x2000).Cc(2);
        ok.Run();
        Assert.That(ok.ProgramCheck, Is.Null);
        Assert.That(ok.Cpu.Cc, Is.EqualTo(0));
        Assert.That(ok.Cpu.Gpr[1], Is.EqualTo(0x11223344u));
        // Hercules 3.13 recognises the access exception for the byte (the PoO permits it).
        var bad = M().Code("BF10C000").Reg(1, 0x11223344).Reg(12, 0xF0_0000);
        bad.Run();
        Assert.That(bad.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Addressing));
    }

    [Test]
    public void ICM_operand_wraps_at_16_MiB()
    {
        var m = M(0x0100_0000).Code("BF1FC000").Reg(12, 0xFF_FFFE).Bytes(0xFF_FFFE, "AABB").Bytes(0, "CCDD");
        m.Run();
        Assert.That(m.Cpu.Gpr[1], Is.EqualTo(0xAABBCCDDu));
    }

    [Test]
    public void ICM_is_an_operation_exception_on_System_360()
    {
        var m = M(level: ArchLevel.S360).Code("BF1FC000").Reg(12, 0x2000);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Operation));
    }

    [TestCase(0xA, "1133FFFF")]
    [TestCase(0xF, "11223344")]
    [TestCase(0x1, "44FFFFFF")]
    [TestCase(0x6, "2233FFFF")]
    public void STCM_stores_selected_bytes_contiguously(int mask, string expected)
    {
        var m = M().Code($"BE1{mask:X}C003").Reg(1, 0x11223344).Reg(12, 0x2000).Bytes(0x2003, "FFFFFFFF").Cc(3);
        m.Run();
        Assert.That(m.Hex(0x2003, 4), Is.EqualTo(expected));
        Assert.That(m.Cpu.Cc, Is.EqualTo(3), "cc unchanged");
    }

    [Test]
    public void STCM_mask_zero_stores_and_accesses_nothing()
    {
        // Hercules 3.13: no access exception for a zero mask.
        var m = M().Code("BE10C000").Reg(1, 0x11223344).Reg(12, 0xF0_0000);
        m.Run();
        Assert.That(m.ProgramCheck, Is.Null);
    }

    [Test]
    public void STCM_protection_stores_nothing()
    {
        var m = M().Code("BE17C7FE").Reg(1, 0x11223344).Reg(12, 0x4000);
        m.Cpu.LoadPsw(0x0020_0000_0000_0000UL | Code);
        m.Cpu.Storage.SetKey(0x4000, 0x20);
        m.Cpu.Storage.SetKey(0x4800, 0x30);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Protection));
        Assert.That(m.Hex(0x47FE, 3), Is.EqualTo("000000"));
    }

    [TestCase(0xF, "11223344", 0)]
    [TestCase(0xF, "11223345", 1)]
    [TestCase(0x9, "1144", 0)]
    [TestCase(0x9, "1143", 2)]
    [TestCase(0x9, "1045", 2)]
    [TestCase(0x2, "34", 1)]
    public void CLM_compares_selected_bytes(int mask, string data, int cc)
    {
        var m = M().Code($"BD1{mask:X}C000").Reg(1, 0x11223344).Reg(12, 0x2000).Bytes(0x2000, data);
        m.Run();
        Assert.That(m.Cpu.Cc, Is.EqualTo(cc));
    }

    [Test]
    public void CLM_mask_zero_is_cc0_and_fetches_one_byte()
    {
        var ok = M().Code("BD10C000").Reg(1, 0x11223344).Reg(12, 0x2000).Cc(1);
        ok.Run();
        Assert.That(ok.Cpu.Cc, Is.EqualTo(0));
        var bad = M().Code("BD10C000").Reg(1, 0x11223344).Reg(12, 0xF0_0000);
        bad.Run();
        Assert.That(bad.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Addressing));
    }

    // ================================================================ CS / CDS

    [Test]
    public void CS_equal_stores_R3_cc0()
    {
        var m = M().Code("BA24C004").Reg(2, 0x12345678).Reg(4, 0xCAFEBABE).Reg(12, 0x2000).Bytes(0x2004, "12345678");
        m.Run();
        Assert.That(m.Cpu.Cc, Is.EqualTo(0));
        Assert.That(m.Word(0x2004), Is.EqualTo(0xCAFEBABEu));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x12345678u));
    }

    [Test]
    public void CS_unequal_loads_R1_cc1_storage_unchanged()
    {
        var m = M().Code("BA24C004").Reg(2, 0x12345679).Reg(4, 0xCAFEBABE).Reg(12, 0x2000).Bytes(0x2004, "12345678");
        m.Run();
        Assert.That(m.Cpu.Cc, Is.EqualTo(1));
        Assert.That(m.Word(0x2004), Is.EqualTo(0x12345678u));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x12345678u));
    }

    [TestCase("BA24C002")]
    [TestCase("BA24C001")]
    public void CS_requires_a_word_boundary_even_on_System_370(string code)
    {
        var m = M().Code(code).Reg(2, 0).Reg(4, 1).Reg(12, 0x2000);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Specification));
        Assert.That(m.Word(0x2000), Is.EqualTo(0u));
    }

    [Test]
    public void CS_store_protection_is_recognised_even_when_unequal()
    {
        var m = M().Code("BA24C000").Reg(2, 1).Reg(4, 2).Reg(12, 0x4000);
        m.Cpu.LoadPsw(0x0020_0000_0000_0000UL | Code);
        m.Cpu.Storage.SetKey(0x4000, 0x30);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Protection));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(1u));
    }

    [Test]
    public void CDS_equal_swaps_the_doubleword_cc0()
    {
        var m = M().Code("BB24C008").Reg(2, 0x01020304).Reg(3, 0x05060708).Reg(4, 0xA1A2A3A4).Reg(5, 0xB1B2B3B4)
                   .Reg(12, 0x2000).Bytes(0x2008, "0102030405060708");
        m.Run();
        Assert.That(m.Cpu.Cc, Is.EqualTo(0));
        Assert.That(m.Hex(0x2008, 8), Is.EqualTo("A1A2A3A4B1B2B3B4"));
    }

    [Test]
    public void CDS_unequal_loads_the_pair_cc1()
    {
        var m = M().Code("BB24C008").Reg(2, 0x01020304).Reg(3, 0x05060709).Reg(4, 0xA1A2A3A4).Reg(5, 0xB1B2B3B4)
                   .Reg(12, 0x2000).Bytes(0x2008, "0102030405060708");
        m.Run();
        Assert.That(m.Cpu.Cc, Is.EqualTo(1));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x01020304u));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(0x05060708u));
        Assert.That(m.Hex(0x2008, 8), Is.EqualTo("0102030405060708"));
    }

    [TestCase("BB34C008")]   // odd R1
    [TestCase("BB25C008")]   // odd R3
    [TestCase("BB24C004")]   // word but not doubleword boundary
    public void CDS_specification_cases(string code)
    {
        var m = M().Code(code).Reg(12, 0x2000);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Specification));
    }

    [Test]
    public void CS_is_atomic_against_another_thread_updating_the_same_word()
    {
        // The guest increments a counter with a CS loop while a host thread increments the same
        // word with interlocked compare-and-exchange, as another CPU's CS would: no update is lost.
        const int perThread = 20000;
        // Lockstep compares two copies of one CPU's storage; a second CPU writing into one of them behind its back is outside what it can compare.
        if (engine == "lockstep") Assert.Ignore("lockstep runs one CPU: stores by another CPU (thread) reach only the interpreter's copy");
        var m = M();
        byte[] mem = m.Cpu.Storage.Bytes;
        // 1000 L 2,0(12); 1004 LA 3,1(2); 1008 CS 2,3,0(12); 100C BC 4,4(10); 1010 BCT 9,0(10); 1014 (zeros)
        m.Code("5820C000 41302001 BA23C000 4740A004 4690A000").Reg(12, 0x2000).Reg(10, 0x1000).Reg(9, perThread);
        var other = new Thread(() =>
        {
            ref int cell = ref Unsafe.As<byte, int>(ref mem[0x2000]);
            for (int i = 0; i < perThread; i++)
                while (true)
                {
                    int old = Volatile.Read(ref cell);
                    int next = BinaryPrimitives.ReverseEndianness(BinaryPrimitives.ReverseEndianness(old) + 1);
                    if (Interlocked.CompareExchange(ref cell, next, old) == old) break;
                }
        });
        other.Start();
        while (m.ProgramCheck == null) m.Run(100_000);
        other.Join();
        // The loop ends by falling into the zeros after it: an operation exception at 1014.
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Operation));
        Assert.That(OldIa(m), Is.EqualTo(Code + 0x16));
        Assert.That(m.Word(0x2000), Is.EqualTo((uint)(2 * perThread)));
    }

    // ================================================================ the qemu oracle

    [Test]
    public void Agrees_with_the_qemu_oracle()
    {
        string oracle = Shared.Require("oracle/s360oracle.py");
        Shared.RequireTool("qemu-s390x", "apt-get install -y qemu-user");
        Shared.RequireTool("s390x-linux-gnu-as", "apt-get install -y binutils-s390x-linux-gnu");
        Shared.RequireTool("python3", "apt-get install -y python3");
        var cases = OracleCases();
        string dir = Path.Combine(Path.GetTempPath(), "jit360-s370-oracle-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        string input = Path.Combine(dir, "cases.jsonl");
        File.WriteAllLines(input, cases.Select(c => JsonSerializer.Serialize(c.ToJson())));
        var psi = new ProcessStartInfo("python3", $"\"{oracle}\" --batch \"{input}\" --json -j 2")
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        var results = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
                            .ToDictionary(r => r.GetProperty("name").GetString()!);
        if (results.Count == 0) Assert.Ignore("the qemu oracle produced nothing: " + stderr);

        var failures = new List<string>();
        int compared = 0;
        foreach (var c in cases)
        {
            if (!results.TryGetValue(c.Name, out var r)) { failures.Add($"{c.Name}: no oracle result"); continue; }
            var m = RunOracleCase(c);
            string status = r.GetProperty("status").GetString()!;
            if (status != "ok")
            {
                if (m.ProgramCheck == null) failures.Add($"{c.Name}: qemu {status}, we completed");
                continue;
            }
            compared++;
            if (m.ProgramCheck is int pc) { failures.Add($"{c.Name}: program check {pc:X2}, qemu completed"); continue; }
            var gpr = r.GetProperty("gpr").EnumerateArray().Select(e => Convert.ToUInt32(e.GetString(), 16)).ToArray();
            // qemu 7.2 keeps bits 0-7 of R1 and R2 after CLCL in 24-bit mode; the S/370 PoO and
            // Hercules 3.13 set them to zero (CLCL_equal_with_padding... checks that), so for CLCL
            // the addresses are compared in bits 8-31 only.
            bool clcl = c.Code == "0F24";
            for (int i = 0; i < 16; i++)
                if (clcl && (i == 2 || i == 4) ? (gpr[i] & 0xFF_FFFF) != m.Cpu.Gpr[i] : gpr[i] != m.Cpu.Gpr[i])
                    failures.Add($"{c.Name}: R{i} {m.Cpu.Gpr[i]:X8}, qemu {gpr[i]:X8}");
            int cc = r.GetProperty("cc").GetInt32();
            if (cc != m.Cpu.Cc) failures.Add($"{c.Name}: cc {m.Cpu.Cc}, qemu {cc}");
            string window = r.GetProperty("window").GetString()!.ToUpperInvariant();
            string ours = m.Hex(OracleWindow, window.Length / 2);
            if (window != ours) failures.Add($"{c.Name}: window {ours}, qemu {window}");
        }
        Directory.Delete(dir, recursive: true);
        TestContext.Out.WriteLine($"{cases.Count} cases, {compared} completed on qemu and compared");
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(20)));
        Assert.That(compared, Is.GreaterThan(cases.Count / 2), "most cases must complete on qemu to mean anything");
    }

    const uint OracleCode = 0x10_0000, OracleWindow = 0x20_0000, OracleWindowSize = 128;

    sealed record OracleCase(string Name, string Code, uint[] Regs, byte[] Window)
    {
        public Dictionary<string, object> ToJson() => new()
        {
            ["name"] = Name, ["code"] = Code, ["window"] = (int)OracleWindowSize,
            ["regs"] = Enumerable.Range(0, 16).Where(i => Regs[i] != 0).ToDictionary(i => i.ToString(), i => $"0x{Regs[i]:X8}"),
            ["mem"] = new[] { new object[] { "0", Convert.ToHexString(Window) } },
        };
    }

    TestMachine RunOracleCase(OracleCase c)
    {
        var m = new TestMachine(engine, ArchLevel.S370, 0x21_0000);
        m.Code(c.Code, OracleCode);
        m.Cpu.Storage.Load(OracleWindow, c.Window);
        for (int i = 0; i < 16; i++) m.Cpu.Gpr[i] = c.Regs[i];
        m.Run();
        return m;
    }

    /// <summary>Seeded random cases for every instruction here, operands inside the oracle's window.</summary>
    static List<OracleCase> OracleCases()
    {
        var rng = new Random(370_1975);
        var list = new List<OracleCase>();
        uint W(int off) => OracleWindow + (uint)off;
        byte[] Window()
        {
            var w = new byte[OracleWindowSize];
            rng.NextBytes(w);
            // Repeat a stretch so that comparisons find equal prefixes.
            Array.Copy(w, 0, w, 64, rng.Next(0, 40));
            for (int i = 0; i < w.Length; i += rng.Next(3, 9)) w[i] = 0x40;
            return w;
        }
        uint High() => rng.Next(3) == 0 ? (uint)rng.Next(256) << 24 : 0;
        for (int k = 0; k < 40; k++)
        {
            var r = new uint[16];
            int d = rng.Next(0, 64), s = rng.Next(0, 64);
            if (k % 4 == 0) s = d + rng.Next(-3, 4);
            if (s < 0) s = 0;
            r[2] = High() | W(d); r[3] = High() | (uint)rng.Next(0, 48);
            r[4] = High() | W(s); r[5] = (uint)rng.Next(256) << 24 | (uint)rng.Next(0, 48);
            list.Add(new OracleCase($"MVCL{k}", "0E24", r, Window()));
            var r2 = (uint[])r.Clone();
            r2[2] = High() | W(rng.Next(0, 30)); r2[4] = High() | W(64 + rng.Next(0, 10));
            list.Add(new OracleCase($"CLCL{k}", "0F24", r2, Window()));
        }
        foreach (var (op, name) in new[] { ("BF", "ICM"), ("BE", "STCM"), ("BD", "CLM") })
            for (int k = 0; k < 16; k++)
            {
                var r = new uint[16];
                r[1] = (uint)rng.NextInt64(0, 1L << 32); r[12] = W(0);
                var w = Window();
                if (name == "CLM" && k % 3 == 0) { w[k] = (byte)(r[1] >> 24); w[k + 1] = (byte)(r[1] >> 16); }
                list.Add(new OracleCase($"{name}{k}", $"{op}1{k:X}C{k:X3}", r, w));
            }
        for (int k = 0; k < 12; k++)
        {
            var w = Window();
            var r = new uint[16];
            r[12] = W(0);
            int off = 8 * rng.Next(0, 8);
            uint word = (uint)(w[off] << 24 | w[off + 1] << 16 | w[off + 2] << 8 | w[off + 3]);
            uint word2 = (uint)(w[off + 4] << 24 | w[off + 5] << 16 | w[off + 6] << 8 | w[off + 7]);
            r[2] = k % 2 == 0 ? word : word ^ 1; r[3] = k % 4 < 2 ? word2 : word2 ^ 0x100;
            r[4] = (uint)rng.NextInt64(0, 1L << 32); r[5] = (uint)rng.NextInt64(0, 1L << 32);
            list.Add(new OracleCase($"CS{k}", $"BA24C{off:X3}", r, w));
            list.Add(new OracleCase($"CDS{k}", $"BB24C{off:X3}", r, w));
        }
        return list;
    }
}
