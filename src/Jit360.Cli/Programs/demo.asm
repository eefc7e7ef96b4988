*---------------------------------------------------------------------*
* DEMO: the sieve of Eratosthenes on System/360.                      *
*                                                                     *
* Finds the primes below 1000, stores in RESULT their count, sum and  *
* the largest, and the first ten as halfwords, REPEATS times over     *
* (jit360 demo --repeat sets it, so the run is long enough to time),  *
* then loads a disabled-wait PSW whose instruction address is the     *
* number of primes (X'0002000000000000' + 168 = X'00020000000000A8'). *
* Assembled at origin 0; the PSW at location 0 starts it (loadcore,   *
* or IPL from the assembler's IPL deck). Standard S/360 instructions  *
* only, so it runs on S/360, the Model 67 and S/370.                  *
*---------------------------------------------------------------------*
DEMO     START 0
N        EQU   1000                    sieve limit
         DC    X'00000000',A(BEGIN)    IPL PSW: BC mode, disabled
         ORG   DEMO+X'68'              program new PSW: a program check
         DC    X'0002000000000EEE'     ends in a wait with code EEE
         ORG   DEMO+X'200'             past the fixed storage locations
BEGIN    BALR  12,0
         USING *,12
         L     15,REPEATS
*
* Clear the sieve (1000 bytes: 0 = prime, 1 = composite).
*
AGAIN    XC    SIEVE(256),SIEVE
         XC    SIEVE+256(256),SIEVE+256
         XC    SIEVE+512(256),SIEVE+512
         XC    SIEVE+768(N-768),SIEVE+768
*
* Mark the composites: for each p with p*p < N not yet marked, mark
* p*p, p*p+p, ... (one byte per number; 0 = prime, 1 = composite).
*
         LA    9,N-1                   BXLE compare value
         LA    4,2                     p
OUTER    LR    7,4
         MR    6,4                     R7 = p*p
         CR    7,9
         BH    COUNT                   p*p beyond the sieve: done
         LA    5,SIEVE(4)
         CLI   0(5),0
         BNE   NEXTP                   p is composite
         LR    8,4                     step p
MARK     LA    5,SIEVE(7)
         MVI   0(5),1
         BXLE  7,8,MARK
NEXTP    LA    4,1(4)
         B     OUTER
*
* Count the primes, sum them, keep the largest and the first ten.
*
COUNT    SR    10,10                   count
         SR    11,11                   sum
         LA    7,2                     i
         LA    8,1                     step 1
LOOP     LA    5,SIEVE(7)
         CLI   0(5),0
         BNE   SKIP
         LA    10,1(10)
         AR    11,7
         ST    7,LARGEST
         C     10,=F'10'
         BH    SKIP
         LR    3,10
         AR    3,3                     2 * count
         STH   7,FIRST10-2(3)
SKIP     BXLE  7,8,LOOP
         ST    10,COUNTP
         ST    11,SUMP
         BCT   15,AGAIN                once more, REPEATS times in all
         ST    10,WAITPSW+4            the count shows in the wait PSW
         LPSW  WAITPSW
*
RESULT   DS    0F
COUNTP   DC    F'0'                    168
SUMP     DC    F'0'                    76127
LARGEST  DC    F'0'                    997
FIRST10  DC    10H'0'                  2 3 5 7 11 13 17 19 23 29
REPEATS  DC    F'1'                    how many times the sieve runs
         DS    0D
WAITPSW  DC    X'00020000',A(0)
         LTORG
SIEVE    DC    (N)X'00'
         END   BEGIN
