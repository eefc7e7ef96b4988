using System.Reflection;

namespace Jit360.Cli.Programs;

/// <summary>
/// Assembler programs that ship inside jit360 (embedded resources of this assembly).
/// <see cref="Demo"/> is the README's default program: assemble it with
/// <c>Assembler.Assemble(BuiltinPrograms.Demo, "demo.asm", new AssemblerOptions())</c>, load the
/// core image at its origin (0) and start the CPU with the PSW at location 0.
/// </summary>
public static class BuiltinPrograms
{
    public const string DemoResource = "Jit360.Cli.Programs.demo.asm";

    public static string Demo => Read(DemoResource);

    public static string Read(string resource)
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"resource {resource} missing from the jit360 assembly");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
