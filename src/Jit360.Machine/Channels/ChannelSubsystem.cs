namespace Jit360.Machine.Channels;

/// <summary>
/// The S/360 and S/370 channels (GA22-6821 and GA22-7000 "Input/Output Operations"): the I/O
/// instructions, the channel programs they start, I/O interruptions, and system reset.
///
/// Model. A device address is 16 bits: channel in bits 8-15, unit in bits 0-7 (the device
/// number as configured). Every device has its own subchannel (as on a block-multiplexer
/// channel with nonshared subchannels; Hercules does the same), so a device working never
/// makes another one busy. S/360 channels 1-6 are selector channels as far as HALT I/O and
/// TEST CHANNEL report a burst ("channel working"); S/370 channel 0 is a byte multiplexer and
/// the others block multiplexers. START I/O checks the CAW and the first CCW at once (an error
/// sets condition code 1 with the CSW stored) and otherwise sets condition code 0: everything
/// the device then says, even about the first command, arrives as an I/O interruption (as in
/// Hercules; the PoO lets immediate commands end with condition code 1, which programs handle
/// equally).
///
/// Asynchrony. Channel programs run on a worker thread per device, as real channels run beside
/// the CPU; a device may block in Execute until HALT I/O, HALT DEVICE, CLEAR I/O or system reset
/// calls its Halt. Data goes into storage on that thread, but the bookkeeping the CPU thread
/// owns (reference and change bits, invalidating translated code) is queued and replayed on the
/// CPU thread before the CPU can see the end of the operation (<see cref="ChannelStorage"/>).
///
/// Deterministic mode (the CPU's clock is deterministic: --deterministic, tests). The CPU and
/// the channel take turns: START I/O gives the program a budget of <see cref="DeterministicBudget"/>
/// CCWs and waits until it ends, spends the budget, or its device says it waits for outside
/// input (<see cref="IDeviceHost.AwaitingInput"/>). Status is therefore pending when START I/O
/// completes and the interruption is taken at the next instruction boundary where the channel
/// is enabled: the same instruction on every run. A program that spent its budget (a CCW loop)
/// gets another at each enabled wait; HALT I/O and friends wait for the halted program to end.
/// Status a device raises later from its own thread (an operator's input) is outside the machine
/// and cannot be deterministic.
/// </summary>
public sealed class ChannelSubsystem : IIoSubsystem, IDeviceHost, IDisposable
{
    /// <summary>CCWs a channel program may execute per turn in deterministic mode.</summary>
    public const long DeterministicBudget = 100_000;

    readonly CpuState cpu;
    readonly ChannelStorage storage;
    readonly bool deterministic;
    readonly object sync = new();
    readonly SortedDictionary<ushort, Subchannel> subchannels = [];
    /// <summary>Subchannels with an interruption pending, in the order their first condition arose.</summary>
    readonly List<Subchannel> pendingOrder = [];
    readonly ManualResetEventSlim wake = new(false);
    volatile bool anyPending;

    /// <summary>Creates the subsystem and makes it the CPU's (<see cref="CpuState.Io"/>).</summary>
    public ChannelSubsystem(CpuState cpu)
    {
        this.cpu = cpu;
        storage = new ChannelStorage(cpu.Storage);
        deterministic = cpu.Clock.Deterministic;
        cpu.Io = this;
    }

    // ---------------------------------------------------------------- configuration

    /// <summary>Attaches a device; throws <see cref="DeviceConfigException"/> if its number is taken.</summary>
    public void Attach(IDevice device)
    {
        lock (sync)
        {
            if (subchannels.ContainsKey(device.Number))
                throw new DeviceConfigException($"device {device.Number:X4} already exists");
            subchannels[device.Number] = new Subchannel(device);
        }
        device.Host = this;
    }

    /// <summary>Detaches and disposes a device (its program, if any, is halted first). False if there is none.</summary>
    public bool Detach(ushort number)
    {
        Subchannel? sc;
        lock (sync)
        {
            if (!subchannels.Remove(number, out sc)) return false;
            pendingOrder.Remove(sc);
            anyPending = pendingOrder.Count > 0;
        }
        Quiesce(sc);
        sc.Worker.Dispose();
        sc.Device.Host = null;
        sc.Device.Dispose();
        return true;
    }

    /// <summary>The attached devices in device-number order.</summary>
    public IReadOnlyList<IDevice> Devices { get { lock (sync) return subchannels.Values.Select(s => s.Device).ToList(); } }

    public IDevice? Find(ushort number) { lock (sync) return subchannels.GetValueOrDefault(number)?.Device; }

    // ---------------------------------------------------------------- I/O instructions

    /// <summary>
    /// START I/O and START I/O FAST RELEASE (GA22-7000 "Start I/O"): 0 started; 1 CSW stored (the
    /// device has status pending or is busy, or the CAW or first CCW is invalid); 2 the
    /// subchannel is working or holds the end of a previous operation; 3 not operational.
    /// Fast release is executed as START I/O (the PoO allows it).
    /// </summary>
    public int StartIo(CpuState cpu, uint deviceAddress, bool fastRelease)
    {
        storage.Apply();
        ChannelProgram program;
        Subchannel? sc;
        lock (sync)
        {
            sc = Lookup(deviceAddress);
            if (sc == null) return 3;
            if (sc.Program != null || sc.Completion != null) return 2;
            if (sc.DevicePending != UnitStatus.None)
            {
                // Interruption pending in the device: busy with that status, which is cleared.
                var status = UnitStatus.Busy | sc.DevicePending;
                sc.DevicePending = UnitStatus.None;
                Unlist(sc);
                Csw.StatusOnly(status).Store(storage.Storage);
                return 1;
            }
            if (sc.DeviceBusy)
            {
                Csw.StatusOnly(UnitStatus.Busy).Store(storage.Storage);
                return 1;
            }
            if (CheckFirstCcw(out int key, out uint address, out Ccw first) is { } error)
            {
                error.Store(storage.Storage);
                return 1;
            }
            program = NewProgram(sc, key, address, first, deterministic ? 0 : long.MaxValue);
        }
        if (deterministic) Turn(program);
        return 0;
    }

    /// <summary>
    /// The CAW (location 72: key in bits 0-3, bits 4-7 zero, CCW address in 8-31, a doubleword
    /// within storage) and the first CCW (fetched with that key; not a TIC; a valid command,
    /// count and flags). Returns the CSW to store for a program or protection check, or null.
    /// </summary>
    Csw? CheckFirstCcw(out int key, out uint address, out Ccw first)
    {
        uint caw = storage.Storage.ReadWordAbsolute(Low.Caw);
        key = (int)(caw >> 28);
        address = caw & 0x00FF_FFFF;
        first = default;
        if ((caw & 0x0F00_0000) != 0 || (address & 7) != 0 || address >= storage.Storage.Size)
            return new Csw(key, address, UnitStatus.None, ChannelStatus.ProgramCheck, 0);
        var fetch = storage.FetchCcw(address, key, out ulong w);
        if (fetch != ChannelStatus.None) return new Csw(key, address + 8, UnitStatus.None, fetch, 0);
        first = Ccw.Decode(w);
        if (first.IsTic || first.InvalidCommand || first.Count == 0 || first.InvalidFlags(cpu.IsS370))
            return new Csw(key, address + 8, UnitStatus.None, ChannelStatus.ProgramCheck, 0);
        return null;
    }

    /// <summary>
    /// TEST I/O: 0 available; 1 CSW stored (the end of an operation, a PCI or device status,
    /// which is cleared; or busy); 2 the subchannel is working with the device; 3 not operational.
    /// </summary>
    public int TestIo(CpuState cpu, uint deviceAddress)
    {
        storage.Apply();
        lock (sync)
        {
            var sc = Lookup(deviceAddress);
            if (sc == null) return 3;
            if (sc.Program != null) return 2;
            if (sc.HasPending)
            {
                var csw = sc.TakePending();
                if (!sc.HasPending) Unlist(sc);
                csw.Store(storage.Storage);
                return 1;
            }
            if (sc.DeviceBusy)
            {
                Csw.StatusOnly(UnitStatus.Busy).Store(storage.Storage);
                return 1;
            }
            return 0;
        }
    }

    /// <summary>
    /// HALT I/O (GA22-7000 "Halt I/O"): 0 the subchannel holds an interruption (nothing done);
    /// 1 the device was signalled to stop, the CSW status portion stored as zero; 2 a burst on a
    /// S/360 selector channel was ended; 3 not operational. A program halted while data moves
    /// ends with the device's status, incorrect length if the count was not used up (unless SLI),
    /// and an interruption.
    /// </summary>
    public int HaltIo(CpuState cpu, uint deviceAddress) => Halt(deviceAddress);

    /// <summary>HALT DEVICE: as HALT I/O for the addressed device (each device has its own subchannel here).</summary>
    public int HaltDevice(CpuState cpu, uint deviceAddress) => Halt(deviceAddress);

    int Halt(uint deviceAddress)
    {
        storage.Apply();
        Subchannel? sc;
        ChannelProgram? program;
        lock (sync)
        {
            sc = Lookup(deviceAddress);
            if (sc == null) return 3;
            if (sc.Completion != null) return 0;
            program = sc.Program;
            program?.Halt();
        }
        sc.Device.Halt();
        if (program != null && deterministic) program.WaitEnded(TimeSpan.FromSeconds(5));
        storage.Apply();
        if (program != null && !cpu.IsS370 && sc.Channel is >= 1 and <= 6) return 2;
        Csw.StatusOnly(UnitStatus.None).StoreStatusPortion(storage.Storage);
        return 1;
    }

    /// <summary>
    /// CLEAR I/O (S/370): 0 the subchannel is available (device status stays pending in the
    /// device); 1 CSW stored: the end of an operation, cleared, or the program at work ended
    /// at once (the CSW shows where), the subchannel made available with no interruption to
    /// follow; 3 not operational.
    /// </summary>
    public int ClearIo(CpuState cpu, uint deviceAddress)
    {
        storage.Apply();
        Subchannel? sc;
        ChannelProgram? program;
        lock (sync)
        {
            sc = Lookup(deviceAddress);
            if (sc == null) return 3;
            if (sc.Completion != null)
            {
                var csw = sc.TakeCompletion();
                if (!sc.HasPending) Unlist(sc);
                csw.Store(storage.Storage);
                return 1;
            }
            program = sc.Program;
            if (program == null) return 0;
            program.Halt();
            sc.Program = null;
            sc.Pci = null;
            // Device status that arrived while the program ran becomes presentable now.
            if (sc.HasPending) List(sc); else Unlist(sc);
            new Csw(program.Key, program.CurrentAddress, UnitStatus.None, ChannelStatus.None, program.CurrentCount).Store(storage.Storage);
        }
        sc.Device.Halt();
        if (deterministic) program.WaitEnded(TimeSpan.FromSeconds(5));
        storage.Apply();
        return 1;
    }

    /// <summary>
    /// TEST CHANNEL: 0 available; 1 an interruption is pending on the channel; 2 a S/360
    /// selector channel is working; 3 no device is attached to the channel.
    /// </summary>
    public int TestChannel(CpuState cpu, uint channel)
    {
        storage.Apply();
        lock (sync)
        {
            var on = subchannels.Values.Where(s => s.Channel == channel).ToList();
            if (on.Count == 0) return 3;
            if (!cpu.IsS370 && channel is >= 1 and <= 6 && on.Any(s => s.Program != null)) return 2;
            return on.Any(s => s.HasPending) ? 1 : 0;
        }
    }

    /// <summary>
    /// STORE CHANNEL ID (S/370): the channel ID word at location 168: bits 0-3 the channel type
    /// (0001 byte multiplexer for channel 0, 0010 block multiplexer for the others), model and
    /// I/O extended logout length zero. 0 stored, 3 no device on the channel.
    /// </summary>
    public int StoreChannelId(CpuState cpu, uint channel)
    {
        storage.Apply();
        lock (sync)
        {
            if (!subchannels.Values.Any(s => s.Channel == channel)) return 3;
        }
        const uint ChannelIdLocation = 168;
        storage.Storage.WriteWordAbsolute(ChannelIdLocation, channel == 0 ? 0x1000_0000u : 0x2000_0000u);
        storage.Storage.Keys[0] |= Storage.Reference | Storage.Change;
        return 0;
    }

    Subchannel? Lookup(uint deviceAddress) => subchannels.GetValueOrDefault((ushort)deviceAddress);

    // ---------------------------------------------------------------- running programs

    ChannelProgram NewProgram(Subchannel sc, int key, uint address, Ccw first, long credits)
    {
        ChannelProgram? program = null;
        program = new ChannelProgram(sc, storage, cpu.IsS370, key, address, first, credits, pci => RaisePci(sc, program!, pci));
        sc.Program = program;
        sc.Worker.Post(() =>
        {
            var csw = program.Run();
            Complete(sc, program, csw);
            program.MarkEnded();
        });
        return program;
    }

    /// <summary>Deterministic mode: the program runs its turn while the CPU waits; then the CPU sees what it did.</summary>
    void Turn(ChannelProgram program)
    {
        program.Grant(DeterministicBudget, () => cpu.StopRequested);
        storage.Apply();
    }

    void RaisePci(Subchannel sc, ChannelProgram program, Csw csw)
    {
        lock (sync)
        {
            if (sc.Program != program) return;
            sc.Pci = csw;
            List(sc);
        }
        Notify();
    }

    void Complete(Subchannel sc, ChannelProgram program, Csw csw)
    {
        lock (sync)
        {
            if (sc.Program != program) return;   // cleared or reset meanwhile: nothing to present
            sc.Program = null;
            // A device end raised while the program ran joins the program's ending status.
            if (sc.DevicePending.HasFlag(UnitStatus.DeviceEnd) && !csw.Unit.HasFlag(UnitStatus.DeviceEnd))
            {
                csw = csw.With(UnitStatus.DeviceEnd);
                sc.DevicePending &= ~UnitStatus.DeviceEnd;
            }
            sc.DeviceBusy = !csw.Unit.HasFlag(UnitStatus.DeviceEnd);
            sc.Completion = csw;
            List(sc);
        }
        Notify();
    }

    void List(Subchannel sc)
    {
        if (!pendingOrder.Contains(sc)) pendingOrder.Add(sc);
        anyPending = true;
    }

    void Unlist(Subchannel sc)
    {
        pendingOrder.Remove(sc);
        anyPending = pendingOrder.Count > 0;
    }

    void Notify()
    {
        cpu.Attention = true;
        wake.Set();
        InterruptionPending?.Invoke();
    }

    /// <summary>
    /// Raised (on the thread that made the status pending) whenever an interruption may have
    /// become pending: a scheduler that takes a waiting CPU off its run queue instead of blocking
    /// in <see cref="WaitForInterrupt"/> puts it back on hearing this. Handlers must be quick.
    /// </summary>
    public event Action? InterruptionPending;

    // ---------------------------------------------------------------- the device side

    /// <summary>Unsolicited status from a device (attention, device end after channel end, becoming ready).</summary>
    public void RaiseStatus(IDevice device, UnitStatus status)
    {
        if (status == UnitStatus.None) return;
        lock (sync)
        {
            if (!subchannels.TryGetValue(device.Number, out var sc) || sc.Device != device) return;
            if (sc.Program is { } p && status.HasFlag(UnitStatus.DeviceEnd) && p.DeliverDeviceEnd(status)) return;
            if (sc.Completion is { } c && !c.Unit.HasFlag(UnitStatus.DeviceEnd) && status.HasFlag(UnitStatus.DeviceEnd))
            {
                // Device end while the channel end is still pending: both are presented together.
                sc.Completion = c.With(status);
                sc.DeviceBusy = false;
                return;
            }
            if (status.HasFlag(UnitStatus.DeviceEnd)) sc.DeviceBusy = false;
            sc.DevicePending |= status;
            if (sc.Program == null) List(sc);
        }
        Notify();
    }

    public void AwaitingInput(IDevice device)
    {
        lock (sync)
        {
            if (subchannels.TryGetValue(device.Number, out var sc) && sc.Device == device) sc.Program?.SetAwaitingInput();
        }
    }

    // ---------------------------------------------------------------- interruptions

    /// <summary>True when some device has an interruption pending. Called by the CPU at instruction boundaries, so it also brings storage up to date.</summary>
    public bool InterruptPending
    {
        get
        {
            if (storage.HasPending) storage.Apply();
            return anyPending;
        }
    }

    /// <summary>
    /// Takes the oldest pending interruption on an enabled channel: stores its CSW at 64 and
    /// returns the device address for the old PSW (BC) or locations 186-187 (EC).
    /// </summary>
    public bool TryAcceptInterrupt(CpuState cpu, Func<int, bool> channelEnabled, out ushort deviceAddress)
    {
        storage.Apply();
        lock (sync)
        {
            foreach (var sc in pendingOrder)
            {
                if (!channelEnabled(sc.Channel)) continue;
                var csw = sc.TakePending();
                if (!sc.HasPending) Unlist(sc);
                else { pendingOrder.Remove(sc); pendingOrder.Add(sc); }
                csw.Store(storage.Storage);
                deviceAddress = sc.Number;
                return true;
            }
        }
        deviceAddress = 0;
        return false;
    }

    bool AnyEnabledPending(CpuState cpu)
    {
        lock (sync) return pendingOrder.Any(s => cpu.ChannelEnabled(s.Channel));
    }

    /// <summary>
    /// Whether an interruption could still end an enabled wait: some device on an enabled channel
    /// is working, owes a device end, has status pending, or can raise status on its own.
    /// </summary>
    public bool CanEndWait(CpuState cpu)
    {
        lock (sync)
            return subchannels.Values.Any(s => cpu.ChannelEnabled(s.Channel)
                && (s.Program != null || s.DeviceBusy || s.HasPending || s.Device.RaisesUnsolicitedStatus));
    }

    /// <summary>
    /// CPU thread, in an enabled wait: blocks until an interruption is pending on an enabled
    /// channel (true), the timeout passes or <see cref="Wake"/> is called (false). In
    /// deterministic mode, programs that spent their budget get their next turn first.
    /// </summary>
    public bool WaitForInterrupt(CpuState cpu, TimeSpan timeout)
    {
        if (deterministic)
        {
            List<ChannelProgram> parked;
            lock (sync) parked = subchannels.Values.Select(s => s.Program).OfType<ChannelProgram>().Where(p => p.Parked).ToList();
            foreach (var p in parked) Turn(p);
        }
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            wake.Reset();
            storage.Apply();
            if (AnyEnabledPending(cpu)) return true;
            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !wake.Wait(left)) return false;
            if (cpu.StopRequested) return false;
        }
    }

    /// <summary>Ends a <see cref="WaitForInterrupt"/> early (the operator stops the CPU).</summary>
    public void Wake() => wake.Set();

    // ---------------------------------------------------------------- resets and IPL

    /// <summary>
    /// System reset (GA22-7000 "System Reset"; IPL begins with it): every program is ended,
    /// every device reset, and no interruption stays pending.
    /// </summary>
    public void SystemReset()
    {
        List<Subchannel> all;
        lock (sync) all = subchannels.Values.ToList();
        foreach (var sc in all)
        {
            Quiesce(sc);
            sc.Device.Reset();
        }
        lock (sync)
        {
            foreach (var sc in all) { sc.Completion = null; sc.Pci = null; sc.DevicePending = UnitStatus.None; sc.DeviceBusy = false; }
            pendingOrder.Clear();
            anyPending = false;
        }
        storage.Apply();
    }

    /// <summary>Halts a device's program, if any, and waits (bounded) until it has left the device.</summary>
    void Quiesce(Subchannel sc)
    {
        ChannelProgram? program;
        lock (sync)
        {
            program = sc.Program;
            program?.Halt();
            sc.Program = null;
        }
        if (program == null) return;
        sc.Device.Halt();
        program.WaitEnded(TimeSpan.FromSeconds(5));
    }

    /// <summary>
    /// Runs a channel program that starts with a given CCW (IPL's implied read at location 0,
    /// key 0) to its end and returns its ending status, which is not presented as an
    /// interruption. Null if the device does not exist; a timeout halts the program.
    /// <paramref name="firstAddress"/> is where the first CCW came from (chained CCWs follow it),
    /// 0 for IPL's implied CCW.
    /// </summary>
    public Csw? RunToEnd(ushort number, Ccw first, TimeSpan timeout, uint firstAddress = 0)
    {
        ChannelProgram program;
        Subchannel? sc;
        lock (sync)
        {
            if (!subchannels.TryGetValue(number, out sc)) return null;
            program = NewProgram(sc, 0, firstAddress, first, long.MaxValue);
        }
        if (!program.WaitEnded(timeout))
        {
            Quiesce(sc);
            storage.Apply();
            return new Csw(0, program.CurrentAddress, UnitStatus.None, ChannelStatus.InterfaceControlCheck, 0);
        }
        storage.Apply();
        lock (sync)
        {
            var csw = sc.Completion ?? new Csw(0, program.CurrentAddress, UnitStatus.None, ChannelStatus.ChannelControlCheck, 0);
            sc.Completion = null; sc.Pci = null; sc.DeviceBusy = false;
            if (!sc.HasPending) Unlist(sc);
            return csw;
        }
    }

    /// <summary>Ends every program and disposes every device (media are flushed and closed).</summary>
    public void Dispose()
    {
        List<Subchannel> all;
        lock (sync) { all = subchannels.Values.ToList(); subchannels.Clear(); pendingOrder.Clear(); anyPending = false; }
        foreach (var sc in all)
        {
            Quiesce(sc);
            sc.Worker.Dispose();
            try { sc.Device.Dispose(); }
            catch (Exception e) { Console.Error.WriteLine($"JIT360 device {sc.Number:X4}: closing failed: {e.Message}"); }
        }
    }
}
