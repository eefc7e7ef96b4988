using Jit360.Machine.Channels;

namespace Jit360.Machine.Devices.Tape;

/// <summary>
/// The sense bytes of the 2400, 3410 and 3420 tape families (GA32-0021 "Sense Bytes"; the
/// same bit positions Hercules uses for its 3410/3420). Byte 0 is the common set
/// (<see cref="Sense0"/>); byte 1 reports the drive: status A (ready), status B (not ready),
/// load point, file protected. Byte 4 bit 2 is tape indicate (past the end-of-tape marker),
/// which an AWS file never reaches.
/// </summary>
public static class TapeSense
{
    // Sense byte 1 (GA32-0021)
    public const byte Noise = 0x80;
    public const byte StatusA = 0x40;
    public const byte StatusB = 0x20;
    public const byte LoadPoint = 0x08;
    public const byte WriteStatus = 0x04;
    public const byte FileProtected = 0x02;
    public const byte NotCapable = 0x01;
    // Sense byte 3: read/write error detail
    public const byte VerticalRedundancy = 0x80;
    public const byte MultipleTrack = 0x40;
    public const byte LongitudinalRedundancy = 0x20;
    // Sense byte 4
    public const byte TapeIndicate = 0x20;

    /// <summary>Sense bytes a model presents: the 2400s 6, the 3410 9, the 3420 24.</summary>
    public static int Length(string model) => model switch
    {
        "3410" or "3411" => 9,
        "3420" => 24,
        _ => 6,
    };

    /// <summary>
    /// Fills the drive-state bits and the model's fixed bytes over what the error put in
    /// (bytes 0, 3, 7): the state of the drive is reported with every sense.
    /// </summary>
    public static void Complete(byte[] sense, string model, bool loaded, bool atLoadPoint, bool fileProtected)
    {
        if (!loaded)
        {
            sense[0] |= Sense0.InterventionRequired;
            sense[1] = (byte)((sense[1] | StatusB | FileProtected) & ~StatusA);
        }
        else
        {
            sense[0] &= unchecked((byte)~Sense0.InterventionRequired);
            sense[1] = (byte)((sense[1] | StatusA | (atLoadPoint ? LoadPoint : 0) | (fileProtected ? FileProtected : 0)) & ~StatusB);
        }
        switch (model)
        {
            case "3410" or "3411":
                sense[5] = (byte)((sense[5] & 0x80) | 0x40);
                sense[6] = 0x22;            // dual density 3410/3411 model 2
                break;
            case "3420":
                sense[5] |= 0xC0;
                sense[6] |= 0x03;
                sense[13] = 0x80;
                sense[14] = 0x01;
                sense[16] = 0x01;
                sense[19] = 0xFF;
                sense[20] = 0xFF;
                break;
        }
    }
}
