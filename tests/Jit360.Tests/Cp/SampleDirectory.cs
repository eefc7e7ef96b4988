namespace Jit360.Tests.Cp;

/// <summary>
/// A USER DIRECT for the CMS disks in ../shared/guests/vm370r6-cms/disks: each image is a whole
/// 3350 volume (the CKDC volume serial, except 195, which goes by its CMS label DSK195). Written
/// as 80-column card images with sequence numbers in columns 73-80, as a real directory is.
/// </summary>
public static class SampleDirectory
{
    static readonly string[] Statements =
    [
        "*********************************************************************",
        "* Jit360 sample directory for the VM/370 R6 CMS disks               *",
        "*********************************************************************",
        "DIRECTORY 6A1 3350 VM50-1",
        "USER OPERATOR OPERATOR 2M 16M ABCDEFG",
        " CONSOLE 009 3215",
        " SPOOL 00C 2540 READER *",
        " SPOOL 00D 2540 PUNCH A",
        " SPOOL 00E 1403 A",
        "USER MAINT CPCMS 2M 16M ABCDEFG",
        " IPL CMS",
        " CONSOLE 009 3215",
        " SPOOL 00C 2540 READER *",
        " SPOOL 00D 2540 PUNCH A",
        " SPOOL 00E 1403 A",
        " MDISK 19D 3350 000 070 MNT19D RR",
        "USER GCCCMS GCCCMS 4M 16M G",
        " MDISK 201 3350 000 001 GCC201 RR",
        " MDISK 202 3350 000 001 GCC202 RR",
        "USER CMSUSER CMSUSER 15M 16M G",
        " ACCOUNT CMSUSER",
        " IPL CMS PARM AUTOCR",
        " CONSOLE 009 3215",
        " SPOOL 00C 2540 READER *",
        " SPOOL 00D 2540 PUNCH A",
        " SPOOL 00E 1403 A",
        " LINK MAINT 19D 19D RR",
        " LINK GCCCMS 201 201 RR",
        " LINK GCCCMS 202 202 RR",
        "*        cuu type adr num volser mode readpw   writepw  multpw",
        " MDISK 191 3350 000 115 CMS191 MR   ALL      WRITE    MULT",
        " MDISK 192 3350 000 115 CMS192 MR   ALL      WRITE    MULT",
        " MDISK 193 3350 000 115 CMS193 MR   ALL      WRITE    MULT",
        " MDISK 194 3350 000 115 CMS194 MR   ALL      WRITE    MULT",
        " MDISK 195 3350 000 094 DSK195 MR   ALL      WRITE    MULT",
    ];

    /// <summary>The statements as card images: columns 1-72 the statement, 73-80 the sequence number.</summary>
    public static string Text => string.Join("\n", Statements.Select((s, i) => s.PadRight(72) + $"{(i + 1) * 10:D8}")) + "\n";
}
