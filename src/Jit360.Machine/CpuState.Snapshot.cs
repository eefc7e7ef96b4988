using System.Reflection;
using System.Reflection.Emit;

namespace Jit360.Machine;

// Copies of a CPU's state, for engines that run two copies of one machine side by side (the
// lockstep engine) and for tools that replay from a checkpoint. The copy is generated from the
// fields themselves, so a field added to CpuState or MachineClock later is copied too; a new
// field of a reference type must be named below (copied by value, skipped, or owned by the
// machine) or the first copy fails and says which field it is.
public sealed partial class CpuState
{
    /// <summary>Reference-typed fields that belong to the host, not to the architected state: never copied.</summary>
    static readonly string[] HostFields = [nameof(Io), nameof(StoreWatch)];
    /// <summary>Fields that are asynchronous requests to this copy only: never copied.</summary>
    static readonly string[] RequestFields = [nameof(StopRequested)];

    static Action<CpuState, CpuState>? copyCpuFields;
    static Action<MachineClock, MachineClock>? copyClockFields;

    /// <summary>
    /// A new CPU with the same level, storage size, time mode and state as this one (registers,
    /// PSW, control registers, counters, clock, storage and keys). The copy has no channels
    /// attached and no store watchers.
    /// </summary>
    public CpuState Clone()
    {
        var copy = new CpuState(Level, Storage.Size, Clock.Deterministic);
        copy.CopyFrom(this);
        return copy;
    }

    /// <summary>Makes this CPU's state equal to <paramref name="other"/>'s: registers, PSW, clock, then storage and keys.</summary>
    /// <returns>The number of storage bytes that had to be copied.</returns>
    public long CopyFrom(CpuState other)
    {
        CopyProcessorFrom(other);
        return CopyStorageFrom(other);
    }

    /// <summary>Copies everything but storage: registers, the PSW, control registers, counters, pending conditions, the clock.</summary>
    public void CopyProcessorFrom(CpuState other)
    {
        CheckCompatible(other);
        (copyCpuFields ??= BuildCopier<CpuState>(HostFields.Concat(RequestFields)))(this, other);
        (copyClockFields ??= BuildCopier<MachineClock>([]))(Clock, other.Clock);
    }

    /// <summary>Storage compared and copied in 256-byte lines: only lines that differ are written, and reported to <see cref="Storage.CodeWatch"/>.</summary>
    public const int SnapshotLine = 256;

    /// <summary>
    /// Copies the storage bytes and keys of <paramref name="other"/> that differ from this CPU's.
    /// Changed lines are reported as written (translated code over them is invalidated); a key
    /// whose access-control or fetch-protection bits change is set through <see cref="Storage.SetKey"/>,
    /// while a key that differs only in its reference and change bits is copied directly.
    /// </summary>
    /// <returns>The number of storage bytes copied.</returns>
    public long CopyStorageFrom(CpuState other)
    {
        CheckCompatible(other);
        long copied = 0;
        var mine = Storage.Bytes.AsSpan(0, (int)Storage.Size);
        var theirs = other.Storage.Bytes.AsSpan(0, (int)Storage.Size);
        const int Page = 4096;
        for (int p = 0; p < mine.Length; p += Page)
        {
            int pageLength = Math.Min(Page, mine.Length - p);
            if (mine.Slice(p, pageLength).SequenceEqual(theirs.Slice(p, pageLength))) continue;
            for (int l = p; l < p + pageLength; l += SnapshotLine)
            {
                int n = Math.Min(SnapshotLine, p + pageLength - l);
                if (mine.Slice(l, n).SequenceEqual(theirs.Slice(l, n))) continue;
                theirs.Slice(l, n).CopyTo(mine.Slice(l, n));
                copied += n;
                Storage.Written((uint)l, n);
            }
        }
        var keys = Storage.Keys;
        var otherKeys = other.Storage.Keys;
        const byte RefChange = Storage.Reference | Storage.Change;
        for (int i = 0; i < keys.Length; i++)
        {
            if (keys[i] == otherKeys[i]) continue;
            if ((keys[i] & ~RefChange) == (otherKeys[i] & ~RefChange)) keys[i] = otherKeys[i];
            else
            {
                Storage.SetKey((uint)i << Storage.BlockShift, otherKeys[i]);
                Attention = true;   // translated code checks keys when it looks at the machine
            }
        }
        return copied;
    }

    void CheckCompatible(CpuState other)
    {
        if (other.Level != Level || other.Storage.Size != Storage.Size || other.Clock.Deterministic != Clock.Deterministic)
            throw new ArgumentException($"cannot copy a {other.Level} CPU with {other.Storage.Size} bytes ({(other.Clock.Deterministic ? "deterministic" : "real")} time) "
                                        + $"into a {Level} CPU with {Storage.Size} bytes ({(Clock.Deterministic ? "deterministic" : "real")} time)");
    }

    /// <summary>The fields a snapshot copies (for tests and reports).</summary>
    public static IEnumerable<string> SnapshotFields => CopiedFields(typeof(CpuState), HostFields.Concat(RequestFields)).Select(f => f.Name);

    static IEnumerable<FieldInfo> CopiedFields(Type type, IEnumerable<string> skipped)
    {
        var skip = skipped.ToHashSet();
        foreach (var f in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            // Readonly fields are fixed at construction (storage, level, the clock object, its stopwatch).
            if (f.IsInitOnly || skip.Contains(f.Name)) continue;
            if (!f.FieldType.IsValueType)
                throw new NotSupportedException($"{type.Name}.{f.Name} ({f.FieldType.Name}) is a reference: say in CpuState.Snapshot.cs how a copy of the machine treats it");
            yield return f;
        }
    }

    /// <summary>A method that copies every copied field of one object into another: <c>dst.f = src.f; ...</c></summary>
    static Action<T, T> BuildCopier<T>(IEnumerable<string> skipped)
    {
        var method = new DynamicMethod($"Copy{typeof(T).Name}", typeof(void), [typeof(T), typeof(T)], typeof(CpuState).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        foreach (var f in CopiedFields(typeof(T), skipped))
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldfld, f);
            il.Emit(OpCodes.Stfld, f);
        }
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Action<T, T>>();
    }
}
