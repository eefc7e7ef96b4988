namespace Jit360.Machine.Channels;

/// <summary>
/// One channel program at work for one device, from its first CCW to the status that ends it
/// (GA22-7000 "Chaining", "Channel Command Word", "Incorrect Length", "Program Check"). Runs on
/// the device's worker thread; calls the device once per CCW and moves the data between the
/// device's buffer and storage. The subsystem talks to a running program through
/// <see cref="Halt"/>, <see cref="Grant"/> and <see cref="DeliverDeviceEnd"/>.
/// </summary>
sealed class ChannelProgram(Subchannel subchannel, ChannelStorage storage, bool s370, int key, uint firstAddress, Ccw first, long credits, Action<Csw> pci)
{
    readonly object gate = new();
    long credits = credits;
    volatile bool halted;
    UnitStatus? deviceEnd;
    bool awaitingDeviceEnd;

    public int Key => key;
    /// <summary>Address of the CCW being executed + 8 (what an HIO or CLEAR I/O CSW shows).</summary>
    public uint CurrentAddress { get; private set; } = firstAddress + 8;
    public int CurrentCount { get; private set; } = first.Count;
    public bool Halted => halted;
    public bool Ended { get; private set; }
    /// <summary>Deterministic mode: the program used its CCW budget and waits for more.</summary>
    public bool Parked { get; private set; }
    /// <summary>The device said it is waiting for something outside the machine (an operator's input).</summary>
    public bool AwaitingInput { get; private set; }

    // ---------------------------------------------------------------- the chain

    /// <summary>Executes the chain; returns the CSW describing how it ended.</summary>
    public Csw Run()
    {
        try { return Chain(); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A failing device must not take the machine down: the channel reports a channel-control check.
            Console.Error.WriteLine($"JIT360 device {subchannel.Number:X4}: {e.GetType().Name}: {e.Message}");
            return new Csw(key, CurrentAddress, UnitStatus.ChannelEnd | UnitStatus.DeviceEnd, ChannelStatus.ChannelControlCheck, 0);
        }
    }

    Csw Chain()
    {
        var x = subchannel.Execution;
        uint next = firstAddress;
        Ccw? pending = first;
        UnitStatus lastUnit = UnitStatus.None;
        int lastResidual = 0;
        bool dataChain = false, commandChained = false, previousWasTic = false;
        byte command = 0, previousCommand = 0;
        int sequence = 0;

        // A program halted before its first CCW reached the device still ends with channel end and device end.
        Csw Ending(ChannelStatus channel, uint address)
            => new(key, address, lastUnit == UnitStatus.None && halted ? UnitStatus.ChannelEnd | UnitStatus.DeviceEnd : lastUnit, channel, lastResidual);

        while (true)
        {
            if (halted) return Ending(ChannelStatus.None, CurrentAddress);
            uint at = next;
            Ccw ccw;
            if (pending is { } given) { ccw = given; pending = null; }
            else
            {
                var fetchError = storage.FetchCcw(at, key, out ulong w);
                if (fetchError != ChannelStatus.None) return Ending(fetchError, at + 8);
                ccw = Ccw.Decode(w);
            }
            next = at + 8;
            if (ccw.IsTic)
            {
                // GA22-7000 "Transfer in Channel": a TIC may not follow a TIC, and its address must
                // designate a doubleword within storage; the CSW then points past the TIC.
                if (previousWasTic || (ccw.DataAddress & 7) != 0 || ccw.DataAddress >= storage.Storage.Size)
                    return Ending(ChannelStatus.ProgramCheck, at + 8);
                next = ccw.DataAddress;
                previousWasTic = true;
                continue;
            }
            previousWasTic = false;
            // On data chaining the new CCW's command bits are not used, so only a zero count or flag bits 37-39 make it invalid.
            if ((!dataChain && ccw.InvalidCommand) || ccw.Count == 0 || ccw.InvalidFlags(s370))
                return Ending(ChannelStatus.ProgramCheck, at + 8);
            if (!dataChain) command = ccw.Command;
            CurrentAddress = at + 8;
            CurrentCount = ccw.Count;
            // GA22-7000 "Program-Controlled Interruption": the condition arises when the CCW takes control.
            if (ccw.Pci) pci(new Csw(key, at + 8, UnitStatus.None, ChannelStatus.ProgramControlledInterruption, ccw.Count));
            if (!Consume()) return Ending(ChannelStatus.None, CurrentAddress);

            x.Command = command;
            x.Flags = ccw.Flags;
            x.DataChained = dataChain;
            x.CommandChained = commandChained && !dataChain;
            x.PreviousCommand = previousCommand;
            x.Sequence = sequence++;
            x.Count = ccw.Count;
            bool input = (command & 0x03) is 0x02 or 0x00;   // read, read backward (xC), sense (x4)
            bool backward = (command & 0x0F) == 0x0C;
            // Output and control data are fetched ahead; a byte that cannot be fetched matters only
            // if the device takes it (a control command without data never touches its address).
            int fetched = ccw.Count;
            ChannelStatus fetchCheck = ChannelStatus.None;
            bool write = (command & 0x03) == 0x01;
            if (!input)
            {
                fetched = ccw.IndirectData
                    ? storage.FetchIndirect(ccw.DataAddress, x.Buffer.AsSpan(0, ccw.Count), key, out fetchCheck)
                    : storage.Fetch(ccw.DataAddress, x.Buffer.AsSpan(0, ccw.Count), key, out fetchCheck);
                x.Buffer.AsSpan(fetched, ccw.Count - fetched).Clear();
                // A write gets only the bytes the channel could fetch: the transfer stops at the check.
                if (write && fetched < ccw.Count)
                {
                    lastUnit = UnitStatus.ChannelEnd | UnitStatus.DeviceEnd;
                    lastResidual = ccw.Count;
                    if (fetched == 0) return Ending(fetchCheck, at + 8);
                    x.Count = fetched;
                }
            }
            int offered = x.Count;
            x.Status = UnitStatus.None;
            x.Residual = offered;
            x.More = false;
            try { subchannel.Device.Execute(x); }
            finally { lock (gate) AwaitingInput = false; }

            int residual = Math.Clamp(x.Residual, 0, offered) + (ccw.Count - offered);
            int transferred = ccw.Count - residual;
            ChannelStatus check = ChannelStatus.None;
            if (input)
            {
                if (!ccw.Skip && transferred > 0)
                {
                    int stored = ccw.IndirectData
                        ? storage.StoreIndirect(ccw.DataAddress, x.Buffer.AsSpan(0, transferred), key, backward, out check)
                        : storage.Store(ccw.DataAddress, x.Buffer.AsSpan(0, transferred), key, backward, out check);
                    if (stored < transferred) residual = ccw.Count - stored;
                }
            }
            else if (fetched < ccw.Count && (write || transferred > fetched))
            {
                // The device took (or, for a write, would have taken) a byte the channel could not fetch.
                check = fetchCheck;
                residual = Math.Max(residual, ccw.Count - fetched);
            }
            // The device returned: its data transfer is over, whether or not it said channel end.
            var unit = x.Status | UnitStatus.ChannelEnd;
            // Unit check (or busy) with neither channel end nor device end is the device refusing
            // the command in its initial status: nothing was started, so no device end is to
            // come; the device is free at once (else it would stay busy for good, and a program
            // retrying a command on a not-ready tape after REWIND UNLOAD loops on busy).
            if ((x.Status & (UnitStatus.ChannelEnd | UnitStatus.DeviceEnd)) == 0 && (x.Status & (UnitStatus.UnitCheck | UnitStatus.Busy)) != 0)
                unit |= UnitStatus.DeviceEnd;
            lastUnit = unit;
            lastResidual = residual;
            previousCommand = command;
            if (check != ChannelStatus.None) return Ending(check, at + 8);

            bool more = x.More && residual == 0;
            bool ended = (unit & (UnitStatus.UnitCheck | UnitStatus.UnitException | UnitStatus.Busy)) != 0;
            if (!ended && !halted && ccw.ChainData && more)
            {
                dataChain = true;
                continue;
            }
            dataChain = false;
            // Incorrect length (GA22-7000 "Incorrect Length"): the device's block and the count
            // differ; SLI suppresses it, and a CCW that chains data does not signal it. Not
            // indicated for an immediate control operation (nothing transferred) nor with unit
            // check or unit exception (a rejected command, a tape mark: the CSW reads X'0D00').
            bool immediate = (command & 0x03) == 0x03 && transferred == 0 && !more;
            bool unusual = (unit & (UnitStatus.UnitCheck | UnitStatus.UnitException)) != 0;
            if (!ccw.ChainData && !ccw.SuppressLength && !immediate && !unusual && (residual > 0 || more))
                return Ending(ChannelStatus.IncorrectLength, at + 8);
            if (ended || halted || ccw.ChainData || !ccw.ChainCommand) return Ending(ChannelStatus.None, at + 8);

            // Command chaining waits for device end (a device may signal channel end first).
            if ((unit & UnitStatus.DeviceEnd) == 0)
            {
                var later = WaitForDeviceEnd();
                if (later == null) return Ending(ChannelStatus.None, at + 8);
                unit |= later.Value;
                lastUnit = unit;
                if ((unit & (UnitStatus.UnitCheck | UnitStatus.UnitException | UnitStatus.Busy)) != 0) return Ending(ChannelStatus.None, at + 8);
            }
            // GA22-7000 "Status Modifier": with command chaining, the channel skips one CCW.
            if ((unit & UnitStatus.StatusModifier) != 0) next += 8;
            commandChained = true;
        }
    }

    // ---------------------------------------------------------------- coordination

    /// <summary>Worker: takes one CCW of budget, parking (deterministic mode) until granted more. False if halted.</summary>
    bool Consume()
    {
        lock (gate)
        {
            while (credits == 0 && !halted)
            {
                Parked = true;
                Monitor.PulseAll(gate);
                Monitor.Wait(gate);
            }
            Parked = false;
            if (halted) return false;
            if (credits != long.MaxValue) credits--;
            return true;
        }
    }

    UnitStatus? WaitForDeviceEnd()
    {
        lock (gate)
        {
            awaitingDeviceEnd = true;
            // The CPU need not wait for this: device end comes from the device's own thread.
            Monitor.PulseAll(gate);
            while (deviceEnd == null && !halted) Monitor.Wait(gate);
            awaitingDeviceEnd = false;
            var s = deviceEnd;
            deviceEnd = null;
            return halted ? null : s;
        }
    }

    /// <summary>A device end raised while the program waits for it to chain; false if the program is not waiting.</summary>
    public bool DeliverDeviceEnd(UnitStatus status)
    {
        lock (gate)
        {
            if (!awaitingDeviceEnd) return false;
            deviceEnd = status;
            Monitor.PulseAll(gate);
            return true;
        }
    }

    /// <summary>HALT I/O, HALT DEVICE, CLEAR I/O, system reset: the chain ends at the next step (the caller signals the device).</summary>
    public void Halt()
    {
        lock (gate) { halted = true; Monitor.PulseAll(gate); }
    }

    public void SetAwaitingInput()
    {
        lock (gate) { AwaitingInput = true; Monitor.PulseAll(gate); }
    }

    public void MarkEnded()
    {
        lock (gate) { Ended = true; Monitor.PulseAll(gate); }
    }

    /// <summary>
    /// Deterministic mode, CPU thread: grants <paramref name="budget"/> more CCWs and waits until
    /// the program ends, parks again, or waits for outside input. Gives up (the program runs on
    /// unsynchronised) when <paramref name="giveUp"/> says so, e.g. the operator stops the CPU.
    /// </summary>
    public void Grant(long budget, Func<bool> giveUp)
    {
        lock (gate)
        {
            if (credits != long.MaxValue) credits += budget;
            Parked = false;
            Monitor.PulseAll(gate);
            while (!Ended && !Parked && !AwaitingInput && !awaitingDeviceEnd)
            {
                Monitor.Wait(gate, 50);
                if (giveUp()) { credits = long.MaxValue; Monitor.PulseAll(gate); return; }
            }
        }
    }

    /// <summary>Waits until the program has ended (after a halt), at most <paramref name="timeout"/>.</summary>
    public bool WaitEnded(TimeSpan timeout)
    {
        bool forever = timeout == Timeout.InfiniteTimeSpan;
        var until = forever ? DateTime.MaxValue : DateTime.UtcNow + timeout;
        lock (gate)
        {
            while (!Ended)
            {
                if (forever) { Monitor.Wait(gate); continue; }
                var left = until - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) return false;
                Monitor.Wait(gate, left);
            }
            return true;
        }
    }
}
