using Jit360.Architecture;
using Jit360.Machine;

namespace Jit360.Interpreter;

/// <summary>
/// The interpreter one instruction at a time, writing an instruction trace as Hercules' <c>t+</c>
/// does: the PSW, the instruction's bytes and its disassembly from the opcode table, then the
/// general registers after it; interruptions are noted where they happen.
/// </summary>
public sealed class TracingEngine(TextWriter output, bool registers = true) : IExecutionEngine
{
    public string Name => "trace";

    public ExitReason Run(CpuState cpu, long maxInstructions)
    {
        noted = cpu.InterruptionsTaken;   // only interruptions from here on are traced
        return ProgramInterruptions.Run(cpu, cpu.Instructions + maxInstructions, Loop);
    }

    ExitReason Loop(CpuState cpu, long target)
    {
        while (true)
        {
            NoteNewInterruption(cpu);   // one taken after the last instruction, in or outside this loop
            if (cpu.Attention)
            {
                var exit = Interpreter.Attend(cpu, target);
                NoteNewInterruption(cpu);
                if (exit != null) return exit.Value;
                if (cpu.Wait) continue;
            }
            if (cpu.Instructions >= target) return ExitReason.InstructionLimit;
            Line(cpu);
            try
            {
                Step.One(cpu);
            }
            catch (ProgramInterruption pi)
            {
                output.WriteLine($"           program interruption {pi.Code:X4} ({ProgramInterruptCode.Name(pi.Code)}), ILC {cpu.Ilc}");
                throw;
            }
            if (registers) Registers(cpu);
        }
    }

    void Line(CpuState cpu)
    {
        uint ia = cpu.Ia;
        Span<byte> bytes = stackalloc byte[6];
        int n = 0;
        int len = ia < cpu.Storage.Size ? Formats.LengthOfOpcode(cpu.Storage.Bytes[ia]) : 2;
        for (; n < len && ia + n < cpu.Storage.Size; n++) bytes[n] = cpu.Storage.Bytes[ia + n];
        string text = n == 0 ? "(no storage)" : Disassembler.Disassemble(bytes[..n], cpu.Level, out _);
        output.WriteLine($"PSW={cpu.PswText(cpu.CurrentPsw(0, 0))} INST={Convert.ToHexString(bytes[..n]),-12} {text}");
    }

    void Registers(CpuState cpu)
    {
        for (int r = 0; r < 16; r += 4)
            output.WriteLine($"GR{r:D2}={cpu.Gpr[r]:X8} GR{r + 1:D2}={cpu.Gpr[r + 1]:X8} GR{r + 2:D2}={cpu.Gpr[r + 2]:X8} GR{r + 3:D2}={cpu.Gpr[r + 3]:X8}");
    }

    long noted;

    void NoteNewInterruption(CpuState cpu)
    {
        if (cpu.InterruptionsTaken == noted) return;
        noted = cpu.InterruptionsTaken;
        var r = cpu.LastInterrupt;
        output.WriteLine($"           {r.Class.ToString().ToLowerInvariant()} interruption code {r.Code:X4}, old PSW {r.OldPsw >> 32:X8} {(uint)r.OldPsw:X8}");
    }
}
