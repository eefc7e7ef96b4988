using Jit360.Machine.Channels;
using Jit360.Machine.Devices.Tape;
using Jit360.Machine.Devices.UnitRecord;

namespace Jit360.Tests.Devices;

/// <summary>Random command bytes, flags and counts, one CCW at a time and chained: a device answers with status, never a host exception.</summary>
public class RandomCcwTests
{
    [TestCase("3420")]
    [TestCase("3410")]
    [TestCase("2401")]
    [TestCase("3505")]
    [TestCase("2540R")]
    [TestCase("3525")]
    [TestCase("1403")]
    public void Random_ccws_never_throw(string type)
    {
        var dir = Directory.CreateTempSubdirectory("jit360-rnd-").FullName;
        try
        {
            string[] args = type switch
            {
                "3505" or "2540R" => ["*", "eof"],
                _ => ["out.file"],
            };
            using var d = DeviceCatalog.Create(0x100, type, args, new DeviceContext(dir));
            if (d is CardReader r) r.Load("x", new byte[80 * 50]);
            var ch = new CcwDriver(d);
            var rnd = new Random(360);
            rnd.NextBytes(ch.Storage);
            for (int i = 0; i < 3000; i++)
            {
                int n = rnd.Next(1, 5);
                var program = new Ccw[n];
                for (int k = 0; k < n; k++)
                    program[k] = new Ccw((byte)rnd.Next(256), rnd.Next(0x8000), (byte)(rnd.Next(256) & 0xE0), rnd.Next(1, rnd.Next(2) == 0 ? 100 : 5000));
                var res = ch.Run(program);
                Assert.That((res.Unit & (UnitStatus.ChannelEnd | UnitStatus.UnitCheck)) != 0, $"{res} has neither channel end nor unit check");
                Assert.That(res.Residual, Is.InRange(0, program[res.LastIndex].Count));
                if (d is TapeDevice t && !t.Loaded) t.Mount(Path.Combine(dir, "out.file"), readOnly: false);
            }
        }
        finally { Directory.Delete(dir, true); }
    }
}
