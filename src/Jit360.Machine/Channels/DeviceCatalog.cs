namespace Jit360.Machine.Channels;

/// <summary>
/// The device types Jit360 knows, by the names Hercules' device statements use, each with the
/// factory that builds a device from the statement's arguments. Arguments follow Hercules'
/// syntax for that device type; relative file names are resolved against the context's base
/// directory (the configuration file's folder). A bad argument throws <see cref="DeviceConfigException"/>.
/// </summary>
public static class DeviceCatalog
{
    public delegate IDevice Factory(ushort number, string type, IReadOnlyList<string> arguments, DeviceContext context);

    static readonly Dictionary<string, Factory> factories = new(StringComparer.OrdinalIgnoreCase);

    static DeviceCatalog()
    {
        // Each device family registers its type names here (one line per family).
        Register(Devices.Tape.TapeDevice.Create, Devices.Tape.TapeDevice.Types);
        Register(Devices.UnitRecord.CardReader.Create, "2540R", "3505");
        Register(Devices.UnitRecord.CardPunch.Create, "2540P", "3525");
        Register(Devices.UnitRecord.Printer.Create, "1403", "3211");
        Register(Devices.Dasd.CkdDevice.Create, "2311", "2314", "2305", "3330", "3330-11", "3340", "3350");
        Register(Devices.Consoles.ConsoleDevices.Create, Devices.Consoles.ConsoleDevices.Types);
    }

    public static void Register(Factory factory, params string[] types)
    {
        foreach (var t in types) factories[t] = factory;
    }

    public static IEnumerable<string> Types => factories.Keys.Order();

    public static bool Knows(string type) => factories.ContainsKey(type);

    public static IDevice Create(ushort number, string type, IReadOnlyList<string> arguments, DeviceContext context)
    {
        if (!factories.TryGetValue(type, out var f))
            throw new DeviceConfigException($"device type {type} is not supported (known: {string.Join(", ", Types)})");
        return f(number, type.ToUpperInvariant(), arguments, context);
    }
}
