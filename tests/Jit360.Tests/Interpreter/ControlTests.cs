using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Interpreter;

/// <summary>Control and I/O instructions (GA22-6821, GA27-2719, GA22-7000 chapters 10 and 13).</summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class ControlTests(string engine)
{
    const uint Next4 = TestMachine.CodeAddress + 4;
    TestMachine M(ArchLevel level = ArchLevel.S370) => new(engine, level);

    /// <summary>A machine in the problem state at the code address.</summary>
    TestMachine Problem(ArchLevel level = ArchLevel.S370) => M(level).Psw(0x0001_0000_0000_0000UL | TestMachine.CodeAddress);

    static void Ec(TestMachine m, ulong flags = 0) => m.Psw(0x0008_0000_0000_0000UL | flags | TestMachine.CodeAddress);

    // ---- privileged-operation exception in the problem state ----

    [TestCase("8000 0100", ArchLevel.S370)]     // SSM
    [TestCase("8200 0100", ArchLevel.S370)]     // LPSW
    [TestCase("8300 0000", ArchLevel.S370)]     // DIAG
    [TestCase("0812", ArchLevel.S370)]          // SSK
    [TestCase("0912", ArchLevel.S360)]          // ISK
    [TestCase("9C00 000E", ArchLevel.S360)]     // SIO
    [TestCase("9C00 000E", ArchLevel.S370)]
    [TestCase("9D00 000E", ArchLevel.S370)]     // TIO
    [TestCase("9E01 000E", ArchLevel.S370)]     // HDV
    [TestCase("9F00 0000", ArchLevel.S370)]     // TCH
    [TestCase("B203 0000", ArchLevel.S370)]     // STIDC
    [TestCase("AC00 0100", ArchLevel.S370)]     // STNSM
    [TestCase("AD00 0100", ArchLevel.S370)]     // STOSM
    [TestCase("B712 0100", ArchLevel.S370)]     // LCTL
    [TestCase("B612 0100", ArchLevel.S370)]     // STCTL
    [TestCase("B812 0100", ArchLevel.S360_67)]  // LMC
    [TestCase("B012 0100", ArchLevel.S360_67)]  // STMC
    [TestCase("B110 0100", ArchLevel.S360_67)]  // LRA
    [TestCase("B202 0100", ArchLevel.S370)]     // STIDP
    [TestCase("B204 0100", ArchLevel.S370)]     // SCK
    [TestCase("B206 0100", ArchLevel.S370)]     // SCKC
    [TestCase("B209 0100", ArchLevel.S370)]     // STPT
    [TestCase("B213 0100", ArchLevel.S370)]     // RRB
    public void Privileged_in_problem_state(string code, ArchLevel level)
    {
        var m = Problem(level).Code(code).Reg(1, 0x11).Reg(2, 0x800);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.PrivilegedOperation));
        Assert.That(m.Cpu.Gpr[1], Is.EqualTo(0x11u), "suppressed");
    }

    [Test]
    public void STCK_is_not_privileged_and_stores_increasing_unique_values()
    {
        var m = Problem().Code("B205 0100 B205 0108");
        m.Run(2);
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Cpu.Cc, Is.EqualTo(0));
        ulong a = (ulong)m.Word(0x100) << 32 | m.Word(0x104), b = (ulong)m.Word(0x108) << 32 | m.Word(0x10C);
        Assert.That(b, Is.GreaterThan(a));
    }

    // ---- SSM, STNSM, STOSM ----

    [Test]
    public void SSM_loads_the_system_mask_S360()
    {
        var m = M(ArchLevel.S360).Code("8000 0100").Bytes(0x100, "FF");
        m.Run();
        Assert.That(m.Cpu.SystemMask, Is.EqualTo(0xFF));
        Assert.That(m.Cpu.ExternalEnabled, Is.True);
    }

    [Test]
    public void SSM_with_CR0_bit1_is_a_special_operation_exception()
    {
        var m = M().Code("8000 0100").Bytes(0x100, "03");
        m.Cpu.Cr[0] |= 0x4000_0000;
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.SpecialOperation));
        Assert.That(m.Cpu.LastInterrupt.OldPsw >> 56, Is.EqualTo(0ul), "suppressed: mask unchanged");
    }

    [Test]
    public void SSM_in_EC_mode_with_an_unassigned_bit_completes_then_specification_ilc_2()
    {
        var m = M().Code("8000 0100").Bytes(0x100, "83");
        Ec(m);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Specification));
        Assert.That(m.Cpu.LastInterrupt.OldPsw >> 56, Is.EqualTo(0x83ul), "the mask was loaded");
        Assert.That(m.Word(0x8C), Is.EqualTo(0x0004_0006u), "EC program ILC 2 at 141, code at 142");
        Assert.That((uint)m.Cpu.LastInterrupt.OldPsw, Is.EqualTo(Next4));
    }

    [Test]
    public void STNSM_stores_then_ands()
    {
        var m = M().Code("AC FE 0100").Psw(0x0300_0000_0000_0000UL | TestMachine.CodeAddress);
        m.Run();
        Assert.That(m.Hex(0x100, 1), Is.EqualTo("03"));
        Assert.That(m.Cpu.SystemMask, Is.EqualTo(0x02));
    }

    [Test]
    public void STOSM_stores_then_ors_in_EC_mode()
    {
        var m = M().Code("AD 03 0100");
        Ec(m);
        m.Run();
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Hex(0x100, 1), Is.EqualTo("00"));
        Assert.That(m.Cpu.SystemMask, Is.EqualTo(0x03));
        Assert.That(m.Cpu.ExternalEnabled, Is.True);
    }

    // ---- LPSW ----

    [Test]
    public void LPSW_loads_a_BC_psw()
    {
        var m = M().Code("8200 0100").Bytes(0x100, "0000 0000 A000 2000");
        m.Run();
        Assert.That(m.Cpu.Ia, Is.EqualTo(0x2000u));
        Assert.That(m.Cpu.Cc, Is.EqualTo(2));
        Assert.That(m.Cpu.EcMode, Is.False);
    }

    [Test]
    public void LPSW_operand_must_be_doubleword_aligned()
    {
        var m = M().Code("8200 0104");
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Specification));
        Assert.That(m.Cpu.LastInterrupt.Ilc, Is.EqualTo(2));
    }

    [Test]
    public void LPSW_valid_EC_psw()
    {
        var m = M().Code("8200 0100").Bytes(0x100, "0008 2000 0000 2000");
        m.Run();
        Assert.That(m.Cpu.EcMode, Is.True);
        Assert.That(m.Cpu.Cc, Is.EqualTo(2));
        Assert.That(m.Cpu.CurrentPsw(), Is.EqualTo(0x0008_2000_0000_2000UL));
        m.Run();
        Assert.That(m.ProgramCheck, Is.Null.Or.Not.EqualTo(ProgramInterruptCode.Specification));
    }

    [TestCase("8008 0000 0000 2000")]   // bit 0
    [TestCase("0808 0000 0000 2000")]   // bit 4
    [TestCase("0008 4000 0000 2000")]   // bit 17
    [TestCase("0008 0080 0000 2000")]   // bit 24
    [TestCase("0008 0000 0100 2000")]   // bit 39
    public void LPSW_invalid_EC_psw_is_a_specification_exception_after_loading_with_ilc_0(string psw)
    {
        var m = M().Code("8200 0100").Bytes(0x100, psw);
        m.Run(2);
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Specification));
        Assert.That(m.Cpu.LastInterrupt.Ilc, Is.EqualTo(0));
        ulong expected = Convert.ToUInt64(psw.Replace(" ", ""), 16);
        Assert.That(m.Cpu.LastInterrupt.OldPsw, Is.EqualTo(expected), "the invalid PSW is stored as introduced");
        Assert.That(m.Hex(0x8C, 4), Is.EqualTo("00000006"));
    }

    [Test]
    public void LPSW_EC_bit_on_S360_is_the_ascii_bit()
    {
        var m = M(ArchLevel.S360).Code("8200 0100").Bytes(0x100, "0008 0000 0000 2000");
        m.Run();
        Assert.That(m.Cpu.Ascii, Is.True);
        Assert.That(m.Cpu.EcMode, Is.False);
    }

    // ---- DIAG ----

    [Test]
    public void DIAG_in_supervisor_state_exits_to_the_host()
    {
        var m = M().Code("8312 0008");
        var exit = m.Run(5);
        Assert.That(exit, Is.EqualTo(ExitReason.Diagnose));
        Assert.That(m.Cpu.Ia, Is.EqualTo(Next4));
    }

    // ---- storage keys ----

    [Test]
    public void SSK_and_ISK_S370_BC_mode_inserts_key_and_fetch_bit_only()
    {
        var m = M().Code("0812 0932").Reg(1, 0xFFFF_FF3E).Reg(2, 0x800).Reg(3, 0xAAAA_AAFF);
        m.Run(2);
        Assert.That(m.Cpu.Storage.GetKey(0x800), Is.EqualTo(0x3E));
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(0xAAAA_AA38u));
    }

    [Test]
    public void ISK_S370_EC_mode_inserts_reference_and_change()
    {
        var m = M().Code("0812 0932").Reg(1, 0x3F).Reg(2, 0x800).Reg(3, 0xFF);
        Ec(m);
        m.Run(2);
        Assert.That(m.Cpu.Gpr[3], Is.EqualTo(0x3Eu));
    }

    [Test]
    public void SSK_S360_sets_key_and_fetch_protection_only()
    {
        var m = M(ArchLevel.S360).Code("0812 0932").Reg(1, 0x5E).Reg(2, 0x1800);
        m.Run(2);
        Assert.That(m.Cpu.Storage.GetKey(0x1800), Is.EqualTo(0x58));
        Assert.That(m.Cpu.Gpr[3] & 0xFF, Is.EqualTo(0x58u));
    }

    [TestCase(ArchLevel.S360, "0812")]
    [TestCase(ArchLevel.S360, "0912")]
    [TestCase(ArchLevel.S370, "0812")]
    [TestCase(ArchLevel.S370, "0912")]
    public void SSK_ISK_address_bits_28_31_must_be_zero(ArchLevel level, string code)
    {
        var m = M(level).Code(code).Reg(1, 0x50).Reg(2, 0x804);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Specification));
        Assert.That(m.Cpu.Storage.GetKey(0x800), Is.EqualTo(0));
    }

    [Test]
    public void SSK_outside_storage_is_an_addressing_exception()
    {
        var m = M().Code("0812").Reg(1, 0x50).Reg(2, 0x0010_0000);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Addressing));
    }

    [Test]
    public void RRB_sets_cc_from_reference_and_change_and_resets_reference()
    {
        var m = M().Code("B213 0800");
        m.Cpu.Storage.SetKey(0x800, 0x36);
        m.Run();
        Assert.That(m.Cpu.Cc, Is.EqualTo(3));
        Assert.That(m.Cpu.Storage.GetKey(0x800), Is.EqualTo(0x32));
    }

    [Test]
    public void SPKA_and_IPK()
    {
        var m = M().Code("B20A 0050 B20B 0000").Reg(2, 0x1234_56FF);
        m.Run(2);
        Assert.That(m.Cpu.Key, Is.EqualTo(5));
        Assert.That(m.Cpu.Gpr[2], Is.EqualTo(0x1234_5650u));
    }

    [Test]
    public void SPKA_in_problem_state_needs_the_CR3_key_mask_bit()
    {
        var m = Problem().Code("B20A 0050 B20A 0060");
        m.Cpu.Cr[3] = 0x0400_0000;   // key 5 authorised, key 6 not
        m.Run(2);
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.PrivilegedOperation));
        Assert.That((m.Cpu.LastInterrupt.OldPsw >> 52) & 0xF, Is.EqualTo(5ul), "the first SPKA set key 5");
    }

    [Test]
    public void IPK_in_problem_state_needs_extraction_authority()
    {
        var m = Problem().Code("B20B 0000");
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.PrivilegedOperation));
        m = Problem().Code("B20B 0000");
        m.Cpu.Cr[0] |= 0x0800_0000;
        m.Run();
        Assert.That(m.ProgramCheck, Is.Null);
    }

    // ---- control registers ----

    [Test]
    public void LCTL_and_STCTL_wrap_from_15_to_0()
    {
        var m = M().Code("B7F1 0100 B6F1 0200").Bytes(0x100, "11111111 22222222 33333333");
        m.Run(2);
        Assert.That(m.Cpu.Cr[15], Is.EqualTo(0x1111_1111u));
        Assert.That(m.Cpu.Cr[0], Is.EqualTo(0x2222_2222u));
        Assert.That(m.Cpu.Cr[1], Is.EqualTo(0x3333_3333u));
        Assert.That(m.Hex(0x200, 12), Is.EqualTo("111111112222222233333333"));
    }

    [Test]
    public void LCTL_needs_a_word_boundary()
    {
        var m = M().Code("B700 0102");
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Specification));
    }

    [Test]
    public void LMC_sets_CR6_extended_psw_and_STMC_stores_it()
    {
        var m = M(ArchLevel.S360_67).Code("B866 0100 B066 0200").Bytes(0x100, "00800000");
        m.Run(2);
        Assert.That(m.Cpu.Extended67, Is.True);
        Assert.That(m.Hex(0x200, 4), Is.EqualTo("00800000"));
    }

    // ---- Model 67 extended PSW ----

    [Test]
    public void Model67_extended_psw_round_trip()
    {
        var m = M(ArchLevel.S360_67);
        m.Cpu.Cr[6] = Psw67.ExtendedPswBit;
        ulong psw = 0x0F3D_A900_0012_3456UL;   // 32-bit mode, DAT, I/O and external masks, key 3, ASCII, M, P; ILC 2, cc 2, pm 9
        m.Cpu.LoadPsw(psw);
        Assert.That(m.Cpu.Addressing32, Is.True);
        Assert.That(m.Cpu.Translate, Is.True);
        Assert.That(m.Cpu.Key, Is.EqualTo(3));
        Assert.That(m.Cpu.Cc, Is.EqualTo(2));
        Assert.That(m.Cpu.ProgramMask, Is.EqualTo(9));
        Assert.That(m.Cpu.Ia, Is.EqualTo(0x0012_3456u));
        Assert.That(m.Cpu.CurrentPsw(0, 2), Is.EqualTo(psw));
    }

    [Test]
    public void Model67_extended_svc_stores_ilc_in_psw_and_code_in_low_storage()
    {
        var m = M(ArchLevel.S360_67).Code("0A42");
        m.Cpu.Cr[6] = Psw67.ExtendedPswBit;
        m.Cpu.LoadPsw(0x0000_0000_0000_0000UL | TestMachine.CodeAddress);
        m.Run();
        Assert.That(m.Cpu.LastInterrupt.Class, Is.EqualTo(InterruptClass.Svc));
        Assert.That(m.Cpu.Storage.ReadDoublewordAbsolute(Low.SvcOldPsw), Is.EqualTo(0x0000_4000_0000_1002UL));
        Assert.That(m.Hex(0x10, 2), Is.EqualTo("0042"));
    }

    // ---- LRA ----

    /// <summary>S/370 tables: 64K segments, 4K pages; segment 1 -> page table at 0x3000; page 2 -> frame 0x5000; page 3 invalid.</summary>
    static TestMachine WithTables(TestMachine m)
    {
        m.Cpu.Cr[0] = 0x0080_0000;            // 4K pages, 64K segments
        m.Cpu.Cr[1] = 0x0000_2000;            // STL 0 (16 entries), origin 0x2000
        m.Bytes(0x2000, "00000001 F0003000 00000001");   // seg 0 invalid, seg 1 -> 0x3000 full length
        m.Bytes(0x3000, "0008 0008 0050 0008");          // pages 0,1,3 invalid; page 2 -> 0x5000
        return m;
    }

    [Test]
    public void LRA_S370_translates_through_the_tables()
    {
        var m = WithTables(M()).Code("B111 0000").Reg(1, 0x0001_2ABC);
        m.Run();
        Assert.That(m.Cpu.Cc, Is.EqualTo(0));
        Assert.That(m.Cpu.Gpr[1], Is.EqualTo(0x5ABCu));
    }

    [TestCase(0x0000_1000u, 1, 0x2000u)]   // segment invalid
    [TestCase(0x0001_3000u, 2, 0x3006u)]   // page invalid
    [TestCase(0x0010_0000u, 3, 0x2040u)]   // beyond the segment table
    public void LRA_S370_exception_conditions_set_cc_and_entry_address(uint va, int cc, uint entry)
    {
        var m = WithTables(M()).Code("B111 0000").Reg(1, va);
        m.Run();
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Cpu.Cc, Is.EqualTo(cc));
        Assert.That(m.Cpu.Gpr[1], Is.EqualTo(entry));
    }

    [Test]
    public void LRA_S370_invalid_CR0_format_is_a_translation_specification_exception()
    {
        var m = M().Code("B110 0000");
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.TranslationSpecification));
    }

    // ---- clocks and identification ----

    [Test]
    public void SCK_then_STCK_reads_back_the_set_value_plus_elapsed_time()
    {
        var m = M().Code("B204 0100 B205 0108").Bytes(0x100, "1234 5678 9ABC D000");
        m.Run(2);
        Assert.That(m.Cpu.Cc, Is.EqualTo(0));
        ulong stored = (ulong)m.Word(0x108) << 32 | m.Word(0x10C);
        Assert.That(stored - 0x1234_5678_9ABC_D000UL, Is.InRange(1UL << 12, 4UL << 12), "one deterministic microsecond per instruction");
    }

    [Test]
    public void SCKC_STCKC_SPT_STPT()
    {
        var m = M().Code("B206 0100 B207 0108 B208 0110 B209 0118")
                   .Bytes(0x100, "FFFF 0000 0000 0000").Bytes(0x110, "0000 0000 0100 0000");
        m.Run(4);
        Assert.That(m.Hex(0x108, 8), Is.EqualTo("FFFF000000000000"));
        ulong timer = (ulong)m.Word(0x118) << 32 | m.Word(0x11C);
        Assert.That(timer, Is.LessThan(0x0100_0000UL).And.GreaterThan(0x0100_0000UL - (8UL << 12)));
    }

    [TestCase("B204 0104")]
    [TestCase("B206 0102")]
    [TestCase("B209 0101")]
    [TestCase("B202 0104")]
    public void Clock_operands_must_be_doubleword_aligned(string code)
    {
        var m = M().Code(code);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Specification));
    }

    [Test]
    public void STIDP_stores_the_cpu_id()
    {
        var m = M().Code("B202 0100");
        m.Run();
        Assert.That(m.Hex(0x100, 8), Is.EqualTo("0003637031580000"));
    }

    // ---- MONITOR CALL ----

    [Test]
    public void MC_masked_class_is_a_no_operation()
    {
        var m = M().Code("AF05 0123");
        m.Run();
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Cpu.Ia, Is.EqualTo(Next4));
    }

    [Test]
    public void MC_enabled_class_is_a_monitor_event()
    {
        var m = M().Code("AF05 0123").Reg(0, 0);
        m.Cpu.Cr[8] = 0x0000_0400;   // class 5
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.MonitorEvent));
        Assert.That(m.Hex(0x94, 2), Is.EqualTo("0005"));
        Assert.That(m.Hex(0x9C, 4), Is.EqualTo("00000123"));
        Assert.That((uint)(m.Cpu.LastInterrupt.OldPsw >> 32) & 0xFFFF, Is.EqualTo(0x40u), "BC old PSW code");
    }

    [Test]
    public void MC_class_above_15_is_a_specification_exception()
    {
        var m = M().Code("AF15 0123");
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Specification));
    }

    // ---- I/O instructions without channels ----

    [TestCase("9C00 000E", ArchLevel.S360)]
    [TestCase("9D00 000E", ArchLevel.S360)]
    [TestCase("9E00 000E", ArchLevel.S360)]
    [TestCase("9F00 0100", ArchLevel.S360)]
    [TestCase("9C00 000E", ArchLevel.S370)]
    [TestCase("9C01 000E", ArchLevel.S370)]
    [TestCase("9D01 000E", ArchLevel.S370)]
    [TestCase("9E01 000E", ArchLevel.S370)]
    [TestCase("B203 0100", ArchLevel.S370)]
    public void Io_without_channels_is_not_operational(string code, ArchLevel level)
    {
        var m = M(level).Code(code);
        m.Run();
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Cpu.Cc, Is.EqualTo(3));
    }

    sealed class Recorder : IIoSubsystem
    {
        public string Last = "";
        public int StartIo(CpuState cpu, uint d, bool fast) { Last = $"{(fast ? "SIOF" : "SIO")} {d:X4}"; return 1; }
        public int TestIo(CpuState cpu, uint d) { Last = $"TIO {d:X4}"; return 0; }
        public int HaltIo(CpuState cpu, uint d) { Last = $"HIO {d:X4}"; return 2; }
        public int HaltDevice(CpuState cpu, uint d) { Last = $"HDV {d:X4}"; return 2; }
        public int ClearIo(CpuState cpu, uint d) { Last = $"CLRIO {d:X4}"; return 0; }
        public int TestChannel(CpuState cpu, uint c) { Last = $"TCH {c:X2}"; return 0; }
        public int StoreChannelId(CpuState cpu, uint c) { Last = $"STIDC {c:X2}"; return 0; }
        public bool InterruptPending => false;
        public bool TryAcceptInterrupt(CpuState cpu, Func<int, bool> en, out ushort d) { d = 0; return false; }
    }

    [TestCase("9C00 5000", "SIO 0190", 1)]
    [TestCase("9C01 5000", "SIOF 0190", 1)]
    [TestCase("9E01 5000", "HDV 0190", 2)]
    [TestCase("9D01 5000", "CLRIO 0190", 0)]
    [TestCase("9F00 5000", "TCH 01", 0)]
    public void Io_passes_bits_16_31_of_the_operand_address_and_sets_the_cc(string code, string call, int cc)
    {
        var io = new Recorder();
        var m = M().Code(code).Reg(5, 0xFF00_0190);
        m.Cpu.Io = io;
        m.Run();
        Assert.That(io.Last, Is.EqualTo(call));
        Assert.That(m.Cpu.Cc, Is.EqualTo(cc));
    }

    [Test]
    public void S370_9F01_is_an_operation_exception()
    {
        var m = M().Code("9F01 0000");
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Operation));
    }
}
