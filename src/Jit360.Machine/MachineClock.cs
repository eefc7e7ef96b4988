using System.Diagnostics;

namespace Jit360.Machine;

/// <summary>
/// Time as the CPU sees it: the interval timer at location 80 (GA22-6821 "Interval Timer":
/// bit 23 decremented 300 times a second, i.e. bit 31 76,800 times), and on System/370 the
/// TOD clock (bit 51 = 1 microsecond), clock comparator and CPU timer (GA22-7000 "Timing").
/// The interval timer is decremented in storage and requests an interruption when its value
/// goes from positive (or zero) to negative; the request stays pending until taken.
/// Real time by default; deterministic time advances one microsecond per instruction so that
/// runs and tests are reproducible.
/// </summary>
public sealed class MachineClock
{
    readonly CpuState cpu;
    readonly bool deterministic;
    readonly Stopwatch watch = Stopwatch.StartNew();

    /// <summary>
    /// Time follows the machine, not the host, between the host's explicit steps: true for a
    /// deterministic clock (one microsecond per instruction, and idle jumps) and for a
    /// real-time clock that is <see cref="Paced"/> (it stands still between catch-ups). Engines
    /// then stop exactly where a timer event falls due, the same instruction on every copy.
    /// </summary>
    public bool Deterministic => deterministic || paced;

    bool paced;
    long pacedMicros;

    /// <summary>A real-time clock that shows the host's time as of its last <see cref="CatchUpWithHost"/> (<see cref="Pace"/>).</summary>
    public bool Paced => paced;

    /// <summary>
    /// Makes a real-time clock deterministic from now on: it shows the host's time as of the last
    /// <see cref="CatchUpWithHost"/> and stands still in between. An engine that runs two copies
    /// of the machine side by side (lockstep) needs this: it reads the host's clock once at each
    /// point where it makes the copies equal, and both copies then see the same time at the same
    /// instruction, however fast each one runs.
    /// </summary>
    public void Pace()
    {
        if (Deterministic) return;
        pacedMicros = HostMicros;
        paced = true;
    }

    /// <summary>A paced clock: moves time forward to the host's if it is behind (never back). Returns true if it moved.</summary>
    public bool CatchUpWithHost()
    {
        if (!paced) return false;
        long host = HostMicros;
        if (host <= pacedMicros) return false;
        pacedMicros = host;
        return true;
    }

    long HostMicros => (long)(watch.ElapsedTicks * (1_000_000.0 / Stopwatch.Frequency));

    long lastTimerMicros;
    long timerRemainder;          // in units of 1/76,800,000,000 s (micros * 76,800), below one timer unit
    long todOffset;               // TOD value (bit-51 units, i.e. microseconds) at micros == 0
    public bool TodSet = true;
    public ulong ClockComparator = ulong.MaxValue;
    public long CpuTimer = long.MaxValue;
    long lastCpuTimerMicros;

    /// <summary>Pending external interruption conditions (subclass bits as in the S/360 code byte).</summary>
    public bool IntervalTimerPending, InterruptKeyPending, ClockComparatorPending, CpuTimerPending;
    public byte ExternalSignalsPending;

    // 1900-01-01 to 2000-01-01 in microseconds: the deterministic clock starts at 2000-01-01.
    const long Micros1900To2000 = 3_155_673_600L * 1_000_000L;
    static readonly long Micros1900ToUnixEpoch = 2_208_988_800L * 1_000_000L;

    public MachineClock(CpuState cpu, bool deterministic)
    {
        this.cpu = cpu;
        this.deterministic = deterministic;
        todOffset = deterministic ? Micros1900To2000
            : Micros1900ToUnixEpoch + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
    }

    /// <summary>Microseconds since this CPU was created (virtual microseconds in deterministic mode).</summary>
    public long Micros => paced ? pacedMicros : deterministic ? cpu.Instructions + idleMicros : HostMicros;

    long idleMicros;

    /// <summary>Deterministic mode: a wait state lets virtual time jump forward.</summary>
    public void AdvanceIdle(long micros)
    {
        if (paced) pacedMicros += micros;
        else if (deterministic) idleMicros += micros;
    }

    /// <summary>TOD clock value: bit 51 is one microsecond.</summary>
    public ulong Tod => (ulong)(todOffset + Micros) << 12;

    /// <summary>SET CLOCK: bits 0-51 take effect (this clock steps in microseconds, bit 51); the clock enters the set state.</summary>
    public void SetTod(ulong value) { todOffset = (long)(value >> 12) - Micros; TodSet = true; lastStored = 0; Evaluate(); }

    ulong lastStored;

    /// <summary>
    /// STORE CLOCK's value: the TOD clock, made unique (GA22-7000 "TOD Clock": two STORE CLOCKs
    /// never store the same value while the clock runs) by stepping bits below bit 51.
    /// </summary>
    public ulong StoreClockValue()
    {
        ulong v = Tod;
        if (v <= lastStored) v = lastStored + 1;
        lastStored = v;
        return v;
    }

    /// <summary>SET CLOCK COMPARATOR: the pending condition follows the new value at once.</summary>
    public void SetClockComparator(ulong value) { ClockComparator = value; Evaluate(); }

    /// <summary>SET CPU TIMER: the pending condition follows the new value at once.</summary>
    public void SetCpuTimer(long value) { Update(); CpuTimer = value; Evaluate(); }

    /// <summary>Re-derives the conditions that stay pending while they hold (GA22-7000: clock comparator while TOD &gt; comparator; CPU timer while negative).</summary>
    void Evaluate()
    {
        if (!cpu.IsS370) return;
        ClockComparatorPending = Tod > ClockComparator;
        CpuTimerPending = CpuTimer < 0;
        cpu.Attention = true;
    }

    /// <summary>Brings the interval timer, CPU timer and clock comparator up to date; returns true if an external condition became pending.</summary>
    public bool Update()
    {
        long now = Micros;
        bool raised = false;
        // Clamped so that the arithmetic below cannot overflow after a very long idle jump.
        long elapsed = Math.Min(now - lastTimerMicros, HorizonMicros);
        if (elapsed > 0)
        {
            lastTimerMicros = now;
            timerRemainder += elapsed * 76_800;
            long units = timerRemainder / 1_000_000;
            if (units > 0)
            {
                timerRemainder -= units * 1_000_000;
                var st = cpu.Storage;
                if (st.Size >= 0x54)
                {
                    int old = (int)st.ReadWordAbsolute(Low.IntervalTimer);
                    int neu = unchecked(old - (int)Math.Min(units, int.MaxValue));
                    st.WriteWordAbsolute(Low.IntervalTimer, (uint)neu);
                    if (old >= 0 && neu < 0) { IntervalTimerPending = true; raised = true; }
                }
            }
        }
        if (cpu.IsS370)
        {
            long cpuElapsed = now - lastCpuTimerMicros;
            if (cpuElapsed > 0)
            {
                lastCpuTimerMicros = now;
                CpuTimer = unchecked(CpuTimer - (cpuElapsed << 12));
            }
            bool cc = ClockComparatorPending, pt = CpuTimerPending;
            ClockComparatorPending = Tod > ClockComparator;
            CpuTimerPending = CpuTimer < 0;
            raised |= (ClockComparatorPending && !cc) || (CpuTimerPending && !pt);
        }
        return raised;
    }

    /// <summary>Events further away than this (about 12 days) are treated as never: nothing waits that long in a run.</summary>
    const long HorizonMicros = 1L << 40;

    /// <summary>
    /// Microseconds until the next timer event, or null if none falls within the horizon. With
    /// <paramref name="presentableOnly"/>, only conditions the current masks would present (PSW
    /// bit 7 and, on System/370, the CR0 subclass masks): engines stop exactly there in
    /// deterministic time. Without it, any event: a wait lets time run on to it.
    /// </summary>
    public long? MicrosUntilTimer(bool presentableOnly = false)
    {
        if (presentableOnly && !cpu.ExternalEnabled) return null;
        long best = long.MaxValue;
        uint cr0 = presentableOnly && cpu.IsS370 ? cpu.Cr[0] : 0xFFFF_FFFF;
        if ((cr0 & 0x80) != 0 && cpu.Storage.Size >= 0x54)
        {
            int v = (int)cpu.Storage.ReadWordAbsolute(Low.IntervalTimer);
            // Counted from the last update, whose fraction of a unit is already accrued, so that
            // the event falls at the same instruction however often the engine looks.
            if (v >= 0) best = (long)(((v + 1L) * 1_000_000 - timerRemainder) / 76_800) + 1 - (Micros - lastTimerMicros);
        }
        if (cpu.IsS370)
        {
            if ((cr0 & 0x400) != 0 && CpuTimer >= 0) best = Math.Min(best, (CpuTimer >> 12) + 1 - (Micros - lastCpuTimerMicros));
            ulong tod = Tod;
            if ((cr0 & 0x800) != 0 && ClockComparator >= tod && (ClockComparator - tod) >> 12 < HorizonMicros)
                best = Math.Min(best, (long)((ClockComparator - tod) >> 12) + 1);
        }
        // An event already due (time passed since the last update) is due at the next instruction.
        return best < HorizonMicros ? Math.Max(best, 1) : null;
    }

    public bool AnyExternalPending => IntervalTimerPending || InterruptKeyPending || ClockComparatorPending || CpuTimerPending || ExternalSignalsPending != 0;
}
