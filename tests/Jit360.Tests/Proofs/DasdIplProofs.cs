using Jit360.Cli;
using Jit360.Machine.Devices.Dasd;
using Jit360.Machine.Media;
using Jit360.Tests.Support;

namespace Jit360.Tests.Proofs;

/// <summary>
/// IPL from a disk (GA22-7000 "Initial Program Loading"): the channel's implied READ IPL reads
/// record 1 of cylinder 0 head 0, whose CCWs chain to record 2; a volume made by
/// <c>jit360 dasd init</c> carries dasdinit's IPL records, which load a disabled-wait PSW.
/// </summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class DasdIplProofs(string engine)
{
    [TestCase("3350")]
    [TestCase("3330")]
    [TestCase("2314")]
    public void A_new_volume_ipls_to_the_wait_psw_of_its_ipl_record(string type)
    {
        string folder = ProofRig.NewFolder();
        try { Ipl(type, folder); }
        finally { Directory.Delete(folder, true); }
    }

    void Ipl(string type, string folder)
    {
        CkdImageFile.Create(Path.Combine(folder, "ipl.ckd"), DasdGeometry.Find(type)!, 1, "IPLVOL");
        using var r = ProofRig.Create(engine, $"""
            ARCHMODE S/370
            MAINSIZE 1
            0191 {type} ipl.ckd
            """, deterministic: true, folder);
        r.Rc("ipl 191");
        Assert.That(r.WaitForStop(), Is.EqualTo(MachineState.DisabledWait), r.Transcript());
        // The PSW dasdinit's IPL1 record holds: a disabled wait, bits 12-15 = 0110 (M and W bits set in BC mode).
        Assert.That(r.Machine.PswText, Is.EqualTo("00060000 0000000F"), r.Transcript());
        Assert.That(r.Panel.ToString(), Does.Contain("IPL from 0191 complete"));
    }
}
