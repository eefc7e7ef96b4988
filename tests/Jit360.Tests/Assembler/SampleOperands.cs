using Jit360.Architecture;

namespace Jit360.Tests.Assembler;

/// <summary>
/// One operand set per format with every field distinct and non-zero, written in IBM syntax
/// and in the GNU assembler's s390 syntax (%r/%f/%c registers, same operand order).
/// Registers are even (4, 8) so register pairs and extended floating-point pairs are valid.
/// </summary>
static class SampleOperands
{
    public static string Ibm(Opcode op) => Text(op, gnu: false);
    public static string Gnu(Opcode op) => Text(op, gnu: true);

    /// <summary>The level an instruction is first available at.</summary>
    public static ArchLevel LevelOf(Opcode op)
        => op.AvailableIn(ArchLevel.S370) ? ArchLevel.S370 : op.AvailableIn(ArchLevel.S360_67) ? ArchLevel.S360_67 : ArchLevel.S360;

    static string Text(Opcode op, bool gnu)
    {
        bool fp = op.Feature is Feature.FloatingPoint or Feature.ExtendedFloat;
        bool control = op.Mnemonic is "LCTL" or "STCTL";
        string R(int n) => gnu ? "%r" + n : n.ToString();
        string F1(int n) => gnu ? (fp ? "%f" : control ? "%c" : "%r") + n : n.ToString();
        string F2(int n) => gnu ? (fp && op.Format == Format.RR ? "%f" : control ? "%c" : "%r") + n : n.ToString();
        return op.Format switch
        {
            Format.RR => $"{F1(4)},{F2(8)}",
            Format.RR_R1 => R(4),
            Format.RR_I => "202",
            Format.RR_M => $"7,{R(8)}",
            Format.RX => $"{F1(4)},291({R(5)},{R(6)})",
            Format.RX_M => $"7,291({R(5)},{R(6)})",
            Format.RS => $"{F1(4)},{F2(8)},291({R(6)})",
            Format.RS_R1 => $"{R(4)},291({R(6)})",
            Format.RS_M => $"{R(4)},10,291({R(6)})",
            Format.SI => $"291({R(6)}),171",
            Format.SI_D or Format.S => $"291({R(6)})",
            Format.SS_L => $"291(16,{R(6)}),1110({R(7)})",
            Format.SS_LL => $"291(9,{R(6)}),1110(3,{R(7)})",
            Format.SS_LI => $"291(9,{R(6)}),1110({R(7)}),5",
            _ => throw new ArgumentException(op.Format.ToString()),
        };
    }
}
