namespace Jit360.Cp.Commands;

/// <summary>
/// What runs the sessions' virtual machines, as far as CP commands need it: a running machine
/// can only be taken apart by the thread that runs it, between two of its time slices.
/// </summary>
public interface ISessionScheduler
{
    /// <summary>
    /// Has <paramref name="target"/> logged off by FORCE at its next dispatch (at once if it is
    /// waiting). False when the scheduler does not run that session: the caller logs it off itself.
    /// </summary>
    bool Force(CpSession target, CpSession by);
}
