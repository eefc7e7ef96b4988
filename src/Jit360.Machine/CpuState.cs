using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Jit360.Architecture;

namespace Jit360.Machine;

/// <summary>
/// The architected state of one CPU: registers, the current PSW (held decomposed, for speed),
/// control registers, and the storage it addresses. Both engines run over this object.
/// </summary>
public sealed partial class CpuState
{
    public Registers16 Gpr;
    public FloatRegisters Fpr;
    /// <summary>Control registers: S/370 CR0-CR15; Model 67 CR0-CR15 (CR6 holds the extended-PSW bit).</summary>
    public Registers16 Cr;

    // ---- the current PSW, decomposed (GA22-7000 "Program-Status Word") ----
    /// <summary>PSW bits 0-7. In BC mode: channel masks 0-5, bit 6 channels 6 and up, bit 7 external.</summary>
    public byte SystemMask;
    /// <summary>PSW key, bits 8-11.</summary>
    public int Key;
    /// <summary>S/360 bit 12: USASCII-8 decimal zones. (In S/370, bit 12 selects EC mode instead.)</summary>
    public bool Ascii;
    /// <summary>S/370 bit 12: extended-control mode.</summary>
    public bool EcMode;
    public bool MachineCheckMask;
    public bool Wait;
    public bool Problem;
    public int Cc;
    public int ProgramMask;
    /// <summary>The instruction address. While an instruction executes it already designates the next one (the updated address).</summary>
    public uint Ia;
    /// <summary>Instruction-length code of the instruction being executed, in halfwords (1-3); 0 when unknown.</summary>
    public int Ilc;
    /// <summary>S/370 EC mode: PER mask (bit 1) and DAT mode (bit 5), kept verbatim.</summary>
    public bool PerMask, Translate;
    /// <summary>Model 67 extended PSW: 32-bit addressing (bit 4).</summary>
    public bool Addressing32;
    /// <summary>24-bit addresses (0x00FFFFFF) or 32-bit (Model 67 32-bit mode).</summary>
    public uint AddressMask = 0x00FF_FFFF;
    /// <summary>A PSW was loaded whose format is invalid: the next instruction fetch recognises a specification exception.</summary>
    public bool PswInvalid;

    public readonly Storage Storage;
    // The storage's arrays and size, held here too: one load instead of two on every access.
    readonly byte[] mem, keys;
    readonly uint size;
    public readonly ArchLevel Level;
    /// <summary>S/360 operands must be on integral boundaries (no byte-oriented-operand feature); S/370 relaxes it.</summary>
    public readonly bool AlignmentRequired;

    /// <summary>Instructions completed since reset.</summary>
    public long Instructions;

    /// <summary>Set when the engine must look at the machine before the next instruction (masks changed, interrupt pending, stop).</summary>
    public volatile bool Attention;
    /// <summary>Stop after taking any interruption (test vectors).</summary>
    public bool StopOnInterrupt;
    /// <summary>Do not swap PSWs on a program interruption; return <see cref="ExitReason.ProgramIntercept"/> (the Control Program simulates).</summary>
    public bool InterceptProgramInterrupts;
    public InterruptRecord LastInterrupt;
    /// <summary>Set by handlers that need the host (DIAGNOSE, I/O without channels); the engine returns it after the instruction.</summary>
    public ExitReason? PendingExit
    {
        get => pendingExit;
        set { pendingExit = value; if (value != null) Attention = true; }
    }
    ExitReason? pendingExit;
    /// <summary>Another thread asks the CPU to stop at the next instruction boundary.</summary>
    public volatile bool StopRequested;

    public readonly MachineClock Clock;
    public IIoSubsystem Io = NoChannels.Instance;

    public CpuState(ArchLevel level, uint storageSize, bool deterministicTime = false)
        : this(level, new Storage(storageSize), deterministicTime) { }

    /// <summary>A CPU over storage that already exists (test vectors reuse one buffer; its owner clears it).</summary>
    public CpuState(ArchLevel level, Storage storage, bool deterministicTime = false)
    {
        if (level is not (ArchLevel.S360 or ArchLevel.S360_67 or ArchLevel.S370))
            throw new ArgumentException($"not a single architecture level: {level}");
        Level = level;
        Storage = storage;
        mem = storage.Bytes; keys = storage.Keys; size = storage.Size;
        AlignmentRequired = level != ArchLevel.S370;
        Clock = new MachineClock(this, deterministicTime);
        Reset();
    }

    public bool IsS370 => Level == ArchLevel.S370;
    public bool IsModel67 => Level == ArchLevel.S360_67;
    /// <summary>Model 67 extended PSW mode: control register 6 bit 8 (GA27-2719).</summary>
    public bool Extended67 => Level == ArchLevel.S360_67 && (Cr[6] & 0x0080_0000) != 0;

    /// <summary>CPU reset plus clearing of registers (initial CPU reset, GA22-7000 "Resets").</summary>
    public void Reset()
    {
        Gpr = default; Fpr = default; Cr = default;
        SystemMask = 0; Key = 0; Ascii = EcMode = MachineCheckMask = Wait = Problem = false;
        Cc = 0; ProgramMask = 0; Ia = 0; Ilc = 0; PerMask = Translate = Addressing32 = false;
        AddressMask = 0x00FF_FFFF; PswInvalid = false; PendingExit = null;
        if (IsS370)
        {
            Cr[0] = 0x0000_00E0;   // interval-timer, interrupt-key and external-signal subclass masks
            Cr[2] = 0xFFFF_FFFF;   // channel masks
            Cr[14] = 0xC200_0000;  // check-stop and synchronous machine-check logout controls
            Cr[15] = 0x0000_0200;  // machine-check extended logout address
        }
        Attention = true;
    }

    // ---------------------------------------------------------------- effective addresses
    // GA22-7000 "Address Generation": base + index + displacement, modulo 2^24 (or 2^32 on a
    // Model 67 in 32-bit mode). Register 0 designates no base or index.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Address(int x, int b, int d)
    {
        uint a = (uint)d;
        if (x != 0) a += Gpr[x];
        if (b != 0) a += Gpr[b];
        return a & AddressMask;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Address(int b, int d) => ((b != 0 ? Gpr[b] : 0u) + (uint)d) & AddressMask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Wrap(uint a) => a & AddressMask;

    // ---------------------------------------------------------------- program interruptions

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ProgramInterruption Fault(int code) => ProgramInterruption.Of(code);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RequireSupervisor()
    {
        if (Problem) throw Fault(ProgramInterruptCode.PrivilegedOperation);
    }

    /// <summary>S/360 boundary alignment (GA22-6821 "Operand alignment"): a specification exception unless aligned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CheckAlignment(uint address, uint mask)
    {
        if (AlignmentRequired && (address & mask) != 0) throw Fault(ProgramInterruptCode.Specification);
    }

    /// <summary>Even-odd register pair check (R1 must be even).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireEven(int r)
    {
        if ((r & 1) != 0) throw Fault(ProgramInterruptCode.Specification);
    }

    /// <summary>Floating-point register number check: 0, 2, 4 or 6.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireFpr(int r)
    {
        if ((r & 9) != 0) throw Fault(ProgramInterruptCode.Specification);
    }
}
