namespace Jit360.Machine;

/// <summary>Program-interruption codes (GA22-7000 "Program Interruption"; GA22-6821 same numbering for 1-15).</summary>
public static class ProgramInterruptCode
{
    public const int Operation = 0x01;
    public const int PrivilegedOperation = 0x02;
    public const int Execute = 0x03;
    public const int Protection = 0x04;
    public const int Addressing = 0x05;
    public const int Specification = 0x06;
    public const int Data = 0x07;
    public const int FixedPointOverflow = 0x08;
    public const int FixedPointDivide = 0x09;
    public const int DecimalOverflow = 0x0A;
    public const int DecimalDivide = 0x0B;
    public const int ExponentOverflow = 0x0C;
    public const int ExponentUnderflow = 0x0D;
    public const int Significance = 0x0E;
    public const int FloatingPointDivide = 0x0F;
    public const int SegmentTranslation = 0x10;
    public const int PageTranslation = 0x11;
    public const int TranslationSpecification = 0x12;
    public const int SpecialOperation = 0x13;
    public const int MonitorEvent = 0x40;

    public static string Name(int code) => (code & ~MonitorEvent) switch
    {
        Operation => "operation",
        PrivilegedOperation => "privileged-operation",
        Execute => "execute",
        Protection => "protection",
        Addressing => "addressing",
        Specification => "specification",
        Data => "data",
        FixedPointOverflow => "fixed-point-overflow",
        FixedPointDivide => "fixed-point-divide",
        DecimalOverflow => "decimal-overflow",
        DecimalDivide => "decimal-divide",
        ExponentOverflow => "exponent-overflow",
        ExponentUnderflow => "exponent-underflow",
        Significance => "significance",
        FloatingPointDivide => "floating-point-divide",
        SegmentTranslation => "segment-translation",
        PageTranslation => "page-translation",
        TranslationSpecification => "translation-specification",
        SpecialOperation => "special-operation",
        0 when code == MonitorEvent => "monitor-event",
        _ => $"code {code:X2}",
    };
}

/// <summary>
/// Raised by instruction semantics to recognise a program-interruption condition. The engine
/// catches it at the instruction boundary and performs the PSW swap (or exits to the Control
/// Program). Suppression and nullification are the semantics' job: they must not have changed
/// any register or storage before throwing, unless the condition completes the instruction
/// (fixed-point overflow, exponent underflow, ...).
/// </summary>
public sealed class ProgramInterruption(int code) : Exception(ProgramInterruptCode.Name(code))
{
    public int Code { get; } = code;

    // Exceptions of the same code are interchangeable; reusing them spares an allocation on
    // paths that CMS takes often (privileged operations under CP).
    static readonly ProgramInterruption[] cached = Enumerable.Range(0, 0x20).Select(c => new ProgramInterruption(c)).ToArray();

    public static ProgramInterruption Of(int code) => code < cached.Length ? cached[code] : new ProgramInterruption(code);
}
