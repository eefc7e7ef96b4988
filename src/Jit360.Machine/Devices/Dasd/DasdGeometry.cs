namespace Jit360.Machine.Devices.Dasd;

/// <summary>
/// One CKD device type: its size as Hercules 3.13 <c>dasdinit</c> builds it (primary cylinders, no
/// alternates), the track-slot size of a CKD_P370 image, the device-type byte of the image header,
/// the architected track capacity, how many sense bytes it presents and whether it has rotational
/// position sensing (SET SECTOR / READ SECTOR). Slot sizes and cylinder counts were checked against
/// the files dasdinit 3.13 writes (header heads/track-size/devtype, file length).
/// </summary>
public sealed record DasdGeometry(
    string Name, ushort DeviceType, byte Model, byte ImageType, int Cylinders, int Heads, int TrackSlot,
    int TrackCapacity, int SenseLength, bool RotationalPositionSensing, ushort ControlUnit, byte ControlUnitModel)
{
    public static readonly IReadOnlyList<DasdGeometry> All =
    [
        //                name       type    mdl  img   cyls heads slot   capacity sense  RPS    cu     cu model
        new DasdGeometry("2311",    0x2311, 0x01, 0x11, 200, 10,  4096,  3625,   6,  false, 0x2841, 0x01),
        new DasdGeometry("2314",    0x2314, 0x01, 0x14, 200, 20,  7680,  7294,   6,  false, 0x2314, 0x01),
        new DasdGeometry("2305",    0x2305, 0x02, 0x05,  48,  8, 14336, 14136,  24,  true,  0x2835, 0x02),
        new DasdGeometry("3330",    0x3330, 0x01, 0x30, 404, 19, 13312, 13030,  24,  true,  0x3830, 0x02),
        new DasdGeometry("3330-11", 0x3330, 0x11, 0x30, 808, 19, 13312, 13030,  24,  true,  0x3830, 0x02),
        new DasdGeometry("3340",    0x3340, 0x01, 0x40, 348, 12,  8704,  8368,  24,  true,  0x3830, 0x02),
        new DasdGeometry("3350",    0x3350, 0x00, 0x50, 555, 30, 19456, 19069,  24,  true,  0x3830, 0x02),
    ];

    /// <summary>By configured type name ("3350", "3330-11", "3330-2"), case-insensitive.</summary>
    public static DasdGeometry? Find(string name)
    {
        var n = name.Trim().ToUpperInvariant();
        if (n == "3330-2") n = "3330-11";
        if (n.EndsWith("-1", StringComparison.Ordinal)) n = n[..^2];
        return All.FirstOrDefault(g => g.Name == n);
    }

    /// <summary>By the device-type byte of a CKD_P370/CKD_C370 header (the base model of that type).</summary>
    public static DasdGeometry? FromImageType(byte imageType) => All.FirstOrDefault(g => g.ImageType == imageType);

    public int Tracks => Cylinders * Heads;
}
