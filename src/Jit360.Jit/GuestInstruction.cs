using Jit360.Architecture;

namespace Jit360.Jit;

/// <summary>One decoded instruction of a block: where it is, its bytes, its table row.</summary>
public readonly record struct GuestInstruction(uint Address, ulong Bytes, Opcode Opcode)
{
    public int Length => Opcode.Length;
    public uint Next(uint addressMask) => (Address + (uint)Length) & addressMask;
}
