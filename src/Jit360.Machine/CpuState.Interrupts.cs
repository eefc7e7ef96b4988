namespace Jit360.Machine;

// Interruptions (GA22-6821 "Interruptions"; GA22-7000 chapter 6): the PSW swap, the classes'
// priorities and masks, the wait state.
public sealed partial class CpuState
{
    long lastProgramCheckAt = -1;

    /// <summary>PSW swaps performed since the CPU was created (tracing, statistics).</summary>
    public long InterruptionsTaken { get; private set; }
    int programChecksWithoutProgress;

    /// <summary>Takes a program interruption for the instruction that just failed (or exits to the host).</summary>
    public void TakeProgramInterrupt(int code)
    {
        if (InterceptProgramInterrupts)
        {
            LastInterrupt = new InterruptRecord(InterruptClass.Program, code, Ilc, CurrentPsw(code));
            PendingExit = ExitReason.ProgramIntercept;
            return;
        }
        if (lastProgramCheckAt == Instructions) programChecksWithoutProgress++;
        else { programChecksWithoutProgress = 0; lastProgramCheckAt = Instructions; }
        Swap(InterruptClass.Program, Low.ProgramOldPsw, Low.ProgramNewPsw, code, Ilc);
        if (programChecksWithoutProgress > 32) PendingExit = ExitReason.ProgramInterruptLoop;
    }

    /// <summary>SUPERVISOR CALL: the interruption is part of the instruction's execution.</summary>
    public void TakeSvcInterrupt(int code) => Swap(InterruptClass.Svc, Low.SvcOldPsw, Low.SvcNewPsw, code, Ilc);

    /// <summary>Restart (S/370 operator restart key, GA22-7000 "Restart Interruption"): old PSW at 8, new PSW from 0, no code.</summary>
    public void TakeRestartInterrupt()
    {
        if (!IsS370) throw new InvalidOperationException("the restart interruption exists only in System/370");
        Swap(InterruptClass.Restart, Low.RestartOldPsw, Low.RestartNewPsw, 0, 0);
    }

    /// <summary>
    /// The PSW swap. BC mode (and S/360) puts the interruption code in bits 16-31 of the old PSW
    /// and the ILC in bits 32-33 (meaningful for program and SVC only; 0 for the others, which the
    /// PoO leaves unpredictable). EC mode stores the codes at fixed locations (GA22-7000
    /// "Assigned Storage Locations": 134-135 external, 136-139 SVC, 140-143 program, 184-187 I/O).
    /// The Model 67 extended PSW keeps the ILC in bits 16-17 and the code in low storage (<see cref="Psw67"/>).
    /// </summary>
    void Swap(InterruptClass cls, uint oldLoc, uint newLoc, int code, int ilc)
    {
        ulong old;
        var b = Storage.Bytes;
        if (EcMode)
        {
            old = CurrentPsw(0, 0);
            switch (cls)
            {
                case InterruptClass.Program:
                    b[Low.ProgramIlc - 1] = 0;
                    b[Low.ProgramIlc] = (byte)((ilc & 3) << 1);
                    b[Low.ProgramCode] = (byte)(code >> 8); b[Low.ProgramCode + 1] = (byte)code;
                    break;
                case InterruptClass.Svc:
                    b[Low.SvcIlc - 1] = 0;
                    b[Low.SvcIlc] = (byte)((ilc & 3) << 1);
                    b[Low.SvcCode] = (byte)(code >> 8); b[Low.SvcCode + 1] = (byte)code;
                    break;
                case InterruptClass.External:
                    b[Low.ExternalCode] = (byte)(code >> 8); b[Low.ExternalCode + 1] = (byte)code;
                    break;
                case InterruptClass.Io:
                    b[Low.IoAddress - 2] = 0; b[Low.IoAddress - 1] = 0;
                    b[Low.IoAddress] = (byte)(code >> 8); b[Low.IoAddress + 1] = (byte)code;
                    break;
            }
        }
        else if (Extended67)
        {
            old = CurrentPsw(0, ilc);
            if (Psw67.CodeLocation(cls) is uint at) { b[at] = (byte)(code >> 8); b[at + 1] = (byte)code; }
        }
        else
        {
            old = CurrentPsw(code, ilc);
        }
        Storage.WriteDoublewordAbsolute(oldLoc, old);
        Storage.Keys[0] |= Storage.Reference | Storage.Change;
        LastInterrupt = new InterruptRecord(cls, code, ilc, old);
        InterruptionsTaken++;
        LoadPsw(Storage.ReadDoublewordAbsolute(newLoc));
        if (StopOnInterrupt) PendingExit = ExitReason.Interrupt;
    }

    // ---- masks ----

    /// <summary>External interruptions enabled: PSW bit 7.</summary>
    public bool ExternalEnabled => (SystemMask & 0x01) != 0;

    /// <summary>
    /// Whether interruptions from a channel are enabled. BC mode: PSW bits 0-5 for channels 0-5,
    /// bit 6 for channels 6 and up (on S/370 together with control register 2 bits 6-31). EC mode:
    /// bit 6 and control register 2 bit n. Model 67 extended PSW: bit 6 and the channel masks in
    /// control register 4 (bits 0-6 channels 0-6, bits 8-14 channels 7-13).
    /// </summary>
    public bool ChannelEnabled(int channel)
    {
        if (channel < 0 || channel > 31) return false;
        if (EcMode) return (SystemMask & 0x02) != 0 && (Cr[2] & (0x8000_0000u >> channel)) != 0;
        if (Extended67)
        {
            if ((SystemMask & 0x02) == 0 || channel > 13) return false;
            int bit = channel < 7 ? channel : channel + 1;
            return (Cr[4] & (0x8000_0000u >> bit)) != 0;
        }
        if (channel < 6) return (SystemMask & (0x80 >> channel)) != 0;
        return (SystemMask & 0x02) != 0 && (!IsS370 || (Cr[2] & (0x8000_0000u >> channel)) != 0);
    }

    /// <summary>
    /// Whether an interruptible instruction (MVCL, CLCL) must stop between units: a stop or host
    /// exit is pending, or an interruption is pending that the current masks let in.
    /// </summary>
    public bool InterruptionWaiting()
    {
        if (StopRequested || PendingExit != null) return true;
        Clock.Update();
        return (ExternalEnabled && Clock.AnyExternalPending) || (AnyIoEnabled && Io.InterruptPending);
    }

    public bool AnyIoEnabled => EcMode || Extended67 ? (SystemMask & 0x02) != 0 : (SystemMask & 0xFE) != 0;

    /// <summary>
    /// Called at an instruction boundary when <see cref="Attention"/> is set: updates time and
    /// takes every pending interruption the current masks allow (external before I/O, as the
    /// PoO orders them; each newly loaded PSW is asked again). Returns true if any was taken.
    /// </summary>
    public bool ServiceInterrupts()
    {
        Clock.Update();
        bool any = false;
        for (int guard = 0; guard < 8; guard++)
        {
            if (ExternalEnabled && Clock.AnyExternalPending && TryTakeExternal()) { any = true; if (StopOnInterrupt) return true; continue; }
            if (Io.InterruptPending && AnyIoEnabled && Io.TryAcceptInterrupt(this, ChannelEnabled, out ushort dev))
            {
                Swap(InterruptClass.Io, Low.IoOldPsw, Low.IoNewPsw, dev, 0);
                any = true; if (StopOnInterrupt) return true;
                continue;
            }
            break;
        }
        return any;
    }

    /// <summary>
    /// One external interruption, if a condition is pending and its subclass is enabled.
    /// S/370 (GA22-7000 "External Interruption"): one source per interruption, gated by the
    /// control register 0 subclass masks (bit 20 clock comparator, 21 CPU timer, 24 interval
    /// timer, 25 interrupt key, 26 external signal). The clock-comparator and CPU-timer
    /// conditions stay pending as long as they hold; the others are cleared when taken.
    /// S/360 (GA22-6821 "External Interruption"): every pending source at once, one bit each in
    /// code bits 24-31 (timer, interrupt key, external signals 2-7).
    /// </summary>
    bool TryTakeExternal()
    {
        var c = Clock;
        int code;
        if (IsS370)
        {
            uint cr0 = Cr[0];
            if (c.ClockComparatorPending && (cr0 & 0x800) != 0) code = 0x1004;
            else if (c.CpuTimerPending && (cr0 & 0x400) != 0) code = 0x1005;
            else if (c.IntervalTimerPending && (cr0 & 0x80) != 0) { c.IntervalTimerPending = false; code = 0x0080; }
            else if (c.InterruptKeyPending && (cr0 & 0x40) != 0) { c.InterruptKeyPending = false; code = 0x0040; }
            else if (c.ExternalSignalsPending != 0 && (cr0 & 0x20) != 0) { code = c.ExternalSignalsPending & 0x3F; c.ExternalSignalsPending = 0; }
            else return false;
        }
        else
        {
            code = (c.IntervalTimerPending ? 0x80 : 0) | (c.InterruptKeyPending ? 0x40 : 0) | (c.ExternalSignalsPending & 0x3F);
            if (code == 0) return false;
            c.IntervalTimerPending = c.InterruptKeyPending = false; c.ExternalSignalsPending = 0;
        }
        // The old PSW keeps the wait bit: the interruption ends the wait by loading the new PSW.
        Swap(InterruptClass.External, Low.ExternalOldPsw, Low.ExternalNewPsw, code, 0);
        return true;
    }

    /// <summary>True when the wait state can never end: no interruption class is enabled (a disabled wait).</summary>
    public bool WaitIsDisabled => !ExternalEnabled && !AnyIoEnabled;

    /// <summary>The operator's interrupt key (external interruption, code X'0040').</summary>
    public void PressInterruptKey() { Clock.InterruptKeyPending = true; Attention = true; }
}
