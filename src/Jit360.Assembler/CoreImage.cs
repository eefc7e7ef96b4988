namespace Jit360.Assembler;

/// <summary>
/// The assembled program as storage contents: <see cref="Bytes"/> belong at <see cref="Origin"/>
/// (the address of the first control section) up to the last byte any statement generated.
/// Areas reserved by DS but never initialised are zeros, as in freshly cleared storage.
/// This is what <c>loadcore</c> loads.
/// </summary>
public sealed record CoreImage(uint Origin, byte[] Bytes)
{
    public uint End => Origin + (uint)Bytes.Length;
}
