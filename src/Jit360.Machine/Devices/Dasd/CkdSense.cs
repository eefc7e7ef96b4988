namespace Jit360.Machine.Devices.Dasd;

/// <summary>
/// Sense bytes of a CKD device: 6 bytes on the 2311/2314 (GA26-3599 2314 component description),
/// 24 on the 2305/3330/3340/3350 (GA26-1592 3330-3350 reference: format 0 message). Byte 0 is the
/// common unit-check cause, byte 1 the CKD-specific condition.
/// </summary>
public static class CkdSense
{
    // Byte 0 (all CKD devices)
    public const byte CommandReject = 0x80;
    public const byte InterventionRequired = 0x40;
    public const byte BusOutParity = 0x20;
    public const byte EquipmentCheck = 0x10;
    public const byte DataCheck = 0x08;
    public const byte Overrun = 0x04;
    /// <summary>2314: track condition check; 3330: track condition check (defective/alternate track flag).</summary>
    public const byte TrackConditionCheck = 0x02;
    public const byte SeekCheck = 0x01;

    // Byte 1
    /// <summary>2314: data check in count area; 3330: permanent error.</summary>
    public const byte DataCheckInCount = 0x80;
    /// <summary>2314: track overflow; 3330: invalid track format (a record does not fit the track).</summary>
    public const byte InvalidTrackFormat = 0x40;
    public const byte EndOfCylinder = 0x20;
    /// <summary>2314: invalid sequence (a write not chained from the required command).</summary>
    public const byte InvalidSequence = 0x10;
    public const byte NoRecordFound = 0x08;
    public const byte FileProtected = 0x04;
    /// <summary>2314: missing address marker; 3330: write inhibited.</summary>
    public const byte MissingAddressMarker = 0x02;
    public const byte OverflowIncomplete = 0x01;
}
