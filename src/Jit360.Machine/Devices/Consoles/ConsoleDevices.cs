using System.Net;
using Jit360.Machine.Channels;

namespace Jit360.Machine.Devices.Consoles;

/// <summary>
/// Device statements for line-mode consoles, with Hercules' arguments:
/// <c>devnum 3215|1052 [noprompt] [group|*] [ipaddr [mask]]</c> (telnet-attached, on the CNSLPORT port) and
/// <c>devnum 3215-C|1052-C [noprompt] [prefix]</c> (integrated, typed on the operator's terminal after the prefix, "/" by default).
/// </summary>
public static class ConsoleDevices
{
    public static readonly string[] Types = ["3215", "1052", "3215-C", "1052-C"];

    public static IDevice Create(ushort number, string type, IReadOnlyList<string> arguments, DeviceContext context)
    {
        var args = arguments.ToList();
        bool prompt = true;
        if (args.Count > 0 && args[0].Equals("noprompt", StringComparison.OrdinalIgnoreCase)) { prompt = false; args.RemoveAt(0); }

        if (type.EndsWith("-C", StringComparison.OrdinalIgnoreCase))
        {
            // Hercules takes either noprompt or a prefix; both, in either order, are taken here.
            if (prompt && args.Count == 2 && args[1].Equals("noprompt", StringComparison.OrdinalIgnoreCase)) { prompt = false; args.RemoveAt(1); }
            if (args.Count > 1) throw new DeviceConfigException($"{type}: extraneous argument {args[1]} (expected [noprompt] [prefix])");
            return new IntegratedConsole(number, type, args.Count == 1 ? args[0] : IntegratedConsole.DefaultPrefix, prompt);
        }

        string? group = null;
        IPAddress? address = null, mask = null;
        if (args.Count > 0)
        {
            if (args[0] != "*")
            {
                if (args[0].Length > 15) throw new DeviceConfigException($"{type}: group name {args[0]} longer than 15 characters");
                group = args[0];
            }
            args.RemoveAt(0);
        }
        if (args.Count > 0)
        {
            address = Ipv4(args[0]) ?? throw new DeviceConfigException($"{type}: invalid IP address {args[0]}");
            args.RemoveAt(0);
            mask = IPAddress.Broadcast;
            if (args.Count > 0)
            {
                mask = Ipv4(args[0]) ?? throw new DeviceConfigException($"{type}: invalid mask value {args[0]}");
                args.RemoveAt(0);
            }
        }
        if (args.Count > 0) throw new DeviceConfigException($"{type}: extraneous argument(s): {string.Join(' ', args)}");
        return new TelnetConsole(number, type, prompt, group, address, mask, TelnetConsoleServer.For(context));
    }

    static IPAddress? Ipv4(string s) =>
        IPAddress.TryParse(s, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && s.Count(c => c == '.') == 3 ? a : null;
}
