using Jit360.Machine.Channels;
using Jit360.Machine.Devices.Tape;
using Jit360.Machine.Devices.UnitRecord;
using Jit360.Machine.Media;

namespace Jit360.Tests.Devices;

/// <summary>A device that becomes ready (cards loaded into an empty hopper, a tape mounted) presents device end unsolicited.</summary>
public class DeviceHostTests
{
    sealed class Host : IDeviceHost
    {
        public readonly List<(ushort, UnitStatus)> Raised = [];
        public void RaiseStatus(IDevice device, UnitStatus status) => Raised.Add((device.Number, status));
    }

    [Test]
    public void Loading_an_empty_reader_raises_device_end_once()
    {
        var host = new Host();
        using var r = new CardReader(0x00C, "3505") { Host = host };
        r.Load("a", new byte[160]);
        r.Load("b", new byte[80]);
        Assert.That(host.Raised, Is.EqualTo(new[] { ((ushort)0x00C, UnitStatus.DeviceEnd) }));
        Assert.That(r.CardCount, Is.EqualTo(3));
        Assert.That(r.Describe(), Does.Contain("card 1 of 2"));
    }

    [Test]
    public void Mounting_a_tape_raises_device_end()
    {
        var dir = Directory.CreateTempSubdirectory("jit360-host-").FullName;
        try
        {
            var host = new Host();
            using var d = new TapeDevice(0x181, "3420", null) { Host = host };
            var path = Path.Combine(dir, "t.aws");
            AwsTape.Create(path).Dispose();
            d.Mount(path, readOnly: true);
            Assert.That(host.Raised, Is.EqualTo(new[] { ((ushort)0x181, UnitStatus.DeviceEnd) }));
            Assert.That(d.Describe(), Does.Contain("t.aws ro file 1 block 0"));
        }
        finally { Directory.Delete(dir, true); }
    }
}
