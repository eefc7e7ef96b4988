using Jit360.Machine;

namespace Jit360.Tests.Support;

/// <summary>
/// Every engine a behaviour test must pass on. Tests take an engine name as a parameter
/// ([TestCaseSource(typeof(TestEngines), nameof(TestEngines.Names))]) so that each new engine
/// is tested by every existing test the day it is added here.
/// </summary>
public static class TestEngines
{
    public static IEnumerable<string> Names => ["interp", "jit", "lockstep"];

    public static IExecutionEngine Create(string name) => name switch
    {
        "interp" => new Jit360.Interpreter.Interpreter(),
        // Translate every block at first sight, so that tests exercise translated code.
        "jit" => new Jit360.Jit.JitEngine { HotThreshold = 0 },
        // The interpreter and that JIT side by side, compared after every 64 instructions.
        "lockstep" => new Jit360.Jit.LockstepEngine(new Jit360.Jit.JitEngine { HotThreshold = 0 }) { RoundInstructions = 64, ShareShadows = true },
        _ => throw new ArgumentException(name),
    };
}
