using System.Globalization;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.Types;

namespace Simulator.ChargePoint.V201.DeviceModel;

/// <summary>
/// The variables a kind of station implements (<see cref="VariableDefinition"/>), shared by every station of that shape
/// (<see cref="StandardVariables.For"/>): immutable once built, so a fleet of thousands holds one copy.
/// </summary>
public sealed class DeviceModelCatalog
{
    private readonly List<VariableDefinition> definitions = [];
    private readonly Dictionary<(ComponentKey, VariableKey), VariableDefinition> byKey = [];
    private readonly HashSet<ComponentKey> components = [];

    public IReadOnlyList<VariableDefinition> Definitions => definitions;

    /// <summary>Adds a variable while the catalog is built. A variable is defined once.</summary>
    public void Add(VariableDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!byKey.TryAdd((definition.Component, definition.Variable), definition))
        {
            throw new ArgumentException($"{definition.Component}.{definition.Variable} is defined twice.", nameof(definition));
        }
        definitions.Add(definition);
        components.Add(definition.Component);
    }

    public VariableDefinition? Find(ComponentKey component, VariableKey variable) => byKey.GetValueOrDefault((component, variable));

    public bool HasComponent(ComponentKey component) => components.Contains(component);
}

/// <summary>
/// One station's device model: the shared <see cref="DeviceModelCatalog"/> plus this station's attribute values (only those that differ
/// from the definitions' defaults are stored). GetVariables/SetVariables/reports go through here with the spec's statuses; the station's
/// behaviour reads its settings with the typed getters. Values live in the model object, so they survive a reboot.
/// </summary>
public sealed class DeviceModelStore(DeviceModelCatalog catalog, IStationState station)
{
    private readonly Dictionary<(ComponentKey, VariableKey, AttributeKind), string> values = [];
    private readonly HashSet<(ComponentKey Component, VariableKey Variable, AttributeKind Attribute)> changedOverOcpp = [];

    public IReadOnlyList<VariableDefinition> Definitions => catalog.Definitions;

    public VariableDefinition? Find(ComponentKey component, VariableKey variable) => catalog.Find(component, variable);

    public bool HasComponent(ComponentKey component) => catalog.HasComponent(component);

    // ───────── typed reads for the station's behaviour ─────────

    public string Get(ComponentKey component, VariableKey variable, AttributeKind attribute = AttributeKind.Actual)
    {
        var definition = Find(component, variable) ?? throw new KeyNotFoundException($"{component}.{variable} is not in the device model.");
        return Read(definition, attribute);
    }

    public int GetInt(ComponentKey component, VariableKey variable) =>
        int.TryParse(Get(component, variable), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : 0;

    public bool GetBool(ComponentKey component, VariableKey variable) => Get(component, variable) == "true";

    public IReadOnlyList<string> GetList(ComponentKey component, VariableKey variable) =>
        Get(component, variable).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private string Read(VariableDefinition definition, AttributeKind attribute) =>
        attribute == AttributeKind.Actual && definition.Live is { } live ? live(station)
        : values.TryGetValue((definition.Component, definition.Variable, attribute), out var value) ? value : definition.DefaultValue;

    /// <summary>The station itself (or a profile's factory setting) changes a value: no mutability check.</summary>
    public void SetByStation(ComponentKey component, VariableKey variable, string value, AttributeKind attribute = AttributeKind.Actual)
    {
        var definition = Find(component, variable) ?? throw new KeyNotFoundException($"{component}.{variable} is not in the device model.");
        if (definition.Check(value) is { } problem)
        {
            throw new ArgumentException($"{component}.{variable} = '{value}': {problem}.");
        }
        values[(component, variable, attribute)] = value;
    }

    // ───────── GetVariables / SetVariables ─────────

    public GetVariableResult GetVariable(GetVariableData request)
    {
        var component = ComponentKey.Of(request.Component);
        var variable = VariableKey.Of(request.Variable);
        var attribute = request.AttributeType ?? AttributeKind.Actual;
        GetVariableResult Result(GetVariableStatus status, string? value = null, string? reason = null) => new()
        {
            AttributeStatus = status,
            AttributeType = request.AttributeType,
            AttributeValue = value,
            AttributeStatusInfo = reason is null ? null : new StatusInfo { ReasonCode = reason },
            Component = request.Component,
            Variable = request.Variable,
        };
        if (!HasComponent(component))
        {
            return Result(GetVariableStatus.UnknownComponent);
        }
        if (Find(component, variable) is not { } definition)
        {
            return Result(GetVariableStatus.UnknownVariable);
        }
        if (!definition.Has(attribute))
        {
            return Result(GetVariableStatus.NotSupportedAttributeType);
        }
        if (definition.Mutability == Mutability.WriteOnly)
        {
            return Result(GetVariableStatus.Rejected, reason: "WriteOnly");
        }
        return Result(GetVariableStatus.Accepted, Read(definition, attribute));
    }

    /// <summary>Applies one SetVariableData; <paramref name="changed"/> is the definition whose value changed (for the station to act on).</summary>
    public SetVariableResult SetVariable(SetVariableData request, out VariableDefinition? changed)
    {
        changed = null;
        var component = ComponentKey.Of(request.Component);
        var variable = VariableKey.Of(request.Variable);
        var attribute = request.AttributeType ?? AttributeKind.Actual;
        SetVariableResult Result(SetVariableStatus status, string? reason = null, string? info = null) => new()
        {
            AttributeStatus = status,
            AttributeType = request.AttributeType,
            AttributeStatusInfo = reason is null ? null : new StatusInfo { ReasonCode = reason, AdditionalInfo = info },
            Component = request.Component,
            Variable = request.Variable,
        };
        if (!HasComponent(component))
        {
            return Result(SetVariableStatus.UnknownComponent);
        }
        if (Find(component, variable) is not { } definition)
        {
            return Result(SetVariableStatus.UnknownVariable);
        }
        if (!definition.Has(attribute))
        {
            return Result(SetVariableStatus.NotSupportedAttributeType);
        }
        if (definition.Mutability == Mutability.ReadOnly || definition.Live is not null && attribute == AttributeKind.Actual)
        {
            return Result(SetVariableStatus.Rejected, "ReadOnly");
        }
        if (definition.Check(request.AttributeValue) is { } problem)
        {
            return Result(SetVariableStatus.Rejected, "InvalidValue", problem);
        }
        values[(component, variable, attribute)] = request.AttributeValue;
        changedOverOcpp.Add((component, variable, attribute));
        ChangeCount++;
        changed = definition;
        return Result(definition.RebootRequired ? SetVariableStatus.RebootRequired : SetVariableStatus.Accepted);
    }

    // ───────── reports ─────────

    /// <summary>GetBaseReport's selection, in definition order.</summary>
    public IReadOnlyList<ReportData> BaseReport(ReportBase reportBase) => reportBase switch
    {
        ReportBase.ConfigurationInventory => [.. Definitions.Where(d => d.Mutability != Mutability.ReadOnly).Select(d => ReportOf(d, characteristics: false))],
        ReportBase.SummaryInventory => [.. Definitions.Where(d => d.Variable.Name is "AvailabilityState" or "Available" or "Problem" or "Tripped" or "Overload").Select(d => ReportOf(d, characteristics: false))],
        _ => [.. Definitions.Select(d => ReportOf(d, characteristics: true))],
    };

    /// <summary>
    /// GetReport: the variables named by <paramref name="componentVariables"/> (a component alone: all its variables; without an instance
    /// or evse: every instance / EVSE of that name) that also meet every criterion (the component has the variable named after it set "true").
    /// </summary>
    public IReadOnlyList<ReportData> Report(IReadOnlyList<ComponentVariable>? componentVariables, IReadOnlyList<ComponentCriterion>? criteria)
    {
        IEnumerable<VariableDefinition> selected = Definitions;
        if (componentVariables is { Count: > 0 })
        {
            selected = Definitions.Where(d => componentVariables.Any(cv => Selects(cv, d)));
        }
        if (criteria is { Count: > 0 })
        {
            selected = selected.Where(d => criteria.All(c => Meets(d.Component, c)));
        }
        return [.. selected.Select(d => ReportOf(d, characteristics: true))];
    }

    private static bool Selects(ComponentVariable selector, VariableDefinition definition)
    {
        var component = selector.Component;
        if (!string.Equals(component.Name, definition.Component.Name, StringComparison.Ordinal)
            || (component.Instance is not null && component.Instance != definition.Component.Instance))
        {
            return false;
        }
        if (component.Evse is { } evse && (evse.Id != definition.Component.EvseId || (evse.ConnectorId is { } connector && connector != definition.Component.ConnectorId)))
        {
            return false;
        }
        return selector.Variable is not { } variable
            || (variable.Name == definition.Variable.Name && (variable.Instance is null || variable.Instance == definition.Variable.Instance));
    }

    private bool Meets(ComponentKey component, ComponentCriterion criterion)
    {
        var definition = Find(component, new VariableKey(criterion.ToString()));
        return definition is not null && definition.Mutability != Mutability.WriteOnly && Read(definition, AttributeKind.Actual) == "true";
    }

    private ReportData ReportOf(VariableDefinition definition, bool characteristics) => new()
    {
        Component = definition.Component.ToComponent(),
        Variable = definition.Variable.ToVariable(),
        VariableAttribute = [.. new[] { AttributeKind.Actual }.Concat(definition.ExtraAttributes).Select(attribute => new VariableAttribute
        {
            Type = attribute,
            // A write-only value is never shown (B07: its value is omitted).
            Value = definition.Mutability == Mutability.WriteOnly ? null : Read(definition, attribute),
            Mutability = definition.Mutability,
            Persistent = definition.Persistent,
            Constant = definition.Constant,
        })],
        VariableCharacteristics = characteristics ? definition.Characteristics : null,
    };

    // ───────── what survives a power cut ─────────

    /// <summary>Counts changes made over OCPP (SetVariables), so a saver knows when to save again.</summary>
    public int ChangeCount { get; private set; }

    /// <summary>Persistent read-write values changed over OCPP, keyed by <see cref="KeyOf"/>; write-only secrets are never included.</summary>
    public IReadOnlyDictionary<string, string> ChangedPersistentValues()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in changedOverOcpp)
        {
            if (Find(key.Component, key.Variable) is { Persistent: true, Mutability: Mutability.ReadWrite } definition)
            {
                result[KeyOf(definition.Component, definition.Variable, key.Attribute)] = values[(key.Component, key.Variable, key.Attribute)];
            }
        }
        return result;
    }

    /// <summary>Puts back values saved with <see cref="ChangedPersistentValues"/>; entries that no longer fit are skipped.</summary>
    public void RestorePersistentValues(IReadOnlyDictionary<string, string> saved)
    {
        foreach (var definition in Definitions.Where(d => d is { Persistent: true, Mutability: Mutability.ReadWrite }))
        {
            foreach (var attribute in new[] { AttributeKind.Actual }.Concat(definition.ExtraAttributes))
            {
                if (saved.TryGetValue(KeyOf(definition.Component, definition.Variable, attribute), out var value) && definition.Check(value) is null)
                {
                    values[(definition.Component, definition.Variable, attribute)] = value;
                    changedOverOcpp.Add((definition.Component, definition.Variable, attribute));
                }
            }
        }
    }

    private static string KeyOf(ComponentKey component, VariableKey variable, AttributeKind attribute) =>
        $"{component.Name}/{component.Instance}/{component.EvseId}/{component.ConnectorId}/{variable.Name}/{variable.Instance}/{attribute}";

    // ───────── the profile's overrides ─────────

    /// <summary>
    /// Applies a profile's factory settings. A key is "Variable", "Component.Variable" or "Component.Variable.Instance" (EVSE and
    /// connector components: the setting applies to every EVSE / connector). A bare variable name must be unambiguous.
    /// </summary>
    /// <exception cref="ArgumentException">A key names no variable, is ambiguous, or its value does not fit.</exception>
    public void ApplyOverrides(IReadOnlyDictionary<string, string> overrides, IReadOnlyDictionary<string, (string Component, string Variable)> aliases)
    {
        foreach (var (rawKey, value) in overrides)
        {
            var key = aliases.TryGetValue(rawKey, out var alias) ? $"{alias.Component}.{alias.Variable}" : rawKey;
            var parts = key.Split('.');
            List<VariableDefinition> targets = parts.Length switch
            {
                1 => [.. Definitions.Where(d => d.Variable.Name == parts[0] && d.Component.EvseId is null)],
                2 => [.. Definitions.Where(d => d.Component.Name == parts[0] && d.Variable.Name == parts[1])],
                3 => [.. Definitions.Where(d => d.Component.Name == parts[0] && d.Variable.Name == parts[1] && d.Variable.Instance == parts[2])],
                _ => [],
            };
            if (targets.Count == 0)
            {
                throw new ArgumentException($"Configuration override '{rawKey}': no such device-model variable (use Variable, Component.Variable or Component.Variable.Instance).");
            }
            if (parts.Length == 1 && targets.Select(t => t.Component).Distinct().Count() > 1)
            {
                throw new ArgumentException($"Configuration override '{rawKey}' is ambiguous: {string.Join(", ", targets.Select(t => $"{t.Component.Name}.{t.Variable}"))}; name the component.");
            }
            foreach (var target in targets)
            {
                if (target.Live is not null)
                {
                    throw new ArgumentException($"Configuration override '{rawKey}': {target.Component}.{target.Variable} is computed by the station.");
                }
                if (target.Check(value) is { } problem)
                {
                    throw new ArgumentException($"Configuration override '{rawKey}' = '{(target.Mutability == Mutability.WriteOnly ? "***" : value)}': {problem}.");
                }
                values[(target.Component, target.Variable, AttributeKind.Actual)] = value;
            }
        }
    }
}
