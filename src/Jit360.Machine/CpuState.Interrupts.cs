namespace Jit360.Machine;

// Interruptions (GA22-6821 "Interruptions"; GA22-7000 chapter 6): the PSW swap, the classes'
// priorities and masks, the wait state.
public sealed partial class CpuState
{
    long lastProgramCheckAt = -1;
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

    /// <summary>Restart (S/370 operator restart key): old PSW at 8, new PSW from 0.</summary>
    public void TakeRestartInterrupt()
    {
        Wait = false;
        Swap(InterruptClass.Restart, Low.RestartOldPsw, Low.RestartNewPsw, 0, 0);
    }

    void Swap(InterruptClass cls, uint oldLoc, uint newLoc, int code, int ilc)
    {
        ulong old;
        if (EcMode || Extended67)
        {
            old = CurrentPsw(0, ilc);
            var st = Storage;
            switch (cls)
            {
                case InterruptClass.Program:
                    st.Bytes[Low.ProgramIlc] = (byte)((ilc & 3) << 1);
                    st.Bytes[Low.ProgramCode] = (byte)(code >> 8); st.Bytes[Low.ProgramCode + 1] = (byte)code;
                    break;
                case InterruptClass.Svc:
                    st.Bytes[Low.SvcIlc] = (byte)((ilc & 3) << 1);
                    st.Bytes[Low.SvcCode] = (byte)(code >> 8); st.Bytes[Low.SvcCode + 1] = (byte)code;
                    break;
                case InterruptClass.External:
                    st.Bytes[Low.ExternalCode] = (byte)(code >> 8); st.Bytes[Low.ExternalCode + 1] = (byte)code;
                    break;
                case InterruptClass.Io:
                    st.Bytes[Low.IoAddress] = (byte)(code >> 8); st.Bytes[Low.IoAddress + 1] = (byte)code;
                    break;
            }
        }
        else
        {
            old = CurrentPsw(code, ilc);
        }
        Storage.WriteDoublewordAbsolute(oldLoc, old);
        Storage.Keys[0] |= Storage.Reference | Storage.Change;
        LastInterrupt = new InterruptRecord(cls, code, ilc, old);
        LoadPsw(Storage.ReadDoublewordAbsolute(newLoc));
        if (StopOnInterrupt) PendingExit = ExitReason.Interrupt;
    }

    // ---- masks ----

    /// <summary>External interruptions enabled: PSW bit 7.</summary>
    public bool ExternalEnabled => (SystemMask & 0x01) != 0;

    /// <summary>Whether interruptions from a channel are enabled (BC: system-mask bit per channel, bit 6 for channels 6 and up; EC: bit 6 and CR2).</summary>
    public bool ChannelEnabled(int channel)
    {
        if (EcMode) return (SystemMask & 0x02) != 0 && channel < 32 && (Cr[2] & (0x8000_0000u >> channel)) != 0;
        if (Extended67) return (SystemMask & 0x02) != 0;
        return channel < 6 ? (SystemMask & (0x80 >> channel)) != 0 : (SystemMask & 0x02) != 0;
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
                Wait = false;
                Swap(InterruptClass.Io, Low.IoOldPsw, Low.IoNewPsw, dev, 0);
                any = true; if (StopOnInterrupt) return true;
                continue;
            }
            break;
        }
        return any;
    }

    bool TryTakeExternal()
    {
        var c = Clock;
        int code;
        if (IsS370)
        {
            uint cr0 = Cr[0];
            if (c.ClockComparatorPending && (cr0 & 0x800) != 0) { c.ClockComparatorPending = false; code = 0x1004; }
            else if (c.CpuTimerPending && (cr0 & 0x400) != 0) { c.CpuTimerPending = false; code = 0x1005; }
            else if (c.IntervalTimerPending && (cr0 & 0x80) != 0) { c.IntervalTimerPending = false; code = 0x0080; }
            else if (c.InterruptKeyPending && (cr0 & 0x40) != 0) { c.InterruptKeyPending = false; code = 0x0040; }
            else if (c.ExternalSignalsPending != 0 && (cr0 & 0x20) != 0) { code = c.ExternalSignalsPending & 0x3F; c.ExternalSignalsPending = 0; }
            else return false;
        }
        else
        {
            // S/360: every pending condition is presented at once, one bit each in bits 24-31.
            code = (c.IntervalTimerPending ? 0x80 : 0) | (c.InterruptKeyPending ? 0x40 : 0) | (c.ExternalSignalsPending & 0x3F);
            if (code == 0) return false;
            c.IntervalTimerPending = c.InterruptKeyPending = false; c.ExternalSignalsPending = 0;
        }
        Wait = false;
        Swap(InterruptClass.External, Low.ExternalOldPsw, Low.ExternalNewPsw, code, 0);
        return true;
    }

    /// <summary>True when the wait state can never end: no interruption class is enabled (a disabled wait).</summary>
    public bool WaitIsDisabled => !ExternalEnabled && !AnyIoEnabled;

    /// <summary>The operator's interrupt key (external interruption, code X'0040').</summary>
    public void PressInterruptKey() { Clock.InterruptKeyPending = true; Attention = true; }
}
