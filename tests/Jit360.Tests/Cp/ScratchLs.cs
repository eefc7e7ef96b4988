using Jit360.Jit;
namespace Jit360.Tests.Cp;
public class ScratchLs
{
    [Test]
    public void Scratch()
    {
        LockstepEngine? ls = null;
        using var cp = new CmsSystem(ManyUsersTests.Directory(), () => ls = new LockstepEngine(new JitEngine { HotThreshold = 0 }) { RoundInstructions = 64 }, ["cmsuser_192"], ManyUsersTests.UserDisks);
        var user = cp.Dial();
        user.Terminal.SendLine("LOGON U01 PW01");
        for (int i = 0; i < 10; i++)
        {
            Thread.Sleep(2000);
            var vm = user.Session.Machine;
            TestContext.Out.WriteLine($"rounds {ls?.Rounds} resyncs {ls?.Resyncs} instr {vm?.Cpu.Instructions} psw {(vm == null ? "" : vm.Cpu.PswText(vm.VirtualPsw))} paced {vm?.Cpu.Clock.Paced} micros {vm?.Cpu.Clock.Micros} state {user.Session.State} failure {user.Failure}");
        }
        TestContext.Out.WriteLine(string.Join("\n", user.Terminal.Lines));
    }
}
