namespace Jit360.Machine.Channels;

/// <summary>
/// Initial program loading (GA22-7000 "Initial Program Loading"; GA22-6821 "Initial Program
/// Loading"): system reset; the channel reads from the load unit as if a CCW at location 0 held
/// READ (X'02'), data address 0, command chaining and SLI, count 24; the CCWs read into 8 and 16
/// go on by command chaining. When the chain ends without error the PSW at 0 becomes the
/// current PSW and the load unit's address is stored: in bytes 2-3 of location 0 (S/360, and
/// S/370 when the new PSW is in BC mode, the place of a BC PSW's interruption code) or at
/// 186-187 (S/370 EC mode). A failure leaves the CPU stopped and says why.
/// </summary>
public static class InitialProgramLoad
{
    public sealed record Result(bool Success, string Message);

    /// <summary>The implied first CCW of IPL.</summary>
    public static readonly Ccw ImpliedCcw = new(0x02, 0, CcwFlags.ChainCommand | CcwFlags.SuppressLengthIndication, 24);

    /// <summary>Loads from device <paramref name="number"/>; the caller starts the CPU on success.</summary>
    public static Result Run(CpuState cpu, ChannelSubsystem channels, ushort number, TimeSpan? timeout = null)
    {
        channels.SystemReset();
        cpu.Reset();
        if (channels.Find(number) == null)
            return new Result(false, $"IPL from {number:X4} failed: device not operational (no device {number:X4})");
        var csw = channels.RunToEnd(number, ImpliedCcw, timeout ?? Timeout.InfiniteTimeSpan);
        if (csw is not { } end)
            return new Result(false, $"IPL from {number:X4} failed: device not operational");
        const UnitStatus errors = UnitStatus.UnitCheck | UnitStatus.UnitException | UnitStatus.Busy;
        if ((end.Unit & errors) != 0 || (end.Channel & ~ChannelStatus.ProgramControlledInterruption) != 0)
            return new Result(false, $"IPL from {number:X4} failed: CSW {end} ({Describe(end)})");

        var st = cpu.Storage;
        ulong psw = st.ReadDoublewordAbsolute(Low.IplPsw);
        bool ec = cpu.IsS370 && (psw & 1UL << 51) != 0;
        if (ec)
        {
            st.WriteWordAbsolute(Low.IoAddress - 2, number);
        }
        else
        {
            psw = psw & ~(0xFFFFUL << 32) | (ulong)number << 32;
            st.WriteDoublewordAbsolute(Low.IplPsw, psw);
        }
        cpu.LoadPsw(psw);
        return new Result(true, $"IPL from {number:X4} complete, PSW {cpu.PswText()}");
    }

    static string Describe(Csw csw)
    {
        var parts = new List<string>();
        if (csw.Unit != UnitStatus.None) parts.Add($"unit status {csw.Unit}");
        if (csw.Channel != ChannelStatus.None) parts.Add($"channel status {csw.Channel}");
        return string.Join(", ", parts);
    }
}
