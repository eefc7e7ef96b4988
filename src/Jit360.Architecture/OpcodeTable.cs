using static Jit360.Architecture.Feature;

namespace Jit360.Architecture;

/// <summary>
/// The one opcode table: every instruction of System/360 (GA22-6821), the Model 67 additions
/// (GA27-2719) and System/370 (GA22-7000-4, the 1975 set). The decoder, the interpreter's
/// dispatch, the JIT, the disassembler, the assembler and the fuzz generators all read it.
/// </summary>
public static class OpcodeTable
{
    // Flag shorthands so that every row fits on one aligned line.
    const OpFlags _ = OpFlags.None;
    const OpFlags P = OpFlags.Privileged | OpFlags.EndsBlock;
    const OpFlags Br = OpFlags.Branch | OpFlags.EndsBlock;
    const OpFlags Cs = OpFlags.SetsCc;
    const OpFlags Cr = OpFlags.ReadsCc;
    const OpFlags Rd = OpFlags.ReadsStorage;
    const OpFlags Wr = OpFlags.WritesStorage;
    const OpFlags Io = OpFlags.Io | OpFlags.Privileged | OpFlags.EndsBlock | OpFlags.SetsCc;
    const OpFlags End = OpFlags.EndsBlock;
    const OpFlags Int = OpFlags.Interruptible;

    // Formats by their PoO names (these shadow the field structs of the same names here).
    const Format RR = Format.RR, RR_R1 = Format.RR_R1, RR_I = Format.RR_I, RR_M = Format.RR_M, RX = Format.RX, RX_M = Format.RX_M;
    const Format RS = Format.RS, RS_R1 = Format.RS_R1, RS_M = Format.RS_M, SI = Format.SI, SI_D = Format.SI_D, S = Format.S;
    const Format SS_L = Format.SS_L, SS_LL = Format.SS_LL, SS_LI = Format.SS_LI;

    const Feature Dec = Feature.Decimal;
    const ArchLevel All_ = ArchLevel.All;
    const ArchLevel S36x = ArchLevel.S360Family;
    const ArchLevel M67 = ArchLevel.S360_67;
    const ArchLevel M67_370 = ArchLevel.S360_67 | ArchLevel.S370;
    const ArchLevel L370 = ArchLevel.S370;

    static Opcode Op(ushort code, string mnemonic, Format format, ArchLevel levels, Feature feature, OpFlags flags, string name)
        => new(code, mnemonic, format, levels, feature, flags, name);

    /// <summary>All rows, in opcode order.</summary>
    public static readonly IReadOnlyList<Opcode> All = new Opcode[]
    {
        //  code    mnemonic  format  levels   feature        flags                 name
        Op(0x04,   "SPM",    RR_R1,  All_,    Standard,      Cs | End,             "Set Program Mask"),
        Op(0x05,   "BALR",   RR,     All_,    Standard,      Br,                   "Branch and Link"),
        Op(0x06,   "BCTR",   RR,     All_,    Standard,      Br,                   "Branch on Count"),
        Op(0x07,   "BCR",    RR_M,   All_,    Standard,      Br | Cr,              "Branch on Condition"),
        Op(0x08,   "SSK",    RR,     All_,    Standard,      P,                    "Set Storage Key"),
        Op(0x09,   "ISK",    RR,     All_,    Standard,      P,                    "Insert Storage Key"),
        Op(0x0A,   "SVC",    RR_I,   All_,    Standard,      End,                  "Supervisor Call"),
        Op(0x0D,   "BASR",   RR,     M67,     Model67,       Br,                   "Branch and Store"),
        Op(0x0E,   "MVCL",   RR,     L370,    Feature.S370,  Cs | Rd | Wr | Int,   "Move Long"),
        Op(0x0F,   "CLCL",   RR,     L370,    Feature.S370,  Cs | Rd | Int,        "Compare Logical Long"),
        Op(0x10,   "LPR",    RR,     All_,    Standard,      Cs,                   "Load Positive"),
        Op(0x11,   "LNR",    RR,     All_,    Standard,      Cs,                   "Load Negative"),
        Op(0x12,   "LTR",    RR,     All_,    Standard,      Cs,                   "Load and Test"),
        Op(0x13,   "LCR",    RR,     All_,    Standard,      Cs,                   "Load Complement"),
        Op(0x14,   "NR",     RR,     All_,    Standard,      Cs,                   "AND"),
        Op(0x15,   "CLR",    RR,     All_,    Standard,      Cs,                   "Compare Logical"),
        Op(0x16,   "OR",     RR,     All_,    Standard,      Cs,                   "OR"),
        Op(0x17,   "XR",     RR,     All_,    Standard,      Cs,                   "Exclusive OR"),
        Op(0x18,   "LR",     RR,     All_,    Standard,      _,                    "Load"),
        Op(0x19,   "CR",     RR,     All_,    Standard,      Cs,                   "Compare"),
        Op(0x1A,   "AR",     RR,     All_,    Standard,      Cs,                   "Add"),
        Op(0x1B,   "SR",     RR,     All_,    Standard,      Cs,                   "Subtract"),
        Op(0x1C,   "MR",     RR,     All_,    Standard,      _,                    "Multiply"),
        Op(0x1D,   "DR",     RR,     All_,    Standard,      _,                    "Divide"),
        Op(0x1E,   "ALR",    RR,     All_,    Standard,      Cs,                   "Add Logical"),
        Op(0x1F,   "SLR",    RR,     All_,    Standard,      Cs,                   "Subtract Logical"),
        Op(0x20,   "LPDR",   RR,     All_,    FloatingPoint, Cs,                   "Load Positive (long)"),
        Op(0x21,   "LNDR",   RR,     All_,    FloatingPoint, Cs,                   "Load Negative (long)"),
        Op(0x22,   "LTDR",   RR,     All_,    FloatingPoint, Cs,                   "Load and Test (long)"),
        Op(0x23,   "LCDR",   RR,     All_,    FloatingPoint, Cs,                   "Load Complement (long)"),
        Op(0x24,   "HDR",    RR,     All_,    FloatingPoint, _,                    "Halve (long)"),
        Op(0x25,   "LRDR",   RR,     L370,    ExtendedFloat, _,                    "Load Rounded (extended to long)"),
        Op(0x26,   "MXR",    RR,     L370,    ExtendedFloat, _,                    "Multiply (extended)"),
        Op(0x27,   "MXDR",   RR,     L370,    ExtendedFloat, _,                    "Multiply (long to extended)"),
        Op(0x28,   "LDR",    RR,     All_,    FloatingPoint, _,                    "Load (long)"),
        Op(0x29,   "CDR",    RR,     All_,    FloatingPoint, Cs,                   "Compare (long)"),
        Op(0x2A,   "ADR",    RR,     All_,    FloatingPoint, Cs,                   "Add Normalized (long)"),
        Op(0x2B,   "SDR",    RR,     All_,    FloatingPoint, Cs,                   "Subtract Normalized (long)"),
        Op(0x2C,   "MDR",    RR,     All_,    FloatingPoint, _,                    "Multiply (long)"),
        Op(0x2D,   "DDR",    RR,     All_,    FloatingPoint, _,                    "Divide (long)"),
        Op(0x2E,   "AWR",    RR,     All_,    FloatingPoint, Cs,                   "Add Unnormalized (long)"),
        Op(0x2F,   "SWR",    RR,     All_,    FloatingPoint, Cs,                   "Subtract Unnormalized (long)"),
        Op(0x30,   "LPER",   RR,     All_,    FloatingPoint, Cs,                   "Load Positive (short)"),
        Op(0x31,   "LNER",   RR,     All_,    FloatingPoint, Cs,                   "Load Negative (short)"),
        Op(0x32,   "LTER",   RR,     All_,    FloatingPoint, Cs,                   "Load and Test (short)"),
        Op(0x33,   "LCER",   RR,     All_,    FloatingPoint, Cs,                   "Load Complement (short)"),
        Op(0x34,   "HER",    RR,     All_,    FloatingPoint, _,                    "Halve (short)"),
        Op(0x35,   "LRER",   RR,     L370,    ExtendedFloat, _,                    "Load Rounded (long to short)"),
        Op(0x36,   "AXR",    RR,     L370,    ExtendedFloat, Cs,                   "Add Normalized (extended)"),
        Op(0x37,   "SXR",    RR,     L370,    ExtendedFloat, Cs,                   "Subtract Normalized (extended)"),
        Op(0x38,   "LER",    RR,     All_,    FloatingPoint, _,                    "Load (short)"),
        Op(0x39,   "CER",    RR,     All_,    FloatingPoint, Cs,                   "Compare (short)"),
        Op(0x3A,   "AER",    RR,     All_,    FloatingPoint, Cs,                   "Add Normalized (short)"),
        Op(0x3B,   "SER",    RR,     All_,    FloatingPoint, Cs,                   "Subtract Normalized (short)"),
        Op(0x3C,   "MER",    RR,     All_,    FloatingPoint, _,                    "Multiply (short)"),
        Op(0x3D,   "DER",    RR,     All_,    FloatingPoint, _,                    "Divide (short)"),
        Op(0x3E,   "AUR",    RR,     All_,    FloatingPoint, Cs,                   "Add Unnormalized (short)"),
        Op(0x3F,   "SUR",    RR,     All_,    FloatingPoint, Cs,                   "Subtract Unnormalized (short)"),
        Op(0x40,   "STH",    RX,     All_,    Standard,      Wr,                   "Store Halfword"),
        Op(0x41,   "LA",     RX,     All_,    Standard,      _,                    "Load Address"),
        Op(0x42,   "STC",    RX,     All_,    Standard,      Wr,                   "Store Character"),
        Op(0x43,   "IC",     RX,     All_,    Standard,      Rd,                   "Insert Character"),
        Op(0x44,   "EX",     RX,     All_,    Standard,      Rd | End,             "Execute"),
        Op(0x45,   "BAL",    RX,     All_,    Standard,      Br,                   "Branch and Link"),
        Op(0x46,   "BCT",    RX,     All_,    Standard,      Br,                   "Branch on Count"),
        Op(0x47,   "BC",     RX_M,   All_,    Standard,      Br | Cr,              "Branch on Condition"),
        Op(0x48,   "LH",     RX,     All_,    Standard,      Rd,                   "Load Halfword"),
        Op(0x49,   "CH",     RX,     All_,    Standard,      Cs | Rd,              "Compare Halfword"),
        Op(0x4A,   "AH",     RX,     All_,    Standard,      Cs | Rd,              "Add Halfword"),
        Op(0x4B,   "SH",     RX,     All_,    Standard,      Cs | Rd,              "Subtract Halfword"),
        Op(0x4C,   "MH",     RX,     All_,    Standard,      Rd,                   "Multiply Halfword"),
        Op(0x4D,   "BAS",    RX,     M67,     Model67,       Br,                   "Branch and Store"),
        Op(0x4E,   "CVD",    RX,     All_,    Standard,      Wr,                   "Convert to Decimal"),
        Op(0x4F,   "CVB",    RX,     All_,    Standard,      Rd,                   "Convert to Binary"),
        Op(0x50,   "ST",     RX,     All_,    Standard,      Wr,                   "Store"),
        Op(0x54,   "N",      RX,     All_,    Standard,      Cs | Rd,              "AND"),
        Op(0x55,   "CL",     RX,     All_,    Standard,      Cs | Rd,              "Compare Logical"),
        Op(0x56,   "O",      RX,     All_,    Standard,      Cs | Rd,              "OR"),
        Op(0x57,   "X",      RX,     All_,    Standard,      Cs | Rd,              "Exclusive OR"),
        Op(0x58,   "L",      RX,     All_,    Standard,      Rd,                   "Load"),
        Op(0x59,   "C",      RX,     All_,    Standard,      Cs | Rd,              "Compare"),
        Op(0x5A,   "A",      RX,     All_,    Standard,      Cs | Rd,              "Add"),
        Op(0x5B,   "S",      RX,     All_,    Standard,      Cs | Rd,              "Subtract"),
        Op(0x5C,   "M",      RX,     All_,    Standard,      Rd,                   "Multiply"),
        Op(0x5D,   "D",      RX,     All_,    Standard,      Rd,                   "Divide"),
        Op(0x5E,   "AL",     RX,     All_,    Standard,      Cs | Rd,              "Add Logical"),
        Op(0x5F,   "SL",     RX,     All_,    Standard,      Cs | Rd,              "Subtract Logical"),
        Op(0x60,   "STD",    RX,     All_,    FloatingPoint, Wr,                   "Store (long)"),
        Op(0x67,   "MXD",    RX,     L370,    ExtendedFloat, Rd,                   "Multiply (long to extended)"),
        Op(0x68,   "LD",     RX,     All_,    FloatingPoint, Rd,                   "Load (long)"),
        Op(0x69,   "CD",     RX,     All_,    FloatingPoint, Cs | Rd,              "Compare (long)"),
        Op(0x6A,   "AD",     RX,     All_,    FloatingPoint, Cs | Rd,              "Add Normalized (long)"),
        Op(0x6B,   "SD",     RX,     All_,    FloatingPoint, Cs | Rd,              "Subtract Normalized (long)"),
        Op(0x6C,   "MD",     RX,     All_,    FloatingPoint, Rd,                   "Multiply (long)"),
        Op(0x6D,   "DD",     RX,     All_,    FloatingPoint, Rd,                   "Divide (long)"),
        Op(0x6E,   "AW",     RX,     All_,    FloatingPoint, Cs | Rd,              "Add Unnormalized (long)"),
        Op(0x6F,   "SW",     RX,     All_,    FloatingPoint, Cs | Rd,              "Subtract Unnormalized (long)"),
        Op(0x70,   "STE",    RX,     All_,    FloatingPoint, Wr,                   "Store (short)"),
        Op(0x78,   "LE",     RX,     All_,    FloatingPoint, Rd,                   "Load (short)"),
        Op(0x79,   "CE",     RX,     All_,    FloatingPoint, Cs | Rd,              "Compare (short)"),
        Op(0x7A,   "AE",     RX,     All_,    FloatingPoint, Cs | Rd,              "Add Normalized (short)"),
        Op(0x7B,   "SE",     RX,     All_,    FloatingPoint, Cs | Rd,              "Subtract Normalized (short)"),
        Op(0x7C,   "ME",     RX,     All_,    FloatingPoint, Rd,                   "Multiply (short)"),
        Op(0x7D,   "DE",     RX,     All_,    FloatingPoint, Rd,                   "Divide (short)"),
        Op(0x7E,   "AU",     RX,     All_,    FloatingPoint, Cs | Rd,              "Add Unnormalized (short)"),
        Op(0x7F,   "SU",     RX,     All_,    FloatingPoint, Cs | Rd,              "Subtract Unnormalized (short)"),
        Op(0x80,   "SSM",    SI_D,   All_,    Standard,      P | Rd,               "Set System Mask"),
        Op(0x82,   "LPSW",   SI_D,   All_,    Standard,      P | Rd | Br,          "Load PSW"),
        Op(0x83,   "DIAG",   RS,     All_,    Standard,      P,                    "Diagnose"),
        Op(0x86,   "BXH",    RS,     All_,    Standard,      Br,                   "Branch on Index High"),
        Op(0x87,   "BXLE",   RS,     All_,    Standard,      Br,                   "Branch on Index Low or Equal"),
        Op(0x88,   "SRL",    RS_R1,  All_,    Standard,      _,                    "Shift Right Single Logical"),
        Op(0x89,   "SLL",    RS_R1,  All_,    Standard,      _,                    "Shift Left Single Logical"),
        Op(0x8A,   "SRA",    RS_R1,  All_,    Standard,      Cs,                   "Shift Right Single"),
        Op(0x8B,   "SLA",    RS_R1,  All_,    Standard,      Cs,                   "Shift Left Single"),
        Op(0x8C,   "SRDL",   RS_R1,  All_,    Standard,      _,                    "Shift Right Double Logical"),
        Op(0x8D,   "SLDL",   RS_R1,  All_,    Standard,      _,                    "Shift Left Double Logical"),
        Op(0x8E,   "SRDA",   RS_R1,  All_,    Standard,      Cs,                   "Shift Right Double"),
        Op(0x8F,   "SLDA",   RS_R1,  All_,    Standard,      Cs,                   "Shift Left Double"),
        Op(0x90,   "STM",    RS,     All_,    Standard,      Wr,                   "Store Multiple"),
        Op(0x91,   "TM",     SI,     All_,    Standard,      Cs | Rd,              "Test under Mask"),
        Op(0x92,   "MVI",    SI,     All_,    Standard,      Wr,                   "Move"),
        Op(0x93,   "TS",     SI_D,   All_,    Standard,      Cs | Rd | Wr,         "Test and Set"),
        Op(0x94,   "NI",     SI,     All_,    Standard,      Cs | Rd | Wr,         "AND"),
        Op(0x95,   "CLI",    SI,     All_,    Standard,      Cs | Rd,              "Compare Logical"),
        Op(0x96,   "OI",     SI,     All_,    Standard,      Cs | Rd | Wr,         "OR"),
        Op(0x97,   "XI",     SI,     All_,    Standard,      Cs | Rd | Wr,         "Exclusive OR"),
        Op(0x98,   "LM",     RS,     All_,    Standard,      Rd,                   "Load Multiple"),
        Op(0x9C,   "SIO",    SI_D,   S36x,    Standard,      Io,                   "Start I/O"),
        Op(0x9D,   "TIO",    SI_D,   S36x,    Standard,      Io,                   "Test I/O"),
        Op(0x9E,   "HIO",    SI_D,   S36x,    Standard,      Io,                   "Halt I/O"),
        Op(0x9F,   "TCH",    SI_D,   S36x,    Standard,      Io,                   "Test Channel"),
        Op(0x9C00, "SIO",    S,      L370,    Standard,      Io,                   "Start I/O"),
        Op(0x9C01, "SIOF",   S,      L370,    Feature.S370,  Io,                   "Start I/O Fast Release"),
        Op(0x9D00, "TIO",    S,      L370,    Standard,      Io,                   "Test I/O"),
        Op(0x9D01, "CLRIO",  S,      L370,    Feature.S370,  Io,                   "Clear I/O"),
        Op(0x9E00, "HIO",    S,      L370,    Standard,      Io,                   "Halt I/O"),
        Op(0x9E01, "HDV",    S,      L370,    Feature.S370,  Io,                   "Halt Device"),
        Op(0x9F00, "TCH",    S,      L370,    Standard,      Io,                   "Test Channel"),
        Op(0xAC,   "STNSM",  SI,     L370,    Feature.S370,  P | Wr,               "Store Then AND System Mask"),
        Op(0xAD,   "STOSM",  SI,     L370,    Feature.S370,  P | Wr,               "Store Then OR System Mask"),
        Op(0xAF,   "MC",     SI,     L370,    Feature.S370,  End,                  "Monitor Call"),
        Op(0xB0,   "STMC",   RS,     M67,     Model67,       P | Wr,               "Store Multiple Control"),
        Op(0xB1,   "LRA",    RX,     M67_370, Model67,       P | Cs,               "Load Real Address"),
        Op(0xB202, "STIDP",  S,      L370,    Feature.S370,  P | Wr,               "Store CPU ID"),
        Op(0xB203, "STIDC",  S,      L370,    Feature.S370,  Io | Wr,              "Store Channel ID"),
        Op(0xB204, "SCK",    S,      L370,    Feature.S370,  P | Rd | Cs,          "Set Clock"),
        Op(0xB205, "STCK",   S,      L370,    Feature.S370,  Wr | Cs,              "Store Clock"),
        Op(0xB206, "SCKC",   S,      L370,    Feature.S370,  P | Rd,               "Set Clock Comparator"),
        Op(0xB207, "STCKC",  S,      L370,    Feature.S370,  P | Wr,               "Store Clock Comparator"),
        Op(0xB208, "SPT",    S,      L370,    Feature.S370,  P | Rd,               "Set CPU Timer"),
        Op(0xB209, "STPT",   S,      L370,    Feature.S370,  P | Wr,               "Store CPU Timer"),
        Op(0xB20A, "SPKA",   S,      L370,    Feature.S370,  P,                    "Set PSW Key from Address"),
        Op(0xB20B, "IPK",    S,      L370,    Feature.S370,  P,                    "Insert PSW Key"),
        Op(0xB213, "RRB",    S,      L370,    Feature.S370,  P | Cs,               "Reset Reference Bit"),
        Op(0xB6,   "STCTL",  RS,     L370,    Feature.S370,  P | Wr,               "Store Control"),
        Op(0xB7,   "LCTL",   RS,     L370,    Feature.S370,  P | Rd,               "Load Control"),
        Op(0xB8,   "LMC",    RS,     M67,     Model67,       P | Rd,               "Load Multiple Control"),
        Op(0xBA,   "CS",     RS,     L370,    Feature.S370,  Cs | Rd | Wr,         "Compare and Swap"),
        Op(0xBB,   "CDS",    RS,     L370,    Feature.S370,  Cs | Rd | Wr,         "Compare Double and Swap"),
        Op(0xBD,   "CLM",    RS_M,   L370,    Feature.S370,  Cs | Rd,              "Compare Logical Characters under Mask"),
        Op(0xBE,   "STCM",   RS_M,   L370,    Feature.S370,  Wr,                   "Store Characters under Mask"),
        Op(0xBF,   "ICM",    RS_M,   L370,    Feature.S370,  Cs | Rd,              "Insert Characters under Mask"),
        Op(0xD1,   "MVN",    SS_L,   All_,    Standard,      Rd | Wr,              "Move Numerics"),
        Op(0xD2,   "MVC",    SS_L,   All_,    Standard,      Rd | Wr,              "Move"),
        Op(0xD3,   "MVZ",    SS_L,   All_,    Standard,      Rd | Wr,              "Move Zones"),
        Op(0xD4,   "NC",     SS_L,   All_,    Standard,      Cs | Rd | Wr,         "AND"),
        Op(0xD5,   "CLC",    SS_L,   All_,    Standard,      Cs | Rd,              "Compare Logical"),
        Op(0xD6,   "OC",     SS_L,   All_,    Standard,      Cs | Rd | Wr,         "OR"),
        Op(0xD7,   "XC",     SS_L,   All_,    Standard,      Cs | Rd | Wr,         "Exclusive OR"),
        Op(0xDC,   "TR",     SS_L,   All_,    Standard,      Rd | Wr,              "Translate"),
        Op(0xDD,   "TRT",    SS_L,   All_,    Standard,      Cs | Rd,              "Translate and Test"),
        Op(0xDE,   "ED",     SS_L,   All_,    Dec,           Cs | Rd | Wr,         "Edit"),
        Op(0xDF,   "EDMK",   SS_L,   All_,    Dec,           Cs | Rd | Wr,         "Edit and Mark"),
        Op(0xF0,   "SRP",    SS_LI,  L370,    Dec,           Cs | Rd | Wr,         "Shift and Round Decimal"),
        Op(0xF1,   "MVO",    SS_LL,  All_,    Standard,      Rd | Wr,              "Move with Offset"),
        Op(0xF2,   "PACK",   SS_LL,  All_,    Standard,      Rd | Wr,              "Pack"),
        Op(0xF3,   "UNPK",   SS_LL,  All_,    Standard,      Rd | Wr,              "Unpack"),
        Op(0xF8,   "ZAP",    SS_LL,  All_,    Dec,           Cs | Rd | Wr,         "Zero and Add"),
        Op(0xF9,   "CP",     SS_LL,  All_,    Dec,           Cs | Rd,              "Compare Decimal"),
        Op(0xFA,   "AP",     SS_LL,  All_,    Dec,           Cs | Rd | Wr,         "Add Decimal"),
        Op(0xFB,   "SP",     SS_LL,  All_,    Dec,           Cs | Rd | Wr,         "Subtract Decimal"),
        Op(0xFC,   "MP",     SS_LL,  All_,    Dec,           Rd | Wr,              "Multiply Decimal"),
        Op(0xFD,   "DP",     SS_LL,  All_,    Dec,           Rd | Wr,              "Divide Decimal"),
    };

    static readonly Dictionary<(ArchLevel, string), Opcode> byMnemonic = BuildMnemonicIndex();
    static readonly Opcode?[][] byFirstByte = BuildDecodeTables();

    static Dictionary<(ArchLevel, string), Opcode> BuildMnemonicIndex()
    {
        var d = new Dictionary<(ArchLevel, string), Opcode>();
        foreach (var level in new[] { ArchLevel.S360, ArchLevel.S360_67, ArchLevel.S370 })
            foreach (var op in All)
                if (op.AvailableIn(level))
                    d.Add((level, op.Mnemonic), op); // throws on a duplicate: the table is wrong
        return d;
    }

    // One 256-entry table per level, indexed by the first opcode byte; two-byte opcodes are
    // looked up through Decode's second step.
    static Opcode?[][] BuildDecodeTables()
    {
        var tables = new Opcode?[3][];
        int i = 0;
        foreach (var level in new[] { ArchLevel.S360, ArchLevel.S360_67, ArchLevel.S370 })
        {
            var t = new Opcode?[256];
            foreach (var op in All)
                if (op.AvailableIn(level) && !op.IsTwoByte)
                    t[op.Code] = op;
            tables[i++] = t;
        }
        return tables;
    }

    static int LevelIndex(ArchLevel level) => level switch { ArchLevel.S360 => 0, ArchLevel.S360_67 => 1, ArchLevel.S370 => 2, _ => throw new ArgumentOutOfRangeException(nameof(level)) };

    /// <summary>True when the first byte starts a two-byte opcode at this level.</summary>
    public static bool IsTwoByteOpcode(ArchLevel level, byte first)
        => level == ArchLevel.S370 && (first == 0xB2 || (first >= 0x9C && first <= 0x9F));

    /// <summary>
    /// The two-byte opcode of an instruction beginning with <paramref name="first"/>, <paramref name="second"/>.
    /// For S/370 I/O instructions (9C-9F) only bit 15 is significant (GA22-7000 "Input/Output
    /// Instructions": bits 8-14 are ignored).
    /// </summary>
    public static ushort TwoByteCode(byte first, byte second)
        => first == 0xB2 ? (ushort)(0xB200 | second) : (ushort)((first << 8) | (second & 1));

    /// <summary>Decodes the opcode of the instruction whose first two bytes are given, or null (operation exception).</summary>
    public static Opcode? Decode(ArchLevel level, byte first, byte second)
    {
        if (IsTwoByteOpcode(level, first))
        {
            ushort code = TwoByteCode(first, second);
            return byCode.TryGetValue(code, out var op) && op.AvailableIn(level) ? op : null;
        }
        return byFirstByte[LevelIndex(level)][first];
    }

    static readonly Dictionary<ushort, Opcode> byCode = All.Where(o => o.IsTwoByte).ToDictionary(o => o.Code);

    public static Opcode? Find(ArchLevel level, string mnemonic)
        => byMnemonic.TryGetValue((level, mnemonic.ToUpperInvariant()), out var op) ? op : null;

    /// <summary>The rows available at a level.</summary>
    public static IEnumerable<Opcode> For(ArchLevel level) => All.Where(o => o.AvailableIn(level));
}
