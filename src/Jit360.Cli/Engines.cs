using Jit360.Machine;

namespace Jit360.Cli;

/// <summary>The execution engines a user can choose with --engine.</summary>
public static class Engines
{
    /// <summary>interp: the interpreter; jit: translated blocks; lockstep: both side by side, compared (needs deterministic time).</summary>
    public static readonly string[] Names = ["interp", "jit", "lockstep"];

    public static IExecutionEngine Create(string name) => name switch
    {
        "interp" => new Interpreter.Interpreter(),
        "jit" => new Jit.JitEngine(),
        "lockstep" => new Jit.LockstepEngine(),
        _ => throw new ArgumentException($"unknown engine '{name}' (choose {string.Join(", ", Names)})"),
    };

    /// <summary>
    /// A bare machine under lockstep runs in deterministic time (one microsecond per instruction) so
    /// that a reported divergence replays exactly; the engine can also pace host time (it does under CP).
    /// </summary>
    public static bool NeedsDeterministicTime(string name) => name == "lockstep";

    /// <summary>The translator's statistics of an engine that translates, if it does.</summary>
    public static Jit.JitStatistics? StatisticsOf(IExecutionEngine engine) => engine switch
    {
        Jit.JitEngine jit => jit.Statistics,
        Jit.LockstepEngine lockstep => lockstep.Jit?.Statistics,
        _ => null,
    };
}
