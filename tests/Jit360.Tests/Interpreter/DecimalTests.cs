using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Interpreter;

/// <summary>
/// Decimal and conversion instructions. Expected values come from the Principles of Operation
/// (worked examples in GA22-7000 Appendix A, the editing rules) and from Hercules 3.13 runs of the
/// same bytes through ../shared/oracle/h370oracle.py (window W = our 0x2000, base register 12).
/// Where Hercules and the PoO part ways (ED data exception: Hercules stores partial results; the
/// PoO permits termination, we suppress) the test follows our documented choice.
/// </summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class DecimalTests(string engine)
{
    const uint W = 0x2000;

    TestMachine Run(string code, string mem0, string? mem8 = null, string? mem16 = null, int pm = 0,
                    ArchLevel level = ArchLevel.S370, bool ascii = false)
    {
        var m = new TestMachine(engine, level);
        if (ascii) m.Psw(0x0008_0000_0000_0000UL | TestMachine.CodeAddress);   // S/360 bit 12: USASCII-8
        m.Code(code).Reg(12, W).ProgramMask(pm).Bytes(W, mem0);
        if (mem8 != null) m.Bytes(W + 8, mem8);
        if (mem16 != null) m.Bytes(W + 16, mem16);
        m.Run();
        return m;
    }

    /// <summary>The condition code after the instruction, also when it completed and then interrupted (from the old PSW).</summary>
    static int Cc(TestMachine m) => m.ProgramCheck == null ? m.Cpu.Cc : (int)(m.Cpu.LastInterrupt.OldPsw >> 28) & 3;

    // name, code, bytes at W, at W+8, expected bytes from W (hex), cc, program-interruption code or 0
    static readonly object[][] Oracle =
    [
        // ---- AP / SP (GA22-7000 "Add Decimal", "Subtract Decimal") ----
        ["AP overflow, masked",            "FA21C000C008", "99999C", "001C",   "00000C",     3, 0],
        ["AP mixed signs",                 "FA22C000C008", "12345C", "54321D", "41976D",     1, 0],
        ["SP equal gives plus zero",       "FB22C000C008", "00123D", "00123D", "00000C",     0, 0],
        ["AP overflow keeps minus zero",   "FA11C000C008", "999D",   "001D",   "000D",       3, 0],
        ["AP longer op2 overflows",        "FA12C000C008", "001C",   "01000C", "001C",       3, 0],
        ["AP longer op2 fits",             "FA12C000C008", "001C",   "00998C", "999C",       2, 0],
        ["SP sign codes F and B accepted", "FB21C000C008", "00100F", "050B",   "00150C",     2, 0],
        ["SP overflow negative",           "FB11C000C008", "500D",   "600C",   "100D",       3, 0],
        ["AP invalid op1 digit",           "FA11C000C008", "1A3C",   "001C",   "1A3C",       0, 7],
        ["AP invalid op2 sign",            "FA11C000C008", "001C",   "0015",   "001C",       0, 7],
        // ---- ZAP ----
        ["ZAP op1 not checked",            "F824C000C008", "ABCDEF", "000001234D", "01234D", 1, 0],
        ["ZAP overflow zero keeps sign",   "F813C000C008", "ABCD",   "0100000D", "000D",     3, 0],
        ["ZAP invalid op2 sign",           "F811C000C008", "ABCD",   "1234",   "ABCD",       0, 7],
        ["ZAP minus zero made plus",       "F811C000C008", "ABCD",   "000D",   "000C",       0, 0],
        // ---- CP ----
        ["CP plus zero equals minus zero", "F910C000C008", "000C",   "0D",     "000C",       0, 0],
        ["CP first high",                  "F901C000C008", "5C",     "123D",   "5C",         2, 0],
        ["CP first low (negatives)",       "F922C000C008", "00123D", "00045D", "00123D",     1, 0],
        ["CP invalid",                     "F900C000C008", "5C",     "A3",     "5C",         0, 7],
        // ---- MP ----
        ["MP basic",                       "FC31C000C008", "0000123C", "025D", "0003075D",   0, 0],
        ["MP too few leading zeros",       "FC31C000C008", "0001234C", "025C", "0001234C",   0, 7],
        ["MP L2 equal L1",                 "FC11C000C008", "000C",     "025C", "000C",       0, 6],
        ["MP L2 above 7",                  "FC98C000C008", "00000000000000000000",     "000000000000000C", "00000000000000000000", 0, 6],
        ["MP minus zero product",          "FC31C000C008", "0000000C", "025D", "0000000D",   0, 0],
        ["MP invalid multiplier",          "FC31C000C008", "0000123C", "02F5", "0000123C",   0, 7],
        // ---- DP ----
        ["DP quotient and remainder",      "FD41C000C008", "000123456C", "123D", "01003D087C", 0, 0],
        ["DP remainder sign of dividend",  "FD31C000C008", "0000125D",   "010C", "012D005D",   0, 0],
        ["DP minus zero quotient kept",    "FD41C000C008", "000000012D", "123C", "00000D012D", 0, 0],
        ["DP quotient too large",          "FD20C000C008", "12345C",     "1C",   "12345C",     0, 11],
        ["DP divisor zero",                "FD41C000C008", "000123456C", "000C", "000123456C", 0, 11],
        ["DP invalid dividend sign",       "FD41C000C008", "0001234566", "123D", "0001234566", 0, 7],
        ["DP L2 equal L1",                 "FD11C000C008", "123C",       "1C",   "123C",       0, 6],
        // ---- PACK, UNPK, MVO (never check codes) ----
        ["PACK basic",                     "F223C000C008", "AAAAAA",   "F1F2F3C4", "01234C",  0, 0],
        ["PACK in place",                  "F233C000C000", "F1F2F3C4", null,       "0001234C", 0, 0],
        ["PACK long result zero filled",   "F273C000C008", "AAAAAAAAAAAAAAAA", "F1F2F3C4", "000000000001234C", 0, 0],
        ["PACK op1 right of op2",          "F244C002C000", "F1F2F3F4F5F6F7", null, "F1F2000012345F", 0, 0],
        ["PACK invalid codes moved",       "F211C000C008", "AAAA",     "ABCD",     "0BDC",     0, 0],
        ["UNPK basic",                     "F342C000C008", "AAAAAAAAAAAA", "01234C", "F0F1F2F3C4AA", 0, 0],
        ["UNPK short result",              "F312C000C008", "AAAAAA",   "01234C",   "F3C4AA",   0, 0],
        ["UNPK in place",                  "F322C000C000", "12345C",   null,       "F3F4C5",   0, 0],
        ["UNPK overlap reads stored byte", "F342C000C002", "AA01234CBBBB", null,   "FFF4F4FCBBBB", 0, 0],
        ["MVO PoO example",                "F132C000C008", "7788990C", "123456",   "0123456C", 0, 0],
        ["MVO in place",                   "F122C000C000", "12345C",   null,       "2345CC",   0, 0],
        ["MVO op2 longer truncated",       "F113C000C008", "990C",     "12345678", "678C",     0, 0],
        ["MVO op1 right of op2",           "F122C001C000", "1234567C", null,       "1223456C", 0, 0],
        // ---- SRP (GA22-7000 "Shift and Round Decimal", Appendix A examples) ----
        ["SRP left 3 (PoO)",               "F050C0000003", "00012345678C", null,   "12345678000C", 2, 0],
        ["SRP right 1 (PoO)",              "F040C000003F", "012345678C", null,     "001234567C",   2, 0],
        ["SRP right 3 round 5 (PoO)",      "F035C000003D", "1239600C",   null,     "0001240C",     2, 0],
        ["SRP left overflow",              "F020C0000002", "12345D",     null,     "34500D",       3, 0],
        ["SRP right 32",                   "F029C0000020", "99999D",     null,     "00000C",       0, 0],
        ["SRP minus zero made plus",       "F020C0000002", "00000D",     null,     "00000C",       0, 0],
        ["SRP invalid rounding digit",     "F02AC000003F", "12345D",     null,     "12345D",       0, 7],
        ["SRP no shift still checks",      "F020C0000000", "0A000C",     null,     "0A000C",       0, 7],
    ];

    static IEnumerable<TestCaseData> OracleCases() =>
        Oracle.Select(o => new TestCaseData(o[1], o[2], o[3], o[4], o[5], o[6]).SetArgDisplayNames((string)o[0]));

    [TestCaseSource(nameof(OracleCases))]
    public void Storage_and_cc_match_the_PoO_and_Hercules(string code, string mem0, string? mem8, string expected, int cc, int pic)
    {
        var m = Run(code, mem0, mem8);
        Assert.That(m.ProgramCheck ?? 0, Is.EqualTo(pic), "program-interruption code");
        Assert.That(m.Hex(W, expected.Length / 2), Is.EqualTo(expected));
        if (pic == 0) Assert.That(m.Cpu.Cc, Is.EqualTo(cc));
    }

    [Test]
    public void Suppressed_operations_leave_the_cc_alone()
    {
        var m = new TestMachine(engine).Code("FA11C000C008").Reg(12, W).Cc(2).Bytes(W, "1A3C").Bytes(W + 8, "001C");
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Data));
        Assert.That(Cc(m), Is.EqualTo(2));
        Assert.That(m.Cpu.LastInterrupt.Ilc, Is.EqualTo(3));
    }

    // ---- decimal overflow: completion, then the interruption when PSW bit 37 is one ----

    [Test]
    public void AP_overflow_with_mask_stores_result_then_interrupts()
    {
        var m = Run("FA11C000C008", "999D", "001D", pm: 4);
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.DecimalOverflow));
        Assert.That(m.Hex(W, 2), Is.EqualTo("000D"));
        Assert.That(Cc(m), Is.EqualTo(3));
        Assert.That((uint)m.Cpu.LastInterrupt.OldPsw & 0xFFFFFF, Is.EqualTo(TestMachine.CodeAddress + 6));
    }

    [Test]
    public void ZAP_overflow_with_mask_stores_truncated_result()
    {
        var m = Run("F812C000C008", "AAAA", "12345C", pm: 4);
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.DecimalOverflow));
        Assert.That(m.Hex(W, 2), Is.EqualTo("345C"));
        Assert.That(Cc(m), Is.EqualTo(3));
    }

    [Test]
    public void SRP_overflow_with_mask_interrupts_after_storing()
    {
        var m = Run("F020C0000002", "12345D", pm: 4);
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.DecimalOverflow));
        Assert.That(m.Hex(W, 3), Is.EqualTo("34500D"));
    }

    [Test]
    public void Fixed_point_overflow_mask_does_not_enable_decimal_overflow()
    {
        var m = Run("FA21C000C008", "99999C", "001C", pm: 8);
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Cpu.Cc, Is.EqualTo(3));
    }

    [Test]
    public void SRP_is_not_on_System360()
    {
        var m = Run("F020C0000002", "12345D", level: ArchLevel.S360);
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Operation));
    }

    // ---- overlap ----

    [Test]
    public void AP_adds_a_number_to_itself()
    {
        var m = Run("FA22C000C000", "12345C");
        Assert.That(m.Hex(W, 3), Is.EqualTo("24690C"));
        Assert.That(m.Cpu.Cc, Is.EqualTo(2));
    }

    [Test]
    public void SP_of_a_field_from_itself_clears_it()
    {
        var m = Run("FB22C000C000", "98765D");
        Assert.That(m.Hex(W, 3), Is.EqualTo("00000C"));
        Assert.That(m.Cpu.Cc, Is.EqualTo(0));
    }

    [Test]
    public void SP_with_shorter_op2_sharing_the_rightmost_byte()
    {
        // Rightmost bytes coincide with unequal lengths: 12345 - 345 = 12000.
        var m = Run("FB21C000C001", "12345C");
        Assert.That(m.Hex(W, 3), Is.EqualTo("12000C"));
    }

    [Test]
    public void ZAP_with_op1_to_the_right_of_op2_works_right_to_left()
    {
        var m = Run("F832C001C000", "12345C00");
        Assert.That(m.Hex(W, 5), Is.EqualTo("120012345C"));
        Assert.That(m.Cpu.Cc, Is.EqualTo(2));
    }

    [Test]
    public void S360_ZAP_with_op1_left_of_op2_is_a_data_exception()
    {
        // GA22-6821 "Data Exception" item 2 (fields overlap incorrectly): op1 ends left of op2's rightmost byte.
        var m = Run("F812C000C001", "AA00123C", level: ArchLevel.S360);
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Data));
        Assert.That(m.Hex(W, 4), Is.EqualTo("AA00123C"));
    }


    [Test]
    public void S360_ZAP_to_the_right_is_permitted_overlap()
    {
        var m = Run("F832C001C000", "12345C00", level: ArchLevel.S360);
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Hex(W, 5), Is.EqualTo("120012345C"));
    }

    // ---- access is checked before anything is stored ----

    [Test]
    public void AP_addressing_exception_on_op2_leaves_op1_unchanged()
    {
        var m = new TestMachine(engine, storage: 0x10000).Code("FA11C000D000").Reg(12, W).Reg(13, 0xFFFF)
                                                     .Bytes(W, "123C");
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Addressing));
        Assert.That(m.Hex(W, 2), Is.EqualTo("123C"));
    }

    [Test]
    public void PACK_protection_on_op1_leaves_storage_unchanged()
    {
        var m = new TestMachine(engine).Code("F213C000C008").Reg(12, W).Bytes(W, "AAAA").Bytes(W + 8, "F1F2F3C4");
        m.Cpu.Storage.SetKey(W, 0x30);
        m.Psw(0x0021_0000_0000_0000UL | TestMachine.CodeAddress);   // key 2, problem state
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Protection));
        Assert.That(m.Hex(W, 2), Is.EqualTo("AAAA"));
    }

    // ---- CVB / CVD ----

    [TestCase("000000000000123D", 0xFFFFFF85u)]
    [TestCase("000002147483648D", 0x80000000u)]
    [TestCase("000002147483647C", 0x7FFFFFFFu)]
    [TestCase("000000000000123A", 123u)]   // A is a plus sign
    [TestCase("000000000000000B", 0u)]     // minus zero converts to zero
    public void CVB_converts(string dw, uint expected)
    {
        var m = Run("4F30C000", dw);
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(expected));
    }

    [TestCase("000003000000000C", 0xB2D05E00u)]
    [TestCase("000002147483649D", 0x7FFFFFFFu)]
    public void CVB_out_of_range_stores_low_32_bits_then_fixed_point_divide(string dw, uint low)
    {
        var m = new TestMachine(engine).Code("4F30C000").Reg(12, W).Reg(3, 0x55).Cc(1).Bytes(W, dw);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.FixedPointDivide));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(low));
        Assert.That(Cc(m), Is.EqualTo(1), "cc unchanged");
    }

    [TestCase("00000000000A123C")]
    [TestCase("0000000000001234")]
    public void CVB_invalid_is_data_exception_with_register_unchanged(string dw)
    {
        var m = new TestMachine(engine).Code("4F30C000").Reg(12, W).Reg(3, 0x55).Bytes(W, dw);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Data));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(0x55u));
    }

    [Test]
    public void CVB_unaligned_is_specification_on_S360_only()
    {
        var s360 = new TestMachine(engine, ArchLevel.S360).Code("4F30C004").Reg(12, W).Bytes(W + 4, "000000000000123C");
        s360.Run();
        Assert.That(s360.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Specification));
        var s370 = new TestMachine(engine).Code("4F30C004").Reg(12, W).Bytes(W + 4, "000000000000123C");
        s370.Run();
        Assert.That(s370.ProgramCheck, Is.Null);
        Assert.That(s370.Cpu.Gpr[3], Is.EqualTo(123u));
    }

    [TestCase(0x00001000u, "000000000004096C")]
    [TestCase(0x80000000u, "000002147483648D")]
    [TestCase(0xFFFFFFFFu, "000000000000001D")]
    [TestCase(0u, "000000000000000C")]
    public void CVD_converts(uint r3, string expected)
    {
        var m = new TestMachine(engine).Code("4E30C000").Reg(12, W).Reg(3, r3);
        m.Run();
        Assert.That(m.Hex(W, 8), Is.EqualTo(expected));
    }

    [Test]
    public void CVD_unaligned_is_specification_on_S360()
    {
        var m = new TestMachine(engine, ArchLevel.S360).Code("4E30C002").Reg(12, W).Reg(3, 5);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Specification));
        Assert.That(m.Hex(W, 16), Is.EqualTo(new string('0', 32)));
    }

    // ---- S/360 USASCII-8 mode (GA22-6821: signs 1010/1011, zone 0101) ----

    [Test]
    public void CVD_in_ascii_mode_uses_signs_A_and_B()
    {
        var m = new TestMachine(engine, ArchLevel.S360).Psw(0x0008_0000_0000_0000UL | TestMachine.CodeAddress)
                                                       .Code("4E30C000").Reg(12, W).Reg(3, 0xFFFFFFF6);
        m.Run();
        Assert.That(m.Hex(W, 8), Is.EqualTo("000000000000010B"));
    }

    [Test]
    public void AP_in_ascii_mode_gives_preferred_sign_A()
    {
        var m = Run("FA11C000C008", "123C", "001F", level: ArchLevel.S360, ascii: true);
        Assert.That(m.Hex(W, 2), Is.EqualTo("124A"));
    }

    [Test]
    public void UNPK_in_ascii_mode_uses_zone_5()
    {
        var m = Run("F342C000C008", "AAAAAAAAAA", "01234C", level: ArchLevel.S360, ascii: true);
        Assert.That(m.Hex(W, 5), Is.EqualTo("50515253C4"));
    }

    [Test]
    public void ED_in_ascii_mode_uses_zone_5()
    {
        var m = Run("DE04C000C010", "2020202020", null, "01234C", level: ArchLevel.S360, ascii: true);
        Assert.That(m.Hex(W, 5), Is.EqualTo("2051525354"));
    }

    [Test]
    public void S370_has_no_ascii_mode()
    {
        // PSW bit 12 on S/370 selects EC mode; decimal results keep EBCDIC signs.
        var m = new TestMachine(engine).Psw(0x0008_0000_0000_0000UL | TestMachine.CodeAddress)
                                       .Code("4E30C000").Reg(12, W).Reg(3, 1);
        m.Run();
        Assert.That(m.Hex(W, 8), Is.EqualTo("000000000000001C"));
    }

    // ---- ED / EDMK (GA22-7000 "Edit", "Edit and Mark") ----

    [TestCase("DE09C000C010", "4020206B2021204B2020", "0012345C", "40404040F1F2F34BF4F5", 2)]
    [TestCase("DE09C000C010", "4020206B2021204B2020", "0000000C", "404040404040F04BF0F0", 0)]
    [TestCase("DE0BC000C010", "5C2020206B2021204B2020C3", "0012345D", "5C5C5CF16BF2F3F44BF5F0C3", 1)]
    [TestCase("DE0CC000C010", "5C2020206B2021204B2020C3D9", "0012345C", "5C5C5CF16BF2F3F44BF55C5C5C", 2)]
    [TestCase("DE0AC000C010", "4020212022202021206000", "012C345D", "4040F1F240F3F4F5F06000", 1)]
    [TestCase("DE03C000C010", "20202020", "01234C", "20F1F2F3", 1)]          // fill byte is a digit selector; no sign reached
    [TestCase("DE08C000C010", "F02020224020202060", "1C023D", "F0F1F0F0F0F2F3F060", 1)]   // plus sign mid-source turns significance off
    [TestCase("DE07C000C006", "4020202020201C2C", null, "40F1F24040404040", 2)]         // source inside the pattern
    [TestCase("DE02C000C010", "402022", "5C", "40F540", 0)]                     // last character a field separator: cc 0 even after a digit
    public void ED_edits(string code, string pattern, string? source, string expected, int cc)
    {
        var m = Run(code, pattern, null, source);
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Hex(W, expected.Length / 2), Is.EqualTo(expected));
        Assert.That(m.Cpu.Cc, Is.EqualTo(cc));
    }

    [Test]
    public void ED_invalid_source_digit_is_data_exception_and_pattern_unchanged()
    {
        var m = Run("DE09C000C010", "4020206B2021204B2020", null, "00A2345C");
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Data));
        Assert.That(m.Hex(W, 10), Is.EqualTo("4020206B2021204B2020"));
    }

    [Test]
    public void ED_sign_code_in_the_right_half_is_not_a_digit_error()
    {
        // Right halves may hold any sign code; only left halves must be digits.
        var m = Run("DE03C000C010", "40202020", null, "1F2E");
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Hex(W, 4), Is.EqualTo("40F1F240"));
    }

    [Test]
    public void EDMK_marks_the_first_significant_digit()
    {
        var m = new TestMachine(engine).Code("DF09C000C010").Reg(12, W).Reg(1, 0xAA00_0000)
                                       .Bytes(W, "4020206B2021204B2020").Bytes(W + 16, "0012345C");
        m.Run();
        Assert.That(m.Cpu.Gpr[1], Is.EqualTo(0xAA00_0000u | (W + 4)));
        Assert.That(m.Cpu.Cc, Is.EqualTo(2));
    }

    [Test]
    public void EDMK_leaves_R1_when_significance_is_forced_by_the_starter()
    {
        var m = new TestMachine(engine).Code("DF09C000C010").Reg(12, W).Reg(1, 0xAA00_0000)
                                       .Bytes(W, "4020206B2021204B2020").Bytes(W + 16, "0000005C");
        m.Run();
        Assert.That(m.Cpu.Gpr[1], Is.EqualTo(0xAA00_0000u));
        Assert.That(m.Hex(W, 10), Is.EqualTo("404040404040F04BF0F5"));
    }

    [Test]
    public void EDMK_with_two_fields_keeps_the_rightmost_mark()
    {
        var m = new TestMachine(engine).Code("DF08C000C010").Reg(12, W).Reg(1, 0x1100_0000)
                                       .Bytes(W, "402020224020202020").Bytes(W + 16, "012C00345C");
        m.Run();
        Assert.That(m.Cpu.Gpr[1], Is.EqualTo(0x1100_0000u | (W + 8)));
        Assert.That(m.Hex(W, 9), Is.EqualTo("4040F14040F24040F3"));
        Assert.That(m.Cpu.Cc, Is.EqualTo(1));
    }

    // ---- semantic-level checks of rules the byte tables don't reach ----

    [Test]
    public void DP_largest_quotient_that_fits()
    {
        // Quotient field of one byte holds one digit: 99 / 10 = 9 r 9 fits; 100 / 10 does not.
        var ok = Run("FD21C000C008", "00099C", "010C");
        Assert.That(ok.Hex(W, 3), Is.EqualTo("9C009C"));
        var bad = Run("FD21C000C008", "00100C", "010C");
        Assert.That(bad.ProgramCheck, Is.EqualTo(ProgramInterruptCode.DecimalDivide));
    }

    [Test]
    public void MP_largest_operands_give_31_digits()
    {
        // 16-byte multiplicand with 8 leading zero bytes times a 15-digit multiplier.
        var m = Run("FCF7C000C010", "0000000000000000999999999999999C", null, "999999999999999C");
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Hex(W, 16), Is.EqualTo("0999999999999998000000000000001C"));
    }
}
