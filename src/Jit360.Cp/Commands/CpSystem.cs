using Jit360.Cp.Directory;

namespace Jit360.Cp.Commands;

/// <summary>
/// The system the sessions share: the directory, the logged-on users, the clock and time zone
/// of the time stamps, the command table and (when attached) the I/O layer.
/// </summary>
public sealed class CpSystem
{
    public UserDirectory Directory { get; }
    public TimeProvider Clock { get; }
    /// <summary>The zone name printed in time stamps (VM/370 prints the zone its SYSTIME was generated with).</summary>
    public string ZoneName { get; }
    public string SystemName { get; }
    /// <summary>The primary system operator's user id (MSG OPERATOR goes there).</summary>
    public string OperatorUserId { get; init; } = "OPERATOR";
    public IDeviceServices? Devices { get; }
    public CommandTable Commands { get; }
    /// <summary>What runs the users' virtual machines (FORCE asks it to log a running user off), or null.</summary>
    public ISessionScheduler? Scheduler { get; set; }

    readonly Dictionary<string, CpSession> users = new(StringComparer.OrdinalIgnoreCase);

    public CpSystem(UserDirectory directory, IDeviceServices? devices = null, TimeProvider? clock = null, string zoneName = "UTC", string systemName = "JIT360")
    {
        Directory = directory;
        Devices = devices;
        Clock = clock ?? TimeProvider.System;
        ZoneName = zoneName;
        SystemName = systemName;
        Commands = StandardCommands.Create();
    }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Logged-on users, in logon order (a snapshot: users log on and off from several dispatcher threads).</summary>
    public IEnumerable<CpSession> Sessions { get { lock (users) return users.Values.OrderBy(s => s.LogonTime).ToList(); } }

    public CpSession? Find(string userId) { lock (users) return users.GetValueOrDefault(userId); }

    internal void Register(CpSession session) { lock (users) users.Add(session.UserId!, session); }
    internal void Unregister(CpSession session) { lock (users) users.Remove(session.UserId!); }

    /// <summary>SHUTDOWN was given: the host stops every user's machine, logs everyone off (<see cref="SystemShutdown.LogOffEveryone"/>) and ends.</summary>
    public event Action? ShutdownRequested;
    public bool ShuttingDown { get; private set; }
    internal void RequestShutdown() { ShuttingDown = true; ShutdownRequested?.Invoke(); }

    /// <summary>Runs one command line for a session; returns the return code (0, or the message number of the error).</summary>
    public int Execute(CpSession session, string line) => CommandProcessor.Execute(this, session, line);
}
