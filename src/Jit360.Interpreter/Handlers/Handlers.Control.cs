using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Interpreter;

// Control instructions (GA22-6821 "Status Switching"; GA27-2719 Model 67 additions; GA22-7000
// chapter 10 "Control Instructions"). Order of checks in every handler: privileged operation,
// then specification, then access; a PSW-format error made by the instruction itself is
// recognised after it completes.
public static unsafe partial class Handlers
{
    const uint Block2K = 0x00FF_F800;   // bits 8-20: a 2K block of real storage

    /// <summary>SET SYSTEM MASK. S/370: CR0 bit 1 (SSM suppression) makes it a special-operation exception.</summary>
    public static void SSM(CpuState cpu, ulong insn)
    {
        var f = new SI(insn);
        cpu.RequireSupervisor();
        if (cpu.IsS370 && (cpu.Cr[0] & 0x4000_0000) != 0) throw CpuState.Fault(ProgramInterruptCode.SpecialOperation);
        byte mask = cpu.FetchByte(cpu.Address(f.B1, f.D1));
        if (cpu.SetSystemMask(mask)) throw CpuState.Fault(ProgramInterruptCode.Specification);
    }

    /// <summary>LOAD PSW: a doubleword on a doubleword boundary; a format error shows up before the next instruction (ILC 0).</summary>
    public static void LPSW(CpuState cpu, ulong insn)
    {
        var f = new SI(insn);
        cpu.RequireSupervisor();
        uint a = cpu.Address(f.B1, f.D1);
        if ((a & 7) != 0) throw CpuState.Fault(ProgramInterruptCode.Specification);
        cpu.LoadPsw(cpu.FetchDouble(a));
    }

    /// <summary>DIAGNOSE: model-dependent; on this machine the host decides (the Control Program, or the bare-machine runner).</summary>
    public static void DIAG(CpuState cpu, ulong insn)
    {
        cpu.RequireSupervisor();
        cpu.PendingExit = ExitReason.Diagnose;
        cpu.Attention = true;
    }

    /// <summary>The 2K block designated by R2 for SSK/ISK: bits 28-31 must be zero, the block must exist.</summary>
    static uint KeyBlock(CpuState cpu, uint r2)
    {
        if ((r2 & 0xF) != 0) throw CpuState.Fault(ProgramInterruptCode.Specification);
        uint a = r2 & Block2K;
        if (a >= cpu.Storage.Size) throw CpuState.Fault(ProgramInterruptCode.Addressing);
        return a;
    }

    /// <summary>
    /// SET STORAGE KEY: R1 bits 24-27 access key, 28 fetch protection; S/370 and the Model 67
    /// also set the reference and change bits from 29-30. Bit 31 is ignored.
    /// </summary>
    public static void SSK(CpuState cpu, ulong insn)
    {
        var f = new RR(insn);
        cpu.RequireSupervisor();
        uint a = KeyBlock(cpu, cpu.Gpr[f.R2]);
        byte key = (byte)cpu.Gpr[f.R1];
        cpu.Storage.SetKey(a, (byte)(key & (cpu.Level == ArchLevel.S360 ? 0xF8 : 0xFE)));
        cpu.Attention = true;   // fetch protection may have changed: the engine re-reads it
    }

    /// <summary>
    /// INSERT STORAGE KEY into R1 bits 24-31, bits 0-23 unchanged. BC mode and S/360: key and
    /// fetch-protection bit (24-28), bits 29-31 zero. S/370 EC mode and the Model 67 extended
    /// PSW also insert reference and change (24-30), bit 31 zero (GA22-7000 "INSERT STORAGE KEY").
    /// </summary>
    public static void ISK(CpuState cpu, ulong insn)
    {
        var f = new RR(insn);
        cpu.RequireSupervisor();
        uint a = KeyBlock(cpu, cpu.Gpr[f.R2]);
        uint key = cpu.Storage.GetKey(a) & (cpu.EcMode || cpu.Extended67 ? 0xFEu : 0xF8u);
        cpu.Gpr[f.R1] = (cpu.Gpr[f.R1] & 0xFFFF_FF00) | key;
    }

    /// <summary>STORE THEN AND SYSTEM MASK (S/370).</summary>
    public static void STNSM(CpuState cpu, ulong insn) => StoreThenSystemMask(cpu, insn, and: true);

    /// <summary>STORE THEN OR SYSTEM MASK (S/370).</summary>
    public static void STOSM(CpuState cpu, ulong insn) => StoreThenSystemMask(cpu, insn, and: false);

    static void StoreThenSystemMask(CpuState cpu, ulong insn, bool and)
    {
        var f = new SI(insn);
        cpu.RequireSupervisor();
        cpu.StoreByte(cpu.Address(f.B1, f.D1), cpu.SystemMask);
        byte mask = (byte)(and ? cpu.SystemMask & f.I2 : cpu.SystemMask | f.I2);
        if (cpu.SetSystemMask(mask)) throw CpuState.Fault(ProgramInterruptCode.Specification);
    }

    /// <summary>
    /// MONITOR CALL (S/370): I2 bits 8-11 must be zero; when the CR8 mask bit 16+class is one,
    /// a monitor-event program interruption (X'0040') stores the class at 149 and the
    /// first-operand address (the monitor code) at 157-159.
    /// </summary>
    public static void MC(CpuState cpu, ulong insn)
    {
        var f = new SI(insn);
        if ((f.I2 & 0xF0) != 0) throw CpuState.Fault(ProgramInterruptCode.Specification);
        int monitorClass = f.I2 & 0xF;
        if ((cpu.Cr[8] & (0x8000u >> monitorClass)) == 0) return;
        uint code = cpu.Address(f.B1, f.D1) & 0x00FF_FFFF;
        var st = cpu.Storage;
        st.Bytes[Low.MonitorClass - 1] = 0;
        st.Bytes[Low.MonitorClass] = (byte)monitorClass;
        st.WriteWordAbsolute(Low.MonitorCode, code);
        st.Keys[0] |= Storage.Reference | Storage.Change;
        throw CpuState.Fault(ProgramInterruptCode.MonitorEvent);
    }

    /// <summary>The control registers R1 through R3 (wrapping from 15 to 0), as LCTL/STCTL/LMC/STMC count them.</summary>
    static int ControlCount(RS f) => ((f.R3 - f.R1) & 0xF) + 1;

    /// <summary>LOAD CONTROL (S/370): words on a word boundary into CR R1..R3.</summary>
    public static void LCTL(CpuState cpu, ulong insn) => LoadControl(cpu, new RS(insn));

    /// <summary>STORE CONTROL (S/370).</summary>
    public static void STCTL(CpuState cpu, ulong insn) => StoreControl(cpu, new RS(insn));

    /// <summary>LOAD MULTIPLE CONTROL (Model 67): as LCTL; CR6 bit 8 switches the PSW format at once.</summary>
    public static void LMC(CpuState cpu, ulong insn) => LoadControl(cpu, new RS(insn));

    /// <summary>STORE MULTIPLE CONTROL (Model 67).</summary>
    public static void STMC(CpuState cpu, ulong insn) => StoreControl(cpu, new RS(insn));

    static void LoadControl(CpuState cpu, RS f)
    {
        cpu.RequireSupervisor();
        uint a = cpu.Address(f.B2, f.D2);
        if ((a & 3) != 0) throw CpuState.Fault(ProgramInterruptCode.Specification);
        int n = ControlCount(f);
        cpu.CheckAccess(a, n * 4, store: false);
        Span<uint> values = stackalloc uint[16];
        for (int i = 0; i < n; i++)
            values[i] = (uint)(cpu.ByteAt(a + (uint)(4 * i)) << 24 | cpu.ByteAt(a + (uint)(4 * i + 1)) << 16
                             | cpu.ByteAt(a + (uint)(4 * i + 2)) << 8 | cpu.ByteAt(a + (uint)(4 * i + 3)));
        for (int i = 0; i < n; i++) cpu.Cr[(f.R1 + i) & 0xF] = values[i];
        cpu.RefreshSystemMask();   // masks, subclass masks or (Model 67) the PSW format may have changed
    }

    static void StoreControl(CpuState cpu, RS f)
    {
        cpu.RequireSupervisor();
        uint a = cpu.Address(f.B2, f.D2);
        if ((a & 3) != 0) throw CpuState.Fault(ProgramInterruptCode.Specification);
        int n = ControlCount(f);
        cpu.CheckAccess(a, n * 4, store: true);
        for (int i = 0; i < n; i++)
        {
            uint v = cpu.Cr[(f.R1 + i) & 0xF];
            uint p = a + (uint)(4 * i);
            cpu.SetByteAt(p, (byte)(v >> 24)); cpu.SetByteAt(p + 1, (byte)(v >> 16));
            cpu.SetByteAt(p + 2, (byte)(v >> 8)); cpu.SetByteAt(p + 3, (byte)v);
        }
        cpu.OnStore(a, n * 4);
    }

    /// <summary>LOAD REAL ADDRESS: translates the second-operand address through the tables whatever the PSW translation bit says.</summary>
    public static void LRA(CpuState cpu, ulong insn)
    {
        var f = new RX(insn);
        cpu.RequireSupervisor();
        uint a = cpu.Address(f.X2, f.B2, f.D2);
        int cc = cpu.IsS370 ? TranslateS370(cpu, a, out uint r) : TranslateModel67(cpu, a, out r);
        cpu.Gpr[f.R1] = r;
        cpu.Cc = cc;
    }

    // ---- System/370 clocks, CPU identification, keys ----

    /// <summary>A doubleword operand of the S/370 clock and identification instructions must be on a doubleword boundary.</summary>
    static uint DoublewordOperand(CpuState cpu, ulong insn)
    {
        var f = new S(insn);
        uint a = cpu.Address(f.B2, f.D2);
        if ((a & 7) != 0) throw CpuState.Fault(ProgramInterruptCode.Specification);
        return a;
    }

    /// <summary>The CPU identification STIDP stores: version 00, serial 036370, model 3158, MCEL length 0.</summary>
    public const ulong CpuId = 0x00_036370_3158_0000UL;

    /// <summary>STORE CPU ID.</summary>
    public static void STIDP(CpuState cpu, ulong insn)
    {
        cpu.RequireSupervisor();
        cpu.StoreDouble(DoublewordOperand(cpu, insn), CpuId);
    }

    /// <summary>SET CLOCK: cc 0 (this clock has no TOD-clock security switch, so it is always settable).</summary>
    public static void SCK(CpuState cpu, ulong insn)
    {
        cpu.RequireSupervisor();
        ulong v = cpu.FetchDouble(DoublewordOperand(cpu, insn));
        cpu.Clock.SetTod(v);
        cpu.Cc = 0;
    }

    /// <summary>STORE CLOCK (not privileged, no alignment): cc 0 in the set state, 1 when not set.</summary>
    public static void STCK(CpuState cpu, ulong insn)
    {
        var f = new S(insn);
        uint a = cpu.Address(f.B2, f.D2);
        cpu.StoreDouble(a, cpu.Clock.StoreClockValue());
        cpu.Cc = cpu.Clock.TodSet ? 0 : 1;
    }

    public static void SCKC(CpuState cpu, ulong insn)
    {
        cpu.RequireSupervisor();
        cpu.Clock.SetClockComparator(cpu.FetchDouble(DoublewordOperand(cpu, insn)));
    }

    public static void STCKC(CpuState cpu, ulong insn)
    {
        cpu.RequireSupervisor();
        cpu.StoreDouble(DoublewordOperand(cpu, insn), cpu.Clock.ClockComparator);
    }

    public static void SPT(CpuState cpu, ulong insn)
    {
        cpu.RequireSupervisor();
        cpu.Clock.SetCpuTimer((long)cpu.FetchDouble(DoublewordOperand(cpu, insn)));
    }

    public static void STPT(CpuState cpu, ulong insn)
    {
        cpu.RequireSupervisor();
        uint a = DoublewordOperand(cpu, insn);
        cpu.Clock.Update();
        cpu.StoreDouble(a, (ulong)cpu.Clock.CpuTimer);
    }

    /// <summary>
    /// SET PSW KEY FROM ADDRESS: the key is bits 24-27 of the second-operand address. In the
    /// problem state it is allowed only for keys whose PSW-key-mask bit (CR3 bits 0-15) is one.
    /// </summary>
    public static void SPKA(CpuState cpu, ulong insn)
    {
        var f = new S(insn);
        int key = (int)(cpu.Address(f.B2, f.D2) >> 4) & 0xF;
        if (cpu.Problem && (cpu.Cr[3] & (0x8000_0000u >> key)) == 0) throw CpuState.Fault(ProgramInterruptCode.PrivilegedOperation);
        cpu.Key = key;
        cpu.Attention = true;   // fetch-protection checking of instruction fetch depends on the key
    }

    /// <summary>INSERT PSW KEY into GR2 bits 24-27 (28-31 zero); in the problem state only with CR0 bit 4 (extraction authority).</summary>
    public static void IPK(CpuState cpu, ulong insn)
    {
        if (cpu.Problem && (cpu.Cr[0] & 0x0800_0000) == 0) throw CpuState.Fault(ProgramInterruptCode.PrivilegedOperation);
        cpu.Gpr[2] = (cpu.Gpr[2] & 0xFFFF_FF00) | (uint)(cpu.Key << 4);
    }

    /// <summary>RESET REFERENCE BIT of the 2K block: cc from the old reference and change bits (R*2 + C).</summary>
    public static void RRB(CpuState cpu, ulong insn)
    {
        var f = new S(insn);
        cpu.RequireSupervisor();
        uint a = cpu.Address(f.B2, f.D2) & Block2K;
        if (a >= cpu.Storage.Size) throw CpuState.Fault(ProgramInterruptCode.Addressing);
        ref byte k = ref cpu.Storage.Keys[a >> Storage.BlockShift];
        cpu.Cc = ((k & Storage.Reference) != 0 ? 2 : 0) | ((k & Storage.Change) != 0 ? 1 : 0);
        k &= unchecked((byte)~Storage.Reference);
    }

    // ---- the table walk of LOAD REAL ADDRESS (to move into the DAT unit when it exists) ----

    /// <summary>
    /// S/370 translation for LRA (GA22-7000 "Dynamic Address Translation", "LOAD REAL ADDRESS"):
    /// CR0 bits 8-9 page size (01 2K, 10 4K), bits 10-12 segment size (000 64K, 010 1M), other
    /// values a translation-specification exception; CR1 bits 0-7 segment-table length in
    /// units of 16 entries, bits 8-25 its origin. cc 0 real address, 1 segment invalid (R1 =
    /// entry address), 2 page invalid (R1 = entry address), 3 a table length exceeded (R1 =
    /// address of the entry that lies beyond it).
    /// </summary>
    static int TranslateS370(CpuState cpu, uint va, out uint result)
    {
        uint cr0 = cpu.Cr[0];
        uint pageSize = (cr0 >> 22) & 3, segmentSize = (cr0 >> 19) & 7;
        if ((pageSize != 1 && pageSize != 2) || (segmentSize != 0 && segmentSize != 2))
            throw CpuState.Fault(ProgramInterruptCode.TranslationSpecification);
        bool page4K = pageSize == 2, segment1M = segmentSize == 2;
        va &= 0x00FF_FFFF;
        uint sx = segment1M ? va >> 20 : va >> 16;
        uint cr1 = cpu.Cr[1];
        uint steAddress = ((cr1 & 0x00FF_FFC0) + sx * 4) & 0x00FF_FFFF;
        result = steAddress;
        if ((sx >> 4) > cr1 >> 24) return 3;
        if (steAddress + 4 > cpu.Storage.Size) throw CpuState.Fault(ProgramInterruptCode.Addressing);
        uint ste = cpu.Storage.ReadWordAbsolute(steAddress);
        if ((ste & 1) != 0) return 1;
        if ((ste & 0x0F00_0000) != 0) throw CpuState.Fault(ProgramInterruptCode.TranslationSpecification);
        int pageShift = page4K ? 12 : 11;
        uint px = (va & (segment1M ? 0xF_FFFFu : 0xFFFFu)) >> pageShift;
        uint lengthUnit = ((segment1M ? 1u << 20 : 1u << 16) >> pageShift) / 16;   // PTL counts sixteenths of a full table
        uint pteAddress = ((ste & 0x00FF_FFF8) + px * 2) & 0x00FF_FFFF;
        result = pteAddress;
        if (px / lengthUnit > ste >> 28) return 3;
        if (pteAddress + 2 > cpu.Storage.Size) throw CpuState.Fault(ProgramInterruptCode.Addressing);
        uint pte = (uint)cpu.Storage.Bytes[pteAddress] << 8 | cpu.Storage.Bytes[pteAddress + 1];
        if ((pte & (page4K ? 0x8u : 0x4u)) != 0) return 2;
        // 2K pages: bit 14 must be zero. 4K pages: bits 13-14 are not checked (they carry real
        // address bits 6-7 on models with extended real addressing).
        if (!page4K && (pte & 0x2) != 0) throw CpuState.Fault(ProgramInterruptCode.TranslationSpecification);
        result = page4K ? (pte & 0xFFF0) << 8 | (va & 0xFFF) : (pte & 0xFFF8) << 8 | (va & 0x7FF);
        return 0;
    }

    /// <summary>
    /// Model 67 translation for LRA: 1M segments of 4K pages; CR0 holds the segment-table length
    /// (bits 0-7, in units of 16 entries) and origin; the segment index is address bits 8-11
    /// (bits 0-11 in 32-bit mode), the page index bits 12-19. Segment-table entry: bits 0-7
    /// page-table length, origin, bit 31 invalid; page-table entry: bits 0-11 frame, bit 12
    /// invalid. cc as on S/370. These formats follow an independent Model 67 simulator (R.
    /// Cornwell's IBM360 simh) and must be re-checked against GA27-2719 "Dynamic Address Translation".
    /// </summary>
    static int TranslateModel67(CpuState cpu, uint va, out uint result)
    {
        uint cr0 = cpu.Cr[0];
        uint sx = cpu.Addressing32 ? va >> 20 : (va >> 20) & 0xF;
        uint steAddress = ((cr0 & 0x00FF_FFC0) + sx * 4) & 0x00FF_FFFF;
        result = steAddress;
        if (sx >= ((cr0 >> 24) + 1) * 16) return 3;
        if (steAddress + 4 > cpu.Storage.Size) throw CpuState.Fault(ProgramInterruptCode.Addressing);
        uint ste = cpu.Storage.ReadWordAbsolute(steAddress);
        if ((ste & 1) != 0) return 1;
        uint px = (va >> 12) & 0xFF;
        uint pteAddress = ((ste & 0x00FF_FFF8) + px * 2) & 0x00FF_FFFF;
        result = pteAddress;
        if (px > ste >> 24) return 3;
        if (pteAddress + 2 > cpu.Storage.Size) throw CpuState.Fault(ProgramInterruptCode.Addressing);
        uint pte = (uint)cpu.Storage.Bytes[pteAddress] << 8 | cpu.Storage.Bytes[pteAddress + 1];
        if ((pte & 0x8) != 0) return 2;
        result = (pte & 0xFFF0) << 8 | (va & 0xFFF);
        return 0;
    }
}
