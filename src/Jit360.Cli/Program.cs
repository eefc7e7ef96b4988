using System.CommandLine;
using System.Reflection;

namespace Jit360.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("Jit360: a System/360 and System/370 virtualizer with a JIT");
        foreach (var verb in Assembly.GetExecutingAssembly().GetTypes()
                     .Where(t => typeof(IVerb).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
                     .Select(t => (IVerb)Activator.CreateInstance(t)!)
                     .Select(v => v.Build())
                     .OrderBy(c => c.Name))
            root.Subcommands.Add(verb);
        return root.Parse(args).Invoke();
    }
}
