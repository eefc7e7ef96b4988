using System.Buffers.Binary;
using Jit360.Architecture;
using Jit360.Cp.Commands;
using Jit360.Cp.Directory;
using Jit360.Cp.Io;
using Jit360.Cp.SavedSystems;
using Jit360.Cp.Spool;
using Jit360.Machine;

namespace Jit360.Tests.Cp;

/// <summary>
/// The spool: files punched by one user's guest, sent with SPOOL ... TO or TRANSFER, read by
/// another user's guest (unit exception at the end of the file); the spool commands' responses
/// and errors; files that survive a new CP over the same spool folder; DIAGNOSE X'14'.
/// </summary>
public class SpoolTests
{
    const string Directory = """
        USER U01 PW 1M 16M G
         CONSOLE 009 3215
         SPOOL 00C 2540 READER *
         SPOOL 00D 2540 PUNCH A
         SPOOL 00E 1403 A
        USER U02 PW 1M 16M G
         CONSOLE 009 3215
         SPOOL 00C 2540 READER *
         SPOOL 00D 2540 PUNCH A
         SPOOL 00E 1403 A
        USER OPER PW 1M 16M BG
         CONSOLE 009 3215
        """;

    string folder = null!;
    RealVolumes volumes = null!;
    VirtualDeviceServices devices = null!;
    CpSystem system = null!;
    readonly List<GuestMachine> guests = [];

    [SetUp]
    public void Start()
    {
        folder = Path.Combine(Path.GetTempPath(), "jit360-spool-" + Guid.NewGuid().ToString("N"));
        volumes = new RealVolumes();
        NewCp();
    }

    void NewCp()
    {
        devices = new VirtualDeviceServices(volumes, new SavedSystemCatalog(), spoolFolder: folder);
        system = new CpSystem(DirectoryParser.Parse(Directory), devices, new FixedClock());
        devices.System = system;
    }

    sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 11, 21, 21, 30, 5, TimeSpan.Zero);
    }

    [TearDown]
    public void Stop()
    {
        foreach (var g in guests) g.Dispose();
        volumes.Dispose();
        try { System.IO.Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    (CpSession Session, GuestMachine Guest) Logon(string user)
    {
        var session = new CpSession(new UserTerminal());
        Assert.That(system.Execute(session, $"LOGON {user} PW NOIPL"), Is.Zero, string.Join("\n", ((UserTerminal)session.Terminal).Lines));
        var g = devices.Guest(session)!;
        guests.Add(g);
        // Program new PSW: a disabled wait, so a reflected exception stops there.
        g.Machine.Cpu.Storage.WriteDoublewordAbsolute(Low.ProgramNewPsw, 0x000A0000_0000DEADUL);
        return (session, g);
    }

    static UserTerminal Terminal(CpSession s) => (UserTerminal)s.Terminal;

    /// <summary>Runs a command and returns what it wrote.</summary>
    List<string> Cp(CpSession s, string line, int rc = 0)
    {
        int got = 0;
        var lines = Terminal(s).Capture(() => got = system.Execute(s, line));
        Assert.That(got, Is.EqualTo(rc), $"{line}: {string.Join(" / ", lines)}");
        return lines;
    }

    /// <summary>Runs DIAG rx,ry,code once at X'1000' in the guest.</summary>
    void Diagnose(GuestMachine g, int rx, int ry, int code)
    {
        reflectedBefore = g.Machine.Reflected;
        g.Machine.Cpu.Storage.Load(0x1000, [0x83, (byte)(rx << 4 | ry), (byte)(code >> 8), (byte)code]);
        g.Machine.LoadVirtualPsw(0x00000000_00001000UL);
        g.Machine.Run(new Jit360.Interpreter.Interpreter(), 1);
    }

    /// <summary>The program-interruption code CP reflected during the last DIAGNOSE, 0 if none.</summary>
    int ReflectedCode(GuestMachine g)
        => g.Machine.Reflected == reflectedBefore ? 0 : (int)(g.Machine.Cpu.Storage.ReadWordAbsolute(Low.ProgramOldPsw) & 0xFFFF);

    long reflectedBefore;

    /// <summary>The guest punches cards on 00D through DIAGNOSE X'20': one WRITE CCW per card, command-chained.</summary>
    void Punch(GuestMachine g, params string[] cards) => Punch(g, cards.Select(c => Ebcdic.FromString(c.PadRight(80))).ToArray());

    void Punch(GuestMachine g, byte[][] cards)
    {
        var cpu = g.Machine.Cpu;
        for (int i = 0; i < cards.Length; i++)
        {
            uint data = 0x3000 + (uint)i * 80;
            cpu.Storage.Load(data, cards[i]);
            ulong flags = i < cards.Length - 1 ? 0x40UL : 0;
            cpu.Storage.WriteDoublewordAbsolute(0x2000 + (uint)i * 8, 0x01000000_00000050UL | (ulong)data << 32 | flags << 24);
        }
        cpu.Gpr[4] = 0x00D; cpu.Gpr[6] = 0x2000;
        Diagnose(g, 4, 6, 0x20);
        Assert.That(cpu.Cc, Is.Zero, "punch");
    }

    /// <summary>The guest reads one card from 00C through DIAGNOSE X'20'; returns the CC and the card.</summary>
    (int Cc, uint R15, string Card) Read(GuestMachine g)
    {
        var cpu = g.Machine.Cpu;
        cpu.Storage.Load(0x5000, new byte[80]);
        cpu.Storage.WriteDoublewordAbsolute(0x2000, 0x02005000_20000050UL);
        cpu.Gpr[4] = 0x00C; cpu.Gpr[6] = 0x2000; cpu.Gpr[15] = 0;
        Diagnose(g, 4, 6, 0x20);
        return (cpu.Cc, cpu.Gpr[15], Ebcdic.ToString(cpu.Storage.Span(0x5000, 80)).TrimEnd());
    }

    [Test]
    public void A_deck_punched_TO_another_user_is_read_in_their_reader_with_unit_exception_at_its_end()
    {
        var (s1, g1) = Logon("U01");
        var (s2, g2) = Logon("U02");
        Assert.That(Cp(s1, "SPOOL PUNCH TO U02"), Is.Empty);
        Punch(g1, "CARD ONE", "CARD TWO", "CARD THREE");
        var closed = Cp(s1, "CLOSE 00D");
        Assert.That(closed, Is.EqualTo(new[] { "PUN FILE 0001 TO U02 COPY 01 NOHOLD" }));
        Assert.That(Terminal(s2).Lines, Does.Contain("PUN FILE 0001 FROM U01 COPY 01 NOHOLD"));
        Assert.That(Cp(s2, "QUERY RDR"), Is.EqualTo(new[] { "OWNERID  FILE CLASS RECDS  CPY HOLD", "U02      0001 A PUN 000003 01  NONE" }));
        Assert.That(Cp(s1, "QUERY RDR"), Is.EqualTo(new[] { "NO RDR FILES" }));

        Assert.That(Read(g2), Is.EqualTo((0, 0u, "CARD ONE")));
        Assert.That(Read(g2), Is.EqualTo((0, 0u, "CARD TWO")));
        Assert.That(Read(g2), Is.EqualTo((0, 0u, "CARD THREE")));
        // The read after the last card: unit exception (DIAGNOSE X'20' CC 2, R15 2); the file is purged.
        Assert.That(Read(g2).Cc, Is.EqualTo(2));
        Assert.That(g2.Machine.Cpu.Gpr[15], Is.EqualTo(2u));
        Assert.That(Cp(s2, "QUERY FILES"), Is.EqualTo(new[] { "FILES: NO RDR, NO PRT, NO PUN" }));
        // An empty reader is not ready: unit check, intervention required (CC 3, R15 13, sense X'40').
        var empty = Read(g2);
        Assert.That((empty.Cc, empty.R15), Is.EqualTo((3, 13u)));
        Assert.That(g2.Machine.Cpu.Gpr[6] & 0xFF00, Is.EqualTo(0x4000u));
    }

    [Test]
    public void TRANSFER_sends_a_punch_file_to_another_reader_and_FROM_takes_it_back()
    {
        var (s1, g1) = Logon("U01");
        var (s2, _) = Logon("U02");
        Punch(g1, "HELLO");
        Assert.That(Cp(s1, "CLOSE PUNCH NAME MY DECK"), Is.Empty);
        Assert.That(Cp(s1, "QUERY PUN ALL"), Is.EqualTo(new[]
        {
            "OWNERID  FILE CLASS RECDS  CPY HOLD  DATE  TIME     NAME      TYPE      DIST",
            "U01      0001 A PUN 000001 01  NONE  11/21 21:30:05 MY        DECK      U01",
        }));
        Assert.That(Cp(s1, "TRANSFER PUN 1 TO U02"), Is.EqualTo(new[] { "0001 FILE(S) TRANSFERRED" }));
        Assert.That(Terminal(s2).Lines, Does.Contain("PUN FILE 0001 FROM U01 COPY 01 NOHOLD"));
        Assert.That(Cp(s2, "Q RDR"), Has.Count.EqualTo(2).And.Contains("U02      0001 A PUN 000001 01  NONE"));
        Assert.That(Cp(s1, "TRANSFER RDR ALL FROM U02"), Is.EqualTo(new[] { "0001 FILE(S) TRANSFERRED" }));
        Assert.That(Cp(s1, "Q RDR"), Does.Contain("U01      0001 A PUN 000001 01  NONE"));
        Assert.That(Cp(s2, "Q RDR"), Is.EqualTo(new[] { "NO RDR FILES" }));
    }

    [Test]
    public void CHANGE_ORDER_and_PURGE_work_on_the_users_own_files()
    {
        var (s1, g1) = Logon("U01");
        Cp(s1, "SPOOL PUN TO *");
        Punch(g1, "A"); Cp(s1, "CLOSE 00D");
        Punch(g1, "B"); Punch(g1, "C"); Cp(s1, "CLOSE 00D HOLD");
        Assert.That(Cp(s1, "Q RDR"), Is.EqualTo(new[]
        {
            "OWNERID  FILE CLASS RECDS  CPY HOLD",
            "U01      0001 A PUN 000001 01  NONE",
            "U01      0002 A PUN 000002 01  USER",
        }));
        Assert.That(Cp(s1, "CHANGE RDR 2 CLASS B NOHOLD NAME PROG TEXT"), Is.EqualTo(new[] { "0001 FILE(S) CHANGED" }));
        Cp(s1, "ORDER RDR 2");
        Assert.That(Cp(s1, "Q RDR"), Is.EqualTo(new[]
        {
            "OWNERID  FILE CLASS RECDS  CPY HOLD",
            "U01      0002 B PUN 000002 01  NONE",
            "U01      0001 A PUN 000001 01  NONE",
        }));
        Assert.That(Cp(s1, "Q RDR 0002"), Does.Contain("U01      0002 B PUN 000002 01  NONE  11/21 21:30:05 PROG      TEXT      U01"));
        // A reader of class A passes over the class B file.
        Cp(s1, "SPOOL RDR CLASS A");
        Assert.That(Read(g1).Card, Is.EqualTo("A"));
        Assert.That(Cp(s1, "PURGE RDR 0001"), Is.EqualTo(new[] { "NO FILES PURGED" }), "a file the reader has open is left alone");
        Cp(s1, "CLOSE RDR");
        Assert.That(Cp(s1, "PURGE RDR ALL"), Is.EqualTo(new[] { "0001 FILE(S) PURGED" }));
        Assert.That(Cp(s1, "Q FILES"), Is.EqualTo(new[] { "FILES: NO RDR, NO PRT, NO PUN" }));
    }

    [Test]
    public void Spool_command_errors_carry_their_messages_and_return_codes()
    {
        var (s1, _) = Logon("U01");
        Assert.That(Cp(s1, "PURGE RDR 9", 42), Is.EqualTo(new[] { "DMKCSU042E SPOOLID 0009 DOES NOT EXIST" }));
        Assert.That(Cp(s1, "SPOOL PUN TO NOBODY", 20), Is.EqualTo(new[] { "DMKCFC020E USERID MISSING OR INVALID" }));
        Assert.That(Cp(s1, "CLOSE 0FF", 40), Is.EqualTo(new[] { "DMKCFM040E DEV 0FF DOES NOT EXIST" }));
        Assert.That(Cp(s1, "SPOOL 00D CLASS *", 3), Is.EqualTo(new[] { "DMKCFC003E INVALID OPTION - *" }));
        Assert.That(Cp(s1, "SPOOL RDR COPY 2", 3), Is.EqualTo(new[] { "DMKCFC003E INVALID OPTION - COPY" }));
        Assert.That(Cp(s1, "DEFINE PUNCH 00D", 6), Is.EqualTo(new[] { "DMKDEF006E DEV 00D ALREADY DEFINED" }));
        Assert.That(Cp(s1, "ORDER RDR 12", 42), Is.EqualTo(new[] { "DMKCSU042E SPOOLID 0012 DOES NOT EXIST" }));
    }

    [Test]
    public void SPOOL_CONT_ignores_CLOSE_until_NOCONT_CLOSE_and_DETACH_closes_the_open_file()
    {
        var (s1, g1) = Logon("U01");
        Cp(s1, "SPOOL 00D CONT HOLD");
        Assert.That(Cp(s1, "Q V 00D"), Is.EqualTo(new[] { "PUN  00D CL A CONT   HOLD   COPY 01 READY" }));
        Punch(g1, "ONE"); Cp(s1, "CLOSE 00D");
        Punch(g1, "TWO"); Cp(s1, "CLOSE 00D");
        Assert.That(Cp(s1, "Q PUN"), Is.EqualTo(new[] { "NO PUN FILES" }));
        Assert.That(Cp(s1, "SPOOL PUNCH NOCONT CLOSE"), Is.EqualTo(new[] { "PUN FILE 0001 FOR U01 COPY 01 HOLD" }));
        Assert.That(Cp(s1, "Q PUN"), Does.Contain("U01      0001 A PUN 000002 01  USER"));
        Assert.That(Cp(s1, "DEFINE PRINTER 01E"), Is.EqualTo(new[] { "PRT 01E DEFINED" }));
        Cp(s1, "SPOOL 01E COPY 2");
        var cpu = g1.Machine.Cpu;
        cpu.Storage.Load(0x3000, Ebcdic.FromString("A LINE"));
        cpu.Storage.WriteDoublewordAbsolute(0x2000, 0x09003000_00000006UL);
        cpu.Gpr[4] = 0x01E; cpu.Gpr[6] = 0x2000;
        Diagnose(g1, 4, 6, 0x20);
        Assert.That(Cp(s1, "DETACH 01E"), Is.EqualTo(new[] { "PRT FILE 0002 FOR U01 COPY 02 NOHOLD", "PRT 01E DETACHED" }));
        Assert.That(Cp(s1, "Q PRT"), Does.Contain("U01      0002 A PRT 000001 02  NONE"));
    }

    [Test]
    public void The_guests_CLOSE_through_DIAGNOSE_8_closes_its_punch()
    {
        var (s1, g1) = Logon("U01");
        Punch(g1, "X");
        var cpu = g1.Machine.Cpu;
        var command = Ebcdic.FromString("CLOSE 00D NAME GUEST DECK");
        cpu.Storage.Load(0x4000, command);
        cpu.Gpr[2] = 0x4000; cpu.Gpr[3] = (uint)command.Length;
        Diagnose(g1, 2, 3, 0x08);
        Assert.That(cpu.Gpr[3], Is.Zero);
        Assert.That(Cp(s1, "Q PUN ALL")[1], Does.Contain("GUEST     DECK"));
    }

    [Test]
    public void Spool_files_survive_a_new_CP_over_the_same_spool_folder_and_bad_files_are_reported()
    {
        var (s1, g1) = Logon("U01");
        Cp(s1, "SPOOL PUNCH TO U02 CLASS C");
        Punch(g1, "KEPT ONE", "KEPT TWO");
        Cp(s1, "CLOSE 00D NAME SAVED FILE");
        Cp(s1, "LOGOFF");
        File.WriteAllBytes(Path.Combine(folder, "0077.spool"), [1, 2, 3]);
        var good = File.ReadAllBytes(Path.Combine(folder, "0001.spool"));
        File.WriteAllBytes(Path.Combine(folder, "0078.spool"), good[..^3]);
        File.WriteAllBytes(Path.Combine(folder, "0079.spool"), good);

        NewCp();
        Assert.That(devices.SpoolFiles.Problems, Is.EqualTo(new[]
        {
            "0077.spool: not a Jit360 spool file (bad magic)",
            "0078.spool: record 2 is cut short",
            "0079.spool: holds spoolid 1",
        }));
        var (s2, g2) = Logon("U02");
        Assert.That(Cp(s2, "Q RDR ALL")[1], Is.EqualTo("U02      0001 C PUN 000002 01  NONE  11/21 21:30:05 SAVED     FILE      U01"));
        Assert.That(Read(g2).Card, Is.EqualTo("KEPT ONE"));
        Assert.That(Read(g2).Card, Is.EqualTo("KEPT TWO"));
        // The next spoolid goes on after the ones in the folder.
        var (s3, g3) = Logon("U01");
        Punch(g3, "NEW");
        Cp(s3, "CLOSE 00D");
        Assert.That(Cp(s3, "Q PUN"), Does.Contain("U01      0002 A PUN 000001 01  NONE"));
        Assert.That(System.IO.Directory.GetFiles(folder).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "0001.spool", "0002.spool", "0077.spool", "0078.spool", "0079.spool" }));
    }

    // ---- DIAGNOSE X'14' ----

    (CpSession, GuestMachine) ReaderWithFile(params string[] cards)
    {
        var (s1, g1) = Logon("U01");
        Cp(s1, "SPOOL PUN TO * CLASS D");
        Punch(g1, cards);
        Cp(s1, "CLOSE 00D NAME PROFILE EXEC");
        return (s1, g1);
    }

    void Diag14(GuestMachine g, uint rx, uint ry, uint subcode, int rxReg = 2, int ryReg = 4)
    {
        var cpu = g.Machine.Cpu;
        cpu.Gpr[rxReg] = rx; cpu.Gpr[ryReg] = ry; cpu.Gpr[ryReg + 1] = subcode;
        Diagnose(g, rxReg, ryReg, 0x14);
    }

    [Test]
    public void DIAG_14_reads_a_reader_file_in_spool_buffers_then_end_of_file()
    {
        var (s1, g) = ReaderWithFile("FIRST CARD", "SECOND");
        var cpu = g.Machine.Cpu;
        Diag14(g, 0x8000, 0x00C, 0x0000);
        Assert.That(cpu.Cc, Is.Zero);
        var page = cpu.Storage.Span(0x8000, 4096).ToArray();
        Assert.That(BinaryPrimitives.ReadInt32BigEndian(page.AsSpan(0)), Is.Zero, "no next buffer");
        Assert.That(BinaryPrimitives.ReadInt32BigEndian(page.AsSpan(8)), Is.EqualTo(2), "records in the buffer");
        // First record: a WRITE CCW (X'01') with the data right behind it, chained; trailing blanks suppressed.
        Assert.That(page[16], Is.EqualTo(0x01));
        Assert.That(page[20], Is.EqualTo(0x40));
        Assert.That(BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(22)), Is.EqualTo(10));
        int data = page[17] << 16 | page[18] << 8 | page[19];
        Assert.That(Ebcdic.ToString(page.AsSpan(data, 10)), Is.EqualTo("FIRST CARD"));
        int second = data + 16;
        Assert.That(page[second + 4], Is.Zero, "the last record ends the chain");
        Assert.That(Ebcdic.ToString(page.AsSpan(second + 8, 6)), Is.EqualTo("SECOND"));
        Diag14(g, 0x8000, 0x00C, 0x0000);
        Assert.That(cpu.Cc, Is.EqualTo(1), "end of file");
        // Restart: the first buffer again.
        Diag14(g, 0x8000, 0x00C, 0x0014);
        Assert.That(cpu.Cc, Is.Zero);
        Assert.That(Cp(s1, "Q V 00C")[0], Does.EndWith("OPEN 0001"));
        Cp(s1, "CLOSE RDR");
        Assert.That(Cp(s1, "Q RDR"), Is.EqualTo(new[] { "NO RDR FILES" }));
        Diag14(g, 0x8000, 0x00C, 0x0000);
        Assert.That(cpu.Cc, Is.EqualTo(2), "no file");
    }

    [Test]
    public void DIAG_14_gives_SFBLOKs_selects_files_and_walks_file_descriptors()
    {
        var (s1, g) = ReaderWithFile("ONE");
        Punch(g, "TWO"); Cp(s1, "CLOSE 00D");
        var cpu = g.Machine.Cpu;
        Diag14(g, 0x7000, 0x00C, 0x0008);
        Assert.That(cpu.Cc, Is.Zero);
        var b = cpu.Storage.Span(0x7000, 104).ToArray();
        Assert.That(Ebcdic.ToString(b.AsSpan(0x08, 8)), Is.EqualTo("U01     "));
        Assert.That(BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(0x18)), Is.EqualTo(1));
        Assert.That(BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(0x1E)), Is.EqualTo(1));
        Assert.That(Ebcdic.ToString(b.AsSpan(0x28, 24)).TrimEnd(), Is.EqualTo("PROFILE     EXEC"));
        Assert.That(b[0x56], Is.EqualTo(Ebcdic.FromChar('D')));
        Diag14(g, 0x7000, 0x00C, 0x0008);
        Assert.That((cpu.Cc, BinaryPrimitives.ReadUInt16BigEndian(cpu.Storage.Span(0x7000 + 0x1E, 2))), Is.EqualTo((0, (ushort)2)));
        Diag14(g, 0x7000, 0x00C, 0x0008);
        Assert.That(cpu.Cc, Is.EqualTo(1), "no more card files");
        Diag14(g, 0x7000, 0x00C, 0x0004);
        Assert.That(cpu.Cc, Is.EqualTo(2), "no print files at all");
        // Select file 2: it is read first.
        Diag14(g, 2, 0x00C, 0x000C);
        Assert.That(cpu.Cc, Is.Zero);
        Assert.That(Read(g).Card, Is.EqualTo("TWO"));
        Diag14(g, 99, 0x00C, 0x000C);
        Assert.That(cpu.Cc, Is.EqualTo(2));
        // File descriptors: from 0, file 1, then after 1 the next (2), then none.
        Diag14(g, 0x7000, 0, 0x0FFF);
        Assert.That((cpu.Cc, BinaryPrimitives.ReadUInt16BigEndian(cpu.Storage.Span(0x7000 + 0x1E, 2))), Is.EqualTo((0, (ushort)1)));
        Diag14(g, 0x7000, 1, 0x0FFF);
        Assert.That((cpu.Cc, BinaryPrimitives.ReadUInt16BigEndian(cpu.Storage.Span(0x7000 + 0x1E, 2))), Is.EqualTo((0, (ushort)2)));
        Diag14(g, 0x7000, 2, 0x0FFF);
        Assert.That(cpu.Cc, Is.EqualTo(1));
        Diag14(g, 0x7000, 55, 0x0FFF);
        Assert.That(cpu.Cc, Is.EqualTo(2));
    }

    [Test]
    public void DIAG_14_bad_operands_get_the_architected_answer()
    {
        var (s1, g) = ReaderWithFile("ONE");
        var cpu = g.Machine.Cpu;
        Diag14(g, 0x8000, 0x0FF, 0x0000);
        Assert.That((cpu.Cc, cpu.Gpr[5]), Is.EqualTo((3, 4u)), "no such device");
        Diag14(g, 0x8000, 0x00D, 0x0000);
        Assert.That((cpu.Cc, cpu.Gpr[5]), Is.EqualTo((3, 8u)), "not a reader");
        Diag14(g, 0x8000, 0x12345, 0x0000);
        Assert.That((cpu.Cc, cpu.Gpr[5]), Is.EqualTo((3, 4u)), "not a device address");
        Diag14(g, 0x8000, 0x00C, 0x0000, rxReg: 2, ryReg: 3);
        Assert.That(ReflectedCode(g), Is.EqualTo(ProgramInterruptCode.Specification), "odd Ry");
        Diag14(g, 0x8008, 0x00C, 0x0000);
        Assert.That(ReflectedCode(g), Is.EqualTo(ProgramInterruptCode.Specification), "buffer not on a page");
        Diag14(g, 0x7FFF0, 0x00C, 0x0008);
        Assert.That(ReflectedCode(g), Is.EqualTo(ProgramInterruptCode.Specification), "SFBLOK across a page");
        // Addresses are 24-bit: the high byte is ignored, and the last page of the 16M is storage.
        Diag14(g, 0xFFFF_F000, 0x00C, 0x0000);
        Assert.That((ReflectedCode(g), cpu.Cc), Is.EqualTo((0, 0)));
        Assert.That(Ebcdic.ToString(cpu.Storage.Span(0xFFF000 + 24, 3)), Is.EqualTo("ONE"));
        Diag14(g, 0x8000, 0x00C, 0x0014);
        Diag14(g, 0x8000, 0x00C, 0x0044);
        Assert.That(ReflectedCode(g), Is.EqualTo(ProgramInterruptCode.Specification), "unknown subcode");
        Cp(s1, "CLOSE RDR HOLD");
        Assert.That(Cp(s1, "Q RDR"), Has.Count.EqualTo(2), "CLOSE HOLD keeps the file");
        Diag14(g, 0, 0x00C, 0x0010);
        Assert.That(cpu.Cc, Is.EqualTo(2), "repeat with no active file");
        Diag14(g, 0x8000, 0x00C, 0x0000);
        Diag14(g, 0, 0x00C, 0x0010);
        Assert.That(ReflectedCode(g), Is.EqualTo(ProgramInterruptCode.Specification), "copy count not positive");
    }

    [Test]
    public void A_punched_IPL_deck_IPLs_from_the_virtual_reader()
    {
        var asm = Jit360.Assembler.Assembler.Assemble("""
                     START X'2000'
            BEGIN    BALR  12,0
                     USING *,12
                     LA    3,X'5A'
                     LPSW  WAIT
                     DS    0D
            WAIT     DC    X'000A0000',X'0000BEEF'
                     END   BEGIN
            """, "ipl.asm", new Jit360.Assembler.AssemblerOptions { Level = ArchLevel.S370 });
        Assert.That(asm.Success, Is.True, string.Join("\n", asm.Diagnostics));
        var (s1, g1) = Logon("U01");
        var (s2, g2) = Logon("U02");
        Cp(s1, "SPOOL PUNCH TO U02");
        var deck = asm.IplDeck!;
        Punch(g1, Enumerable.Range(0, deck.Length / 80).Select(i => deck.AsSpan(i * 80, 80).ToArray()).ToArray());
        Cp(s1, "CLOSE PUNCH");
        Assert.That(Cp(s2, "IPL 00C"), Is.Empty);
        g2.Machine.Run(new Jit360.Interpreter.Interpreter(), 100);
        Assert.That((g2.Machine.Cpu.Gpr[3], g2.Machine.Cpu.Ia), Is.EqualTo((0x5Au, 0xBEEFu)));
    }

    [Test]
    public void ATTACH_gives_a_real_DASD_of_the_configuration_to_a_logged_on_user()
    {
        string image = Path.Combine(folder, "spl001.ckd");
        System.IO.Directory.CreateDirectory(folder);
        Jit360.Machine.Media.CkdImageFile.Create(image, Jit360.Machine.Devices.Dasd.DasdGeometry.Find("3350")!, 2, "SPL001");
        volumes.Mount(image);
        devices.AddRealDevice(0x230, "3350", "SPL001");
        var (oper, _) = Logon("OPER");
        var (s1, g1) = Logon("U01");
        var (s2, _) = Logon("U02");
        Assert.That(Cp(s1, "ATTACH 230 TO U01", 1), Is.EqualTo(new[] { "DMKCFM001E ?CP: ATTACH" }), "class G has no ATTACH");
        Assert.That(Cp(oper, "ATTACH 230 TO U01 AS 331"), Is.EqualTo(new[] { "DASD 230 ATTACHED TO U01 331" }));
        Assert.That(Terminal(s1).Lines, Does.Contain("DASD 331 ATTACHED"));
        Assert.That(Cp(s1, "QUERY VIRTUAL 331"), Is.EqualTo(new[] { "DASD 331 3350 SPL001 R/W      2 CYL" }));
        Assert.That(Cp(oper, "ATTACH 230 TO U02 AS 331", 121), Is.EqualTo(new[] { "DMKATT121E DEV 230 ALREADY ATTACHED TO U01" }));
        Assert.That(Cp(oper, "ATTACH 231 TO U02", 40), Is.EqualTo(new[] { "DMKCFM040E DEV 231 DOES NOT EXIST" }));
        Assert.That(Cp(oper, "ATTACH 230 TO NOBODY", 45), Is.EqualTo(new[] { "DMKMSG045E NOBODY NOT LOGGED ON" }));
        // The guest reads the volume label (cylinder 0 head 0 record 3) through the attached device.
        var cpu = g1.Machine.Cpu;
        cpu.Storage.Load(0x2100, new byte[6]);
        cpu.Storage.WriteDoublewordAbsolute(0x2000, 0x07002100_40000006UL);   // SEEK 0,0
        cpu.Storage.WriteDoublewordAbsolute(0x2008, 0x31002106_40000005UL);   // SEARCH ID EQUAL CC 0 H 0 R 3
        cpu.Storage.WriteDoublewordAbsolute(0x2010, 0x08002008_00000000UL);   // TIC
        cpu.Storage.WriteDoublewordAbsolute(0x2018, 0x06002200_20000050UL);   // READ DATA 80, SLI
        cpu.Storage.Load(0x2106, [0, 0, 0, 0, 3]);
        cpu.Gpr[4] = 0x331; cpu.Gpr[6] = 0x2000;
        Diagnose(g1, 4, 6, 0x20);
        Assert.That(cpu.Cc, Is.Zero);
        Assert.That(Ebcdic.ToString(cpu.Storage.Span(0x2200, 10)), Is.EqualTo("VOL1SPL001"));
        Assert.That(Cp(s1, "DETACH 331"), Is.EqualTo(new[] { "DASD 331 DETACHED" }));
        Assert.That(Cp(oper, "ATTACH 230 U02 191"), Is.EqualTo(new[] { "DASD 230 ATTACHED TO U02 191" }));
        Assert.That(Terminal(s2).Lines, Does.Contain("DASD 191 ATTACHED"));
    }

    [Test]
    public void DEFINE_T3350_gives_an_empty_temporary_disk_until_DETACH()
    {
        var (s1, g1) = Logon("U01");
        Assert.That(Cp(s1, "DEFINE T3350 AS 1A0 CYL 2"), Is.EqualTo(new[] { "DASD 1A0 DEFINED" }));
        Assert.That(Cp(s1, "QUERY VIRTUAL 1A0"), Is.EqualTo(new[] { "DASD 1A0 3350 (TEMP) R/W      2 CYL" }));
        Assert.That(Cp(s1, "DEFINE T3350 AS 1A0 CYL 2", 6), Is.EqualTo(new[] { "DMKDEF006E DEV 1A0 ALREADY DEFINED" }));
        Assert.That(Cp(s1, "DEFINE T3350 AS 1A1 CYL 999", 3), Is.EqualTo(new[] { "DMKCFC003E INVALID OPTION - 999" }));
        Assert.That(Cp(s1, "DEFINE T3350 AS 1A1", 26), Is.EqualTo(new[] { "DMKCFC026E OPERAND MISSING OR INVALID" }));
        // The guest reads R0 of cylinder 1 head 29 (READ R0 gives its count: CCHH 0001 001D, R 0, KL 0, DL 8); cylinder 2 is beyond the disk.
        var cpu = g1.Machine.Cpu;
        cpu.Storage.Load(0x2100, [0, 0, 0, 1, 0, 29]);
        cpu.Storage.Load(0x2200, [0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE]);
        cpu.Storage.WriteDoublewordAbsolute(0x2000, 0x07002100_40000006UL);   // SEEK
        cpu.Storage.WriteDoublewordAbsolute(0x2008, 0x16002200_00000008UL);   // READ R0, count field only
        cpu.Gpr[4] = 0x1A0; cpu.Gpr[6] = 0x2000;
        Diagnose(g1, 4, 6, 0x20);
        Assert.That(cpu.Cc, Is.Zero);
        Assert.That(cpu.Storage.Span(0x2200, 8).ToArray(), Is.EqualTo(new byte[] { 0, 1, 0, 29, 0, 0, 0, 8 }));
        cpu.Storage.Load(0x2100, [0, 0, 0, 2, 0, 0]);
        Diagnose(g1, 4, 6, 0x20);
        Assert.That(cpu.Cc, Is.EqualTo(3), "seek check beyond the temporary disk");
        Assert.That(Cp(s1, "DETACH 1A0"), Is.EqualTo(new[] { "DASD 1A0 DETACHED" }));
    }

    [Test]
    public void LOGOFF_closes_the_open_punch_file_and_keeps_a_reader_file_half_read()
    {
        var (s1, g1) = Logon("U01");
        Cp(s1, "SPOOL PUNCH TO * CONT");
        Punch(g1, "FIRST", "SECOND");
        Cp(s1, "CLOSE PUNCH");
        Assert.That(Cp(s1, "Q RDR"), Is.EqualTo(new[] { "NO RDR FILES" }), "CONT: the CLOSE is ignored");
        Cp(s1, "LOGOFF");
        var (s2, g2) = Logon("U01");
        Assert.That(Cp(s2, "Q RDR"), Does.Contain("U01      0001 A PUN 000002 01  NONE"));
        Assert.That(Read(g2).Card, Is.EqualTo("FIRST"));
        Cp(s2, "LOGOFF");
        var (_, g3) = Logon("U01");
        Assert.That(Read(g3).Card, Is.EqualTo("FIRST"), "a file not read to its end is kept, from its start");
    }
}
