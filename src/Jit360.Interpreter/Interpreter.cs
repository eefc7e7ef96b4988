using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Interpreter;

/// <summary>
/// Tier 0: fetch, decode through the opcode table, call the handler. The reference for every
/// other engine. Interruptions are taken at instruction boundaries when <see cref="CpuState.Attention"/> is set.
/// </summary>
public sealed unsafe class Interpreter : IExecutionEngine
{
    public string Name => "interp";

    /// <summary>Instructions between looks at the timers when nothing else asks for attention.</summary>
    public const int Slice = 4096;

    public ExitReason Run(CpuState cpu, long maxInstructions)
        => ProgramInterruptions.Run(cpu, cpu.Instructions + maxInstructions, Loop);

    ExitReason Loop(CpuState cpu, long target)
    {
        IntPtr[] table = DispatchTable.For(cpu.Level);
        ref IntPtr handlers = ref MemoryMarshal.GetArrayDataReference(table);
        byte[] mem = cpu.Storage.Bytes;
        ref byte storage = ref MemoryMarshal.GetArrayDataReference(mem);
        uint fastLimit = cpu.Storage.Size >= 6 ? cpu.Storage.Size - 6 : 0;
        while (true)
        {
            if (cpu.Attention)
            {
                var exit = Attend(cpu, target);
                if (exit != null) return exit.Value;
                if (cpu.Wait) continue;   // idle time was credited; look again before executing anything
            }
            if (cpu.Instructions >= target) return ExitReason.InstructionLimit;
            long sliceEnd = SliceEnd(cpu, target);
            bool keyChecked = cpu.Key != 0 && cpu.Storage.FetchProtectedBlocks > 0;
            // Only LoadPsw changes the addressing mode, and it sets Attention, which ends this slice.
            uint addressMask = cpu.AddressMask;
            do
            {
                uint ia = cpu.Ia;
                ulong insn;
                if (((ia & 1) != 0) | ia > fastLimit | keyChecked)
                    insn = Fetch.Instruction(cpu, ia);
                else
                    insn = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref storage, ia)));
                uint op = (uint)(insn >> 56);
                // Instruction length from bits 0-1 of the opcode: 00 two bytes, 01/10 four, 11 six.
                uint len = (0x6442u >> (int)((op >> 6) << 2)) & 0xF;
                cpu.Ilc = (int)(len >> 1);
                cpu.Ia = (ia + len) & addressMask;
                ((delegate*<CpuState, ulong, void>)Unsafe.Add(ref handlers, op))(cpu, insn);
                cpu.Instructions++;
            } while (cpu.Instructions < sliceEnd && !cpu.Attention);
            if (!cpu.Attention) cpu.Attention = true;   // end of slice: look at the timers
        }
    }

    /// <summary>
    /// Where the current run of instructions must stop to look at the machine again: the budget,
    /// a slice of <see cref="Slice"/> instructions, and in deterministic time the instruction at
    /// which the next timer event falls due, so that every engine takes it at the same instruction.
    /// </summary>
    public static long SliceEnd(CpuState cpu, long target)
    {
        long end = Math.Min(target, cpu.Instructions + Slice);
        if (cpu.Clock.Deterministic && cpu.Clock.MicrosUntilTimer(presentableOnly: true) is long micros)
            end = Math.Min(end, cpu.Instructions + Math.Max(micros, 1));
        return end;
    }

    /// <summary>Everything that happens between instructions: stop requests, host exits, timers, interruptions, the wait state.</summary>
    public static ExitReason? Attend(CpuState cpu, long target)
    {
        cpu.Attention = false;
        // A host exit leaves the boundary unfinished (a wait PSW, an invalid PSW, interruptions
        // still pending): look again when the host resumes the engine.
        if (cpu.PendingExit is { } pending) { cpu.PendingExit = null; cpu.Attention = true; return pending; }
        if (cpu.StopRequested) { cpu.StopRequested = false; return ExitReason.Stopped; }
        if (cpu.PswInvalid)
        {
            // GA22-7000: an invalid PSW is recognised as a specification exception before the next instruction.
            cpu.Ilc = 0;
            throw CpuState.Fault(ProgramInterruptCode.Specification);
        }
        if (cpu.ServiceInterrupts() && cpu.PendingExit is { } taken) { cpu.PendingExit = null; cpu.Attention = true; return taken; }
        if (cpu.Wait)
        {
            if (cpu.WaitIsDisabled) return ExitReason.DisabledWait;
            if (cpu.Clock.Deterministic && cpu.Clock.MicrosUntilTimer() is long micros && !cpu.Io.InterruptPending)
            {
                // Deterministic time: the wait lasts exactly until the next timer event.
                cpu.Clock.AdvanceIdle(micros);
                cpu.Attention = true;
                return cpu.Instructions >= target ? ExitReason.InstructionLimit : null;
            }
            cpu.Attention = true;
            return ExitReason.EnabledWait;
        }
        // Keep looking while something is still pending but masked, or the PSW is invalid.
        return null;
    }
}

/// <summary>Single instructions, for engines that interpret cold code themselves.</summary>
public static unsafe class Step
{
    /// <summary>Fetches and executes one instruction; a program interruption propagates to the caller.</summary>
    public static void One(CpuState cpu)
    {
        uint ia = cpu.Ia;
        ulong insn = Fetch.Instruction(cpu, ia);
        int len = Formats.LengthOfOpcode((byte)(insn >> 56));
        cpu.Ilc = len >> 1;
        cpu.Ia = (ia + (uint)len) & cpu.AddressMask;
        ((delegate*<CpuState, ulong, void>)DispatchTable.For(cpu.Level)[(int)(insn >> 56)])(cpu, insn);
        cpu.Instructions++;
    }
}

/// <summary>Instruction fetch with every check (GA22-7000 "Instruction Fetching"): odd address, addressing, fetch protection.</summary>
public static class Fetch
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Instruction(CpuState cpu, uint ia, bool forExecute = false)
    {
        // GA22-7000 "ILC on Instruction Fetch Exceptions": for an odd instruction address or an
        // instruction that cannot be fetched, the ILC (1, 2 or 3, which one is unpredictable)
        // tells how many halfwords the instruction address was incremented by. Jit360 uses the
        // instruction's length when its first halfword could be read, else 2, as Hercules does.
        // For the target of EX the ILC and address stay those of EX.
        if ((ia & 1) != 0) Fail(cpu, ia, 2, ProgramInterruptCode.Specification, forExecute);
        if (!Accessible(cpu, ia)) Fail(cpu, ia, 2, FetchFault(cpu, ia), forExecute);
        byte first = cpu.Storage.Bytes[ia];
        int len = Formats.LengthOfOpcode(first);
        if (!forExecute) cpu.Ilc = len >> 1;
        ulong insn = 0;
        for (int i = 0; i < len; i += 2)
        {
            uint a = cpu.Wrap(ia + (uint)i);
            if (!Accessible(cpu, a)) Fail(cpu, ia, len >> 1, FetchFault(cpu, a), forExecute);
            insn |= (ulong)cpu.Storage.Bytes[a] << (56 - i * 8) | (ulong)cpu.Storage.Bytes[a + 1] << (48 - i * 8);
        }
        return insn;
    }

    static void Fail(CpuState cpu, uint ia, int ilc, int code, bool forExecute)
    {
        if (!forExecute)
        {
            cpu.Ilc = ilc;
            cpu.Ia = cpu.Wrap(ia + (uint)(2 * ilc));
        }
        throw CpuState.Fault(code);
    }

    /// <summary>Whether the halfword at an address may be fetched as an instruction: it exists and fetch protection allows it.</summary>
    public static bool Accessible(CpuState cpu, uint a)
    {
        if (a >= cpu.Storage.Size) return false;
        if (cpu.Key == 0) return true;
        byte k = cpu.Storage.GetKey(a);
        return (k & Storage.FetchProtect) == 0 || (k >> 4) == cpu.Key;
    }

    static int FetchFault(CpuState cpu, uint a) => a >= cpu.Storage.Size ? ProgramInterruptCode.Addressing : ProgramInterruptCode.Protection;
}
