using System.Globalization;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.Types;

namespace Simulator.ChargePoint.V201.DeviceModel;

/// <summary>Identifies a component of the device model: its name and instance, and the EVSE / connector it belongs to.</summary>
public readonly record struct ComponentKey(string Name, string? Instance = null, int? EvseId = null, int? ConnectorId = null)
{
    public static ComponentKey Of(Component component) => new(component.Name, component.Instance, component.Evse?.Id, component.Evse?.ConnectorId);

    public Component ToComponent() => new()
    {
        Name = Name,
        Instance = Instance,
        Evse = EvseId is { } evse ? new Evse { Id = evse, ConnectorId = ConnectorId } : null,
    };

    public override string ToString() =>
        Name + (Instance is null ? "" : $"[{Instance}]") + (EvseId is null ? "" : $"(evse {EvseId}{(ConnectorId is null ? "" : $", connector {ConnectorId}")})");
}

/// <summary>Identifies a variable of a component: its name and instance.</summary>
public readonly record struct VariableKey(string Name, string? Instance = null)
{
    public static VariableKey Of(Variable variable) => new(variable.Name, variable.Instance);

    public Variable ToVariable() => new() { Name = Name, Instance = Instance };

    public override string ToString() => Name + (Instance is null ? "" : $"[{Instance}]");
}

/// <summary>
/// One variable of the device model as the station implements it: its characteristics (data type, unit, limits, values list), its
/// mutability, whether it survives a reboot, the attributes it has (Actual always; some also Target/MinSet/MaxSet), and for
/// read-only values the station computes (AvailabilityState, DateTime, ...) a <see cref="Live"/> reader.
/// </summary>
public sealed record VariableDefinition
{
    public required ComponentKey Component { get; init; }
    public required VariableKey Variable { get; init; }
    public required DataKind DataType { get; init; }
    public Mutability Mutability { get; init; } = Mutability.ReadWrite;
    public bool Persistent { get; init; } = true;
    public bool Constant { get; init; }
    public string? Unit { get; init; }
    public decimal? MinLimit { get; init; }
    public decimal? MaxLimit { get; init; }

    /// <summary>Comma-separated allowed values (OptionList, MemberList, SequenceList).</summary>
    public string? ValuesList { get; init; }

    public bool SupportsMonitoring { get; init; }

    /// <summary>A SetVariables of it is stored but takes effect after a reboot (answered RebootRequired).</summary>
    public bool RebootRequired { get; init; }

    /// <summary>Attributes besides Actual (e.g. MaxSet of EVSE.Power).</summary>
    public IReadOnlyList<AttributeKind> ExtraAttributes { get; init; } = [];

    /// <summary>The initial value of Actual (and of every extra attribute unless set otherwise).</summary>
    public string DefaultValue { get; init; } = "";

    /// <summary>Reads the Actual value the station computes from its state; null for stored values.</summary>
    public Func<IStationState, string>? Live { get; init; }

    public bool Has(AttributeKind attribute) => attribute == AttributeKind.Actual || ExtraAttributes.Contains(attribute);

    public VariableCharacteristics Characteristics => new()
    {
        DataType = DataType,
        Unit = Unit,
        MinLimit = MinLimit,
        MaxLimit = MaxLimit,
        ValuesList = ValuesList,
        SupportsMonitoring = SupportsMonitoring,
    };

    /// <summary>Null when <paramref name="value"/> fits the characteristics, else why not.</summary>
    public string? Check(string value)
    {
        switch (DataType)
        {
            case DataKind.Integer:
                if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    return "not an integer";
                }
                return InLimits(integer);
            case DataKind.Decimal:
                if (!decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    return "not a decimal";
                }
                return InLimits(number);
            case DataKind.Boolean:
                return value is "true" or "false" ? null : "not a boolean (true or false)";
            case DataKind.DateTime:
                return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _) ? null : "not a dateTime";
            case DataKind.OptionList:
                return Allowed().Contains(value) ? null : $"not one of {ValuesList}";
            case DataKind.MemberList or DataKind.SequenceList:
                var members = value.Split(',', StringSplitOptions.TrimEntries);
                if (value.Length > 0 && members.Any(m => !Allowed().Contains(m)))
                {
                    return $"members must be among {ValuesList}";
                }
                return members.Distinct(StringComparer.Ordinal).Count() != members.Length ? "a member is listed twice" : null;
            default:
                return MaxLimit is { } max && value.Length > max ? $"longer than {max} characters"
                    : MinLimit is { } min && value.Length < min ? $"shorter than {min} characters" : null;
        }
    }

    private HashSet<string> Allowed() => [.. (ValuesList ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private string? InLimits(decimal value) =>
        MinLimit is { } min && value < min ? $"below the minimum {min.ToString(CultureInfo.InvariantCulture)}"
        : MaxLimit is { } max && value > max ? $"above the maximum {max.ToString(CultureInfo.InvariantCulture)}"
        : null;
}
