#!/usr/bin/env python3
"""Builds tests/vectors/*.jsonl from external oracles (tests/vectors/README.md).

Every case is run through an oracle that is not our interpreter:
  * qemu-s390x (shared/oracle/s360oracle.py) for problem-state fixed-point, logical, shift,
    branch, character instructions and the exceptions it maps unambiguously;
  * Hercules 3.13 in S/370 BC mode (shared/oracle/h370oracle.py) for what qemu lacks or gets
    wrong: decimal, ED/EDMK, CVB, UNPK, HFP, overflow interruptions, SVC, privileged
    operations, protection, S/370-only instructions;
  * the Principles of Operation by hand ("source": "PoO ...") for what neither oracle is:
    S/360 alignment, operation exceptions for opcodes absent at a level, the ASCII bit, Model 67.
The expected values are the oracle's results; only the layout (code at C, data at W) and the
choice of case come from this script. Oracle results are cached in oracle-cache.jsonl (keyed
by the exact oracle input), so a re-run is fast and byte-identical; delete the cache to
ask the oracles again. Random operands use fixed seeds.

Usage: tools/vectors/make_vectors.py [--shared ../shared] [--jobs 2] [--out tests/vectors]
"""
import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
C, W = 0x100000, 0x200000          # the oracles' code and window addresses
ALL = ("S/360", "S/360-67", "S/370")
S370 = ("S/370",)
S36x = ("S/360", "S/360-67")
HERC_MAINSIZE = 4 << 20            # h370oracle's MAINSIZE 4

# ---------------------------------------------------------------- instruction encoders
def rr(op, r1, r2): return "%02X%X%X" % (op, r1, r2)
def rx(op, r1, x, b, d): return "%02X%X%X%X%03X" % (op, r1, x, b, d)
def rs(op, r1, r3, b, d): return "%02X%X%X%X%03X" % (op, r1, r3, b, d)
def si(op, i, b, d): return "%02X%02X%X%03X" % (op, i, b, d)
def s_(op, b, d): return "%04X%X%03X" % (op, b, d)
def ss(op, l, b1, d1, b2, d2): return "%02X%02X%X%03X%X%03X" % (op, l, b1, d1, b2, d2)
def ss2(op, l1, l2, b1, d1, b2, d2): return "%02X%X%X%X%03X%X%03X" % (op, l1, l2, b1, d1, b2, d2)
def ilen(first_byte): return (2, 4, 4, 6)[first_byte >> 6]

CASES = []


def case(family, name, code, regs=None, mem=None, cc=0, pm=0, fprs=None, oracle="qemu",
         levels=ALL, branch=None, pic=None, s360=None, window=64, state="problem", key=0,
         mainsize=None, steps=1, note=None, keys_after=None):
    """One oracle case. branch=marker register: a marker LA follows the instruction so the
    oracle shows whether the branch was taken; pic: the program-interruption code meant when
    qemu's signal is ambiguous (SIGILL); s360="spec": on S/360 levels the PoO says
    specification exception (unaligned operand), hand-derived."""
    CASES.append(dict(family=family, name=name, code=code, regs=regs or {}, mem=mem or {}, cc=cc,
                      pm=pm, fprs=fprs or {}, oracle=oracle, levels=levels, branch=branch, pic=pic,
                      s360=s360, window=window, state=state, key=key, mainsize=mainsize,
                      steps=steps, note=note, keys_after=keys_after))


def hx(v, n=8): return "%0*X" % (n, v & ((1 << (4 * n)) - 1))


# ---------------------------------------------------------------- the cases
EDGE = [0, 1, 2, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x12345678, 0x87654321, 0x40000000, 0xFFFF0000]


def pairs(seed, n):
    rnd = random.Random(seed)
    out = [(0x7FFFFFFF, 1), (0x80000000, 0xFFFFFFFF), (0xFFFFFFFF, 0xFFFFFFFF), (0, 0), (5, 5),
           (0x80000000, 0x80000000), (3, 0xFFFFFFFD), (0x12345678, 0x0F0F0F0F)]
    while len(out) < n:
        out.append((rnd.choice(EDGE + [rnd.getrandbits(32)]), rnd.choice(EDGE + [rnd.getrandbits(32)])))
    return out[:n]


def fixed_point():
    rr_ops = {"LR": 0x18, "LTR": 0x12, "LCR": 0x13, "LPR": 0x10, "LNR": 0x11, "AR": 0x1A, "SR": 0x1B,
              "ALR": 0x1E, "SLR": 0x1F, "CR": 0x19, "CLR": 0x15, "NR": 0x14, "OR": 0x16, "XR": 0x17}
    for i, (m, op) in enumerate(rr_ops.items()):
        for a, b in pairs(100 + i, 7):
            case("fixed", "%s %08X,%08X" % (m, a, b), rr(op, 2, 3), {2: a, 3: b}, cc=1)
        case("fixed", "%s same register 4,4" % m, rr(op, 4, 4), {4: 0x80000001}, cc=2)
    for m, op in (("MR", 0x1C), ("DR", 0x1D)):
        for hi, lo, d in ((0, 7, 3), (0, 0xFFFFFFF9, 2), (0xFFFFFFFF, 0xFFFFFFF9, 2), (1, 0, 0x7FFFFFFF),
                          (0, 0x80000000, 0xFFFFFFFF), (0x12345678, 0x9ABCDEF0, 0x7FFFFFFF)):
            case("fixed", "%s %08X%08X / %08X" % (m, hi, lo, d), rr(op, 4, 6), {4: hi, 5: lo, 6: d})
        case("fixed", "%s odd R1" % m, rr(op, 5, 6), {5: 7, 6: 3}, pic=6)
    case("fixed", "DR by zero", rr(0x1D, 4, 6), {4: 0, 5: 9, 6: 0}, pic=9)
    case("fixed", "DR quotient too large", rr(0x1D, 4, 6), {4: 0x40000000, 5: 0, 6: 2}, pic=9)
    case("fixed", "DR -2**31 / -1 overflows", rr(0x1D, 4, 6), {4: 0xFFFFFFFF, 5: 0x80000000, 6: 0xFFFFFFFF}, pic=9)
    # overflow interruptions: qemu never raises them, Hercules does (PM=8) and the result is stored.
    for m, code, regs in (("AR", rr(0x1A, 2, 3), {2: 0x7FFFFFFF, 3: 1}), ("SR", rr(0x1B, 2, 3), {2: 0x80000000, 3: 1}),
                          ("LCR", rr(0x13, 2, 3), {3: 0x80000000}), ("LPR", rr(0x10, 2, 3), {3: 0x80000000}),
                          ("A", rx(0x5A, 2, 0, 12, 0), {2: 0x7FFFFFFF, 12: "W"}), ("S", rx(0x5B, 2, 0, 12, 0), {2: 0x80000000, 12: "W"}),
                          ("AH", rx(0x4A, 2, 0, 12, 4), {2: 0x7FFFFFFF, 12: "W"}), ("SH", rx(0x4B, 2, 0, 12, 4), {2: 0x80000000, 12: "W"}),
                          ("SLA", rs(0x8B, 2, 0, 0, 1), {2: 0x40000000}), ("SLDA", rs(0x8F, 2, 0, 0, 1), {2: 0x40000000, 3: 0})):
        for pmv in (8, 0):
            case("fixed", "%s overflow PM=%X" % (m, pmv), code, regs, mem={0: "00000001" + "00010000"}, pm=pmv, oracle="herc")
    rx_ops = {"L": 0x58, "A": 0x5A, "S": 0x5B, "AL": 0x5E, "SL": 0x5F, "C": 0x59, "CL": 0x55, "N": 0x54, "O": 0x56, "X": 0x57}
    for i, (m, op) in enumerate(rx_ops.items()):
        for a, b in pairs(200 + i, 5):
            case("fixed", "%s %08X,%08X" % (m, a, b), rx(op, 2, 0, 12, 8), {2: a, 12: "W"}, mem={8: hx(b)})
        case("fixed", "%s index and base" % m, rx(op, 2, 5, 12, 0x10), {2: 0x11111111, 5: 4, 12: "W"}, mem={0x14: "0F0F0F0F"})
        case("fixed", "%s unaligned" % m, rx(op, 2, 0, 12, 9), {2: 0x01020304, 12: "W"}, mem={8: "00AABBCCDD"}, s360="spec")
    for m, op in (("LH", 0x48), ("AH", 0x4A), ("SH", 0x4B), ("CH", 0x49), ("MH", 0x4C)):
        for a, h in ((5, 0x7FFF), (0xFFFFFFFF, 0x8000), (0x7FFFFFFF, 0x0001), (0x80000000, 0xFFFF), (0x00012345, 0x0003)):
            case("fixed", "%s %08X,%04X" % (m, a, h), rx(op, 2, 0, 12, 6), {2: a, 12: "W"}, mem={6: "%04X" % h})
        case("fixed", "%s unaligned" % m, rx(op, 2, 0, 12, 7), {2: 1, 12: "W"}, mem={6: "001234"}, s360="spec")
    for a, b, hi in ((3, 5, 0), (0xFFFFFFFF, 0xFFFFFFFF, 0), (0x7FFFFFFF, 0x7FFFFFFF, 0), (0x80000000, 2, 0)):
        case("fixed", "M %08X*%08X" % (a, b), rx(0x5C, 4, 0, 12, 0), {4: hi, 5: a, 12: "W"}, mem={0: hx(b)})
        case("fixed", "D %08X/%08X" % (a, b), rx(0x5D, 4, 0, 12, 0), {4: 0, 5: a, 12: "W"}, mem={0: hx(b)})
    case("fixed", "M odd R1", rx(0x5C, 5, 0, 12, 0), {12: "W"}, mem={0: "00000002"}, pic=6)
    case("fixed", "D by zero", rx(0x5D, 4, 0, 12, 0), {5: 3, 12: "W"}, pic=9)
    # LA: 24-bit wrap, R0 means no base or index.
    for regs, d, nm in (({5: 0x00FFFFFF, 6: 2}, 0xFFF, "24-bit wrap"), ({5: 0xFF000010, 6: 0}, 0, "high byte dropped"),
                        ({0: 0x1000}, 0x123, "R0 is not a base")):
        case("fixed", "LA " + nm, rx(0x41, 2, 6 if 6 in regs else 0, 5 if 5 in regs else 0, d), regs)
    for v in (0x11223344, 0xFFFFFFFF):
        case("fixed", "ST %08X" % v, rx(0x50, 2, 0, 12, 4), {2: v, 12: "W"})
        case("fixed", "STH %08X" % v, rx(0x40, 2, 0, 12, 6), {2: v, 12: "W"})
        case("fixed", "STC %08X" % v, rx(0x42, 2, 0, 12, 3), {2: v, 12: "W"})
        case("fixed", "IC %08X" % v, rx(0x43, 2, 0, 12, 3), {2: v, 12: "W"}, mem={0: "A1B2C3D4"})
    case("fixed", "ST unaligned", rx(0x50, 2, 0, 12, 2), {2: 0x55667788, 12: "W"}, s360="spec")
    case("fixed", "STH unaligned", rx(0x40, 2, 0, 12, 1), {2: 0x55667788, 12: "W"}, s360="spec")
    # LM/STM, including wrap from R15 to R0.
    case("fixed", "LM 2,5", rs(0x98, 2, 5, 12, 0), {12: "W"}, mem={0: "0000000100000002000000030000000400000005"})
    case("fixed", "LM 14,1 wraps", rs(0x98, 14, 1, 12, 0), {12: "W"}, mem={0: "11111111222222223333333344444444"})
    case("fixed", "STM 14,2 wraps", rs(0x90, 14, 2, 12, 0), {0: 0xA0, 1: 0xA1, 2: 0xA2, 12: "W", 14: 0xAE, 15: 0xAF})
    case("fixed", "STM 3,3", rs(0x90, 3, 3, 12, 8), {3: 0xDEADBEEF, 12: "W"})
    case("fixed", "LM unaligned", rs(0x98, 2, 3, 12, 2), {12: "W"}, mem={0: "0102030405060708090A"}, s360="spec")
    # SPM: CC and program mask from bits 2-7 of R1.
    for v in (0x3F000000, 0x12345678, 0x00FFFFFF, 0xC0000000):
        case("fixed", "SPM %08X" % v, rr(0x04, 2, 0), {2: v}, cc=2, pm=4)


def shifts():
    single = {"SLL": 0x89, "SRL": 0x88, "SLA": 0x8B, "SRA": 0x8A}
    double = {"SLDL": 0x8D, "SRDL": 0x8C, "SLDA": 0x8F, "SRDA": 0x8E}
    vals = (0x80000001, 0x7FFFFFFF, 0xC0000000, 0x00000001, 0xFFFFFFFF, 0)
    for m, op in single.items():
        for i, v in enumerate(vals):
            for n in ((0, 1, 31, 32, 63)[i % 5], (1, 4, 30)[i % 3]):
                case("shift", "%s %08X by %d" % (m, v, n), rs(op, 3, 0, 0, n), {3: v})
        case("shift", "%s amount from base, low 6 bits" % m, rs(op, 3, 0, 7, 0x101), {3: 0x0F0F0F0F, 7: 0xFFFFFF03})
    for m, op in double.items():
        for i, (h, l) in enumerate(((0x80000000, 1), (0x12345678, 0x9ABCDEF0), (0xFFFFFFFF, 0xFFFFFFFF), (0, 0), (0x3FFFFFFF, 0xFFFFFFFF), (0, 0x80000000))):
            for n in ((0, 1, 31, 32, 33, 63)[i], (4, 40, 62)[i % 3]):
                case("shift", "%s %08X%08X by %d" % (m, h, l, n), rs(op, 4, 0, 0, n), {4: h, 5: l})
        case("shift", "%s odd register" % m, rs(op, 5, 0, 0, 1), {5: 1}, pic=6)


def branches():
    # BC/BCR with every mask against every CC; the marker register 0 shows whether it branched.
    for cc in range(4):
        for mask in (0, 8 >> cc, 0xF ^ (8 >> cc), 0xF):
            case("branch", "BC %X with CC %d" % (mask, cc), rx(0x47, mask, 0, 15, 0), {15: "E"}, cc=cc, branch=0)
            case("branch", "BCR %X with CC %d" % (mask, cc), rr(0x07, mask, 15), {15: "E"}, cc=cc, branch=0)
    case("branch", "BCR 15,0 does not branch", rr(0x07, 0xF, 0), {}, branch=1)
    case("branch", "BC indexed", rx(0x47, 0xF, 14, 15, 0), {14: 0, 15: "E"}, branch=0)
    for cc, pm in ((0, 0), (3, 0xF), (1, 8), (2, 5)):
        case("branch", "BALR 14,15 CC %d PM %X" % (cc, pm), rr(0x05, 14, 15), {15: "E"}, cc=cc, pm=pm, branch=0)
        case("branch", "BAL 14 CC %d PM %X" % (cc, pm), rx(0x45, 14, 0, 15, 0), {15: "E"}, cc=cc, pm=pm, branch=0)
    case("branch", "BALR 14,0 links without branching", rr(0x05, 14, 0), {}, cc=2, branch=0)
    case("branch", "BALR 15,15 links after taking the target", rr(0x05, 15, 15), {15: "E"}, branch=0)
    for v in (1, 2, 0, 0x80000000):
        case("branch", "BCTR 3,15 count %08X" % v, rr(0x06, 3, 15), {3: v, 15: "E"}, branch=0)
        case("branch", "BCT 3 count %08X" % v, rx(0x46, 3, 0, 15, 0), {3: v, 15: "E"}, branch=0)
    case("branch", "BCTR 3,0 counts without branching", rr(0x06, 3, 0), {3: 1}, branch=0)
    # BXH/BXLE: R3 even -> increment R3, compare R3+1; R3 odd -> R3 is both.
    for m, op in (("BXH", 0x86), ("BXLE", 0x87)):
        for i, inc, cmp_ in ((0, 1, 5), (5, 1, 5), (6, 1, 5), (10, 0xFFFFFFFF, 5), (0x7FFFFFFF, 1, 0x7FFFFFFF)):
            case("branch", "%s 2,4 i=%08X inc=%08X cmp=%08X" % (m, i, inc, cmp_), rs(op, 2, 4, 15, 0), {2: i, 4: inc, 5: cmp_, 15: "E"}, branch=0)
        case("branch", "%s 2,3 odd R3 is increment and limit" % m, rs(op, 2, 3, 15, 0), {2: 4, 3: 4, 15: "E"}, branch=0)
        case("branch", "%s 3,3 R1 is R3" % m, rs(op, 3, 3, 15, 0), {3: 4, 15: "E"}, branch=0)
    # 24-bit wrap of the branch address: the target's high byte is ignored.
    # qemu-user faults on the unmasked address here; GA22-6821 "Address Generation" says 24 bits.
    case("branch", "BCR 15 high byte of address ignored", rr(0x07, 0xF, 15), {15: ("E", 0xAB000000)}, branch=0,
         oracle="PoObranch", note="GA22-6821/GA22-7000 address generation: 24-bit branch address")
    # EXECUTE
    case("branch", "EX R0 executes target unchanged", rx(0x44, 0, 0, 12, 0), {2: 7, 3: 1, 12: "W"}, mem={0: rr(0x1A, 2, 3)})
    case("branch", "EX ORs R1 bits 24-31 into MVC length", rx(0x44, 1, 0, 12, 0), {1: 0x00000003, 12: "W"},
         mem={0: ss(0xD2, 0, 12, 0x20, 12, 0x10), 0x10: "A1A2A3A4A5A6"})
    case("branch", "EX ORs into register fields", rx(0x44, 1, 0, 12, 0), {1: 0xFFFFFF23, 2: 7, 3: 9, 12: "W"}, mem={0: rr(0x18, 0, 0)})
    case("branch", "EX of EX is an execute exception", rx(0x44, 0, 0, 12, 0), {12: "W"}, mem={0: rx(0x44, 0, 0, 12, 0)}, pic=3)
    # qemu 7.2 executes an odd EX target; GA22-7000 EXECUTE: odd target address -> specification.
    case("branch", "EX odd target address", rx(0x44, 0, 0, 12, 1), {12: "W"}, mem={0: "001A23"}, pic=6, oracle="PoO",
         note="GA22-7000 EXECUTE: an odd target address is a specification exception (ILC 2)")
    case("branch", "EX of a target that fails keeps EX's ILC", rx(0x44, 0, 0, 12, 0), {4: 1, 5: 1, 6: 0, 12: "W"}, mem={0: rr(0x1D, 4, 6)}, pic=9)
    case("branch", "EX of SVC", rx(0x44, 1, 0, 12, 0), {1: 0x0F, 12: "W"}, mem={0: "0A00"}, oracle="herc")
    case("branch", "SVC 5", "0A05", oracle="herc")
    case("branch", "SVC 255", "0AFF", oracle="herc", cc=3, pm=0xF)


def storage_ops():
    # SI
    for m, op in (("MVI", 0x92), ("NI", 0x94), ("OI", 0x96), ("XI", 0x97), ("CLI", 0x95), ("TM", 0x91)):
        for b, i in ((0x5A, 0x5A), (0xF0, 0x0F), (0xFF, 0x81), (0x00, 0x00), (0x81, 0xFF), (0x3C, 0x0C)):
            case("character", "%s %02X,%02X" % (m, b, i), si(op, i, 12, 5), {12: "W"}, mem={4: "11%02X22" % b})
    case("character", "TS 00", si(0x93, 0, 12, 3), {12: "W"}, mem={3: "00"})
    case("character", "TS 80", si(0x93, 0, 12, 3), {12: "W"}, mem={3: "80"})
    case("character", "TS 7F", si(0x93, 0, 12, 3), {12: "W"}, mem={3: "7F"})
    # SS logical, with destructive overlap (one byte at a time, left to right).
    src = "0102030405060708090A0B0C0D0E0F10"
    dst = "F0E1D2C3B4A5968778695A4B3C2D1E0F"
    for m, op in (("MVC", 0xD2), ("NC", 0xD4), ("OC", 0xD6), ("XC", 0xD7), ("MVN", 0xD1), ("MVZ", 0xD3), ("CLC", 0xD5)):
        for l in (0, 3, 15):
            case("character", "%s length %d" % (m, l + 1), ss(op, l, 12, 0x20, 12, 0), {12: "W"}, mem={0: src, 0x20: dst})
        case("character", "%s overlap one to the right" % m, ss(op, 7, 12, 1, 12, 0), {12: "W"}, mem={0: src})
        case("character", "%s same operand" % m, ss(op, 7, 12, 0, 12, 0), {12: "W"}, mem={0: dst})
        case("character", "%s 256 bytes" % m, ss(op, 255, 12, 0x100, 12, 0), {12: "W"},
             mem={0: "".join("%02X" % ((i * 7) & 0xFF) for i in range(256)), 0x100: "".join("%02X" % ((255 - i) ^ 0x33) for i in range(256))}, window=512)
    for a, b in (("C1C2C3", "C1C2C4"), ("FF00", "00FF"), ("00", "00")):
        case("character", "CLC %s:%s" % (a, b), ss(0xD5, len(a) // 2 - 1, 12, 0, 12, 0x10), {12: "W"}, mem={0: a, 0x10: b})
    # TR / TRT with a 256-byte table.
    table = "".join("%02X" % ((i + 0x40) & 0xFF) for i in range(256))
    case("character", "TR 8 bytes", ss(0xDC, 7, 12, 0, 12, 0x100), {12: "W"}, mem={0: "00010203FEFF8081", 0x100: table}, window=512)
    case("character", "TR overlapping table", ss(0xDC, 15, 12, 0x100, 12, 0x100), {12: "W"}, mem={0x100: table}, window=512)
    ttab = ["00"] * 256
    ttab[0x40] = "04"; ttab[0x6B] = "08"; ttab[0xC1] = "FF"
    ttab = "".join(ttab)
    for text, nm in (("F1F2F3F4", "no hit"), ("F1F2406B", "hit not last"), ("F1F2F3C1", "hit on last byte"), ("40", "hit single byte")):
        case("character", "TRT %s" % nm, ss(0xDD, len(text) // 2 - 1, 12, 0, 12, 0x100), {1: 0xFFFFFFFF, 2: 0xAAAAAAAA, 12: "W"},
             mem={0: text, 0x100: ttab}, window=512)
    # PACK, MVO, CVD (qemu implements these correctly; UNPK has a qemu bug -> Hercules).
    for l1, l2, s in ((3, 4, "F1F2F3F4C5"), (1, 4, "F1F2F3F4F5"), (4, 1, "C1F2"), (0, 0, "F7"), (2, 2, "123456")):
        case("decimal", "PACK %d,%d %s" % (l1 + 1, l2 + 1, s), ss2(0xF2, l1, l2, 12, 0x10, 12, 0), {12: "W"}, mem={0: s, 0x10: "EEEEEEEEEE"})
    case("decimal", "PACK in place", ss2(0xF2, 3, 3, 12, 0, 12, 0), {12: "W"}, mem={0: "F1F2F3C4"})
    for l1, l2, a, b in ((3, 2, "7788990C", "12345F"), (1, 2, "7788", "12345F"), (4, 0, "1122334455", "9F")):
        case("decimal", "MVO %d,%d" % (l1 + 1, l2 + 1), ss2(0xF1, l1, l2, 12, 0x10, 12, 0), {12: "W"}, mem={0: b, 0x10: a})
    for v in (0, 1, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 123456789):
        case("decimal", "CVD %08X" % v, rx(0x4E, 2, 0, 12, 8), {2: v, 12: "W"})
    case("decimal", "CVD unaligned", rx(0x4E, 2, 0, 12, 4), {2: 5, 12: "W"}, s360="spec")
    for l1, l2, s in ((4, 2, "12345C"), (2, 2, "12345D"), (0, 1, "123F"), (7, 0, "9C")):
        case("decimal", "UNPK %d,%d %s" % (l1 + 1, l2 + 1, s), ss2(0xF3, l1, l2, 12, 0x10, 12, 0), {12: "W"}, mem={0: s}, oracle="herc")


def exceptions():
    # Addressing: operand beyond main storage (4 MiB in these cases, so X'800000' does not exist).
    for m, code in (("L", rx(0x58, 2, 0, 12, 0)), ("ST", rx(0x50, 2, 0, 12, 0)), ("MVC", ss(0xD2, 3, 12, 0, 13, 0)),
                    ("CLI", si(0x95, 0, 12, 0)), ("MVI", si(0x92, 1, 12, 0)), ("LM", rs(0x98, 2, 3, 12, 0)),
                    ("IC", rx(0x43, 2, 0, 12, 0)), ("TR", ss(0xDC, 0, 13, 0, 12, 0))):
        case("exceptions", "%s addressing beyond main storage" % m, code, {12: 0x800000, 13: "W"}, pic=5, oracle="herc", mainsize=HERC_MAINSIZE)
    # Protection: PSW key 8 storing into a key-0 block.
    for m, code in (("ST", rx(0x50, 1, 0, 12, 0)), ("MVI", si(0x92, 0x55, 12, 0)), ("MVC", ss(0xD2, 3, 12, 0, 12, 8)),
                    ("STC", rx(0x42, 1, 0, 12, 0)), ("OI", si(0x96, 1, 12, 0)), ("STM", rs(0x90, 1, 2, 12, 0)), ("XC", ss(0xD7, 3, 12, 0, 12, 0))):
        case("exceptions", "%s protection key 8 into key 0 block" % m, code, {1: 0x11223344, 12: "W"}, key=8, oracle="herc")
    case("exceptions", "L with key 8 from unprotected key 0 block", rx(0x58, 1, 0, 12, 0), {12: "W"}, mem={0: "01020304"}, key=8, oracle="herc")
    # Privileged operations in problem state: every privileged row.
    priv = [("SSK", rr(0x08, 1, 2), ALL), ("ISK", rr(0x09, 1, 2), ALL), ("SSM", si(0x80, 0, 12, 0), ALL),
            ("LPSW", si(0x82, 0, 12, 0), ALL), ("DIAG", rs(0x83, 0, 0, 0, 0), ALL),
            ("SIO", s_(0x9C00, 0, 0x00E), ALL), ("TIO", s_(0x9D00, 0, 0x00E), ALL), ("HIO", s_(0x9E00, 0, 0x00E), ALL),
            ("TCH", s_(0x9F00, 0, 0), ALL), ("SIOF", s_(0x9C01, 0, 0x00E), S370), ("CLRIO", s_(0x9D01, 0, 0x00E), S370),
            ("HDV", s_(0x9E01, 0, 0x00E), S370), ("STNSM", si(0xAC, 0xFF, 12, 0), S370), ("STOSM", si(0xAD, 0, 12, 0), S370),
            ("LRA", rx(0xB1, 1, 0, 12, 0), ("S/360-67", "S/370")), ("STIDP", s_(0xB202, 12, 0), S370),
            ("STIDC", s_(0xB203, 12, 0), S370), ("SCK", s_(0xB204, 12, 0), S370), ("SCKC", s_(0xB206, 12, 0), S370),
            ("STCKC", s_(0xB207, 12, 0), S370), ("SPT", s_(0xB208, 12, 0), S370), ("STPT", s_(0xB209, 12, 0), S370),
            ("SPKA", s_(0xB20A, 0, 0), S370), ("IPK", s_(0xB20B, 0, 0), S370), ("RRB", s_(0xB213, 12, 0), S370),
            ("STCTL", rs(0xB6, 0, 0, 12, 0), S370), ("LCTL", rs(0xB7, 0, 0, 12, 0), S370)]
    for m, code, lv in priv:
        case("control", "%s in problem state" % m, code, {12: "W"}, oracle="herc", levels=lv, pic=2)
    # Model 67 privileged rows: Hercules has no 67; GA27-2719 lists them as privileged.
    for m, code in (("STMC", rs(0xB0, 0, 0, 12, 0)), ("LMC", rs(0xB8, 0, 0, 12, 0))):
        case("control", "%s in problem state" % m, code, {12: "W"}, oracle="PoO", levels=("S/360-67",), pic=2,
             note="GA27-2719 LMC/STMC: privileged")
    # Supervisor-state key handling (Hercules S/370); S/370 ISK returns the R and C bits as well.
    # The key SSK set is what the PoO says (R1 bits 24-30); Hercules' ISK result confirms it.
    case("control", "SSK then ISK", rr(0x08, 1, 2) + rr(0x09, 3, 2), {1: 0x80, 2: "W", 3: 0xFFFFFF00}, state="supervisor",
         oracle="herc", levels=S370, steps=2, keys_after={W: 0x80})
    case("control", "SSK fetch-protected key then ISK", rr(0x08, 1, 2) + rr(0x09, 3, 2), {1: 0x38, 2: "W", 3: 0}, state="supervisor",
         oracle="herc", levels=S370, steps=2, keys_after={W: 0x38})
    case("control", "STNSM supervisor", si(0xAC, 0xFE, 12, 0), {12: "W"}, state="supervisor", oracle="herc", levels=S370)
    case("control", "STOSM supervisor", si(0xAD, 0x00, 12, 0), {12: "W"}, state="supervisor", oracle="herc", levels=S370)
    case("control", "STCK beyond main storage", s_(0xB205, 12, 0), {12: 0x800000}, oracle="herc", levels=S370, mainsize=HERC_MAINSIZE, pic=5)
    case("control", "MC with monitor masks off is a no-op", si(0xAF, 0x01, 0, 0), {}, oracle="herc", levels=S370)
    case("control", "MC class above 15 is a specification exception", si(0xAF, 0x10, 0, 0), {}, oracle="herc", levels=S370, pic=6)
    # Operation exceptions: opcodes no level has (Hercules S/370 confirms; the same on S/360 per GA22-6821).
    for op in (0x00, 0x01, 0x02, 0x03, 0x0B, 0x0C, 0x51, 0x52, 0x53, 0x61, 0x62, 0x71, 0x81, 0x84, 0x85, 0x99, 0xA0, 0xC0, 0xE0, 0xFF):
        code = "%02X000000" % op if op >= 0x40 else "%02X00" % op
        if op >= 0xC0:
            code = "%02X0000000000" % op
        case("exceptions", "opcode %02X is not assigned" % op, code, {}, oracle="herc", pic=1)
    # Opcodes assigned only at other levels: operation exception (PoO, by the level's instruction list).
    absent = [("BASR", rr(0x0D, 1, 2), ("S/360", "S/370")), ("BAS", rx(0x4D, 1, 0, 0, 0), ("S/360", "S/370")),
              ("STMC", rs(0xB0, 0, 0, 0, 0), ("S/360", "S/370")), ("LMC", rs(0xB8, 0, 0, 0, 0), ("S/360", "S/370")),
              ("LRA", rx(0xB1, 0, 0, 0, 0), ("S/360",))]
    for m in ("MVCL", "CLCL", "LRDR", "MXR", "MXDR", "LRER", "AXR", "SXR", "MXD", "STNSM", "STOSM", "MC", "STCTL", "LCTL",
              "CS", "CDS", "CLM", "STCM", "ICM", "SRP"):
        absent.append((m, None, S36x))
    absent.append(("B2xx (STCK)", s_(0xB205, 0, 0), S36x))
    for m, code, lv in absent:
        if code is None:
            code = {"MVCL": "0E24", "CLCL": "0F24", "LRDR": "2502", "MXR": "2604", "MXDR": "2702", "LRER": "3502", "AXR": "3604",
                    "SXR": "3704", "MXD": rx(0x67, 0, 0, 0, 0), "STNSM": si(0xAC, 0, 0, 0), "STOSM": si(0xAD, 0, 0, 0),
                    "MC": si(0xAF, 0, 0, 0), "STCTL": rs(0xB6, 0, 0, 0, 0), "LCTL": rs(0xB7, 0, 0, 0, 0), "CS": rs(0xBA, 2, 4, 0, 0),
                    "CDS": rs(0xBB, 2, 4, 0, 0), "CLM": rs(0xBD, 2, 4, 0, 0), "STCM": rs(0xBE, 2, 4, 0, 0),
                    "ICM": rs(0xBF, 2, 4, 0, 0), "SRP": ss2(0xF0, 0, 0, 0, 0, 0, 0)}[m]
        case("exceptions", "%s does not exist at this level" % m, code, {}, oracle="PoO", levels=lv, pic=1,
             note="GA22-6821 / GA27-2719 / GA22-7000 instruction lists: opcode not installed -> operation exception")
    # Odd instruction address: specification, ILC 0 (GA22-7000 "Instruction Fetching"; the same in GA22-6821).
    case("exceptions", "odd instruction address", "", {}, oracle="PoO", pic=6, note="PSW IA odd: specification, ILC 2, address incremented by 4")


def decimal():
    def p(n, l):  # packed with sign C/D, l bytes
        s = "%0*d%s" % (2 * l - 1, abs(n), "D" if n < 0 else "C")
        return s
    ops = {"AP": 0xFA, "SP": 0xFB, "ZAP": 0xF8, "CP": 0xF9}
    vals = [(12345, 678), (-5, 5), (99999, 1), (0, -0), (-123, -877), (500, -100)]
    for m, op in ops.items():
        for a, b in vals:
            case("decimal", "%s %d,%d" % (m, a, b), ss2(op, 2, 1, 12, 0, 12, 0x10), {12: "W"}, mem={0: p(a, 3), 0x10: p(b, 2)}, oracle="herc")
        case("decimal", "%s invalid digit" % m, ss2(op, 2, 1, 12, 0, 12, 0x10), {12: "W"}, mem={0: "12A45C", 0x10: "001C"}, oracle="herc")
        case("decimal", "%s invalid sign" % m, ss2(op, 2, 1, 12, 0, 12, 0x10), {12: "W"}, mem={0: "12345C", 0x10: "0019"}, oracle="herc")
    for pmv in (4, 0):
        case("decimal", "AP overflow PM=%X" % pmv, ss2(0xFA, 1, 1, 12, 0, 12, 0x10), {12: "W"}, mem={0: "999C", 0x10: "001C"}, pm=pmv, oracle="herc")
        case("decimal", "ZAP overflow PM=%X" % pmv, ss2(0xF8, 0, 1, 12, 0, 12, 0x10), {12: "W"}, mem={0x10: "123C"}, pm=pmv, oracle="herc")
    case("decimal", "ZAP negative zero result", ss2(0xF8, 1, 0, 12, 0, 12, 0x10), {12: "W"}, mem={0x10: "0D"}, oracle="herc")
    case("decimal", "AP overlapping operands", ss2(0xFA, 2, 2, 12, 0, 12, 0), {12: "W"}, mem={0: "12345C"}, oracle="herc")
    for a, b, l1, l2 in ((123, 45, 4, 1), (-99, 99, 3, 1), (0, -7, 2, 0), (9999999, 9999999, 7, 3)):
        case("decimal", "MP %d*%d" % (a, b), ss2(0xFC, l1, l2, 12, 0, 12, 0x10), {12: "W"}, mem={0: p(a, l1 + 1), 0x10: p(b, l2 + 1)}, oracle="herc")
    case("decimal", "MP multiplicand too long for product", ss2(0xFC, 2, 1, 12, 0, 12, 0x10), {12: "W"}, mem={0: "12345C", 0x10: "999C"}, oracle="herc")
    case("decimal", "MP L2 >= L1 specification", ss2(0xFC, 1, 1, 12, 0, 12, 0x10), {12: "W"}, mem={0: "000C", 0x10: "001C"}, oracle="herc")
    case("decimal", "MP L2 > 8 specification", ss2(0xFC, 15, 8, 12, 0, 12, 0x10), {12: "W"}, oracle="herc")
    for a, b, l1, l2 in ((12345, 12, 4, 1), (-100, 7, 3, 0), (7, -2, 2, 0), (0, 5, 2, 0)):
        case("decimal", "DP %d/%d" % (a, b), ss2(0xFD, l1, l2, 12, 0, 12, 0x10), {12: "W"}, mem={0: p(a, l1 + 1), 0x10: p(b, l2 + 1)}, oracle="herc")
    case("decimal", "DP by zero", ss2(0xFD, 3, 0, 12, 0, 12, 0x10), {12: "W"}, mem={0: "0012345C", 0x10: "0C"}, oracle="herc")
    case("decimal", "DP quotient too large", ss2(0xFD, 2, 0, 12, 0, 12, 0x10), {12: "W"}, mem={0: "99999C", 0x10: "1C"}, oracle="herc")
    for v in ("000000000000012C", "000000000000012D", "000000002147483C", "000000002147483D", "000000002147484C", "00000000000001AC", "000000000000000F"):
        case("decimal", "CVB %s" % v, rx(0x4F, 2, 0, 12, 8), {2: 0xEEEEEEEE, 12: "W"}, mem={8: v}, oracle="herc")
    case("decimal", "CVB unaligned", rx(0x4F, 2, 0, 12, 4), {12: "W"}, mem={0: "0000000000000000001C"}, oracle="herc", s360="spec")
    # ED/EDMK: pattern with significance starter, field separator, message characters.
    pat = "4020206B2021204B2020C3D9"
    for src, pmv in (("0012345C", 0), ("0000000D", 0), ("0012345D", 0), ("9999999C", 0), ("00000A1C", 0)):
        for m, op in (("ED", 0xDE), ("EDMK", 0xDF)):
            case("decimal", "%s %s" % (m, src), ss(op, 11, 12, 0, 12, 0x10), {1: 0xFFFFFFFF, 12: "W"}, mem={0: pat, 0x10: src}, oracle="herc")
    case("decimal", "ED field separator", ss(0xDE, 8, 12, 0, 12, 0x10), {12: "W"}, mem={0: "402020222020212020", 0x10: "123C456D"}, oracle="herc")
    case("decimal", "EDMK no significance leaves R1", ss(0xDF, 4, 12, 0, 12, 0x10), {1: 0x12345678, 12: "W"}, mem={0: "5C20202021", 0x10: "00010C"}, oracle="herc")
    # ASCII bit (S/360 only, GA22-6821 "USASCII-8"): CVD signs A/B, UNPK zone 5.
    case("decimal", "CVD with the ASCII bit", rx(0x4E, 2, 0, 12, 8), {2: 0xFFFFFF85, 12: "W"}, oracle="ascii", levels=S36x,
         note="GA22-6821 CVD: USASCII-8 sign codes, minus 1011")
    case("decimal", "UNPK with the ASCII bit", ss2(0xF3, 3, 1, 12, 0x10, 12, 0), {12: "W"}, mem={0: "123C"}, oracle="ascii", levels=S36x,
         note="GA22-6821 UNPK: zone 0101 in USASCII-8 mode")
    # S/370 decimal: SRP (Hercules).
    for l1, shift, rnd, v in ((3, 2, 0, "0012345C"), (3, 0x3F, 5, "0012345C"), (3, 0x3E, 5, "0012355D"), (1, 3, 0, "123C"), (3, 0, 0, "0000000D")):
        case("decimal", "SRP shift %02X round %d %s" % (shift, rnd, v), ss2(0xF0, l1, rnd, 12, 0, 0, shift), {12: "W"}, mem={0: v}, oracle="herc", levels=S370)


def hfp():
    one, two, half = 0x4110000000000000, 0x4120000000000000, 0x4080000000000000
    tiny, big, neg3 = 0x0010000000000000, 0x7FFFFFFFFFFFFFFF, 0xC130000000000000
    unnorm = 0x4200100000000000
    pairs_ = [(one, two), (two, neg3), (one, one), (tiny, tiny), (big, big), (unnorm, half), (0x4110000000000001, 0xC110000000000000), (0, one)]
    long_rr = {"ADR": 0x2A, "SDR": 0x2B, "MDR": 0x2C, "DDR": 0x2D, "AWR": 0x2E, "SWR": 0x2F, "CDR": 0x29}
    short_rr = {"AER": 0x3A, "SER": 0x3B, "MER": 0x3C, "DER": 0x3D, "AUR": 0x3E, "SUR": 0x3F, "CER": 0x39}
    for table, short in ((long_rr, False), (short_rr, True)):
        for m, op in table.items():
            for a, b in pairs_:
                if short:
                    a, b = a & 0xFFFFFFFF00000000 | 0x12345678, b & 0xFFFFFFFF00000000 | 0x9ABCDEF0   # low halves must be left alone
                # S/360 add/subtract set condition code 3 on exponent overflow (GA22-6821); S/370
                # does not, so Hercules answers those for S/370 only.
                overflows = m[0] in "AS" and (a >> 56) & 0x7F == 0x7F and (b >> 56) & 0x7F == 0x7F
                case("float", "%s %016X,%016X" % (m, a, b), rr(op, 0, 2), fprs={0: a, 2: b}, oracle="herc",
                     levels=S370 if overflows else ALL)
            case("float", "%s underflow PM=2" % m, rr(op, 0, 2), fprs={0: tiny, 2: tiny if m[0] != "D" else big}, pm=2, oracle="herc")
            case("float", "%s odd register" % m, rr(op, 1, 2), fprs={2: one}, oracle="herc", pic=6)
    for m, op in (("DDR", 0x2D), ("DER", 0x3D)):
        case("float", "%s by zero" % m, rr(op, 0, 2), fprs={0: one}, oracle="herc")
    for m, op in (("ADR", 0x2A), ("AER", 0x3A), ("SWR", 0x2F)):
        for pmv in (1, 0):
            case("float", "%s zero result significance PM=%X" % (m, pmv), rr(op, 0, 2), fprs={0: one, 2: one if m[0] == "S" else one | 1 << 63}, pm=pmv, oracle="herc")
    case("float", "MDR exponent overflow", rr(0x2C, 0, 2), fprs={0: big, 2: big}, oracle="herc")
    case("float", "ADR guard digit", rr(0x2A, 0, 2), fprs={0: 0x4110000000000000, 2: 0xC010000000000001}, oracle="herc")
    case("float", "AER guard digit", rr(0x3A, 0, 2), fprs={0: 0x4110000000000000, 2: 0xC0FFFFFF00000000}, oracle="herc")
    for m, op in (("LPDR", 0x20), ("LNDR", 0x21), ("LTDR", 0x22), ("LCDR", 0x23), ("HDR", 0x24), ("LDR", 0x28),
                  ("LPER", 0x30), ("LNER", 0x31), ("LTER", 0x32), ("LCER", 0x33), ("HER", 0x34), ("LER", 0x38)):
        for v in (neg3, one, 0, 0x8000000000000000, tiny, unnorm):
            if m in ("HER", "HDR"):
                # GA22-6821 "Halve": S/360 shifts the fraction right one bit, with no normalization
                # or zero test; S/370 normalizes (GA22-7000). Hercules is an S/370.
                case("float", "%s %016X" % (m, v), rr(op, 0, 2), fprs={0: 0x1111111111111111, 2: v}, oracle="herc", levels=S370)
                case("float", "%s %016X, S/360 halve" % (m, v), rr(op, 0, 2), fprs={0: 0x1111111111111111, 2: v}, oracle="halve360", levels=S36x)
            else:
                case("float", "%s %016X" % (m, v), rr(op, 0, 2), fprs={0: 0x1111111111111111, 2: v}, oracle="herc")
    rx_long = {"LD": 0x68, "CD": 0x69, "AD": 0x6A, "SD": 0x6B, "MD": 0x6C, "DD": 0x6D, "AW": 0x6E, "SW": 0x6F}
    rx_short = {"LE": 0x78, "CE": 0x79, "AE": 0x7A, "SE": 0x7B, "ME": 0x7C, "DE": 0x7D, "AU": 0x7E, "SU": 0x7F}
    for table, short in ((rx_long, False), (rx_short, True)):
        for m, op in table.items():
            for a, b in pairs_[:4]:
                opnd = "%016X" % b if not short else "%08X" % (b >> 32)
                case("float", "%s %016X,%s" % (m, a, opnd), rx(op, 2, 0, 12, 8), {12: "W"}, fprs={2: a}, mem={8: opnd}, oracle="herc")
            case("float", "%s unaligned" % m, rx(op, 2, 0, 12, 4 if not short else 2), {12: "W"}, fprs={2: one}, mem={0: "00004110000000000000"}, oracle="herc", s360="spec")
    for m, op in (("STD", 0x60), ("STE", 0x70)):
        case("float", "%s" % m, rx(op, 4, 0, 12, 8), {12: "W"}, fprs={4: 0x4212345678ABCDEF}, oracle="herc")
        case("float", "%s odd register" % m, rx(op, 3, 0, 12, 8), {12: "W"}, oracle="herc", pic=6)
    # S/370 extended precision (Hercules).
    x1, x2 = (0x4110000000000000, 0x3300000000000000), (0x4120000000000000, 0x3300000000000000)
    for m, code in (("AXR", rr(0x36, 0, 4)), ("SXR", rr(0x37, 0, 4)), ("MXR", rr(0x26, 0, 4))):
        case("float", "%s" % m, code, fprs={0: x1[0], 2: 0x3310000000000000, 4: x2[0], 6: x2[1]}, oracle="herc", levels=S370)
        case("float", "%s register 2 is a specification exception" % m, code[:2] + "24", fprs={}, oracle="herc", levels=S370, pic=6)
    case("float", "MXDR", rr(0x27, 0, 2), fprs={0: 0x4130000000000000, 2: 0x4140000000000000}, oracle="herc", levels=S370)
    case("float", "MXD", rx(0x67, 0, 0, 12, 8), {12: "W"}, fprs={0: 0x4130000000000000}, mem={8: "4150000000000000"}, oracle="herc", levels=S370)
    case("float", "LRDR", rr(0x25, 0, 4), fprs={4: 0x4112345678ABCDEF, 6: 0x3488000000000000}, oracle="herc", levels=S370)
    case("float", "LRER", rr(0x35, 0, 2), fprs={0: 0x1111111111111111, 2: 0x4112345688000000}, oracle="herc", levels=S370)


def s370_ops():
    case("s370", "MVCL pad", rr(0x0E, 2, 4), {2: ("W", 0x20), 3: 8, 4: "W", 5: 0x40000003}, mem={0: "C1C2C3"}, oracle="herc", levels=S370)
    case("s370", "MVCL equal lengths", rr(0x0E, 2, 4), {2: ("W", 0x20), 3: 4, 4: "W", 5: 4}, mem={0: "C1C2C3C4"}, oracle="herc", levels=S370)
    case("s370", "MVCL destructive overlap", rr(0x0E, 2, 4), {2: ("W", 1), 3: 4, 4: "W", 5: 4}, mem={0: "C1C2C3C4"}, oracle="herc", levels=S370)
    case("s370", "MVCL odd register", rr(0x0E, 3, 4), {}, oracle="herc", levels=S370, pic=6)
    case("s370", "CLCL equal with pad", rr(0x0F, 2, 4), {2: "W", 3: 4, 4: ("W", 0x10), 5: 0x40000002}, mem={0: "C1C24040", 0x10: "C1C2"}, oracle="herc", levels=S370)
    case("s370", "CLCL low", rr(0x0F, 2, 4), {2: "W", 3: 4, 4: ("W", 0x10), 5: 4}, mem={0: "C1C2C3C4", 0x10: "C1C2C4C4"}, oracle="herc", levels=S370)
    for old, new, mem in ((0x11111111, 0x22222222, "11111111"), (0x11111111, 0x22222222, "33333333")):
        case("s370", "CS %s" % mem, rs(0xBA, 2, 4, 12, 0), {2: old, 4: new, 12: "W"}, mem={0: mem}, oracle="herc", levels=S370)
    case("s370", "CDS equal", rs(0xBB, 2, 4, 12, 0), {2: 1, 3: 2, 4: 5, 5: 6, 12: "W"}, mem={0: "0000000100000002"}, oracle="herc", levels=S370)
    case("s370", "CDS unequal", rs(0xBB, 2, 4, 12, 0), {2: 1, 3: 3, 4: 5, 5: 6, 12: "W"}, mem={0: "0000000100000002"}, oracle="herc", levels=S370)
    case("s370", "CS unaligned", rs(0xBA, 2, 4, 12, 2), {12: "W"}, oracle="herc", levels=S370, pic=6)
    for mask in (0xF, 0x5, 0x0, 0x8):
        case("s370", "ICM mask %X" % mask, rs(0xBF, 2, mask, 12, 1), {2: 0xAABBCCDD, 12: "W"}, mem={0: "0080FF01"}, oracle="herc", levels=S370)
        case("s370", "STCM mask %X" % mask, rs(0xBE, 2, mask, 12, 1), {2: 0x11223344, 12: "W"}, oracle="herc", levels=S370)
        case("s370", "CLM mask %X" % mask, rs(0xBD, 2, mask, 12, 1), {2: 0x11223344, 12: "W"}, mem={0: "00112233"}, oracle="herc", levels=S370)
    case("s370", "ICM all zero", rs(0xBF, 2, 0xF, 12, 0), {2: 0xAABBCCDD, 12: "W"}, oracle="herc", levels=S370)
    case("s370", "BAL on S/370 BC mode", rx(0x45, 14, 0, 15, 0), {15: "E"}, cc=1, pm=0xA, oracle="herc", levels=S370, branch=0)


def model67():
    # GA27-2719 BAS/BASR: the updated instruction address goes to R1 (no ILC/CC/PM), then the branch.
    case("model67", "BASR 14,15", rr(0x0D, 14, 15), {15: "E"}, oracle="PoO67", levels=("S/360-67",), cc=3, pm=0xF,
         note="GA27-2719 BASR: R1 <- updated IA, bits 0-7 zero in 24-bit mode")
    case("model67", "BASR 14,0 does not branch", rr(0x0D, 14, 0), {}, oracle="PoO67", levels=("S/360-67",), cc=1)
    case("model67", "BAS 14", rx(0x4D, 14, 0, 15, 0), {15: "E"}, oracle="PoO67", levels=("S/360-67",), cc=2)


# ---------------------------------------------------------------- oracles
def resolve(v, E):
    if isinstance(v, tuple):
        return resolve(v[0], E) + v[1]
    return {"W": W, "C": C, "E": E}.get(v, v) if isinstance(v, str) else v


def full_code(c):
    code = c["code"]
    if c["branch"] is not None:
        code += rx(0x41, c["branch"], 0, 0, 1)   # LA m,1: runs only when the branch was not taken
    return code


def oracle_input(c):
    code = full_code(c)
    E = C + len(code) // 2
    d = {"name": c["name"], "code": code, "regs": {str(r): "0x%X" % (resolve(v, E) & 0xFFFFFFFF) for r, v in c["regs"].items()},
         "mem": [["%d" % off, h] for off, h in sorted(c["mem"].items())], "cc": c["cc"], "pm": c["pm"], "window": c["window"]}
    if c["fprs"]:
        d["fprs"] = {str(r): "0x%016X" % v for r, v in c["fprs"].items()}
    if c["oracle"] == "herc":
        d["state"], d["key"] = c["state"], c["key"]
    return d


def cache_key(kind, d):
    return hashlib.sha256((kind + json.dumps(d, sort_keys=True)).encode()).hexdigest()[:24]


def run_oracles(cases, shared, jobs, cache_path):
    cache = {}
    if os.path.exists(cache_path):
        for line in open(cache_path):
            e = json.loads(line)
            cache[e["key"]] = e["result"]
    todo = {"qemu": [], "herc": []}
    for c in cases:
        if c["oracle"] in todo:
            d = oracle_input(c)
            c["ckey"] = cache_key(c["oracle"], d)
            if c["ckey"] not in cache:
                todo[c["oracle"]].append((c["ckey"], d))
    scripts = {"qemu": "s360oracle.py", "herc": "h370oracle.py"}
    for kind, items in todo.items():
        if not items:
            continue
        print("asking %s about %d cases..." % (kind, len(items)), file=sys.stderr)
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
            for k, d in items:
                f.write(json.dumps(dict(d, name=k)) + "\n")
        out = subprocess.run([sys.executable, os.path.join(shared, "oracle", scripts[kind]), "--batch", f.name, "--json", "-j", str(jobs)],
                             capture_output=True, text=True)
        os.unlink(f.name)
        for line in out.stdout.splitlines():
            if line.strip():
                r = json.loads(line)
                cache[r["name"]] = r
        missing = [k for k, _ in items if k not in cache]
        if missing:
            print("%s gave no answer for %d cases: %s" % (kind, len(missing), out.stderr[-500:]), file=sys.stderr)
    with open(cache_path, "w") as f:
        for k in sorted(cache):
            f.write(json.dumps({"key": k, "result": cache[k]}, sort_keys=True) + "\n")
    return cache


# ---------------------------------------------------------------- vectors
def bc_psw(key, problem, code, ilc, cc, pm, ia, ascii_=False):
    return "%02X%X%X%04X%02X%06X" % (0, key, (8 if ascii_ else 0) | (1 if problem else 0), code, (ilc << 6) | (cc << 4) | pm, ia)


SIGNAL_PIC = {("SIGFPE", "FPE_INTDIV"): 9, ("SIGSEGV", "SEGV_MAPERR"): 5, ("SIGSEGV", "SEGV_ACCERR"): 4}


def window_runs(initial, final_hex, base):
    """Changed bytes of the window as {address: hex} runs."""
    final = bytes.fromhex(final_hex)
    runs, i = {}, 0
    while i < len(final):
        if final[i] == initial[i]:
            i += 1
            continue
        j = i
        while j < len(final) and final[j] != initial[j]:
            j += 1
        runs["%X" % (base + i)] = final[i:j].hex().upper()
        i = j
    return runs


def vector_lines(c, res, dropped):
    """Vector dicts (one per level) from a case and its oracle result (or the PoO derivation)."""
    code = full_code(c)
    E = C + len(code) // 2
    first_len = ilen(int(code[:2], 16)) if code else 2
    regs = {r: resolve(v, E) & 0xFFFFFFFF for r, v in c["regs"].items()}
    problem = c["state"] == "problem"
    initial_window = bytearray(c["window"])
    for off, h in c["mem"].items():
        b = bytes.fromhex(h)
        initial_window[off:off + len(b)] = b
    base = {}
    if any(regs.values()):
        base["gpr"] = {str(r): hx(v) for r, v in sorted(regs.items()) if v}
    if any(c["fprs"].values()):
        base["fpr"] = {str(r): "%016X" % v for r, v in sorted(c["fprs"].items()) if v}
    storage = {}
    if code:
        storage["%X" % C] = code
    for off, h in sorted(c["mem"].items()):
        storage["%X" % (W + off)] = h
    base["storage"] = storage
    if c["steps"] != 1:
        base["steps"] = c["steps"]
    if c["mainsize"]:
        base["mainsize"] = c["mainsize"]
    ia0 = C if code else C + 1
    exp, source = {}, None
    kind = c["oracle"]
    if kind in ("qemu", "herc"):
        source = {"qemu": "qemu-s390x 7.2", "herc": "Hercules 3.13 S/370"}[kind]
        st = res.get("status")
        if st == "ok":
            gpr = [int(x, 16) for x in res["gpr"]]
            exp["gpr"] = {}
            for r in range(16):
                want = gpr[r]
                if c["branch"] is not None and r == c["branch"]:
                    continue
                if want != regs.get(r, 0):
                    exp["gpr"][str(r)] = hx(want)
            if "fpr" in res and kind == "herc":
                fpr = [int(x, 16) for x in res["fpr"]]
                exp["fpr"] = {str(2 * i): "%016X" % fpr[i] for i in range(4) if fpr[i] != c["fprs"].get(2 * i, 0)}
            exp["storage"] = window_runs(initial_window, res["window"], W)
            exp["cc"] = res["cc"]
            ia = E
            if c["branch"] is not None:
                taken = gpr[c["branch"]] == regs.get(c["branch"], 0)
                ia = E if taken else C + first_len
                # a branch target's high byte is ignored (24-bit addresses)
            if c["steps"] == 1 or c["branch"] is not None:
                exp["psw"] = bc_psw(c["key"], problem, 0, 0, res["cc"], res["pm"], ia & 0xFFFFFF)
        elif st in ("signal", "program-check", "interrupt"):
            if st == "interrupt" and res["interrupt"] not in ("program", "svc"):
                dropped.append((c["name"], "unexpected %s interruption" % res["interrupt"]))
                return []
            if st == "interrupt" and not C <= int(res["old_psw_addr"], 16) <= E:
                # The interruption came from the harness (for instance its epilogue under a nonzero key).
                dropped.append((c["name"], "interruption at %s, outside the case's code" % res["old_psw_addr"]))
                return []
            if st == "interrupt":
                cls = res["interrupt"]
                code_ = int(res["int_code"], 16)
                ilc = res["ilc"]
                old = res["old_psw"]
            else:
                cls = "program"
                if st == "program-check":
                    code_ = int(res["pgm_code"], 16)
                else:
                    code_ = SIGNAL_PIC.get((res["signal"], res["si_code"]))
                    if res["signal"] == "SIGILL":
                        code_ = c["pic"]    # ILLOPC is 1 or 2, ILLOPN 3, 6 or 7: the case says which it provokes
                        allowed = (1, 2) if res["si_code"] == "ILL_ILLOPC" else (3, 6, 7)
                        if code_ not in allowed:
                            dropped.append((c["name"], "SIGILL %s but the case meant %s" % (res["si_code"], code_)))
                            return []
                    if code_ is None:
                        dropped.append((c["name"], "unmapped signal %s %s" % (res["signal"], res["si_code"])))
                        return []
                ilc = 2 if code.startswith("44") else first_len // 2
                cc = res.get("cc", c["cc"])
                old = bc_psw(c["key"], problem, code_, ilc, cc, res.get("pm", c["pm"]), C + first_len)
            if c["pic"] is not None and cls == "program" and code_ != c["pic"]:
                dropped.append((c["name"], "meant program code %X, oracle says %X" % (c["pic"], code_)))
                return []
            exp["interrupt"] = {"class": cls, "code": code_, "ilc": ilc}
            exp["psw"] = old
            if "gpr" in res and "?" not in res["gpr"][0]:
                exp["gpr"] = {str(r): res["gpr"][r].upper() for r in range(16) if int(res["gpr"][r], 16) != regs.get(r, 0)}
            if "window" in res:
                exp["storage"] = window_runs(initial_window, res["window"], W)
            if kind == "herc" and "fpr" in res and "?" not in res["fpr"][0]:
                fpr = [int(x, 16) for x in res["fpr"]]
                exp["fpr"] = {str(2 * i): "%016X" % fpr[i] for i in range(4) if fpr[i] != c["fprs"].get(2 * i, 0)}
        else:
            dropped.append((c["name"], "oracle status %s" % st))
            return []
    elif kind == "PoO":
        source = "PoO: " + (c["note"] or "")
        # An odd instruction address (no code): GA22-7000 "ILC on Instruction Fetch Exceptions"
        # and GA22-6821 give an ILC of 1, 2 or 3 with the address incremented by as many
        # halfwords; Jit360 (like Hercules for fetch exceptions) uses 2.
        ilc = 2 if not code else first_len // 2
        ia = ia0 + first_len if code else ia0 + 4
        exp["interrupt"] = {"class": "program", "code": c["pic"], "ilc": ilc}
        exp["psw"] = bc_psw(c["key"], problem, c["pic"], ilc, c["cc"], c["pm"], ia)
    elif kind == "PoObranch":
        source = "PoO: " + c["note"]
        exp["psw"] = bc_psw(c["key"], problem, 0, 0, c["cc"], c["pm"], E)
    elif kind == "PoO67":
        source = "PoO: " + (c["note"] or "GA27-2719 BAS/BASR")
        r1 = int(code[2], 16)
        r2 = int(code[3], 16) if code.startswith("0D") else None
        link = C + first_len
        taken = code.startswith("4D") or regs.get(r2, 0) != 0 and r2 != 0
        exp["gpr"] = {str(r1): hx(link)}
        exp["psw"] = bc_psw(0, problem, 0, 0, c["cc"], c["pm"], E if taken else link)
    elif kind == "halve360":
        # GA22-6821 "Halve": the fraction shifts right one bit; sign and characteristic stay;
        # no normalization, no zero test; the condition code and a short result's low half stay.
        source = "PoO: GA22-6821 Halve (no normalization on S/360)"
        v, before = c["fprs"][2], c["fprs"][0]
        if code.startswith("34"):
            hi = v >> 32
            res_ = ((hi & 0xFF000000) | ((hi & 0xFFFFFF) >> 1)) << 32 | (before & 0xFFFFFFFF)
        else:
            res_ = (v & 0xFF00000000000000) | ((v & 0x00FFFFFFFFFFFFFF) >> 1)
        exp["fpr"] = {"0": "%016X" % res_} if res_ != before else {}
        exp["cc"] = c["cc"]
        exp["psw"] = bc_psw(c["key"], problem, 0, 0, c["cc"], c["pm"], E)
    elif kind == "ascii":
        return ascii_vectors(c, base, code, problem)
    if c["keys_after"]:
        exp["keys"] = {"%X" % a: "%02X" % k for a, k in c["keys_after"].items()}
    out = []
    for lv in c["levels"]:
        v = {"name": c["name"], "arch": lv, "psw": bc_psw(c["key"], problem, 0, 0, c["cc"], c["pm"], ia0)}
        v.update(base)
        if c["s360"] == "spec" and lv != "S/370":
            # GA22-6821 "Operand alignment": without the byte-oriented-operand feature an
            # unaligned operand is a specification exception; the operation is suppressed.
            e = {"interrupt": {"class": "program", "code": 6, "ilc": first_len // 2},
                 "psw": bc_psw(c["key"], problem, 6, first_len // 2, c["cc"], c["pm"], C + first_len)}
            v["expect"] = e
            v["source"] = "PoO: GA22-6821 operand alignment (specification exception)"
        else:
            v["expect"] = {k: val for k, val in exp.items() if val != {}}
            v["source"] = source
        out.append(v)
    return out


def ascii_vectors(c, base, code, problem):
    """GA22-6821: with PSW bit 12 on, decimal results use USASCII-8 codes: plus 1010, minus 1011, zone 0101."""
    out = []
    for lv in c["levels"]:
        v = {"name": c["name"], "arch": lv, "psw": bc_psw(0, problem, 0, 0, 0, 0, C, ascii_=True)}
        v.update(base)
        if code.startswith("4E"):
            # CVD of -123 (R2 = X'FFFFFF85'): packed 123 with the USASCII-8 minus sign B.
            st = {"%X" % (W + 8): "000000000000123B"}
        else:
            # UNPK of X'123C' into 4 bytes: zones 0101, the sign's digit pair swapped into the last byte.
            st = {"%X" % (W + 0x10): "505152C3"}
        v["expect"] = {"storage": st, "psw": bc_psw(0, problem, 0, 0, 0, 0, C + ilen(int(code[:2], 16)), ascii_=True)}
        v["source"] = "PoO: " + c["note"]
        out.append(v)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "vectors"))
    a = ap.parse_args()
    for build in (fixed_point, shifts, branches, storage_ops, exceptions, decimal, hfp, s370_ops, model67):
        build()
    names = set()
    for c in CASES:
        if c["name"] in names:
            sys.exit("duplicate case name: " + c["name"])
        names.add(c["name"])
    cache = run_oracles(CASES, a.shared, a.jobs, os.path.join(HERE, "oracle-cache.jsonl"))
    files, dropped = {}, []
    for c in CASES:
        res = cache.get(c.get("ckey"), {}) if c["oracle"] in ("qemu", "herc") else {}
        if c["oracle"] in ("qemu", "herc") and not res:
            dropped.append((c["name"], "no oracle result"))
            continue
        for v in vector_lines(c, res, dropped):
            files.setdefault(c["family"], []).append(v)
    os.makedirs(a.out, exist_ok=True)
    total = 0
    for fam, vs in sorted(files.items()):
        with open(os.path.join(a.out, fam + ".jsonl"), "w") as f:
            for v in vs:
                f.write(json.dumps(v, separators=(",", ":")) + "\n")
        total += len(vs)
        print("%-12s %4d vectors" % (fam, len(vs)), file=sys.stderr)
    for n, why in dropped:
        print("dropped: %s: %s" % (n, why), file=sys.stderr)
    print("%d vectors, %d cases dropped" % (total, len(dropped)), file=sys.stderr)


if __name__ == "__main__":
    main()
