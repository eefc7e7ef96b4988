using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using Iced.Intel;

namespace Jit360.Jit;

/// <summary>
/// The x86-64 code RyuJIT produced for a region: the DynamicMethod's handle (non-public
/// GetMethodDescriptor), compiled if it has not run yet, its entry point followed through the
/// runtime's precode jumps, then decoded with Iced up to the int3 padding after the method
/// (or a size bound).
/// </summary>
public static class NativeCode
{
    const int MaxBytes = 64 * 1024;

    public sealed record Listing(ulong Start, int Size, IReadOnlyList<string> Lines);

    public static Listing? Of(CompiledBlock block)
    {
        if (!Environment.Is64BitProcess || RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64) return null;
        if (Translator.Handle(block.Method) is not { } handle) return null;
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
        var decoder = Decoder.Create(64, new MemoryReader(start), start);
        var formatter = new IntelFormatter();
        formatter.Options.FirstOperandCharIndex = 8;
        var output = new StringOutput();
        var lines = new List<string>();
        ulong end = start;
        while (end - start < MaxBytes)
        {
            var insn = decoder.Decode();
            if (insn.IsInvalid || insn.Mnemonic == Mnemonic.Int3) break;
            formatter.Format(insn, output);
            lines.Add($"{insn.IP:X16}  {output.ToStringAndReset()}");
            end = insn.NextIP;
        }
        return new Listing(start, (int)(end - start), lines);
    }

    /// <summary>Reads code bytes straight from the process's memory, one at a time, only as far as the decoder asks.</summary>
    sealed class MemoryReader(ulong address) : CodeReader
    {
        ulong at = address;
        public override int ReadByte() => Marshal.ReadByte((nint)at++);
    }
}
