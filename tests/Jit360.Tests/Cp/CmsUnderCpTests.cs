using Jit360.Architecture;
using Jit360.Cp.SavedSystems;
using Jit360.Cp.VirtualMachines;
using Jit360.Machine;
using Jit360.Tests.Support;

namespace Jit360.Tests.Cp;

/// <summary>The real CMS nucleus, IPLed from its saved system, runs under the CP core up to the first thing only CP can do.</summary>
[TestFixtureSource(typeof(TestEngines), nameof(TestEngines.Names))]
public class CmsUnderCpTests(string engine)
{
    [Test]
    public void CMS_resumes_after_SAVESYS_and_its_first_request_reaches_CP()
    {
        string file = Shared.Require("guests/vm370r6-cms/CMS.segment");
        var cms = SavedSystemReader.Read(file, "CMS", 0, iplable: true);
        var cpu = new CpuState(ArchLevel.S370, 0x100000, deterministicTime: true);
        var events = new List<string>();
        var diagnose = new DiagnoseTable();
        foreach (int code in new[] { 0x08, 0x0C, 0x10, 0x18, 0x20, 0x24, 0x5C, 0x60, 0x64, 0x68 })
            diagnose.Register(code, (vm, call) => { events.Add($"DIAG {call.Code:X2}"); return ExitReason.Stopped; });
        var io = new StopOnIo(events);
        var machine = new VirtualMachine(cpu, diagnose, io);
        NamedSystemLoader.IplNamedSystem(machine, cms);
        var exit = machine.Run(TestEngines.Create(engine), 1_000_000);
        TestContext.Out.WriteLine($"{exit} after {cpu.Instructions} instructions: {string.Join(", ", events)}; PSW {cpu.PswText(machine.VirtualPsw)}; reflected {machine.Reflected}");
        // CMS's first request after the SAVESYS is DIAGNOSE X'64' (named segments: it looks for CMSSEG).
        Assert.That(events, Is.EqualTo(new[] { "DIAG 64" }), $"exit {exit}, PSW {cpu.PswText(machine.VirtualPsw)}");
        Assert.That(exit, Is.EqualTo(ExitReason.Stopped));
        Assert.That(machine.Reflected, Is.Zero, "no program interruption on the way");
        Assert.That(machine.VirtualProblem, Is.False, "CMS runs in the virtual supervisor state");
        Assert.That(cpu.Problem, Is.True);
    }

    sealed class StopOnIo(List<string> events) : IVirtualIo
    {
        public int Execute(VirtualMachine vm, IoInstruction instruction, uint operandAddress)
        {
            events.Add($"{instruction} {operandAddress:X3}");
            vm.Cpu.StopRequested = true;
            return 3;
        }
    }
}
