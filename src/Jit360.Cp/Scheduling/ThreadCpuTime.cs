using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Jit360.Cp.Scheduling;

/// <summary>
/// CPU time consumed by the calling thread (Linux clock_gettime CLOCK_THREAD_CPUTIME_ID), the
/// measure the scheduler charges to the user whose slice the thread runs. Elsewhere it falls
/// back to elapsed time, which overstates a slice by whatever else the host ran meanwhile.
/// </summary>
public static class ThreadCpuTime
{
    [StructLayout(LayoutKind.Sequential)]
    struct Timespec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    static extern int ClockGetTime(int clock, out Timespec ts);

    const int ClockThreadCpuTime = 3;
    static bool unavailable = !OperatingSystem.IsLinux();

    /// <summary>Now, as a point on this thread's CPU-time axis (only differences mean anything).</summary>
    public static TimeSpan Now()
    {
        if (!unavailable)
        {
            try
            {
                if (ClockGetTime(ClockThreadCpuTime, out var ts) == 0) return TimeSpan.FromTicks(ts.Seconds * TimeSpan.TicksPerSecond + ts.Nanoseconds / 100);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
            unavailable = true;
        }
        return Stopwatch.GetElapsedTime(0);
    }
}
