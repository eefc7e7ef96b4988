namespace Jit360.Cp.Directory;

/// <summary>One USER entry of the directory and the statements that follow it.</summary>
public sealed class UserEntry
{
    public required string UserId { get; init; }
    /// <summary>The logon password; NOLOG means the user cannot log on (spool files and minidisks only).</summary>
    public required string Password { get; init; }
    public bool NoLog => Password == "NOLOG";
    /// <summary>Storage at logon, in bytes.</summary>
    public required uint Storage { get; init; }
    /// <summary>The most storage DEFINE STORAGE may give, in bytes.</summary>
    public required uint MaxStorage { get; init; }
    /// <summary>Privilege classes, A-H, as written (VM/370 default G).</summary>
    public required string PrivilegeClasses { get; init; }
    public required int Priority { get; init; }
    /// <summary>The line of the USER statement.</summary>
    public required int Line { get; init; }

    public AccountDefinition? Account { get; internal set; }
    public DirectoryOptions Options { get; internal set; }
    /// <summary>OPTION CPUID value (6 hex digits), when given.</summary>
    public string? CpuId { get; internal set; }
    public IplDefinition? Ipl { get; internal set; }
    public ConsoleDefinition? Console { get; internal set; }

    internal readonly List<SpoolDefinition> spool = [];
    internal readonly List<LinkDefinition> links = [];
    internal readonly List<MinidiskDefinition> minidisks = [];
    internal readonly List<SpecialDefinition> specials = [];
    internal readonly List<DedicateDefinition> dedicated = [];

    public IReadOnlyList<SpoolDefinition> Spool => spool;
    public IReadOnlyList<LinkDefinition> Links => links;
    public IReadOnlyList<MinidiskDefinition> Minidisks => minidisks;
    public IReadOnlyList<SpecialDefinition> Specials => specials;
    public IReadOnlyList<DedicateDefinition> Dedicated => dedicated;

    public bool HasClass(char c) => PrivilegeClasses.Contains(char.ToUpperInvariant(c));

    public MinidiskDefinition? Minidisk(ushort address) => minidisks.FirstOrDefault(m => m.Address == address);

    public override string ToString() => $"USER {UserId} {Storage / 1024}K {MaxStorage / 1024}K {PrivilegeClasses}";
}
