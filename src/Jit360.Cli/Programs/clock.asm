*---------------------------------------------------------------------*
* CLOCK: time in a virtual machine under CP. The guest sets its       *
* interval timer (location X'50', 76800 units a second) to 10 ms and  *
* waits, enabled for external interruptions, five times; STCK before *
* and after measures the time the TOD clock saw pass. Then it asks CP *
* for QUERY TIME through DIAGNOSE X'08' with a response buffer and    *
* writes both results on the virtual console. Then LOGOFF.            *
*---------------------------------------------------------------------*
CLOCK    START 0
TICKS    EQU   5
         DC    X'00000000',A(BEGIN)    IPL PSW
         ORG   CLOCK+X'68'
         DC    X'0002000000000EEE'     program new PSW: wait, code EEE
         ORG   CLOCK+X'200'
BEGIN    BALR  12,0
         USING *,12
         MVC   X'58'(8),EXTNEW         external new PSW: TICK
         SR    10,10                   interruptions taken
         STCK  START
ARM      MVC   X'50'(4),=F'768'        interval timer: 10 ms
WAIT     LPSW  EXTWAIT                 wait, enabled for external
TICK     CLC   X'1A'(2),=X'0080'       BC mode: code 80, the timer?
         BNE   WAIT
         LA    10,1(10)
         C     10,=A(TICKS)
         BL    ARM
         STCK  FINISH
         LM    4,5,FINISH              FINISH - START (64 bits)
         SL    5,START+4
         BC    3,NOBORROW              carry: no borrow
         BCTR  4,0
NOBORROW S     4,START
         SRDL  4,12                    bit 51 is a microsecond
         D     4,=F'1000'              R5 = milliseconds
         LR    11,5
*
         LA    2,VMLINE
         VMPUT 'CLOCK: '
         VMNUM 10
         VMPUT ' INTERVAL TIMER INTERRUPTIONS IN '
         VMNUM 11
         VMPUT ' MS BY THE TOD CLOCK'
         VMTYPE
         VMCP  'QUERY TIME'
         VMPUT 'CLOCK: CP SAYS '
         LTR   15,0                    the response's length
         BZ    NORESP
         BCTR  15,0
         EX    15,MOVERESP
         LA    2,1(15,2)
NORESP   VMTYPE
         VMLOGOFF
MOVERESP MVC   0(0,2),VMRESP
*
         DS    0D
EXTNEW   DC    X'00000000',A(TICK)
EXTWAIT  DC    X'01020000',A(0)        external enabled, wait
START    DC    D'0'
FINISH   DC    D'0'
         VMRUNTIM
         LTORG
         END   BEGIN
