using DynamicMethod = System.Reflection.Emit.DynamicMethod;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using Iced.Intel;

namespace Jit360.Jit;

/// <summary>
/// The x86-64 code RyuJIT produced for a region: the DynamicMethod's handle (non-public
/// GetMethodDescriptor), compiled if it has not run yet, its entry point followed through the
/// runtime's precode jumps, then decoded with Iced up to the int3 padding after the method
/// (or a size bound) where the runtime's code header does not tell the size (see
/// <see cref="SizeFromCodeHeader"/>). An int3 inside the method (RyuJIT puts one after each call that does not
/// return, e.g. a throw helper) is passed over while some jump already decoded lands beyond it:
/// code after it can only be reached by such a jump, since nothing falls through an int3.
/// </summary>
public static class NativeCode
{
    const int MaxBytes = 64 * 1024;

    public sealed record Listing(ulong Start, int Size, IReadOnlyList<string> Lines);

    public static Listing? Of(CompiledBlock block)
    {
        if (Locate(block.Method) is not var (start, size)) return null;
        var decoder = Decoder.Create(64, new MemoryReader(start), start);
        var formatter = new IntelFormatter();
        formatter.Options.FirstOperandCharIndex = 8;
        var output = new StringOutput();
        var lines = new List<string>();
        while (decoder.IP < start + (ulong)size)
        {
            var insn = decoder.Decode();
            formatter.Format(insn, output);
            lines.Add($"{insn.IP:X16}  {output.ToStringAndReset()}");
        }
        return new Listing(start, size, lines);
    }

    /// <summary>Bytes of x86-64 code of a compiled region (compiling it if it has not been), 0 where that cannot be found (not x64).</summary>
    public static int SizeOf(DynamicMethod method) => Locate(method) is var (_, size) ? size : 0;

    /// <summary>Where the method's native code starts, and its length in bytes.</summary>
    public static (ulong Start, int Size)? Locate(DynamicMethod method)
    {
        if (!Environment.Is64BitProcess || RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64) return null;
        if (Translator.Handle(method) is not { } handle) return null;
        RuntimeHelpers.PrepareMethod(handle);
        ulong start = (ulong)handle.GetFunctionPointer();
        // The entry point may be a precode stub that jumps to the code: follow up to three jumps.
        for (int hop = 0; hop < 3; hop++)
        {
            var d = Decoder.Create(64, new MemoryReader(start), start);
            var first = d.Decode();
            if (first.Mnemonic != Mnemonic.Jmp) break;
            if (first.IsIPRelativeMemoryOperand) start = (ulong)Marshal.ReadIntPtr((nint)first.IPRelativeMemoryAddress);
            else if (first.Op0Kind is OpKind.NearBranch64) start = first.NearBranchTarget;
            else break;
        }
        if (SizeFromCodeHeader(start, handle.Value) is int known) return (start, known);
        var decoder = Decoder.Create(64, new MemoryReader(start), start);
        ulong end = start, furthest = start;
        while (end - start < MaxBytes)
        {
            var insn = decoder.Decode();
            if (insn.IsInvalid || (insn.Mnemonic == Mnemonic.Int3 && furthest <= insn.IP)) break;
            if (insn.FlowControl is FlowControl.ConditionalBranch or FlowControl.UnconditionalBranch && insn.Op0Kind is OpKind.NearBranch64
                && insn.NearBranchTarget > insn.IP && insn.NearBranchTarget - start < MaxBytes)
                furthest = Math.Max(furthest, insn.NearBranchTarget);
            end = insn.NextIP;
        }
        return (start, (int)(end - start));
    }

    /// <summary>
    /// The code's length as the runtime recorded it: JIT-compiled code is preceded by a pointer
    /// to its code header, which holds the method's MethodDesc followed by the count of its
    /// unwind entries and the entries themselves (x64 RUNTIME_FUNCTION: begin, end, unwind data;
    /// the method body first, then its funclets). The layout is the runtime's, not a contract,
    /// so each step is checked (the MethodDesc found among the first fields, a sane count, the
    /// entries contiguous from the start, and the code decoding to exactly that end); null when
    /// any check fails, and the caller decodes instead.
    /// </summary>
    static int? SizeFromCodeHeader(ulong start, nint methodDesc)
    {
        nint header = Marshal.ReadIntPtr((nint)start - nint.Size);
        if (header == 0 || methodDesc == 0) return null;
        for (int field = 0; field < 6; field++)
        {
            if (Marshal.ReadIntPtr(header + field * nint.Size) != methodDesc) continue;
            nint counted = header + (field + 1) * nint.Size;
            int count = Marshal.ReadInt32(counted);
            if (count is < 1 or > 64) return null;
            uint begin = (uint)Marshal.ReadInt32(counted + 4), end = begin;
            for (int i = 0; i < count; i++)
            {
                uint b = (uint)Marshal.ReadInt32(counted + 4 + 12 * i), e = (uint)Marshal.ReadInt32(counted + 8 + 12 * i);
                if (b < end - (end - begin) || e <= b) return null;   // in order, each non-empty
                end = Math.Max(end, e);
            }
            int size = (int)(end - begin);
            if (size <= 0 || size > MaxBytes) return null;
            // The entries are relative to some base: the code must decode to exactly that end.
            var decoder = Decoder.Create(64, new MemoryReader(start), start);
            while (decoder.IP < start + (ulong)size) if (decoder.Decode().IsInvalid) return null;
            return decoder.IP == start + (ulong)size ? size : null;
        }
        return null;
    }

    /// <summary>Reads code bytes straight from the process's memory, one at a time, only as far as the decoder asks.</summary>
    sealed class MemoryReader(ulong address) : CodeReader
    {
        ulong at = address;
        public override int ReadByte() => Marshal.ReadByte((nint)at++);
    }
}
