using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Machine.Channels;
using Jit360.Tests.Support;

namespace Jit360.Tests.Channels;

/// <summary>Deterministic mode: the same program and input give the same instruction counts and interruption points.</summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class DeterminismTests(string engine)
{
    /// <summary>
    /// Five times: SIO to a slow device, enable I/O, count in register 5 until the interruption;
    /// the handler records the count and the instruction number, then loops. Ends in a disabled wait.
    /// </summary>
    static (uint Count, long Instructions, List<long> Points) RunOnce(string engine, bool deterministic)
    {
        var cpu = new CpuState(ArchLevel.S370, 0x10000, deterministic) { StopOnInterrupt = true };
        using var ch = new ChannelSubsystem(cpu);
        var points = new List<long>();
        var dev = new FakeDevice(0x00E) { Script = x => { Thread.Sleep(2); x.Complete(x.Count); return true; } };
        ch.Attach(dev);
        var st = cpu.Storage;
        st.Load(0x1000, Convert.FromHexString(
            "9C00000E" +   // 1000 SIO   X'00E'
            "80000F10" +   // 1004 SSM   X'F10'      enable channel 0
            "41505001" +   // 1008 LA    5,1(5)
            "47F0C008"));  // 100C B     8(12)
        st.Load(0x1100, Convert.FromHexString(
            "80000F11" +   // 1100 SSM   X'F11'      disable
            "4660C000" +   // 1104 BCT   6,0(12)
            "82000F08"));  // 1108 LPSW  X'F08'      disabled wait
        st.WriteDoublewordAbsolute(0xF08, 0x0002_0000_0000_0000UL);
        st.Load(0xF10, [0x80, 0x00]);
        st.WriteDoublewordAbsolute(Low.IoNewPsw, 0x1100);
        st.WriteWordAbsolute(Low.Caw, 0x400);
        st.WriteDoublewordAbsolute(0x400, 0x01000600_00000010UL);
        cpu.Gpr[6] = 5;
        cpu.Gpr[12] = 0x1000;
        cpu.LoadPsw(0x1000);
        var e = TestEngines.Create(engine);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var exit = e.Run(cpu, 1000);
            if (exit == ExitReason.Interrupt) points.Add(cpu.Instructions);
            if (exit == ExitReason.DisabledWait) break;
            if (exit == ExitReason.EnabledWait) ch.WaitForInterrupt(cpu, TimeSpan.FromSeconds(1));
        }
        Assert.That(cpu.Wait, Is.True, "the program finished");
        return (cpu.Gpr[5], cpu.Instructions, points);
    }

    [Test]
    public void Two_deterministic_runs_give_identical_instruction_counts()
    {
        var a = RunOnce(engine, deterministic: true);
        var b = RunOnce(engine, deterministic: true);
        Assert.That(b, Is.EqualTo(a).Using<(uint, long, List<long>)>((x, y) => x.Item1 == y.Item1 && x.Item2 == y.Item2 && x.Item3.SequenceEqual(y.Item3)));
        Assert.That(a.Points, Has.Count.EqualTo(5), "one I/O interruption per round");
    }

    [Test]
    public void Real_time_mode_lets_the_cpu_run_while_the_device_works()
    {
        var a = RunOnce(engine, deterministic: false);
        Assert.That(a.Count, Is.GreaterThan(5u), "the CPU counted while each 2 ms operation was under way");
    }
}

/// <summary>Random bytes as channel programs: always an architected ending, never a host exception or a hang.</summary>
public class RandomProgramTests
{
    [Test]
    public void Random_ccws_never_throw_or_hang()
    {
        var cpu = new CpuState(ArchLevel.S370, 1 << 20, deterministicTime: true);
        using var ch = new ChannelSubsystem(cpu);
        var rng = new Random(360);
        var dev = new FakeDevice(0x00E);
        dev.Script = x =>
        {
            // Any status, any residual, any "more": the channel must cope.
            int r = rng.Next(8);
            x.Status = (UnitStatus)(rng.Next(256) & ~(int)UnitStatus.Busy) | UnitStatus.ChannelEnd;
            if (r == 0) x.Status &= ~UnitStatus.DeviceEnd;
            x.Residual = rng.Next(-5, x.Count + 5);
            x.More = rng.Next(2) == 0;
            rng.NextBytes(x.Buffer.AsSpan(0, Math.Min(x.Count, 256)));
            return true;
        };
        ch.Attach(dev);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 400; i++)
        {
            var chain = new byte[512];
            rng.NextBytes(chain);
            // Half the CCWs get small counts and data addresses inside storage, so chains go on.
            for (int k = 0; k < chain.Length; k += 8)
                if (rng.Next(2) == 0) { chain[k + 1] = 0; chain[k + 2] = (byte)rng.Next(16); chain[k + 6] = 0; chain[k + 7] = (byte)rng.Next(1, 64); chain[k + 4] &= 0xF8; }
            cpu.Storage.Load(0x4000, chain);
            cpu.Storage.WriteWordAbsolute(Low.Caw, (uint)(rng.Next(4) == 0 ? rng.Next() : 0x4000 + 8 * rng.Next(64)));
            int cc = ch.StartIo(cpu, 0x00E, rng.Next(2) == 0);
            Assert.That(cc, Is.InRange(0, 2));
            if (ch.TestIo(cpu, 0x00E) == 2) Assert.That(ch.HaltIo(cpu, 0x00E), Is.InRange(0, 2));
            // Drain whatever is pending or owed (a device end that never comes is cleared by reset).
            int guard = 0;
            while (ch.TestIo(cpu, 0x00E) != 0 && guard++ < 4) { }
            if (guard >= 4) ch.SystemReset();
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), "bounded");
        }
    }
}
