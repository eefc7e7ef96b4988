using Jit360.Cp.Commands;
using Jit360.Cp.SavedSystems;
using Jit360.Cp.VirtualMachines;
using Jit360.Machine;
using Jit360.Machine.Channels;

namespace Jit360.Cp.Io;

/// <summary>
/// One logged-on user's virtual machine with its I/O: its own CpuState (storage, timers) and
/// its own <see cref="ChannelSubsystem"/> (the virtual devices), the DIAGNOSE codes CMS uses,
/// the shared segments it has loaded, and the session and terminal it belongs to.
/// </summary>
public sealed class GuestMachine : IDisposable
{
    /// <summary>
    /// Real storage of every virtual machine: 16M, so that a shared segment above the user's
    /// storage (CMSSEG at X'F00000') has somewhere to go. The guest learns its own size from
    /// DIAGNOSE X'60' (the directory's storage), which is what CMS uses.
    /// </summary>
    public const uint RealStorage = 16 * 1024 * 1024;

    public CpSystem System { get; }
    public CpSession Session { get; }
    public UserTerminal Terminal { get; }
    public VirtualMachine Machine { get; }
    public ChannelSubsystem Channels { get; }
    public SavedSystemCatalog SavedSystems { get; }
    /// <summary>The storage size the guest is told (DIAGNOSE X'60', QUERY STORAGE).</summary>
    public uint StorageSize { get; set; }
    public ushort ConsoleAddress { get; private set; } = 0xFFFF;

    readonly SortedDictionary<ushort, VirtualDevice> devices = [];
    /// <summary>Segments loaded by DIAGNOSE X'64' LOADSYS.</summary>
    public HashSet<string> LoadedSegments { get; } = new(StringComparer.OrdinalIgnoreCase);

    public GuestMachine(CpSystem system, CpSession session, UserTerminal terminal, SavedSystemCatalog savedSystems, uint storageSize, bool deterministic = false)
    {
        System = system; Session = session; Terminal = terminal; SavedSystems = savedSystems;
        StorageSize = storageSize;
        var cpu = new CpuState(Jit360.Architecture.ArchLevel.S370, RealStorage, deterministic);
        Channels = new ChannelSubsystem(cpu);
        var diagnose = new DiagnoseTable();
        CmsDiagnoses.Register(diagnose, this);
        Machine = new VirtualMachine(cpu, diagnose, new ChannelVirtualIo(this));
    }

    public IReadOnlyCollection<VirtualDevice> Devices { get { lock (devices) return devices.Values.ToList(); } }

    public VirtualDevice? Find(ushort address) { lock (devices) return devices.GetValueOrDefault(address); }

    public void Attach(VirtualDevice device)
    {
        lock (devices)
        {
            if (devices.ContainsKey(device.Address)) throw new DeviceConfigException($"virtual device {device.Address:X3} already exists");
            Channels.Attach(device.Device);
            devices[device.Address] = device;
            if (device.Class == VirtualDeviceClass.Console) ConsoleAddress = device.Address;
        }
    }

    public bool Detach(ushort address)
    {
        lock (devices)
        {
            if (!devices.Remove(address, out var d)) return false;
            if (d.Class == VirtualDeviceClass.Console) ConsoleAddress = 0xFFFF;
        }
        return Channels.Detach(address);
    }

    public VirtualConsole? Console => Find(ConsoleAddress)?.Device as VirtualConsole;

    readonly Queue<string> events = new();

    /// <summary>The last <see cref="EventLimit"/> DIAGNOSE and I/O requests of the guest, for a post-mortem ("DIAG 18 R2=... cc 0").</summary>
    public IReadOnlyList<string> RecentEvents { get { lock (events) return events.ToList(); } }
    public const int EventLimit = 256;

    internal void Record(string e)
    {
        lock (events)
        {
            if (events.Count == EventLimit) events.Dequeue();
            events.Enqueue(e);
        }
    }

    /// <summary>Ends the machine: its devices, then its storage's host memory (shared saved-system pages included) goes back to the host.</summary>
    public void Dispose()
    {
        Channels.Dispose();
        Machine.Cpu.Storage.Release();
    }
}
