using System.Text;
using Jit360.Architecture;
using Jit360.Interpreter;
using Jit360.Machine;

namespace Jit360.Jit;

/// <summary>
/// Runs the interpreter and the JIT side by side on two copies of one machine and stops at the
/// first point where they disagree.
/// <para>
/// The CPU given to <see cref="Run"/> is the real machine: the interpreter runs it and it alone
/// talks to the channels. A private copy of it (the shadow) runs under <see cref="Jit"/>. The
/// engines alternate in rounds: the JIT runs the shadow for up to <see cref="RoundInstructions"/>
/// instructions, then the interpreter runs the real CPU for exactly as many, and the two states
/// are compared in full (registers, PSW, control registers, instruction count, last interruption,
/// timing conditions, every storage byte and key). A difference raises
/// <see cref="LockstepDivergence"/>, which shows both states side by side, the last instructions
/// the interpreter executed, and the differing storage.
/// </para>
/// <para>
/// The interpreter is authoritative for everything the outside world sees: I/O instructions,
/// I/O interruptions, stop requests and whatever the host changes between calls of Run.
/// An I/O instruction stops the shadow before it executes (it has no channels); the interpreter
/// executes it and its whole state is copied to the shadow. I/O interruptions are held back
/// while a round runs and presented between rounds by the interpreter alone, after which the
/// shadow is again made equal to it; so are channel writes made by other threads. Time must be
/// deterministic (one microsecond per instruction) so that timers fall due at the same
/// instruction on both copies.
/// </para>
/// </summary>
public sealed class LockstepEngine : IExecutionEngine
{
    public string Name => "lockstep";

    /// <summary>The translating engine under test; it runs the shadow copy.</summary>
    public JitEngine Jit { get; }

    /// <summary>
    /// Instructions per round (between comparisons); 0 chooses by storage size so that comparing
    /// storage costs little next to running (JIT360_LOCKSTEP_ROUND=n overrides).
    /// </summary>
    public long RoundInstructions { get; init; } = long.TryParse(Environment.GetEnvironmentVariable("JIT360_LOCKSTEP_ROUND"), out long n) ? n : 0;

    /// <summary>How many instructions the interpreter's last few are kept for a divergence report.</summary>
    public const int RecentInstructions = 24;

    public long Rounds { get; private set; }
    /// <summary>Times the shadow was made equal to the real CPU (run start, I/O, interruptions presented by the interpreter alone).</summary>
    public long Resyncs { get; private set; }

    readonly Interpreter.Interpreter interpreter = new();
    readonly RecordingInterpreter recorder = new(RecentInstructions);
    CpuState? real, shadow;

    public LockstepEngine(JitEngine? jit = null) => Jit = jit ?? new JitEngine();

    public ExitReason Run(CpuState cpu, long maxInstructions)
    {
        if (!cpu.Clock.Deterministic)
            throw new InvalidOperationException("the lockstep engine needs deterministic time (jit360 run --deterministic): with real time the two copies' timers disagree");
        if (real != cpu || shadow == null)
        {
            real = cpu;
            shadow = cpu.Clone();
            shadow.Io = ShadowIo.Instance;
        }
        else
        {
            // Whatever the host changed since the last call is authoritative.
            Sync();
        }
        var io = cpu.Io;
        var gate = new GatedIo(io);
        var watch = new ForeignWrites(cpu.Storage.CodeWatch, Environment.CurrentManagedThreadId);
        cpu.Io = gate;
        cpu.Storage.CodeWatch = watch;
        try
        {
            return Loop(cpu, shadow, gate, watch, cpu.Instructions + maxInstructions);
        }
        finally
        {
            cpu.Io = io;
            if (cpu.Storage.CodeWatch == watch) cpu.Storage.CodeWatch = watch.Next;
        }
    }

    ExitReason Loop(CpuState cpu, CpuState copy, GatedIo gate, ForeignWrites foreign, long target)
    {
        long round = RoundInstructions > 0 ? RoundInstructions : Math.Clamp(cpu.Storage.Size / 64, 4096, 1 << 20);
        bool first = true;
        while (true)
        {
            long left = target - cpu.Instructions;
            if (!first && left <= 0) return ExitReason.InstructionLimit;
            first = false;
            if (gate.Inner.InterruptPending || cpu.StopRequested)
            {
                // Only the interpreter presents I/O interruptions and notices stop requests.
                var exit = Alone(cpu, gate, 0);
                if (exit != ExitReason.InstructionLimit) return exit;
            }
            var result = Round(cpu, copy, gate, foreign, Math.Clamp(left, 0, round));
            if (result != ExitReason.InstructionLimit) return result;
        }
    }

    /// <summary>The interpreter alone, with I/O interruptions presented, for n instructions; then the shadow follows it.</summary>
    ExitReason Alone(CpuState cpu, GatedIo gate, long n)
    {
        gate.Open = true;
        cpu.Attention = true;
        ExitReason exit;
        try { exit = interpreter.Run(cpu, n); }
        finally { gate.Open = false; }
        Sync();
        return exit;
    }

    void Sync()
    {
        shadow!.CopyFrom(real!);
        shadow.Attention = true;
        Resyncs++;
    }

    ExitReason Round(CpuState cpu, CpuState copy, GatedIo gate, ForeignWrites foreign, long budget)
    {
        Rounds++;
        long start = cpu.Instructions;
        if (copy.Instructions != start) throw Divergence(cpu, copy, "the copies entered a round at different instruction counts", null);
        ExitReason jitExit;
        uint? ioAt = null;
        try
        {
            jitExit = Jit.Run(copy, budget);
        }
        catch (ShadowIoTrap trap)
        {
            // Stopped inside the I/O instruction: compare the state before it.
            ioAt = trap.InstructionAddress;
            copy.Ia = trap.InstructionAddress;
            jitExit = ExitReason.IoInstruction;
        }
        long k = copy.Instructions - start;
        if (k < 0 || k > budget) throw Divergence(cpu, copy, $"the JIT ran {k} instructions on a budget of {budget}", null);

        // The interpreter runs exactly as many; its last few instructions are recorded.
        var interpExit = ExitReason.InstructionLimit;
        long bulk = Math.Max(0, k - RecentInstructions);
        recorder.Clear();
        if (bulk > 0) interpExit = interpreter.Run(cpu, bulk);
        if (interpExit == ExitReason.InstructionLimit && (cpu.Instructions < start + k || k == 0))
            interpExit = recorder.Run(cpu, start + k - cpu.Instructions);
        // An exit that came with an instruction that did not complete (a program interruption
        // under stop-on-interrupt or interception, an interruption loop): the interpreter tries it too.
        if (ioAt == null && jitExit != ExitReason.InstructionLimit && interpExit == ExitReason.InstructionLimit && cpu.Instructions == copy.Instructions)
            interpExit = recorder.Run(cpu, 1);
        if (interpExit == ExitReason.Stopped)
        {
            // A stop request reaches only the real CPU: the shadow follows it, nothing to compare.
            foreign.CopyPending(cpu, copy);
            Sync();
            return ExitReason.Stopped;
        }

        foreign.CopyPending(cpu, copy);
        var differences = CpuComparison.Compare(cpu, copy);
        if (differences.Count > 0)
        {
            // A channel write may have landed while comparing: take those over and look again.
            foreign.CopyPending(cpu, copy);
            differences = CpuComparison.Compare(cpu, copy);
        }
        bool exitsAgree = ioAt != null ? interpExit == ExitReason.InstructionLimit : interpExit == jitExit;
        if (differences.Count > 0 || !exitsAgree)
            throw Divergence(cpu, copy, $"after {k} instructions from instruction {start}: interpreter exit {interpExit}, JIT exit {(ioAt != null ? $"I/O instruction at {ioAt:X6}" : jitExit)}", differences);

        if (ioAt != null)
        {
            // The interpreter executes the I/O instruction against the real channels.
            return Alone(cpu, gate, 1);
        }
        return interpExit;
    }

    LockstepDivergence Divergence(CpuState cpu, CpuState copy, string what, List<StateDifference>? differences)
    {
        differences ??= CpuComparison.Compare(cpu, copy);
        var sb = new StringBuilder();
        sb.AppendLine($"lockstep divergence ({cpu.Level}): {what}");
        sb.Append(CpuComparison.SideBySide(cpu, "interpreter", copy, "JIT", differences));
        sb.AppendLine("last instructions the interpreter executed (oldest first):");
        foreach (uint ia in recorder.Recent())
            sb.AppendLine($"  {ia:X6}  {InstructionText(cpu, ia)}");
        sb.AppendLine($"JIT: {Jit.Statistics.BlocksTranslated} blocks translated, {Jit.Statistics.Invalidations} invalidations; {Rounds} rounds, {Resyncs} resyncs");
        return new LockstepDivergence(sb.ToString(), differences);
    }

    static string InstructionText(CpuState cpu, uint ia)
    {
        if (ia >= cpu.Storage.Size) return "(outside storage)";
        int len = Math.Min(Formats.LengthOfOpcode(cpu.Storage.Bytes[ia]), (int)(cpu.Storage.Size - ia));
        var bytes = cpu.Storage.Bytes.AsSpan((int)ia, len);
        return $"{Convert.ToHexString(bytes),-12} {Disassembler.Disassemble(bytes, cpu.Level, out _)}";
    }
}

/// <summary>The two copies in lockstep disagree; the message shows both states and where.</summary>
public sealed class LockstepDivergence(string report, IReadOnlyList<StateDifference> differences) : Exception(report)
{
    public IReadOnlyList<StateDifference> Differences { get; } = differences;
}
