using System.CommandLine;
using Jit360.Cli.Demo;

namespace Jit360.Cli;

/// <summary>
/// <c>jit360 demo</c>: the Control Program with a built-in directory of several users, each running
/// a built-in guest program (assembled at start, IPLed from its virtual reader) in a virtual machine
/// of its own at the same time; reports what each computed (checked) and how fast.
/// <c>jit360 demo --bare</c>: the older demo, the sieve of demo.asm on a bare System/360.
/// </summary>
public sealed class DemoVerb : IVerb
{
    public Command Build()
    {
        var engine = new Option<string>("--engine") { Description = $"execution engine ({string.Join(", ", Engines.Names)})", DefaultValueFactory = _ => "interp" };
        engine.AcceptOnlyFromAmong(Engines.Names);
        var users = new Option<int>("--users") { Description = $"how many virtual machines (1-{CpDemo.MaxUsers}); the programs are given out in turn", DefaultValueFactory = _ => CpDemo.DefaultUsers };
        users.Validators.Add(r => { int n = r.GetValueOrDefault<int>(); if (n < 1 || n > CpDemo.MaxUsers) r.AddError($"--users must be 1 to {CpDemo.MaxUsers}"); });
        var repeat = new Option<int?>("--repeat") { Description = $"how many times each guest repeats its computation (default {CpDemo.DefaultRepeat}; with --bare 20000)" };
        repeat.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--repeat must be at least 1"); });
        var verbose = new Option<bool>("--verbose", "-v") { Description = "also show each user's terminal: the CP dialogue and the guest's console" };
        var bare = new Option<bool>("--bare") { Description = "the older demo: the sieve of demo.asm on a bare System/360, no CP" };
        var cmd = new Command("demo", "Run the Control Program with several virtual machines running built-in guest programs, and report what each computed and how fast")
            { engine, users, repeat, verbose, bare };
        cmd.SetAction(p => p.GetValue(bare)
            ? RunBare(p.GetValue(engine)!, p.GetValue(repeat) ?? 20_000)
            : Run(new DemoSettings { Engine = p.GetValue(engine)!, Users = p.GetValue(users), Repeat = p.GetValue(repeat) ?? CpDemo.DefaultRepeat }, p.GetValue(verbose), Console.Out));
        return cmd;
    }

    /// <summary>The CP demo; exit code 0 only if every virtual machine wrote its expected results.</summary>
    public static int Run(DemoSettings settings, bool verbose, TextWriter output)
    {
        int users = settings.Users;
        output.WriteLine($"JIT360 demo: CP with {users} virtual machines on the {settings.Engine} engine, {Environment.ProcessorCount} host processors");
        for (int n = 0; n < Math.Min(users, settings.Programs.Count); n++)
        {
            var program = CpDemo.ProgramOf(n, settings.Programs);
            output.WriteLine($"JIT360   {CpDemo.UserId(n, settings.Programs),-8} {program.Source}.asm: {program.Description}");
        }
        DemoOutcome outcome;
        try { outcome = CpDemo.Run(settings, line => output.WriteLine("JIT360 " + line)); }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            // A logon CP did not answer, a guest that does not assemble, a reader the deck cannot go into.
            output.WriteLine("JIT360 demo failed: " + e.Message);
            return 2;
        }
        if (verbose)
            foreach (var u in outcome.Users)
            {
                output.WriteLine($"---- {u.UserId}'s terminal ----");
                foreach (var line in u.Transcript) output.WriteLine(line);
            }
        output.Write(DemoSummary.Format(outcome));
        output.WriteLine(outcome.AllOk
            ? $"JIT360 demo: all {users} virtual machines computed what they should"
            : $"JIT360 demo: {outcome.Users.Count(u => !u.Ok)} of {users} virtual machines did not (--verbose shows their terminals)");
        return outcome.AllOk ? 0 : 2;
    }

    /// <summary>The older demo: demo.asm's sieve on a bare machine, reporting the result and speed.</summary>
    public static int RunBare(string engineName, int repetitions)
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
