*---------------------------------------------------------------------*
* LEDGER: a packed-decimal report, in a virtual machine under CP.     *
* 1000 entries of amount(j) = (j*7919+12345) mod 100000 cents (binary *
* D, then CVD); every seventh entry is a debit. Credits, debits and   *
* the balance are kept with AP/SP, the average found with DP, 5%      *
* interest with MP and SRP (rounded), and the amounts edited with     *
* EDMK (commas, decimal point) on the virtual console. Then LOGOFF.   *
* REPEATS: how many times the whole ledger is computed.               *
*---------------------------------------------------------------------*
LEDGER   START 0
ENTRIES  EQU   1000
         DC    X'00000000',A(BEGIN)    IPL PSW
         ORG   LEDGER+X'68'
         DC    X'0002000000000EEE'     program new PSW: wait, code EEE
         ORG   LEDGER+X'200'
BEGIN    BALR  12,0
         USING *,12
         L     9,REPEATS
AGAIN    ZAP   TOTAL,=P'0'
         ZAP   CREDITS,=P'0'
         ZAP   DEBITS,=P'0'
         SR    10,10                   debit entries
         LA    3,1                     j
ELOOP    LR    7,3
         M     6,=F'7919'
         A     7,=F'12345'
         SR    6,6
         D     6,=F'100000'            R6 = the amount in cents
         CVD   6,DW
         LR    7,3
         SR    6,6
         D     6,=F'7'
         LTR   6,6
         BZ    DEBIT                   j mod 7 = 0: a debit
         AP    CREDITS,DW
         AP    TOTAL,DW
         B     ENEXT
DEBIT    AP    DEBITS,DW
         SP    TOTAL,DW
         LA    10,1(10)
ENEXT    LA    3,1(3)
         C     3,=A(ENTRIES)
         BNH   ELOOP
         ZAP   AVG,TOTAL
         DP    AVG,=P'1000'            quotient: AVG(13), remainder: 3
         ZAP   INT,TOTAL
         MP    INT,=P'5'
         SRP   INT,64-2,5              /100, rounded
         BCT   9,AGAIN
*
         LA    2,VMLINE
         VMPUT 'LEDGER: '
         LA    11,ENTRIES
         VMNUM 11
         VMPUT ' ENTRIES ('
         VMNUM 10
         VMPUT ' DEBITS), BALANCE '
         LA    1,TOTAL+2               11 digits and the sign
         BAL   14,EDAMT
         VMPUT ', AVERAGE '
         LA    1,AVG+7
         BAL   14,EDAMT
         VMPUT ', 5% INTEREST '
         LA    1,INT+10
         BAL   14,EDAMT
         VMTYPE
         VMLOGOFF
*
* EDAMT: append the amount in cents at R1 (6 bytes packed) at R2 as
* 123,456,789.01 with no leading blanks.
*
EDAMT    MVC   AMTSRC,0(1)
         MVC   AMTF,AMTPAT
         LA    1,AMTF+11               units digit, if none is marked
         EDMK  AMTF,AMTSRC
         LA    15,AMTF+L'AMTF
         SR    15,1
         BCTR  15,0
         EX    15,AMTMOVE
         LA    2,1(15,2)
         BR    14
AMTMOVE  MVC   0(0,2),0(1)
*
REPEATS  DC    F'1'
DW       DC    D'0'
TOTAL    DC    PL8'0'
CREDITS  DC    PL8'0'
DEBITS   DC    PL8'0'
AVG      DC    PL16'0'
INT      DC    PL16'0'
AMTSRC   DC    XL6'00'
AMTPAT   DC    X'402020206B2020206B2021204B2020'   fill, 9.2 digits
AMTF     DC    CL15' '
         VMRUNTIM
         LTORG
         END   BEGIN
