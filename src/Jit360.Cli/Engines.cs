using Jit360.Machine;

namespace Jit360.Cli;

/// <summary>The execution engines a user can choose with --engine.</summary>
public static class Engines
{
    public static readonly string[] Names = ["interp", "jit"];

    public static IExecutionEngine Create(string name) => name switch
    {
        "interp" => new Interpreter.Interpreter(),
        "jit" => new Jit.JitEngine(),
        _ => throw new ArgumentException($"unknown engine '{name}' (choose {string.Join(", ", Names)})"),
    };
}
