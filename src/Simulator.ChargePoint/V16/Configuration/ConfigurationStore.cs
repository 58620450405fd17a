using Simulator.Ocpp.V16;
using System.Globalization;
using Simulator.Ocpp;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.V16.Configuration;

/// <summary>How a configuration key may be used.</summary>
public enum KeyAccess
{
    ReadWrite,
    ReadOnly,
    /// <summary>Writable but never revealed by GetConfiguration (AuthorizationKey).</summary>
    WriteOnly,
}

/// <summary>One known key: its access, default value, validation rule and whether a change needs a reboot to take effect.</summary>
public sealed record ConfigurationKeyDefinition(string Key, KeyAccess Access, string DefaultValue, Func<string, ConfigurationStore, string?> Validate, bool RebootRequired = false);

/// <summary>
/// The charge point's configuration keys with their 1.6 access rules and value validation.
/// Values are kept as the strings OCPP carries; typed getters parse them (values are validated on every write, so they parse).
/// </summary>
public sealed class ConfigurationStore
{
    private static readonly string[] MeasurandNames = Enum.GetValues<Measurand>().Select(WireName).ToArray();
    private static readonly string[] PhaseRotations = ["NotApplicable", "Unknown", "RST", "RTS", "SRT", "STR", "TRS", "TSR"];
    private static readonly string[] FeatureProfileNames = ["Core", "FirmwareManagement", "LocalAuthListManagement", "Reservation", "SmartCharging", "RemoteTrigger", "Security"];

    /// <summary>The key definitions are immutable and the same for every charge point of one shape: built once, shared.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Connectors, bool SecurityExtension), Dictionary<string, ConfigurationKeyDefinition>> DefinitionsByKey = new();

    /// <summary>
    /// The values every charge point of one shape starts with (defaults plus the same overrides), validated once and shared
    /// by all of them: most charge points never change a key, so each keeps only its own changes.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Connectors, bool SecurityExtension, string Overrides), ConfigurationBaseline> Baselines = new();

    private readonly Dictionary<string, ConfigurationKeyDefinition> definitions;
    private readonly ConfigurationBaseline baseline;
    private Dictionary<string, string>? changed;
    private Dictionary<string, IReadOnlyList<Measurand>>? changedMeasurands;

    /// <summary>
    /// Builds the store for a charge point with <paramref name="connectors"/> connectors and applies the overrides.
    /// <paramref name="securityExtension"/> adds "Security" to the default SupportedFeatureProfiles.
    /// </summary>
    /// <exception cref="ArgumentException">An override names an unknown key or carries a value the key does not allow.</exception>
    public ConfigurationStore(int connectors, IReadOnlyDictionary<string, string>? overrides = null, bool securityExtension = false)
    {
        definitions = DefinitionsByKey.GetOrAdd((connectors, securityExtension), k => BuildDefinitions(k.Connectors, k.SecurityExtension).ToDictionary(d => d.Key, StringComparer.Ordinal));
        var shape = (connectors, securityExtension, OverridesKey(overrides));
        if (Baselines.TryGetValue(shape, out var shared))
        {
            baseline = shared;
            return;
        }
        baseline = new ConfigurationBaseline(definitions.Values.ToDictionary(d => d.Key, d => d.DefaultValue, StringComparer.Ordinal));
        ApplyOverrides(connectors, overrides);
        baseline = Baselines.GetOrAdd(shape, baseline);
    }

    private void ApplyOverrides(int connectors, IReadOnlyDictionary<string, string>? overrides)
    {
        if (overrides is null)
        {
            return;
        }
        var values = baseline.Values;
        foreach (var (key, value) in overrides)
        {
            if (key is null || !definitions.TryGetValue(key, out var definition))
            {
                throw new ArgumentException($"Configuration override '{key}' is not a configuration key this charge point knows.", nameof(overrides));
            }
            if (value is null)
            {
                throw new ArgumentException($"Configuration override '{key}' has no value.", nameof(overrides));
            }
            if (key == K.NumberOfConnectors && value != values[key])
            {
                throw new ArgumentException($"Configuration override '{key}' = '{value}' contradicts the charge point's {connectors} connectors; set Connectors instead.", nameof(overrides));
            }
            var problem = definition.Validate(value, this);
            if (problem is not null)
            {
                throw new ArgumentException($"Configuration override '{key}' = '{Shown(definition, value)}' is invalid: {problem}.", nameof(overrides));
            }
            values[key] = value;
        }
        // A list whose maximum length was lowered by a later override must still fit.
        foreach (var key in values.Keys.ToList())
        {
            var problem = definitions[key].Validate(values[key], this);
            if (problem is not null)
            {
                throw new ArgumentException($"Configuration key '{key}' = '{Shown(definitions[key], values[key])}' is invalid after the overrides: {problem}.", nameof(overrides));
            }
        }
    }

    private static string OverridesKey(IReadOnlyDictionary<string, string>? overrides)
        => overrides is null || overrides.Count == 0
            ? ""
            : string.Join('\n', overrides.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}\u001f{o.Value}"));

    /// <summary>The current value of a known key.</summary>
    private string Value(string key) => changed is not null && changed.TryGetValue(key, out var value) ? value : baseline.Values[key];

    /// <summary>A value as it may appear in a message: write-only keys (secrets) never do.</summary>
    public static string Shown(ConfigurationKeyDefinition definition, string value) =>
        definition?.Access == KeyAccess.WriteOnly ? "***" : value;

    /// <summary>Every key name, in a stable order.</summary>
    public IReadOnlyList<string> Keys => definitions.Keys.Order(StringComparer.Ordinal).ToList();

    public bool IsKnown(string key) => key is not null && definitions.ContainsKey(key);

    public ConfigurationKeyDefinition? Definition(string key) => key is null ? null : definitions.GetValueOrDefault(key);

    /// <summary>The raw value (also of write-only keys: this is the charge point's own view).</summary>
    public string? Get(string key) => key is null || !definitions.ContainsKey(key) ? null : Value(key);

    public int GetInt(string key) => int.Parse(Value(key), NumberStyles.Integer, CultureInfo.InvariantCulture);

    public bool GetBool(string key) => bool.Parse(Value(key));

    /// <summary>A comma-separated measurand list, parsed.</summary>
    public IReadOnlyList<Measurand> GetMeasurands(string key)
    {
        if (changed is not null && changed.ContainsKey(key))
        {
            changedMeasurands ??= new(StringComparer.Ordinal);
            if (!changedMeasurands.TryGetValue(key, out var own))
            {
                own = ParseMeasurands(Value(key));
                changedMeasurands[key] = own;
            }
            return own;
        }
        // Asked at every sample: a static factory with its argument, not a lambda that captures (a delegate per call).
        return baseline.Measurands.GetOrAdd(key, static (k, values) => ParseMeasurands(values[k]), baseline.Values);
    }

    /// <summary>The feature profiles this charge point announces.</summary>
    public bool SupportsProfile(FeatureProfile profile) => SplitList(Value(K.SupportedFeatureProfiles)).Contains(profile.ToString());

    /// <summary>Applies a ChangeConfiguration.req: NotSupported for an unknown key, Rejected for a read-only key or a bad value.</summary>
    public ConfigurationStatus Change(string key, string value)
    {
        if (key is null || !definitions.TryGetValue(key, out var definition))
        {
            return ConfigurationStatus.NotSupported;
        }
        if (definition.Access == KeyAccess.ReadOnly || value is null || definition.Validate(value, this) is not null)
        {
            return ConfigurationStatus.Rejected;
        }
        if (value == baseline.Values[key])
        {
            // Back to (or still at) the shared value: no own entry (most charge points are told their boot's HeartbeatInterval).
            if (changed?.Remove(key) == true)
            {
                changedMeasurands?.Remove(key);
            }
        }
        else
        {
            changed ??= new(StringComparer.Ordinal);
            changed[key] = value;
            changedMeasurands?.Remove(key);
        }
        return definition.RebootRequired ? ConfigurationStatus.RebootRequired : ConfigurationStatus.Accepted;
    }

    /// <summary>Answers GetConfiguration.req: all readable keys, or the named ones with the others listed as unknown. Write-only keys are never revealed.</summary>
    public (IReadOnlyList<KeyValue> Known, IReadOnlyList<string> Unknown) Read(IReadOnlyList<string>? keys)
    {
        var known = new List<KeyValue>();
        var unknown = new List<string>();
        if (keys is null || keys.Count == 0)
        {
            foreach (var key in Keys)
            {
                if (definitions[key].Access != KeyAccess.WriteOnly)
                {
                    known.Add(ToKeyValue(key));
                }
            }
            return (known, unknown);
        }
        foreach (var key in keys.Distinct(StringComparer.Ordinal).Take(Math.Max(1, GetInt(K.GetConfigurationMaxKeys))))
        {
            if (key is not null && definitions.TryGetValue(key, out var definition) && definition.Access != KeyAccess.WriteOnly)
            {
                known.Add(ToKeyValue(key));
            }
            else
            {
                unknown.Add(key ?? "");
            }
        }
        return (known, unknown);
    }

    private KeyValue ToKeyValue(string key) => new() { Key = key, Readonly = definitions[key].Access == KeyAccess.ReadOnly, Value = Value(key) };

    private static List<Measurand> ParseMeasurands(string list)
        => [.. SplitList(list).Select(n => Enum.GetValues<Measurand>()[Array.IndexOf(MeasurandNames, n)])];

    internal static IEnumerable<string> SplitList(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    internal static string WireName(Measurand measurand)
    {
        var member = typeof(Measurand).GetField(measurand.ToString())!;
        var attribute = member.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute), false);
        return attribute.Length > 0 ? ((System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute)attribute[0]).Name : measurand.ToString();
    }

    private static IEnumerable<ConfigurationKeyDefinition> BuildDefinitions(int connectors, bool securityExtension)
    {
        var rw = KeyAccess.ReadWrite;
        var ro = KeyAccess.ReadOnly;
        // Core
        yield return new(K.AllowOfflineTxForUnknownId, rw, "false", Boolean);
        yield return new(K.AuthorizationCacheEnabled, rw, "true", Boolean);
        yield return new(K.AuthorizeRemoteTxRequests, rw, "true", Boolean);
        yield return new(K.BlinkRepeat, rw, "3", Int(0));
        yield return new(K.ClockAlignedDataInterval, rw, "0", Int(0));
        yield return new(K.ConnectionTimeOut, rw, "60", Int(0));
        yield return new(K.ConnectorPhaseRotation, rw, string.Join(',', Enumerable.Range(0, connectors + 1).Select(i => $"{i}.RST")), PhaseRotation, RebootRequired: true);
        yield return new(K.ConnectorPhaseRotationMaxLength, ro, (connectors + 1).ToString(CultureInfo.InvariantCulture), Int(0));
        yield return new(K.GetConfigurationMaxKeys, ro, "100", Int(1));
        yield return new(K.HeartbeatInterval, rw, "300", Int(0));
        yield return new(K.LightIntensity, rw, "50", Int(0, 100));
        yield return new(K.LocalAuthorizeOffline, rw, "true", Boolean);
        yield return new(K.LocalPreAuthorize, rw, "false", Boolean);
        yield return new(K.MaxEnergyOnInvalidId, rw, "0", Int(0));
        yield return new(K.MeterValuesAlignedData, rw, "Energy.Active.Import.Register", MeasurandList(K.MeterValuesAlignedDataMaxLength));
        yield return new(K.MeterValuesAlignedDataMaxLength, ro, "10", Int(0));
        yield return new(K.MeterValuesSampledData, rw, "Energy.Active.Import.Register,Power.Active.Import", MeasurandList(K.MeterValuesSampledDataMaxLength));
        yield return new(K.MeterValuesSampledDataMaxLength, ro, "10", Int(0));
        yield return new(K.MeterValueSampleInterval, rw, "60", Int(0));
        yield return new(K.MinimumStatusDuration, rw, "0", Int(0));
        yield return new(K.NumberOfConnectors, ro, connectors.ToString(CultureInfo.InvariantCulture), Int(1));
        yield return new(K.ResetRetries, rw, "3", Int(0));
        yield return new(K.StopTransactionOnEVSideDisconnect, rw, "true", Boolean);
        yield return new(K.StopTransactionOnInvalidId, rw, "true", Boolean);
        yield return new(K.StopTxnAlignedData, rw, "", MeasurandList(K.StopTxnAlignedDataMaxLength));
        yield return new(K.StopTxnAlignedDataMaxLength, ro, "10", Int(0));
        yield return new(K.StopTxnSampledData, rw, "Energy.Active.Import.Register", MeasurandList(K.StopTxnSampledDataMaxLength));
        yield return new(K.StopTxnSampledDataMaxLength, ro, "10", Int(0));
        yield return new(K.SupportedFeatureProfiles, ro, string.Join(',', securityExtension ? FeatureProfileNames : FeatureProfileNames[..^1]), FeatureProfiles);
        yield return new(K.SupportedFeatureProfilesMaxLength, ro, securityExtension ? "7" : "6", Int(0));
        yield return new(K.SupportedFileTransferProtocols, ro, "FTP,FTPS,HTTP,HTTPS", FileTransferProtocols);
        yield return new(K.TransactionMessageAttempts, rw, "3", Int(1));
        yield return new(K.TransactionMessageRetryInterval, rw, "60", Int(0));
        yield return new(K.UnlockConnectorOnEVSideDisconnect, rw, "true", Boolean);
        yield return new(K.WebSocketPingInterval, rw, "0", Int(0));
        // LocalAuthListManagement
        yield return new(K.LocalAuthListEnabled, rw, "true", Boolean);
        yield return new(K.LocalAuthListMaxLength, ro, "1000", Int(0));
        yield return new(K.SendLocalListMaxLength, ro, "250", Int(0));
        // Reservation
        yield return new(K.ReserveConnectorZeroSupported, ro, "false", Boolean);
        // SmartCharging
        yield return new(K.ChargeProfileMaxStackLevel, ro, "10", Int(0));
        yield return new(K.ChargingScheduleAllowedChargingRateUnit, ro, "Current,Power", RateUnits);
        yield return new(K.ChargingScheduleMaxPeriods, ro, "24", Int(1));
        yield return new(K.ConnectorSwitch3to1PhaseSupported, ro, "false", Boolean);
        yield return new(K.MaxChargingProfilesInstalled, ro, "20", Int(1));
        // Security whitepaper, edition 3 §7 (AuthorizationKey write-only; SecurityProfile may only go up, which the model checks: A05.FR.01-04)
        yield return new(K.AdditionalRootCertificateCheck, ro, "false", Boolean);
        yield return new(K.AuthorizationKey, KeyAccess.WriteOnly, "", AuthorizationKeyValue);
        yield return new(K.CertificateSignedMaxChainSize, ro, "10000", Int(1, 10000));
        yield return new(K.CertificateStoreMaxLength, ro, "10", Int(1));
        yield return new(K.CpoName, rw, "", CpoNameValue);
        yield return new(K.SecurityProfile, rw, "0", Int(0, 3));
    }

    private static string? Boolean(string value, ConfigurationStore _) =>
        value is "true" or "false" or "True" or "False" ? null : "must be true or false";

    private static Func<string, ConfigurationStore, string?> Int(int min, int max = int.MaxValue) => (value, _) =>
        !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? "must be a whole number"
        : n < min ? $"must be at least {min}"
        : n > max ? $"must be at most {max}"
        : null;

    private static Func<string, ConfigurationStore, string?> MeasurandList(string maxLengthKey) => (value, store) =>
    {
        var items = SplitList(value).ToList();
        var bad = items.FirstOrDefault(i => !MeasurandNames.Contains(i, StringComparer.Ordinal));
        if (bad is not null)
        {
            return $"'{bad}' is not a measurand";
        }
        if (items.Count != items.Distinct(StringComparer.Ordinal).Count())
        {
            return "lists a measurand twice";
        }
        var max = store.definitions.ContainsKey(maxLengthKey) ? int.Parse(store.Value(maxLengthKey), CultureInfo.InvariantCulture) : int.MaxValue;
        return items.Count > max ? $"lists {items.Count} measurands, more than {maxLengthKey} = {max}" : null;
    };

    private static string? PhaseRotation(string value, ConfigurationStore store)
    {
        var connectors = int.Parse(store.Get(K.NumberOfConnectors) ?? "0", CultureInfo.InvariantCulture);
        foreach (var item in SplitList(value))
        {
            var dot = item.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || !int.TryParse(item.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var connector) || connector > connectors
                || !PhaseRotations.Contains(item[(dot + 1)..], StringComparer.Ordinal))
            {
                return $"'{item}' is not <connector>.<rotation> with a rotation of {string.Join('/', PhaseRotations)}";
            }
        }
        return null;
    }

    private static string? FeatureProfiles(string value, ConfigurationStore _)
    {
        var items = SplitList(value).ToList();
        var bad = items.FirstOrDefault(i => !FeatureProfileNames.Contains(i, StringComparer.Ordinal));
        return bad is not null ? $"'{bad}' is not a feature profile this charge point implements"
            : !items.Contains("Core") ? "must include Core"
            : null;
    }

    private static string? FileTransferProtocols(string value, ConfigurationStore _) =>
        SplitList(value).FirstOrDefault(i => i is not ("FTP" or "FTPS" or "HTTP" or "HTTPS")) is { } bad ? $"'{bad}' is not FTP, FTPS, HTTP or HTTPS" : null;

    private static string? RateUnits(string value, ConfigurationStore _) =>
        SplitList(value).FirstOrDefault(i => i is not ("Current" or "Power")) is { } bad ? $"'{bad}' is not Current or Power" : null;

    private static string? CpoNameValue(string value, ConfigurationStore _) =>
        value.Length > 64 ? "must be at most 64 characters (an X.500 organizationName)" : null;

    private static string? AuthorizationKeyValue(string value, ConfigurationStore _) =>
        value.Length == 0 ? null
        : value.Length is < 32 or > 40 || value.Any(c => !char.IsAsciiHexDigit(c)) ? "must be 16 to 20 bytes written as 32 to 40 hexadecimal digits"
        : null;
}

/// <summary>Starting values shared by every charge point of one shape, and their parsed measurand lists. Never changed once published.</summary>
internal sealed record ConfigurationBaseline(Dictionary<string, string> Values)
{
    public System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<Measurand>> Measurands { get; } = new(StringComparer.Ordinal);
}
