*---------------------------------------------------------------------*
* SIEVE: the sieve of Eratosthenes below 100000, in a virtual machine *
* under CP. The sieve (one byte per number, 0 = prime) is at X'10000',*
* cleared by MVCL; composites are marked with BXLE loops; the count   *
* and the sum of the primes are written on the virtual console, then  *
* the machine logs itself off. REPEATS: how many times it all runs.   *
*---------------------------------------------------------------------*
SIEVE    START 0
LIMIT    EQU   100000
TABLE    EQU   X'10000'
         DC    X'00000000',A(BEGIN)    IPL PSW
         ORG   SIEVE+X'68'
         DC    X'0002000000000EEE'     program new PSW: wait, code EEE
         ORG   SIEVE+X'200'
BEGIN    BALR  12,0
         USING *,12
         L     15,REPEATS
AGAIN    L     2,=A(TABLE)             clear the sieve: MVCL with
         L     3,=A(LIMIT)             a zero-length source pads it
         SR    4,4                     with X'00'
         SR    5,5
         MVCL  2,4
         L     5,=A(TABLE)
         L     9,=A(LIMIT-1)           BXLE compare value
         LA    4,2                     p
OUTER    LR    7,4
         MR    6,4                     R7 = p*p
         CR    7,9
         BH    COUNT                   p*p beyond the sieve: done
         LA    1,0(4,5)
         CLI   0(1),0
         BNE   NEXTP                   p is composite
         LR    8,4                     step p
MARK     LA    1,0(7,5)
         MVI   0(1),1
         BXLE  7,8,MARK
NEXTP    LA    4,1(4)
         B     OUTER
COUNT    SR    10,10                   count
         SR    11,11                   sum
         LA    7,2
         LA    8,1
LOOP     LA    1,0(7,5)
         CLI   0(1),0
         BNE   SKIP
         LA    10,1(10)
         ALR   11,7
SKIP     BXLE  7,8,LOOP
         BCT   15,AGAIN
*
         LA    2,VMLINE
         VMPUT 'SIEVE: '
         VMNUM 10
         VMPUT ' PRIMES BELOW 100000, SUM '
         VMNUM 11
         VMTYPE
         VMLOGOFF
*
REPEATS  DC    F'1'
         VMRUNTIM
         LTORG
         END   BEGIN
