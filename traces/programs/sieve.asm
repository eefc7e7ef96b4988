*---------------------------------------------------------------------*
* SIEVE: the BYTE-magazine sieve of Eratosthenes (SIZE=8190, one     *
* byte flag per odd number 3, 5, 7, ...), as in the peer benchmark    *
* kernel shared/bench/kernels/sieve.S, one pass. RES holds the number *
* of primes found (1899 for SIZE 8190).                               *
* Origin 0; the PSW at location 0 starts it; it ends in a disabled    *
* wait (PSW X'0002000000000000').                                     *
*---------------------------------------------------------------------*
SIEVE    START 0
SIZE     EQU   8190
         DC    X'00000000',A(BEGIN)    IPL PSW
         ORG   SIEVE+X'68'
         DC    X'0002000000000EEE'     program check: wait, code EEE
         ORG   SIEVE+X'200'
BEGIN    BALR  12,0
         USING *,12
         LA    13,DATA                 data base register
         USING DATA,13
         LA    9,FLAGS                 flags base
         SR    2,2                     byte 0 to store
         LA    10,1                    i increment
         L     11,=A(SIZE)             i limit
         LR    5,11                    k limit
* Set every flag to 1: 32 moves of 256 bytes.
         LR    1,9
         LA    6,32
INIT     MVC   0(256,1),ONES
         LA    1,256(1)
         BCT   6,INIT
         SR    3,3                     i = 0
         SR    0,0
         SR    8,8                     count = 0
ILOOP    IC    0,0(3,9)                flag[i]
         LTR   0,0
         BZ    NEXT
         LA    4,3(3,3)                prime = i+i+3
         LR    6,3                     k = i
         B     KTEST
KLOOP    STC   2,0(6,9)                flag[k] = 0
KTEST    BXLE  6,4,KLOOP               k += prime while k <= SIZE
         LA    8,1(8)                  count++
NEXT     BXLE  3,10,ILOOP
         ST    8,RES
         LPSW  WAIT
         DS    0D
WAIT     DC    X'0002000000000000'
         LTORG
ONES     DC    256X'01'
         DS    0D
DATA     DS    0F
RES      DC    F'0'                    primes found
         DS    0D
FLAGS    DS    XL256,31XL256
         END   BEGIN
