namespace Jit360.Cp.VirtualMachines;

// What the machine cost the host: the figures LOGOFF and QUERY TIME print (VIRTCPU, TOTCPU)
// and the scheduler's statistics. The scheduler charges them; any thread may read them.
public sealed partial class VirtualMachine
{
    long virtualCpuTicks, overheadTicks, dispatches;

    /// <summary>Host CPU time spent running the guest's instructions (and the simulation within its slices).</summary>
    public TimeSpan VirtualCpuTime => TimeSpan.FromTicks(Interlocked.Read(ref virtualCpuTicks));

    /// <summary>The virtual CPU time plus CP's work for the user outside the guest's slices (commands, dispatching).</summary>
    public TimeSpan TotalCpuTime => TimeSpan.FromTicks(Interlocked.Read(ref virtualCpuTicks) + Interlocked.Read(ref overheadTicks));

    /// <summary>Time slices the scheduler gave the machine.</summary>
    public long Dispatches => Interlocked.Read(ref dispatches);

    public void ChargeVirtualCpu(TimeSpan t) { if (t > TimeSpan.Zero) Interlocked.Add(ref virtualCpuTicks, t.Ticks); }

    public void ChargeOverhead(TimeSpan t) { if (t > TimeSpan.Zero) Interlocked.Add(ref overheadTicks, t.Ticks); }

    public void CountDispatch() => Interlocked.Increment(ref dispatches);
}
