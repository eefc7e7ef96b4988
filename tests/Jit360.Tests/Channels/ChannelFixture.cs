using System.Buffers.Binary;
using Jit360.Architecture;
using Jit360.Machine;
using Jit360.Machine.Channels;
using Jit360.Tests.Support;

namespace Jit360.Tests.Channels;

/// <summary>
/// A test machine with a channel subsystem and a fake device at 00E: helpers to write the CAW
/// and CCWs, execute one I/O instruction, and take an I/O interruption.
/// </summary>
public abstract class ChannelFixture(string engine)
{
    protected TestMachine M = null!;
    protected ChannelSubsystem Ch = null!;
    protected FakeDevice Dev = null!;
    protected const ushort DevNo = 0x00E;
    /// <summary>The I/O new PSW points here (disabled for I/O).</summary>
    protected const uint Handler = 0x3000;
    protected virtual ArchLevel Level => ArchLevel.S370;

    [SetUp]
    public void SetUpMachine()
    {
        M = new TestMachine(engine, Level);
        Ch = new ChannelSubsystem(M.Cpu);
        Dev = new FakeDevice(DevNo);
        Ch.Attach(Dev);
        M.Cpu.Storage.WriteDoublewordAbsolute(Low.IoNewPsw, Handler);
        M.Bytes(Handler, "0700 0700 0700 0700");
    }

    [TearDown]
    public void TearDownMachine() => Ch.Dispose();

    protected void Caw(uint address, int key = 0) => M.Cpu.Storage.WriteWordAbsolute(Low.Caw, (uint)key << 28 | address);

    protected void Ccw(uint at, byte command, uint data, byte flags, int count)
        => M.Cpu.Storage.WriteDoublewordAbsolute(at, (ulong)command << 56 | (ulong)data << 32 | (ulong)flags << 24 | (uint)count);

    /// <summary>Executes one I/O instruction (S format, base 0, the address as displacement) in supervisor state; returns the condition code.</summary>
    protected int Io(string opcode, ushort address)
    {
        M.Cpu.LoadPsw(TestMachine.CodeAddress);   // disabled, supervisor, BC
        M.Code($"{opcode}{address & 0xFFF:X4}");
        M.Run(1);
        Assert.That(M.Cpu.Instructions, Is.GreaterThan(0));
        Assert.That(M.ProgramCheck, Is.Null, "the I/O instruction itself completes");
        return M.Cpu.Cc;
    }

    protected int Sio(ushort d = DevNo) => Io("9C00", d);
    protected int Tio(ushort d = DevNo) => Io("9D00", d);
    protected int Hio(ushort d = DevNo) => Io("9E00", d);

    protected Csw StoredCsw => Csw.FromDoubleword(M.Cpu.Storage.ReadDoublewordAbsolute(Low.Csw));

    /// <summary>Writes a recognisable CSW so a test can tell whether one was stored.</summary>
    protected void PoisonCsw() => M.Cpu.Storage.WriteDoublewordAbsolute(Low.Csw, 0xDEAD_BEEF_DEAD_BEEFUL);
    protected ulong RawCsw => M.Cpu.Storage.ReadDoublewordAbsolute(Low.Csw);

    /// <summary>Enables I/O with the given system mask (BC mode) over a loop of no-ops; true if an I/O interruption was taken.</summary>
    protected bool TakeInterrupt(byte systemMask = 0xFE, bool ec = false)
    {
        M.Bytes(0x800, "0700 0700 0700 0700 47F0 0800");
        ulong psw = ec ? (ulong)systemMask << 56 | 1UL << 51 | 0x800 : (ulong)systemMask << 56 | 0x800;
        M.Cpu.LoadPsw(psw);
        var before = M.Cpu.InterruptionsTaken;
        M.Engine.Run(M.Cpu, 8);
        return M.Cpu.InterruptionsTaken > before && M.Cpu.LastInterrupt.Class == InterruptClass.Io;
    }

    protected byte[] Read(uint at, int n) => M.Cpu.Storage.Bytes.AsSpan((int)at, n).ToArray();
    protected ulong Doubleword(uint at) => BinaryPrimitives.ReadUInt64BigEndian(M.Cpu.Storage.Bytes.AsSpan((int)at, 8));

    protected static UnitStatus CeDe => UnitStatus.ChannelEnd | UnitStatus.DeviceEnd;
}
