namespace Jit360.Cp.Spool;

/// <summary>
/// The SPOOL options of one virtual unit-record device (CP Command Reference, SPOOL; defaults
/// from its table: reader NOHOLD NOCONT CLASS * EOF, punch and printer NOHOLD NOCONT CLASS A OFF
/// COPY 01, or the class of the directory's SPOOL statement).
/// </summary>
public sealed class SpoolOptions
{
    /// <summary>A..Z, 0..9, or * (readers only: any class).</summary>
    public char Class { get; set; } = 'A';
    public bool Cont { get; set; }
    public bool Hold { get; set; }
    /// <summary>Reader: unit exception at the end of each file (EOF) rather than intervention required (NOEOF).</summary>
    public bool Eof { get; set; } = true;
    public int Copies { get; set; } = 1;
    /// <summary>SPOOL ... TO userid: closed files go to that user's reader; null is OFF (the owner's own printer or punch queue).</summary>
    public string? To { get; set; }
    /// <summary>SPOOL ... FOR userid: the file is owned by that user, on the same kind of queue.</summary>
    public string? For { get; set; }

    public static bool IsClass(char c) => c is >= 'A' and <= 'Z' or >= '0' and <= '9' or '*';
}
