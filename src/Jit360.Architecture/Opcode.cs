namespace Jit360.Architecture;

/// <summary>
/// One row of the opcode table. <see cref="Code"/> is the first opcode byte, or for the
/// two-byte opcodes of System/370 (B2xx, 9C00-9F00) the first two bytes.
/// </summary>
public sealed record Opcode(
    ushort Code,
    string Mnemonic,
    Format Format,
    ArchLevel Levels,
    Feature Feature,
    OpFlags Flags,
    string Name)
{
    public bool IsTwoByte => Code > 0xFF;
    public byte FirstByte => (byte)(IsTwoByte ? Code >> 8 : Code);
    public int Length => Format.Length();
    public bool Has(OpFlags f) => (Flags & f) != 0;
    public bool IsPrivileged => Has(OpFlags.Privileged);
    public bool AvailableIn(ArchLevel level) => (Levels & level) != 0;
    public override string ToString() => $"{Mnemonic} ({(IsTwoByte ? Code.ToString("X4") : Code.ToString("X2"))})";
}
