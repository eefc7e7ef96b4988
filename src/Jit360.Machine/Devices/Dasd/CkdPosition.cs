using Jit360.Machine.Media;

namespace Jit360.Machine.Devices.Dasd;

/// <summary>
/// Where the access mechanism is and what has just passed under the head (GA26-1592 "Orientation"):
/// the seek address, the track image in hand, the record whose count was last read, and the index
/// point having been passed once in this command chain (twice without reading data ends in
/// "no record found").
/// </summary>
public sealed partial class CkdDevice
{
    enum Orientation { None, Index, Count, Key, Data }

    int cylinder, head;
    readonly byte[] track;
    int loadedTrack = -1;
    string? trackDamage;
    Orientation orientation;
    /// <summary>Offset in <see cref="track"/> of the current record's count (when oriented to Count, Key or Data).</summary>
    int record;
    bool indexPassed;
    byte fileMask;
    bool fileMaskSet;
    /// <summary>The previous command of this chain if it ended normally (a search only when satisfied), else 0.</summary>
    byte previousOk;

    /// <summary>The last damage found in a track (for the operator: what the data check was about).</summary>
    public string? LastDamage { get; private set; }

    int TrackNumber => cylinder * Image.Heads + head;
    int KeyLength => CkdTrack.KeyLength(track, record);
    int DataLength => CkdTrack.DataLength(track, record);
    int RecordEnd => record + CkdTrack.CountLength + KeyLength + DataLength;

    void StartChannelProgram()
    {
        indexPassed = false;
        fileMask = 0;
        fileMaskSet = false;
        previousOk = 0;
        orientation = Orientation.None;
    }

    /// <summary>Brings the current track into <see cref="track"/>; a damaged track gives a data-check outcome.</summary>
    Outcome? Load()
    {
        if (loadedTrack != TrackNumber)
        {
            loadedTrack = TrackNumber;
            trackDamage = null;
            try
            {
                Image.ReadTrack(TrackNumber, track);
                trackDamage = CkdTrack.Check(track, out _);
            }
            catch (CkdTrackDataException e) { trackDamage = e.Message; }
            catch (IOException e) { loadedTrack = -1; LastDamage = $"{Image.FileName}: {e.Message}"; return Check(CkdSense.EquipmentCheck); }
        }
        if (trackDamage == null) return null;
        LastDamage = $"{Image.FileName}: cylinder {cylinder} head {head}: {trackDamage}";
        return Check(CkdSense.DataCheck, CkdSense.DataCheckInCount);
    }

    /// <summary>Stores the track in hand back into the image (whole slot, write-through).</summary>
    Outcome? Store()
    {
        try { Image.WriteTrack(TrackNumber, track); return null; }
        catch (IOException e) { LastDamage = $"{Image.FileName}: {e.Message}"; return Check(CkdSense.EquipmentCheck); }
    }

    /// <summary>
    /// Moves to the next count field (Hercules ckd_read_count facts): R0 is passed over except by
    /// READ R0 and SEARCH ID; at the end of the track a multitrack command switches to the next
    /// head (end of cylinder on the last one, file protected if the mask inhibits it) and a
    /// single-track command comes round the index, the second time with "no record found".
    /// </summary>
    Outcome? NextCount(byte command)
    {
        if (Load() is { } failed) return failed;
        bool skipR0 = (command & 0x7F) is not (0x16 or 0x31 or 0x51 or 0x71);
        bool multitrack = (command & 0x80) != 0;
        int next = orientation is Orientation.Count or Orientation.Key or Orientation.Data ? RecordEnd : CkdTrack.HomeAddressLength;
        while (true)
        {
            if (CkdTrack.IsEndMarker(track, next))
            {
                if (multitrack)
                {
                    if ((fileMask & FileMaskSeekControl) == SeekInhibitAll) return Reject(CkdSense.FileProtected);
                    if (head + 1 >= Image.Heads) { orientation = Orientation.Index; return Check(0, CkdSense.EndOfCylinder); }
                    head++;
                    orientation = Orientation.Index;
                    if (Load() is { } bad) return bad;
                }
                else
                {
                    if (indexPassed) { orientation = Orientation.Index; return Check(0, CkdSense.NoRecordFound); }
                    indexPassed = true;
                    orientation = Orientation.Index;
                }
                next = CkdTrack.HomeAddressLength;
                continue;
            }
            if (skipR0 && next == CkdTrack.HomeAddressLength)
            {
                next += CkdTrack.CountLength + CkdTrack.KeyLength(track, next) + CkdTrack.DataLength(track, next);
                continue;
            }
            record = next;
            orientation = Orientation.Count;
            return null;
        }
    }

    // File mask (GA26-1592 "Set File Mask"): bits 0-1 write control, bits 3-4 seek control.
    const byte FileMaskWriteControl = 0xC0;
    const byte WriteInhibitHaR0 = 0x00, WriteInhibitAll = 0x40, WriteUpdateOnly = 0x80, WriteAll = 0xC0;
    const byte FileMaskReserved = 0x20;
    const byte FileMaskSeekControl = 0x18;
    const byte SeekAllowAll = 0x00, SeekCylinderHead = 0x08, SeekHeadOnly = 0x10, SeekInhibitAll = 0x18;
}
