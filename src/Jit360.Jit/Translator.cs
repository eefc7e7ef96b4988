using System.Diagnostics;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Jit;

/// <summary>
/// Translates a region (<see cref="RegionDiscovery"/>) to one DynamicMethod (see
/// <see cref="RegionEmitter"/> for the shape of the code). Emission runs twice: a dry pass
/// learns which registers the region uses and writes, the real pass then loads and stores
/// exactly those.
/// </summary>
public static class Translator
{
    public static bool CanTranslate(Opcode op) => RegionEmitter.Handlers.ContainsKey(op.Mnemonic);

    /// <summary>The handler a mnemonic's translated code calls (for tests and tools).</summary>
    public static MethodInfo? HandlerOf(string mnemonic) => RegionEmitter.Handlers.GetValueOrDefault(mnemonic);

    public static CompiledBlock Translate(BlockKey key, Region region, CpuState cpu, RegionData shared, bool recordIl = false, bool compileNow = false)
    {
        var data = shared.For();   // each region its own, for its stale flag
        var sw = Stopwatch.StartNew();
        var dry = new RegionEmitter(new IlEmitter(null, false), region, cpu, key);
        dry.Emit();
        // void Region_XXXXXX(RegionData data, CpuState cpu, long limit): limit is the instruction
        // count by which the region must have returned (budget, time slice, timer event).
        var method = new DynamicMethod($"Region_{region.Entry:X6}", typeof(void), [typeof(RegionData), typeof(CpuState), typeof(long)], typeof(Translator).Module, skipVisibility: true);
        var generator = method.GetILGenerator();
        var il = new IlEmitter(generator, recordIl);
        var emitter = new RegionEmitter(il, region, cpu, key, dry.Used, dry.Written, dry.CallsHandlers);
        emitter.Emit();
        var run = (Action<CpuState, long>)method.CreateDelegate(typeof(Action<CpuState, long>), data);
        if (compileNow) Compile(method);
        sw.Stop();
        // Measured outside the compile time: decoding the code to find its end is statistics, not translation.
        int nativeBytes = compileNow ? NativeCode.SizeOf(method) : 0;
        return new CompiledBlock(key, run, region.Instructions, generator.ILOffset, sw.Elapsed, method)
        {
            Entry = region.Entry,
            Entries = emitter.Entries,
            IlListing = recordIl ? il.Listing : null,
            Data = data,
            NativeBytes = nativeBytes,
        };
    }

    /// <summary>The runtime handle of a DynamicMethod (non-public GetMethodDescriptor), for compiling it ahead of the first call and finding its code.</summary>
    public static RuntimeMethodHandle? Handle(DynamicMethod method)
    {
        var m = typeof(DynamicMethod).GetMethod("GetMethodDescriptor", BindingFlags.NonPublic | BindingFlags.Instance);
        return m?.Invoke(method, null) is RuntimeMethodHandle h ? h : null;
    }

    /// <summary>Has RyuJIT compile the method now (on the background thread, or in place so that the compile time is counted where it is spent).</summary>
    public static void Compile(DynamicMethod method)
    {
        if (Handle(method) is { } h) RuntimeHelpers.PrepareMethod(h);
    }
}
