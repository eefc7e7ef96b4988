namespace Jit360.Machine.Channels;

/// <summary>SENSE ID (X'E4') data: X'FF', control unit type and model, device type and model (GA22-7000 "Sense ID").</summary>
public static class SenseId
{
    public static byte[] Bytes(ushort controlUnit, byte cuModel, ushort device, byte deviceModel) =>
        [0xFF, (byte)(controlUnit >> 8), (byte)controlUnit, cuModel, (byte)(device >> 8), (byte)device, deviceModel];

    /// <summary>Ends a SENSE ID command with the identification (cut to the CCW's count; incorrect length as usual).</summary>
    public static void Put(CcwExecution ccw, ushort controlUnit, byte cuModel, ushort device, byte deviceModel)
    {
        var id = Bytes(controlUnit, cuModel, device, deviceModel);
        id.AsSpan(0, Math.Min(id.Length, ccw.Count)).CopyTo(ccw.Buffer);
        ccw.Complete(id.Length);
    }
}
