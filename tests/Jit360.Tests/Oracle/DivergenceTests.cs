using System.Text.Json;
using Jit360.Machine;

namespace Jit360.Tests.Oracle;

/// <summary>The comparison and the vector lines, against hand-written oracle answers (no oracle needed).</summary>
public class DivergenceTests
{
    static OracleCase Ar(uint r1, uint r2)
    {
        var c = new OracleCase { Name = "t", Code = Convert.FromHexString("1A12") };
        c.Gpr[1] = r1; c.Gpr[2] = r2;
        c.Mnemonics.Add("AR");
        return c;
    }

    static string Gprs(params (int r, uint v)[] set)
    {
        var g = new string[16];
        for (int i = 0; i < 16; i++) g[i] = "00000000";
        foreach (var (r, v) in set) g[r] = v.ToString("x8");
        return JsonSerializer.Serialize(g);
    }

    static JsonElement Json(string s) => JsonDocument.Parse(s).RootElement;

    [Test]
    public void Agreeing_qemu_result_gives_no_difference()
    {
        var c = Ar(2, 3);
        var e = Divergence.Parse(OracleKind.Qemu, Json($$"""{"name":"t","status":"ok","cc":2,"pm":0,"gpr":{{Gprs((1, 5), (2, 3))}}}"""), c);
        Assert.That(Divergence.Compare(OracleKind.Qemu, e, Replay.Run(c), c), Is.Empty);
    }

    [Test]
    public void Different_register_is_reported_and_becomes_a_vector_line()
    {
        var c = Ar(2, 3);
        var e = Divergence.Parse(OracleKind.Qemu, Json($$"""{"name":"t","status":"ok","cc":2,"pm":0,"gpr":{{Gprs((1, 6), (2, 3))}}}"""), c);
        var ours = Replay.Run(c);
        var d = Divergence.Compare(OracleKind.Qemu, e, ours, c);
        Assert.That(d, Has.Count.EqualTo(1).And.Some.Contains("R1"));
        var v = Json(Divergence.VectorLine(OracleKind.Qemu, c, e, ours));
        Assert.That(v.GetProperty("psw").GetString(), Is.EqualTo("0001000000100000"));
        Assert.That(v.GetProperty("storage").GetProperty("100000").GetString(), Is.EqualTo("1A12"));
        Assert.That(v.GetProperty("expect").GetProperty("gpr").GetProperty("1").GetString(), Is.EqualTo("00000006"));
        Assert.That(v.GetProperty("steps").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public void Qemu_signal_maps_to_any_of_its_codes()
    {
        var c = new OracleCase { Name = "t", Code = Convert.FromHexString("0000") };
        c.Mnemonics.Add("?");
        string json = $$"""{"name":"t","status":"signal","signal":"SIGILL","si_code":"ILL_ILLOPC","si_addr":"0x100000","psw":"0705000000000000 0000000000100002","cc":0,"pm":0,"gpr":{{Gprs()}}}""";
        var e = Divergence.Parse(OracleKind.Qemu, Json(json), c);
        var ours = Replay.Run(c);
        Assert.That(ours.Interrupt?.Code, Is.EqualTo(ProgramInterruptCode.Operation));
        Assert.That(Divergence.Compare(OracleKind.Qemu, e, ours, c), Is.Empty);
        var wrong = Divergence.Parse(OracleKind.Qemu, Json(json.Replace("ILL_ILLOPC", "ILL_ILLOPN")), c);
        Assert.That(Divergence.Compare(OracleKind.Qemu, wrong, ours, c), Is.Not.Empty);
    }

    [Test]
    public void Hercules_old_psw_is_compared_whole()
    {
        var c = Ar(0x7FFF_FFFF, 1);
        c.Pm = 8;
        string Result(string psw) => $$"""{"name":"t","status":"interrupt","interrupt":"program","old_psw":"{{psw}}","int_code":"0x0008","ilc":1,"cc":3,"pm":8,"gpr":{{Gprs((1, 0x8000_0000), (2, 1))}},"fpr":["0000000000000000","0000000000000000","0000000000000000","0000000000000000"]}""";
        var ours = Replay.Run(c);
        Assert.That(Divergence.Compare(OracleKind.Hercules, Divergence.Parse(OracleKind.Hercules, Json(Result("0001000878100002")), c), ours, c), Is.Empty);
        Assert.That(Divergence.Compare(OracleKind.Hercules, Divergence.Parse(OracleKind.Hercules, Json(Result("0001000838100002")), c), ours, c),
                    Has.Some.Contains("old PSW"));
    }
}
