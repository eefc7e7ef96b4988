using Jit360.Machine.Channels;

namespace Jit360.Machine.Devices.UnitRecord;

/// <summary>SENSE ID (X'E4') data: X'FF', control unit type and model, device type and model (GA22-7000 "Sense ID").</summary>
static class SenseId
{
    public static void Put(CcwExecution ccw, ushort controlUnit, byte cuModel, ushort device, byte deviceModel)
    {
        ReadOnlySpan<byte> id = [0xFF, (byte)(controlUnit >> 8), (byte)controlUnit, cuModel, (byte)(device >> 8), (byte)device, deviceModel];
        int n = Math.Min(id.Length, ccw.Count);
        id[..n].CopyTo(ccw.Buffer);
        ccw.Complete(id.Length);
    }
}
