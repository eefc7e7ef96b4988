namespace Jit360.Cp.Directory;

/// <summary>
/// Access modes of MDISK and LINK (VM/370 CP Command Reference, LINK): the primary access
/// (read, write, multiple write) and the fallback taken when another user already holds the
/// disk (R: read only if nobody writes; RR: read even if someone writes; W: write only if
/// nobody else has it; WR: write, else read; M: write unless someone writes, MR: M else read,
/// MW: write always).
/// </summary>
public enum MinidiskMode { R, RR, W, WR, M, MR, MW }

public static class MinidiskModes
{
    public static bool TryParse(string text, out MinidiskMode mode)
    {
        switch (text.ToUpperInvariant())
        {
            case "R": mode = MinidiskMode.R; return true;
            case "RR": mode = MinidiskMode.RR; return true;
            case "W": mode = MinidiskMode.W; return true;
            case "WR": mode = MinidiskMode.WR; return true;
            case "M": mode = MinidiskMode.M; return true;
            case "MR": mode = MinidiskMode.MR; return true;
            case "MW": mode = MinidiskMode.MW; return true;
            default: mode = default; return false;
        }
    }

    /// <summary>Whether the mode asks for write access in the first place.</summary>
    public static bool Writes(this MinidiskMode mode) => mode is not (MinidiskMode.R or MinidiskMode.RR);
}
