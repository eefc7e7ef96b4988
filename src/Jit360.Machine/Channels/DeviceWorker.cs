using System.Collections.Concurrent;

namespace Jit360.Machine.Channels;

/// <summary>
/// The thread a device's channel programs run on, one at a time and in order: a device may
/// block in Execute (a console waiting for its operator) without holding up the CPU or
/// any other device, and a new program waits until a halted one has left the device.
/// </summary>
sealed class DeviceWorker : IDisposable
{
    readonly BlockingCollection<Action> jobs = new();
    readonly Thread thread;

    public DeviceWorker(string name)
    {
        thread = new Thread(Loop) { Name = name, IsBackground = true };
        thread.Start();
    }

    void Loop()
    {
        foreach (var job in jobs.GetConsumingEnumerable()) job();
    }

    public void Post(Action job) => jobs.Add(job);

    public void Dispose()
    {
        jobs.CompleteAdding();
        if (Thread.CurrentThread != thread) thread.Join(TimeSpan.FromSeconds(2));
    }
}
