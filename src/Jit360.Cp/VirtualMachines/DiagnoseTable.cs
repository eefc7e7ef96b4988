namespace Jit360.Cp.VirtualMachines;

/// <summary>
/// The DIAGNOSE codes this CP simulates, keyed by code. Codes are multiples of 4 (VM/370 CP
/// Programmer's Guide "DIAGNOSE Instruction in a Virtual Machine"); a code nobody registered,
/// or one that is not a multiple of 4, is a specification exception reflected to the guest,
/// which is how VM/370 answers an invalid DIAGNOSE code.
/// </summary>
public sealed class DiagnoseTable
{
    readonly Dictionary<int, IDiagnose> handlers = new();

    public DiagnoseTable Register(int code, IDiagnose handler)
    {
        if (code < 0 || code > 0xFFF || code % 4 != 0)
            throw new ArgumentOutOfRangeException(nameof(code), $"DIAGNOSE code X'{code:X}' is not a multiple of 4 in 0-X'FFC'");
        if (!handlers.TryAdd(code, handler))
            throw new InvalidOperationException($"DIAGNOSE code X'{code:X2}' is already registered");
        return this;
    }

    /// <summary>Registers a handler written as a delegate.</summary>
    public DiagnoseTable Register(int code, Func<VirtualMachine, DiagnoseCall, Jit360.Machine.ExitReason?> handler)
        => Register(code, new DelegateDiagnose(handler));

    readonly long[] counts = new long[0x1000 / 4];

    /// <summary>The handler for a code; each look-up is one DIAGNOSE the guest issued, counted for <see cref="Counts"/>.</summary>
    public bool TryGet(int code, out IDiagnose handler)
    {
        if (code >= 0 && code <= 0xFFF && code % 4 == 0) Interlocked.Increment(ref counts[code / 4]);
        return handlers.TryGetValue(code, out handler!);
    }

    /// <summary>How many times the guest issued each code (valid codes only), for measurements.</summary>
    public IReadOnlyDictionary<int, long> Counts
        => Enumerable.Range(0, counts.Length).Where(i => Volatile.Read(ref counts[i]) != 0).ToDictionary(i => i * 4, i => Volatile.Read(ref counts[i]));

    public IEnumerable<int> Codes => handlers.Keys.Order();

    sealed class DelegateDiagnose(Func<VirtualMachine, DiagnoseCall, Jit360.Machine.ExitReason?> f) : IDiagnose
    {
        public Jit360.Machine.ExitReason? Execute(VirtualMachine vm, DiagnoseCall call) => f(vm, call);
    }
}
