using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Interpreter;

/// <summary>
/// Hexadecimal floating point (GA22-7000 chapter 9; GA22-6821 "Floating-Point Arithmetic").
/// The System/370 vectors were worked out from the Principles of Operation and each agrees with
/// Hercules 3.13 (../shared/oracle/h370oracle.py, S/370 mode): register 12 addresses the storage
/// operand, the program mask is set, one instruction runs, and all four registers, the condition
/// code (from the old PSW when interrupted) and the interruption code are compared.
/// </summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class FloatTests(string engine)
{
    const uint Window = 0x2000;

    /// <summary>One vector: registers as "r=hex16 ...", storage at the window, expected F0 F2 F4 F6, cc, program check, expected first 16 window bytes.</summary>
    public sealed record Case(string Name, string Code, string Fprs, string Memory, int ProgramMask, string Expected, int Cc, int? ProgramCheck, string? WindowAfter = null)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Case> S370Cases =>
    [
        new("LER_low_half_unchanged", "3802", "0=1111111122222222 2=4133333344444444", "", 0, "4133333322222222 4133333344444444 0000000000000000 0000000000000000", 0, null),
        new("LDR", "2802", "0=1111111122222222 2=C133333344444444", "", 0, "C133333344444444 C133333344444444 0000000000000000 0000000000000000", 0, null),
        new("LE", "7800C000", "0=AAAAAAAABBBBBBBB", "41123456", 0, "41123456BBBBBBBB 0000000000000000 0000000000000000 0000000000000000", 0, null),
        new("LE_unaligned_S370", "7800C002", "0=AAAAAAAABBBBBBBB", "0000C1654321", 0, "C1654321BBBBBBBB 0000000000000000 0000000000000000 0000000000000000", 0, null),
        new("LD", "6800C000", "0=AAAAAAAABBBBBBBB", "C11234567890ABCD", 0, "C11234567890ABCD 0000000000000000 0000000000000000 0000000000000000", 0, null),
        new("STE", "7000C004", "0=4112345678ABCDEF", "", 0, "4112345678ABCDEF 0000000000000000 0000000000000000 0000000000000000", 0, null, "00000000411234560000000000000000"),
        new("STD", "6000C008", "0=4112345678ABCDEF", "", 0, "4112345678ABCDEF 0000000000000000 0000000000000000 0000000000000000", 0, null, "00000000000000004112345678ABCDEF"),
        new("LTER_negative", "3202", "0=AAAAAAAABBBBBBBB 2=C1100000FFFFFFFF", "", 0, "C1100000BBBBBBBB C1100000FFFFFFFF 0000000000000000 0000000000000000", 1, null),
        new("LTER_minus_zero_fraction", "3202", "0=AAAAAAAABBBBBBBB 2=C500000012345678", "", 0, "C5000000BBBBBBBB C500000012345678 0000000000000000 0000000000000000", 0, null),
        new("LTDR_low_digit_only", "2202", "2=0000000000000001", "", 0, "0000000000000001 0000000000000001 0000000000000000 0000000000000000", 2, null),
        new("LCER", "3302", "0=AAAAAAAABBBBBBBB 2=4110000000000000", "", 0, "C1100000BBBBBBBB 4110000000000000 0000000000000000 0000000000000000", 1, null),
        new("LCER_zero_fraction", "3302", "0=AAAAAAAABBBBBBBB 2=0000000000000000", "", 0, "80000000BBBBBBBB 0000000000000000 0000000000000000 0000000000000000", 0, null),
        new("LCDR", "2302", "2=C110000000000001", "", 0, "4110000000000001 C110000000000001 0000000000000000 0000000000000000", 2, null),
        new("LPER", "3002", "0=AAAAAAAABBBBBBBB 2=C110000000000000", "", 0, "41100000BBBBBBBB C110000000000000 0000000000000000 0000000000000000", 2, null),
        new("LPDR", "2002", "2=C110000000000001", "", 0, "4110000000000001 C110000000000001 0000000000000000 0000000000000000", 2, null),
        new("LNER", "3102", "0=AAAAAAAABBBBBBBB 2=4110000000000000", "", 0, "C1100000BBBBBBBB 4110000000000000 0000000000000000 0000000000000000", 1, null),
        new("LNER_zero_fraction", "3102", "0=AAAAAAAABBBBBBBB 2=4000000000000000", "", 0, "C0000000BBBBBBBB 4000000000000000 0000000000000000 0000000000000000", 0, null),
        new("LNDR", "2102", "2=0000000000000000", "", 0, "8000000000000000 0000000000000000 0000000000000000 0000000000000000", 0, null),
        new("HER_normalizes", "3402", "0=AAAAAAAABBBBBBBB 2=4110000000000000", "", 0, "40800000BBBBBBBB 4110000000000000 0000000000000000 0000000000000000", 0, null),
        new("HER_guard_bit_kept", "3402", "0=AAAAAAAABBBBBBBB 2=41000001FFFFFFFF", "", 0, "3B800000BBBBBBBB 41000001FFFFFFFF 0000000000000000 0000000000000000", 0, null),
        new("HER_zero_fraction_true_zero", "3402", "0=AAAAAAAABBBBBBBB 2=C500000000000000", "", 0, "00000000BBBBBBBB C500000000000000 0000000000000000 0000000000000000", 0, null),
        new("HER_underflow_masked_off", "3402", "0=AAAAAAAABBBBBBBB 2=0010000000000000", "", 0, "00000000BBBBBBBB 0010000000000000 0000000000000000 0000000000000000", 0, null),
        new("HER_underflow_mask_on", "3402", "0=AAAAAAAABBBBBBBB 2=0010000000000000", "", 2, "7F800000BBBBBBBB 0010000000000000 0000000000000000 0000000000000000", 0, 0x0D),
        new("HDR", "2402", "2=C120000000000001", "", 0, "C110000000000000 C120000000000001 0000000000000000 0000000000000000", 0, null),
        new("HDR_unnormalized", "2402", "2=4400000000000003", "", 0, "3718000000000000 4400000000000003 0000000000000000 0000000000000000", 0, null),
        new("CER_low", "3902", "0=4110000000000000 2=4120000000000000", "", 0, "4110000000000000 4120000000000000 0000000000000000 0000000000000000", 1, null),
        new("CER_unnormalized_equal", "3902", "0=4201000000000000 2=4110000000000000", "", 0, "4201000000000000 4110000000000000 0000000000000000 0000000000000000", 0, null),
        new("CER_zero_fractions_equal", "3902", "0=4000000000000000 2=C500000000000000", "", 0, "4000000000000000 C500000000000000 0000000000000000 0000000000000000", 0, null),
        new("CER_guard_digit_decides", "3902", "0=4100000100000000 2=4200000000000000", "", 0, "4100000100000000 4200000000000000 0000000000000000 0000000000000000", 2, null),
        new("CER_beyond_guard_equal", "3902", "0=4100000100000000 2=4300000000000000", "", 0, "4100000100000000 4300000000000000 0000000000000000 0000000000000000", 0, null),
        new("CER_ignores_low_half", "3902", "0=4110000000000000 2=41100000FFFFFFFF", "", 0, "4110000000000000 41100000FFFFFFFF 0000000000000000 0000000000000000", 0, null),
        new("CDR_high", "2902", "0=4110000000000001 2=4110000000000000", "", 0, "4110000000000001 4110000000000000 0000000000000000 0000000000000000", 2, null),
        new("CDR_negative_low", "2902", "0=C110000000000000 2=4000000000000001", "", 0, "C110000000000000 4000000000000001 0000000000000000 0000000000000000", 1, null),
        new("CE", "7900C000", "0=C120000000000000", "C1100000", 0, "C120000000000000 0000000000000000 0000000000000000 0000000000000000", 1, null),
        new("CD", "6900C000", "0=4110000000000000", "4110000000000000", 0, "4110000000000000 0000000000000000 0000000000000000 0000000000000000", 0, null),
        new("AER", "3A02", "0=4110000012345678 2=4120000000000000", "", 0, "4130000012345678 4120000000000000 0000000000000000 0000000000000000", 2, null),
        new("AER_guard_digit", "3B02", "0=4110000012345678 2=40FFFFFF00000000", "", 0, "3B10000012345678 40FFFFFF00000000 0000000000000000 0000000000000000", 2, null),
        new("AER_carry", "3A02", "0=41F0000000000000 2=4120000000000000", "", 0, "4211000000000000 4120000000000000 0000000000000000 0000000000000000", 2, null),
        new("AER_mixed_signs_negative", "3A02", "0=4110000000000000 2=C130000000000000", "", 0, "C120000000000000 C130000000000000 0000000000000000 0000000000000000", 1, null),
        new("AER_significance_masked_off", "3A02", "0=4110000012345678 2=C110000000000000", "", 0, "0000000012345678 C110000000000000 0000000000000000 0000000000000000", 0, null),
        new("AER_significance_mask_on", "3A02", "0=4110000012345678 2=C110000000000000", "", 1, "4100000012345678 C110000000000000 0000000000000000 0000000000000000", 0, 0x0E),
        new("AER_true_zeros_significance", "3A02", "0=0000000000000000 2=0000000000000000", "", 1, "0000000000000000 0000000000000000 0000000000000000 0000000000000000", 0, 0x0E),
        new("AER_overflow", "3A02", "0=7F10000000000000 2=7FF0000000000000", "", 0, "0010000000000000 7FF0000000000000 0000000000000000 0000000000000000", 2, 0x0C),
        new("SER_underflow_masked_off", "3B02", "0=0010000000000000 2=0001000000000000", "", 0, "0000000000000000 0001000000000000 0000000000000000 0000000000000000", 0, null),
        new("SER_underflow_mask_on", "3B02", "0=8010000000000000 2=8001000000000000", "", 3, "FFF0000000000000 8001000000000000 0000000000000000 0000000000000000", 1, 0x0D),
        new("AE", "7A00C000", "0=4210000000000000", "41100000", 0, "4211000000000000 0000000000000000 0000000000000000 0000000000000000", 2, null),
        new("SE", "7B00C000", "0=4210000000000000", "42100000", 1, "4200000000000000 0000000000000000 0000000000000000 0000000000000000", 0, 0x0E),
        new("ADR", "2A02", "0=4110000000000000 2=4020000000000001", "", 0, "4112000000000000 4020000000000001 0000000000000000 0000000000000000", 2, null),
        new("ADR_guard_digit", "2B02", "0=4110000000000000 2=40FFFFFFFFFFFFFF", "", 0, "3310000000000000 40FFFFFFFFFFFFFF 0000000000000000 0000000000000000", 2, null),
        new("ADR_significance_mask_on", "2B02", "0=C312345678ABCDEF 2=C312345678ABCDEF", "", 1, "4300000000000000 C312345678ABCDEF 0000000000000000 0000000000000000", 0, 0x0E),
        new("ADR_overflow", "2A02", "0=7FFFFFFFFFFFFFFF 2=7F00000000000001", "", 0, "0010000000000000 7F00000000000001 0000000000000000 0000000000000000", 2, 0x0C),
        new("AD", "6A00C000", "0=C110000000000000", "4120000000000000", 0, "4110000000000000 0000000000000000 0000000000000000 0000000000000000", 2, null),
        new("SDR", "2B02", "0=4130000000000000 2=4110000000000000", "", 0, "4120000000000000 4110000000000000 0000000000000000 0000000000000000", 2, null),
        new("SD", "6B00C000", "0=4110000000000000", "4310000000000000", 0, "C2FF000000000000 0000000000000000 0000000000000000 0000000000000000", 1, null),
        new("AUR_no_normalization", "3E02", "0=4200100012345678 2=4000000000000000", "", 0, "4200100012345678 4000000000000000 0000000000000000 0000000000000000", 2, null),
        new("AUR_guard_digit_truncated", "3E02", "0=4110000000000000 2=4000000100000000", "", 0, "4110000000000000 4000000100000000 0000000000000000 0000000000000000", 2, null),
        new("AUR_significance_without_guard", "3E02", "0=4100000087654321 2=4000000100000000", "", 0, "0000000087654321 4000000100000000 0000000000000000 0000000000000000", 0, null),
        new("AUR_significance_mask_on", "3E02", "0=4100000087654321 2=4000000100000000", "", 1, "4100000087654321 4000000100000000 0000000000000000 0000000000000000", 0, 0x0E),
        new("AUR_overflow", "3E02", "0=7FF0000000000000 2=7F10000000000000", "", 0, "0010000000000000 7F10000000000000 0000000000000000 0000000000000000", 2, 0x0C),
        new("SUR", "3F02", "0=4230000000000000 2=4220000000000000", "", 0, "4210000000000000 4220000000000000 0000000000000000 0000000000000000", 2, null),
        new("AU", "7E00C000", "0=4300010000000000", "41100000", 0, "4300110000000000 0000000000000000 0000000000000000 0000000000000000", 2, null),
        new("SU", "7F00C000", "0=4300010000000000", "41100000", 0, "C3000F0000000000 0000000000000000 0000000000000000 0000000000000000", 1, null),
        new("AWR", "2E02", "0=4400000000000001 2=4300000000000001", "", 0, "4400000000000001 4300000000000001 0000000000000000 0000000000000000", 2, null),
        new("SWR", "2F02", "0=4210000000000000 2=4110000000000000", "", 0, "420F000000000000 4110000000000000 0000000000000000 0000000000000000", 2, null),
        new("AW", "6E00C000", "0=4410000000000000", "4110000000000000", 0, "4410010000000000 0000000000000000 0000000000000000 0000000000000000", 2, null),
        new("SW", "6F00C000", "0=4410000000000000", "4410000000000000", 2, "0000000000000000 0000000000000000 0000000000000000 0000000000000000", 0, null),
        new("MER_long_product", "3C02", "0=41200000FFFFFFFF 2=41300000FFFFFFFF", "", 0, "4160000000000000 41300000FFFFFFFF 0000000000000000 0000000000000000", 0, null),
        new("MER_prenormalizes", "3C02", "0=4300100000000000 2=C1FFFFFF00000000", "", 0, "C1FFFFFF00000000 C1FFFFFF00000000 0000000000000000 0000000000000000", 0, null),
        new("MER_zero_operand", "3C02", "0=4110000012345678 2=C500000000000000", "", 0, "0000000000000000 C500000000000000 0000000000000000 0000000000000000", 0, null),
        new("ME", "7C00C000", "0=C2123456FFFFFFFF", "C2ABCDEF", 0, "43C379A59BA4A000 0000000000000000 0000000000000000 0000000000000000", 0, null),
        new("MDR_truncates", "2C02", "0=41FFFFFFFFFFFFFF 2=41FFFFFFFFFFFFFF", "", 0, "42FFFFFFFFFFFFFE 41FFFFFFFFFFFFFF 0000000000000000 0000000000000000", 0, null),
        new("MDR_overflow", "2C02", "0=7F10000000000000 2=7F10000000000000", "", 0, "3D10000000000000 7F10000000000000 0000000000000000 0000000000000000", 0, 0x0C),
        new("MDR_underflow_masked_off", "2C02", "0=2010000000000000 2=2010000000000000", "", 0, "0000000000000000 2010000000000000 0000000000000000 0000000000000000", 0, null),
        new("MDR_underflow_mask_on", "2C02", "0=2010000000000000 2=A010000000000000", "", 2, "FF10000000000000 A010000000000000 0000000000000000 0000000000000000", 0, 0x0D),
        new("MD", "6C00C000", "0=4123456789ABCDEF", "C2FEDCBA98765432", 0, "C3231D4615018310 0000000000000000 0000000000000000 0000000000000000", 0, null),
        new("DER", "3D02", "0=4160000012345678 2=4130000000000000", "", 0, "4120000012345678 4130000000000000 0000000000000000 0000000000000000", 0, null),
        new("DER_dividend_not_less", "3D02", "0=4130000012345678 2=C120000000000000", "", 0, "C118000012345678 C120000000000000 0000000000000000 0000000000000000", 0, null),
        new("DER_by_zero_suppressed", "3D02", "0=4130000012345678 2=4100000000000000", "", 0, "4130000012345678 4100000000000000 0000000000000000 0000000000000000", 0, 0x0F),
        new("DER_zero_dividend", "3D02", "0=C100000012345678 2=4120000000000000", "", 0, "0000000012345678 4120000000000000 0000000000000000 0000000000000000", 0, null),
        new("DE_prenormalizes", "7D00C000", "0=4400010000000000", "42003000", 0, "4155555500000000 0000000000000000 0000000000000000 0000000000000000", 0, null),
        new("DDR", "2D02", "0=4110000000000000 2=4130000000000000", "", 0, "4055555555555555 4130000000000000 0000000000000000 0000000000000000", 0, null),
        new("DDR_overflow", "2D02", "0=7F10000000000000 2=0120000000000000", "", 0, "3E80000000000000 0120000000000000 0000000000000000 0000000000000000", 0, 0x0C),
        new("DDR_underflow_mask_on", "2D02", "0=0110000000000000 2=7F20000000000000", "", 2, "4280000000000000 7F20000000000000 0000000000000000 0000000000000000", 0, 0x0D),
        new("DDR_underflow_masked_off", "2D02", "0=0110000000000000 2=7F20000000000000", "", 0, "0000000000000000 7F20000000000000 0000000000000000 0000000000000000", 0, null),
        new("DD_by_zero", "6D00C000", "0=4110000000000000", "4200000000000000", 0, "4110000000000000 0000000000000000 0000000000000000 0000000000000000", 0, 0x0F),
        new("DD", "6D00C000", "0=C1FFFFFFFFFFFFFF", "4110000000000001", 0, "C1FFFFFFFFFFFFEF 0000000000000000 0000000000000000 0000000000000000", 0, null),
        new("LRER_rounds", "3502", "0=AAAAAAAABBBBBBBB 2=4112345680000000", "", 0, "41123457BBBBBBBB 4112345680000000 0000000000000000 0000000000000000", 0, null),
        new("LRER_no_round", "3502", "0=AAAAAAAABBBBBBBB 2=C11234567FFFFFFF", "", 0, "C1123456BBBBBBBB C11234567FFFFFFF 0000000000000000 0000000000000000", 0, null),
        new("LRER_carry", "3502", "0=AAAAAAAABBBBBBBB 2=41FFFFFF80000000", "", 0, "42100000BBBBBBBB 41FFFFFF80000000 0000000000000000 0000000000000000", 0, null),
        new("LRER_overflow", "3502", "0=AAAAAAAABBBBBBBB 2=FFFFFFFF80000000", "", 0, "80100000BBBBBBBB FFFFFFFF80000000 0000000000000000 0000000000000000", 0, 0x0C),
        new("LRDR_rounds", "2504", "0=AAAAAAAABBBBBBBB 4=4112345678ABCDEF 6=3380000000000000", "", 0, "4112345678ABCDF0 0000000000000000 4112345678ABCDEF 3380000000000000", 0, null),
        new("LRDR_carry", "2504", "0=AAAAAAAABBBBBBBB 4=C1FFFFFFFFFFFFFF 6=B3FFFFFFFFFFFFFF", "", 0, "C210000000000000 0000000000000000 C1FFFFFFFFFFFFFF B3FFFFFFFFFFFFFF", 0, null),
        new("AXR", "3604", "0=4110000000000000 2=3300000000000001 4=4020000000000000 6=3200000000000001", "", 0, "4112000000000000 3300000000000001 4020000000000000 3200000000000001", 2, null),
        new("AXR_guard_normalize", "3704", "0=4110000000000000 2=3300000000000000 4=40FFFFFFFFFFFFFF 6=32FFFFFFFFFFFFFF", "", 0, "2510000000000000 1700000000000000 40FFFFFFFFFFFFFF 32FFFFFFFFFFFFFF", 2, null),
        new("AXR_significance_masked_off", "3704", "0=4110000000000000 2=3300000000000005 4=4110000000000000 6=3300000000000005", "", 0, "0000000000000000 0000000000000000 4110000000000000 3300000000000005", 0, null),
        new("SXR_significance_mask_on", "3704", "0=4110000000000000 2=3300000000000005 4=4110000000000000 6=3300000000000005", "", 1, "4100000000000000 3300000000000000 4110000000000000 3300000000000005", 0, 0x0E),
        new("AXR_overflow", "3604", "0=7FF0000000000000 2=7100000000000000 4=7F10000000000000 6=7100000000000000", "", 0, "0010000000000000 7200000000000000 7F10000000000000 7100000000000000", 2, 0x0C),
        new("SXR", "3704", "0=C210000000000000 2=B400000000000000 4=4110000000000000 6=3300000000000001", "", 0, "C211000000000000 B400000000000000 4110000000000000 3300000000000001", 1, null),
        new("MXR", "2604", "0=41FFFFFFFFFFFFFF 2=33FFFFFFFFFFFFFF 4=41FFFFFFFFFFFFFF 6=33FFFFFFFFFFFFFF", "", 0, "42FFFFFFFFFFFFFF 34FFFFFFFFFFFFFE 41FFFFFFFFFFFFFF 33FFFFFFFFFFFFFF", 0, null),
        new("MXR_signs", "2604", "0=C112345678ABCDEF 2=B3FEDCBA98765432 4=4200000000000001 6=3400000000000000", "", 0, "B512345678ABCDEF A7FEDCBA98765432 4200000000000001 3400000000000000", 0, null),
        new("MXDR", "2702", "0=41FFFFFFFFFFFFFF 2=41FFFFFFFFFFFFFF", "", 0, "42FFFFFFFFFFFFFE 3400000000000001 0000000000000000 0000000000000000", 0, null),
        new("MXDR_low_characteristic_wraps_without_underflow", "2702", "0=2110000000000000 2=2010000000000000", "", 2, "0010000000000000 7200000000000000 0000000000000000 0000000000000000", 0, null),
        new("MXD", "6700C000", "0=C123456789ABCDEF 2=AAAAAAAABBBBBBBB", "4212345678ABCDEF", 0, "C2282174AA707E48 B4CED7CB1F2A5210 0000000000000000 0000000000000000", 0, null),
        new("LER_odd_register_spec", "3812", "", "", 0, "0000000000000000 0000000000000000 0000000000000000 0000000000000000", 0, 0x06),
        new("AXR_register_2_spec", "3624", "", "", 0, "0000000000000000 0000000000000000 0000000000000000 0000000000000000", 0, 0x06),
        new("MXD_register_2_spec", "6720C000", "", "", 0, "0000000000000000 0000000000000000 0000000000000000 0000000000000000", 0, 0x06),
        new("LRDR_r2_2_spec", "2502", "", "", 0, "0000000000000000 0000000000000000 0000000000000000 0000000000000000", 0, 0x06),
    ];

    TestMachine Run(Case c, ArchLevel level = ArchLevel.S370)
    {
        var m = new TestMachine(engine, level).Code(c.Code).Reg(12, Window).ProgramMask(c.ProgramMask);
        foreach (var r in c.Fprs.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = r.Split('=');
            m.Fpr(int.Parse(parts[0]), Convert.ToUInt64(parts[1], 16));
        }
        if (c.Memory.Length > 0) m.Bytes(Window, c.Memory);
        m.Run();
        return m;
    }

    static string Fprs(TestMachine m) => $"{m.Cpu.Fpr[0]:X16} {m.Cpu.Fpr[2]:X16} {m.Cpu.Fpr[4]:X16} {m.Cpu.Fpr[6]:X16}";

    /// <summary>The condition code: in the program old PSW (BC mode bits 34-35) when an interruption was taken.</summary>
    static int Cc(TestMachine m) => m.ProgramCheck is null ? m.Cpu.Cc : (int)(m.Cpu.LastInterrupt.OldPsw >> 28) & 3;

    [TestCaseSource(nameof(S370Cases))]
    public void S370_vector(Case c)
    {
        var m = Run(c);
        Assert.Multiple(() =>
        {
            Assert.That(Fprs(m), Is.EqualTo(c.Expected), "registers F0 F2 F4 F6");
            Assert.That(m.ProgramCheck, Is.EqualTo(c.ProgramCheck), "program-interruption code");
            Assert.That(Cc(m), Is.EqualTo(c.Cc), "condition code");
            if (c.WindowAfter is not null) Assert.That(m.Hex(Window, 16), Is.EqualTo(c.WindowAfter), "storage");
        });
    }

    // ---------------------------------------------------------------- interruption details

    [Test]
    public void Exponent_overflow_completes_then_interrupts_with_ilc_and_updated_address()
    {
        var m = Run(new("AE", "7A00C000", "0=7FF0000000000000", "7F100000", 0, "", 0, null));
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.ExponentOverflow));
        Assert.That(m.Cpu.Fpr[0], Is.EqualTo(0x0010_0000_0000_0000ul));
        Assert.That(m.Cpu.LastInterrupt.Ilc, Is.EqualTo(2));
        Assert.That((uint)m.Cpu.LastInterrupt.OldPsw & 0xFFFFFF, Is.EqualTo(TestMachine.CodeAddress + 4));
    }

    [Test]
    public void Divide_exception_suppresses_and_points_past_the_instruction()
    {
        var m = Run(new("DDR", "2D02", "0=4130000012345678 2=C500000000000000", "", 0, "", 0, null));
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.FloatingPointDivide));
        Assert.That(m.Cpu.Fpr[0], Is.EqualTo(0x4130_0000_1234_5678ul));
        Assert.That(m.Cpu.LastInterrupt.Ilc, Is.EqualTo(1));
        Assert.That((uint)m.Cpu.LastInterrupt.OldPsw & 0xFFFFFF, Is.EqualTo(TestMachine.CodeAddress + 2));
    }

    [Test]
    public void Specification_for_register_leaves_everything_unchanged()
    {
        var m = Run(new("ADR", "2A13", "0=4110000000000000 2=4110000000000000", "", 0, "", 0, null));
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Specification));
        Assert.That(m.Cpu.Fpr[0], Is.EqualTo(0x4110_0000_0000_0000ul));
    }

    [TestCase("3602")]   // AXR R2 = 2
    [TestCase("2624")]   // MXR R1 = 2
    [TestCase("2722")]   // MXDR R1 = 2
    [TestCase("2723")]   // MXDR R2 = 3
    [TestCase("3531")]   // LRER R1 = 3
    public void Extended_register_rules(string code)
    {
        var m = Run(new(code, code, "", "", 0, "", 0, null));
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Specification));
    }

    [Test]
    public void Storage_operand_addressing_exception_leaves_register()
    {
        // LD from beyond the end of storage (the test machine has 64 KiB).
        var m = new TestMachine(engine).Code("6800C000").Reg(12, 0x20000).Fpr(0, 0x4110_0000_0000_0000);
        m.Run();
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Addressing));
        Assert.That(m.Cpu.Fpr[0], Is.EqualTo(0x4110_0000_0000_0000ul));
    }

    [Test]
    public void Sequence_of_instructions_computes_a_sum_of_products()
    {
        // LE 0,0(12); ME 0,4(12); LE 2,8(12); ME 2,12(12); ADR 0,2; STD 0,16(12)
        // 2.0 * 3.0 + 0.5 * 4.0 = 8.0 = X'4180000000000000'.
        var m = new TestMachine(engine).Code("7800C000 7C00C004 7820C008 7C20C00C 2A02 6000C010").Reg(12, Window)
                                       .Bytes(Window, "41200000 41300000 40800000 41400000");
        m.Run(6);
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Hex(Window + 16, 8), Is.EqualTo("4180000000000000"));
        Assert.That(m.Cpu.Cc, Is.EqualTo(2));
    }

    // ---------------------------------------------------------------- System/360 (GA22-6821)

    [Test]
    public void S360_HER_shifts_without_normalizing()
    {
        // GA22-6821 "Halve": the fraction shifts right one bit; sign and characteristic unchanged; no normalization.
        var m = Run(new("HER", "3402", "0=AAAAAAAABBBBBBBB 2=4110000100000000", "", 0, "", 0, null), ArchLevel.S360);
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Cpu.Fpr[0], Is.EqualTo(0x4108_0000_BBBB_BBBBul));
    }

    [Test]
    public void S360_HDR_does_not_underflow_or_make_true_zero()
    {
        var m = Run(new("HDR", "2402", "2=8000000000000001", "", 2, "", 0, null), ArchLevel.S360);
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Cpu.Fpr[0], Is.EqualTo(0x8000_0000_0000_0000ul));
    }

    [Test]
    public void S360_exponent_overflow_in_add_sets_cc_3()
    {
        // GA22-6821 "Add Normalized": condition code 3, result exponent overflows.
        var m = Run(new("AER", "3A02", "0=7F10000000000000 2=7FF0000000000000", "", 0, "", 0, null), ArchLevel.S360);
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.ExponentOverflow));
        Assert.That(m.Cpu.Fpr[0], Is.EqualTo(0x0010_0000_0000_0000ul));
        Assert.That(Cc(m), Is.EqualTo(3));
    }

    [Test]
    public void S360_significance_and_underflow_follow_the_masks()
    {
        var sig = Run(new("SDR", "2B02", "0=4210000000000000 2=4210000000000000", "", 1, "", 0, null), ArchLevel.S360);
        Assert.That(sig.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Significance));
        Assert.That(sig.Cpu.Fpr[0], Is.EqualTo(0x4200_0000_0000_0000ul));
        var under = Run(new("MER", "3C02", "0=2010000000000000 2=2010000000000000", "", 0, "", 0, null), ArchLevel.S360_67);
        Assert.That(under.ProgramCheck, Is.Null);
        Assert.That(under.Cpu.Fpr[0], Is.EqualTo(0ul));
    }

    [TestCase("7800C002")]   // LE on a halfword boundary
    [TestCase("6800C004")]   // LD on a word boundary
    [TestCase("7000C001")]   // STE
    [TestCase("6000C004")]   // STD
    [TestCase("6A00C004")]   // AD
    public void S360_storage_operands_must_be_aligned(string code)
    {
        var m = Run(new(code, code, "0=4110000000000000", "", 0, "", 0, null), ArchLevel.S360);
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Specification));
        Assert.That(m.Cpu.Fpr[0], Is.EqualTo(0x4110_0000_0000_0000ul));
        Assert.That(m.Hex(Window, 8), Is.EqualTo("0000000000000000"));
    }

    [Test]
    public void S370_long_operand_may_be_unaligned()
    {
        var m = Run(new("LD", "6800C003", "", "000000C110000000000001", 0, "", 0, null));
        Assert.That(m.ProgramCheck, Is.Null);
        Assert.That(m.Cpu.Fpr[0], Is.EqualTo(0xC110_0000_0000_0001ul));
    }

    [TestCase("3604")]   // AXR
    [TestCase("2604")]   // MXR
    [TestCase("3502")]   // LRER
    [TestCase("2504")]   // LRDR
    [TestCase("6700C000")]   // MXD
    public void S360_has_no_extended_precision(string code)
    {
        var m = Run(new(code, code, "", "", 0, "", 0, null), ArchLevel.S360);
        Assert.That(m.ProgramCheck, Is.EqualTo(ProgramInterruptCode.Operation));
    }

    [Test]
    public void S360_MER_gives_a_long_product()
    {
        var m = Run(new("MER", "3C02", "0=41200000FFFFFFFF 2=41300000FFFFFFFF", "", 0, "", 0, null), ArchLevel.S360);
        Assert.That(m.Cpu.Fpr[0], Is.EqualTo(0x4160_0000_0000_0000ul));
    }
}
