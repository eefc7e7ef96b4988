*---------------------------------------------------------------------*
* PRIMES: the primes below 10000 by trial division, in a virtual      *
* machine under CP. Each odd n is divided (D) by the odd numbers d    *
* with d*d <= n; the count and the largest prime are written on the   *
* virtual console, then the machine logs itself off (DIAGNOSE X'08'). *
* REPEATS (set by jit360 demo --repeat) says how many times the whole *
* search runs, so the run is long enough to time.                    *
*---------------------------------------------------------------------*
PRIMES   START 0
LIMIT    EQU   10000
         DC    X'00000000',A(BEGIN)    IPL PSW
         ORG   PRIMES+X'68'
         DC    X'0002000000000EEE'     program new PSW: wait, code EEE
         ORG   PRIMES+X'200'
BEGIN    BALR  12,0
         USING *,12
         L     9,REPEATS
AGAIN    LA    10,1                    count: 2 is prime
         LA    11,2                    the largest so far
         LA    3,3                     n
NLOOP    LA    5,3                     d
DLOOP    LR    7,5
         MR    6,5                     R7 = d*d
         CR    7,3
         BH    ISPRIME                 d*d > n: no divisor left
         SR    6,6
         LR    7,3
         DR    6,5                     R6 = n mod d
         LTR   6,6
         BZ    NEXTN                   d divides n
         LA    5,2(5)
         B     DLOOP
ISPRIME  LA    10,1(10)
         LR    11,3
NEXTN    LA    3,2(3)
         C     3,=A(LIMIT)
         BL    NLOOP
         BCT   9,AGAIN
*
         LA    2,VMLINE
         VMPUT 'PRIMES: '
         VMNUM 10
         VMPUT ' PRIMES BELOW 10000 BY TRIAL DIVISION, THE LARGEST '
         VMNUM 11
         VMTYPE
         VMLOGOFF
*
REPEATS  DC    F'1'
         VMRUNTIM
         LTORG
         END   BEGIN
