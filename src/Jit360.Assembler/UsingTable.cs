namespace Jit360.Assembler;

/// <summary>
/// The USING table: which base registers hold which addresses. An implicit address resolves
/// to the register giving the smallest displacement (0-4095) among entries of the same
/// relocatability, the highest-numbered register winning a tie (the assembler's rule).
/// USING X,R1,R2 makes R2 cover X+4096, and so on.
/// </summary>
public sealed class UsingTable
{
    readonly (long Base, int RelId)?[] entries = new (long, int)?[16];

    public void Clear() => Array.Clear(entries);

    public void Using(long baseAddress, int relId, IReadOnlyList<int> registers)
    {
        for (int i = 0; i < registers.Count; i++)
            entries[registers[i]] = (baseAddress + 4096L * i, relId);
    }

    public void Drop(int register) => entries[register] = null;
    public bool IsActive(int register) => entries[register] != null;

    /// <summary>Base register and displacement for an address, or null when no USING covers it.</summary>
    public (int Base, int Displacement)? Resolve(Value v)
    {
        (int, int)? best = null;
        long bestDisp = long.MaxValue;
        for (int r = 15; r >= 0; r--)
        {
            if (entries[r] is not { } e || e.RelId != v.RelId) continue;
            // Register 0 as a base means "no base": it cannot be used for addressing.
            if (r == 0) continue;
            long d = v.V - e.Base;
            if (d >= 0 && d < 4096 && d < bestDisp) { best = (r, (int)d); bestDisp = d; }
        }
        if (best == null && v.RelId == 0 && v.V >= 0 && v.V < 4096) return (0, (int)v.V);
        return best;
    }
}
