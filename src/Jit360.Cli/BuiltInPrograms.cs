using System.Buffers.Binary;
using Jit360.Architecture;

namespace Jit360.Cli;

/// <summary>
/// A program built into jit360: a core image for absolute address 0, where to start it, and
/// how to read what it computed from storage when it has stopped in its disabled wait.
/// </summary>
public sealed record BuiltInProgram(
    string Name, ArchLevel Level, uint StorageSize, byte[] Image, uint Entry,
    string SuccessPsw, string Description, Func<byte[], string> Result);

public static class BuiltInPrograms
{
    /// <summary>Where the demo keeps its repetition count (a fullword).</summary>
    public const uint DemoRepetitionsAddress = 0x3F0;
    /// <summary>Where the demo stores the number of primes it found.</summary>
    public const uint DemoResultAddress = 0x300;

    /// <summary>
    /// The demo: the sieve of Eratosthenes over 2..4095, run <paramref name="repetitions"/>
    /// times, using System/360 problem-state instructions only. It stores the number of primes
    /// (564) at X'300' and ends with SVC 0, whose new PSW is a disabled wait with address
    /// X'600D'; any program interruption ends in the disabled wait X'BAD0' instead.
    /// </summary>
    public static BuiltInProgram Demo(int repetitions = 2000)
    {
        if (repetitions < 1) throw new ArgumentOutOfRangeException(nameof(repetitions), "at least one repetition");
        var image = new byte[0x470];
        void Put(uint at, string hex) => Convert.FromHexString(hex).CopyTo(image, (int)at);

        Put(0x060, "000200000000600D");  // SVC new PSW: disabled wait (BC mode, W bit), IA X'600D'
        Put(0x068, "000200000000BAD0");  // program new PSW: disabled wait, IA X'BAD0'
        BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan((int)DemoRepetitionsAddress), (uint)repetitions);

        // Registers: R2 flag array (one byte per number, 1 = composite) at X'1000';
        // R4 = p; R6 = primes found; R7 = 1 (the mark); R8/R9 = BXLE increment 1 / limit 4095;
        // R10 = multiple m; R12/R13 = BXLE increment p / limit 4095; R15 = repetitions left.
        Put(0x400, "41200800");      // 400 LA   2,X'800'            R2 = X'800'
        Put(0x404, "1A22");          // 404 AR   2,2                 R2 = X'1000', the flag array
        Put(0x406, "41700001");      // 406 LA   7,1                 the mark byte
        Put(0x40A, "41800001");      // 40A LA   8,1                 outer increment
        Put(0x40E, "41900FFF");      // 40E LA   9,4095              outer limit
        Put(0x412, "18D9");          // 412 LR   13,9                inner limit
        Put(0x414, "58F003F0");      // 414 L    15,X'3F0'           repetitions
        // REPEAT: clear the 4096 flags, 256 bytes at a time
        Put(0x418, "1832");          // 418 LR   3,2
        Put(0x41A, "41500010");      // 41A LA   5,16                16 blocks of 256
        Put(0x41E, "D7FF30003000");  // 41E XC   0(256,3),0(3)       clear a block (CLR)
        Put(0x424, "41303100");      // 424 LA   3,256(3)
        Put(0x428, "4650041E");      // 428 BCT  5,CLR
        Put(0x42C, "1B66");          // 42C SR   6,6                 count = 0
        Put(0x42E, "41400002");      // 42E LA   4,2                 p = 2
        // OUTER: is p marked?
        Put(0x432, "1B55");          // 432 SR   5,5
        Put(0x434, "43542000");      // 434 IC   5,0(4,2)            flag[p]
        Put(0x438, "1255");          // 438 LTR  5,5
        Put(0x43A, "47700456");      // 43A BC   7,NEXT              composite: next p
        Put(0x43E, "41606001");      // 43E LA   6,1(6)              a prime: count it
        Put(0x442, "18A4");          // 442 LR   10,4
        Put(0x444, "1AA4");          // 444 AR   10,4                m = 2p
        Put(0x446, "18C4");          // 446 LR   12,4                inner increment = p
        Put(0x448, "19AD");          // 448 CR   10,13
        Put(0x44A, "47200456");      // 44A BC   2,NEXT              2p > 4095: nothing to mark
        Put(0x44E, "427A2000");      // 44E STC  7,0(10,2)           flag[m] = 1 (MARK)
        Put(0x452, "87AC044E");      // 452 BXLE 10,12,MARK          m += p while m <= 4095
        Put(0x456, "87480432");      // 456 BXLE 4,8,OUTER           p += 1 while p <= 4095 (NEXT)
        Put(0x45A, "46F00418");      // 45A BCT  15,REPEAT
        Put(0x45E, "50600300");      // 45E ST   6,X'300'            the result
        Put(0x462, "0A00");          // 462 SVC  0                   to the disabled wait X'600D'

        return new BuiltInProgram(
            "demo", ArchLevel.S360, 64 * 1024, image, 0x400, "00020000 0000600D",
            $"the sieve of Eratosthenes over 2..4095, {repetitions} times (System/360 instructions)",
            storage => $"{BinaryPrimitives.ReadUInt32BigEndian(storage.AsSpan((int)DemoResultAddress, 4))} primes below 4096");
    }
}
