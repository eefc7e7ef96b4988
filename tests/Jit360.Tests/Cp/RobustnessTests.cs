using Jit360.Cp.Commands;
using Jit360.Cp.Directory;
using Jit360.Cp.SavedSystems;
using Jit360.Cp.VirtualMachines;
using Jit360.Machine;

namespace Jit360.Tests.Cp;

/// <summary>Malformed directories, command lines and saved-system files get CP's own errors, never a host exception.</summary>
public class RobustnessTests
{
    static readonly string[] DirectoryWords =
    [
        "USER", "DIRECTORY", "MDISK", "LINK", "CONSOLE", "SPOOL", "IPL", "OPTION", "ACCOUNT", "SPECIAL", "DEDICATE", "PARM",
        "A", "191", "3350", "2540", "READER", "PUNCH", "0", "999999", "1M", "17M", "4K", "X", "MR", "RR", "W", "*", "-", "ECMODE",
        "CPUID", "0G0", "12345678901", "", "=", "VIRT=REAL",
    ];

    static readonly string[] CommandWords =
    [
        "Q", "D", "ST", "SET", "B", "I", "M", "SL", "TERM", "LINK", "DEF", "SP", "C", "DISC", "LOG", "L",
        "G", "G5", "G-", "G16", "Y", "Y2", "X0", "PSW", "CAW", "CSW", "K", "T", "L0", "T200-21F", "K0-FFF", "-", ".", ":", "0.",
        "200.", "0-", "FFFFFF", "1000000", "S100", "S", "EMSG", "PF1", "PF", "ON", "OFF", "CODE", "MSG", "*", "OP", "TIME", "NAMES",
        "V", "STOR", "DASD", "LINEND", "MODE", "CP", "LINESIZE", "99", "SEC", "HRS", "123456789ABCDEF01", "PARM", "CLEAR", "TO", "AS",
        "MAINT", "19D", "RR", "PASS=",
    ];

    [Test]
    public void Random_directories_parse_or_fail_with_located_errors()
    {
        var random = new Random(370);
        for (int n = 0; n < 2000; n++)
        {
            var lines = Enumerable.Range(0, random.Next(1, 6)).Select(_ =>
                (random.Next(3) == 0 ? " " : "") + string.Join(' ', Enumerable.Range(0, random.Next(0, 9)).Select(_ => DirectoryWords[random.Next(DirectoryWords.Length)])));
            string text = string.Join('\n', lines);
            try { DirectoryParser.Parse(text, "FUZZ"); }
            catch (DirectoryException e) { Assert.That(e.Errors, Is.Not.Empty, text); }
        }
    }

    sealed class NoDevices : IDeviceServices
    {
        public VirtualMachine CreateVirtualMachine(CpSession session, UserEntry user, bool automaticIpl) => new(new CpuState(Jit360.Architecture.ArchLevel.S370, 0x10000));
        public void DestroyVirtualMachine(CpSession session) { }
        public void Ipl(CpSession session, string target, string? parm, bool clear) { }
        public void Link(CpSession session, string userId, ushort theirAddress, ushort address, MinidiskMode mode, string? password) { }
        public void Attach(CpSession session, IReadOnlyList<string> operands) { }
        public void Detach(CpSession session, IReadOnlyList<string> operands) { }
        public void Define(CpSession session, IReadOnlyList<string> operands) { }
        public void Spool(CpSession session, IReadOnlyList<string> operands) { }
        public void Close(CpSession session, IReadOnlyList<string> operands) { }
        public bool Query(CpSession session, IReadOnlyList<string> operands) => false;
    }

    [Test]
    public void Random_command_lines_get_a_response_or_a_CP_message()
    {
        var random = new Random(1820);
        var system = new CpSystem(DirectoryParser.Parse(SampleDirectory.Text), new NoDevices());
        var terminal = new CapturingTerminal();
        for (int n = 0; n < 3000; n++)
        {
            var session = new CpSession(terminal);
            system.Execute(session, "LOGON MAINT CPCMS");
            string line = string.Join(' ', Enumerable.Range(0, random.Next(1, 6)).Select(_ => CommandWords[random.Next(CommandWords.Length)]));
            Assert.DoesNotThrow(() => system.Execute(session, line), line);
            if (session.LoggedOn) system.Execute(session, "LOGOFF");
        }
    }

    [Test]
    public void Random_saved_system_files_are_rejected_or_read()
    {
        var random = new Random(6);
        for (int n = 0; n < 200; n++)
        {
            var data = new byte[random.Next(0, 5) * 4096 + (random.Next(4) == 0 ? random.Next(1, 4096) : 0)];
            random.NextBytes(data);
            try
            {
                var s = SavedSystemReader.Parse(data, "fuzz", "FUZZ", random.Next(0, 5000), true);
                Assert.That(s.PageCount, Is.EqualTo(data.Length / 4096 - 1));
            }
            catch (SavedSystemException) { }
        }
    }
}
