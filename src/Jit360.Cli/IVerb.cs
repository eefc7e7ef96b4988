using System.CommandLine;

namespace Jit360.Cli;

/// <summary>A verb of the jit360 command. Every implementation in this assembly is found and added.</summary>
public interface IVerb
{
    Command Build();
}
