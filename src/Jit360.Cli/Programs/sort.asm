*---------------------------------------------------------------------*
* SORT: 256 words of eight letters, made by a linear congruential     *
* generator (x = 69069x+1 mod 2**32, letter = (x/2**24) mod 26) and   *
* TR into A-Z, sorted by insertion (CLC, MVC), checked in order, and  *
* summarised on the virtual console: the first and last word and a    *
* checksum: the sum of (i+1) times the first word of word i mod 2**31 *
* Then LOGOFF. REPEATS: how many times words are made and sorted.     *
*---------------------------------------------------------------------*
SORT     START 0
N        EQU   256
WORDS    EQU   X'8000'
         DC    X'00000000',A(BEGIN)    IPL PSW
         ORG   SORT+X'68'
         DC    X'0002000000000EEE'     program new PSW: wait, code EEE
         ORG   SORT+X'200'
BEGIN    BALR  12,0
         USING *,12
         L     9,REPEATS
AGAIN    L     5,SEED                  x
         L     3,=A(WORDS)
         L     8,=A(N*8)               letters to make
GEN      M     4,=F'69069'             R5 = x*69069 mod 2**32
         AL    5,=F'1'
         LR    7,5
         SRL   7,24
         SR    6,6
         D     6,=F'26'                R6 = letter number
         STC   6,0(3)
         LA    3,1(3)
         BCT   8,GEN
         L     3,=A(WORDS)
         LA    8,N*8/256
TRLOOP   TR    0(256,3),LETTERS        0-25 become A-Z
         LA    3,256(3)
         BCT   8,TRLOOP
*
* Insertion sort: R3 = word i, R5 = where it goes, R6 = word j-1.
*
         L     11,=A(WORDS)
         L     10,=A(WORDS+N*8)
         LA    3,8(11)
ILOOP    CR    3,10
         BNL   SORTED
         MVC   KEY,0(3)
         LR    5,3
JLOOP    CR    5,11
         BNH   PLACE
         LR    6,5
         SH    6,=H'8'
         CLC   0(8,6),KEY
         BNH   PLACE
         MVC   0(8,5),0(6)
         LR    5,6
         B     JLOOP
PLACE    MVC   0(8,5),KEY
         LA    3,8(3)
         B     ILOOP
*
* In order? And the checksum in R7.
*
SORTED   SR    7,7
         LA    8,1
         LR    3,11
CLOOP    L     5,0(3)
         MR    4,8                     R5 = (i+1) * first word (low)
         ALR   7,5
         LA    6,8(3)                  the next word
         CR    6,10
         BNL   CDONE
         CLC   0(8,3),0(6)
         BH    VMFAIL                  out of order: fail
         LR    3,6
         LA    8,1(8)
         B     CLOOP
CDONE    N     7,=X'7FFFFFFF'
         BCT   9,AGAIN
*
         LA    2,VMLINE
         VMPUT 'SORT: '
         LA    8,N
         VMNUM 8
         VMPUT ' WORDS, FIRST '
         MVC   0(8,2),0(11)
         LA    2,8(2)
         VMPUT ', LAST '
         MVC   0(8,2),N*8-8(11)
         LA    2,8(2)
         VMPUT ', CHECKSUM '
         VMNUM 7
         VMTYPE
         VMLOGOFF
*
REPEATS  DC    F'1'
SEED     DC    F'360'
KEY      DC    CL8' '
LETTERS  DC    C'ABCDEFGHIJKLMNOPQRSTUVWXYZ',230X'00'
         VMRUNTIM
         LTORG
         END   BEGIN
