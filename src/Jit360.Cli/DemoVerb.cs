using System.CommandLine;

namespace Jit360.Cli;

/// <summary><c>jit360 demo</c>: runs the built-in demo program on a bare machine and reports what it computed and how fast.</summary>
public sealed class DemoVerb : IVerb
{
    public Command Build()
    {
        var engine = new Option<string>("--engine") { Description = $"execution engine ({string.Join(", ", Engines.Names)})", DefaultValueFactory = _ => "interp" };
        engine.AcceptOnlyFromAmong(Engines.Names);
        var repeat = new Option<int>("--repeat") { Description = "how many times the demo repeats its computation", DefaultValueFactory = _ => 20_000 };
        repeat.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--repeat must be at least 1"); });
        var cmd = new Command("demo", "Run the built-in System/360 demo program and report its result and speed") { engine, repeat };
        cmd.SetAction(p => Run(p.GetValue(engine)!, p.GetValue(repeat)));
        return cmd;
    }

    public static int Run(string engineName, int repetitions)
    {
        var program = BuiltInPrograms.Demo(repetitions);
        var machine = new BareMachine(program.Level, program.StorageSize, Engines.Create(engineName), Engines.NeedsDeterministicTime(engineName));
        machine.LoadCore(program.Image, 0);
        machine.Cpu.Ia = program.Entry;
        Console.WriteLine($"JIT360 demo: {program.Description}");
        try { machine.Run(); }
        catch (InvalidOperationException) when (machine.Failure != null)
        {
            // The engine failed (a lockstep divergence says where): the report ends with why.
            Console.WriteLine(machine.Report());
            return 3;
        }
        bool ok = machine.State == MachineState.DisabledWait && machine.PswText == program.SuccessPsw;
        Console.WriteLine(ok ? $"JIT360 demo computed {program.Result(machine.Cpu.Storage.Bytes)}"
                             : $"JIT360 demo did not finish as expected");
        Console.WriteLine(machine.Report());
        return ok ? 0 : 2;
    }
}
