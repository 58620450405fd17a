using Simulator.Ocpp.V16;
using Json.Schema;

namespace Simulator.Ocpp.Tests;

public class RegistryTests
{
    [Fact]
    public void There_are_exactly_39_actions_with_unique_names()
    {
        Assert.Equal(39, Ocpp16.Messages.Actions.Count);
        Assert.Equal(39, Ocpp16.Messages.Actions.Select(a => a.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_action_has_both_official_schemas_and_every_schema_an_action()
    {
        Assert.Equal(78, OfficialSchemas.Ocpp16.Ids.Count);
        foreach (var action in Ocpp16.Messages.Actions)
        {
            Assert.Contains($"urn:{action.Name}.req", OfficialSchemas.Ocpp16.Ids);
            Assert.Contains($"urn:{action.Name}.conf", OfficialSchemas.Ocpp16.Ids);
        }
        var names = Ocpp16.Messages.Actions.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var id in OfficialSchemas.Ocpp16.Ids)
        {
            var name = id["urn:".Length..id.LastIndexOf('.')];
            Assert.Contains(name, names);
        }
    }

    [Fact]
    public void Every_action_of_both_versions_has_payload_metadata_for_its_own_types_made_on_first_use()
    {
        foreach (var set in new[] { Ocpp16.Messages, Simulator.Ocpp.V201.Ocpp201.Messages })
        {
            foreach (var action in set.Actions)
            {
                Assert.Equal(action.RequestType, action.RequestInfo.Type);
                Assert.Equal(action.ResponseType, action.ResponseInfo.Type);
                Assert.Same(action.RequestInfo, set.TypeInfo(action.RequestType));
                Assert.Same(action.ResponseInfo, set.TypeInfo(action.ResponseType));
            }
        }
        Assert.Throws<ArgumentException>(() => Ocpp16.Messages.TypeInfo(typeof(string)));
    }

    [Fact]
    public void Profiles_and_directions_follow_the_spec()
    {
        var byProfile = Ocpp16.Messages.Actions.GroupBy(a => Ocpp16.ProfileOf(a)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(16, byProfile[FeatureProfile.Core]);
        Assert.Equal(4, byProfile[FeatureProfile.FirmwareManagement]);
        Assert.Equal(2, byProfile[FeatureProfile.LocalAuthListManagement]);
        Assert.Equal(2, byProfile[FeatureProfile.Reservation]);
        Assert.Equal(1, byProfile[FeatureProfile.RemoteTrigger]);
        Assert.Equal(3, byProfile[FeatureProfile.SmartCharging]);
        Assert.Equal(11, byProfile[FeatureProfile.Security]);

        Assert.Equal(ActionDirection.Both, Ocpp16.Messages.Find("DataTransfer")!.Direction);
        Assert.Single(Ocpp16.Messages.Actions, a => a.Direction == ActionDirection.Both);
        string[] fromChargePoint =
        [
            "Authorize", "BootNotification", "DataTransfer", "Heartbeat", "MeterValues", "StartTransaction", "StatusNotification", "StopTransaction",
            "DiagnosticsStatusNotification", "FirmwareStatusNotification",
            "SecurityEventNotification", "SignCertificate", "LogStatusNotification", "SignedFirmwareStatusNotification",
        ];
        Assert.Equal(
            fromChargePoint.Order(StringComparer.Ordinal),
            Ocpp16.Messages.Actions.Where(a => a.Direction.HasFlag(ActionDirection.ChargePointToCsms)).Select(a => a.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Find_and_Of_agree()
    {
        foreach (var action in Ocpp16.Messages.Actions)
        {
            Assert.Same(action, Ocpp16.Messages.Find(action.Name));
            Assert.Same(action, Ocpp16.Messages.Of(Samples.Requests[action.Name]));
        }
        Assert.Null(Ocpp16.Messages.Find("authorize"));
    }

    [Fact]
    public void Format_validation_is_on_in_the_oracle()
    {
        var bad = "{\"currentTime\":\"yesterday at noon\"}"u8.ToArray();
        var good = "{\"currentTime\":\"2026-11-24T10:15:30Z\"}"u8.ToArray();

        Assert.True(OfficialSchemas.Ocpp16.Evaluate("Heartbeat", request: false, good).IsValid);
        Assert.False(OfficialSchemas.Ocpp16.Evaluate("Heartbeat", request: false, bad).IsValid);

        // The same document passes when formats are mere annotations, so the failure above is the format check's doing.
        using var document = System.Text.Json.JsonDocument.Parse(bad);
        var lax = OfficialSchemas.Ocpp16.For("Heartbeat", request: false).Evaluate(document.RootElement, new EvaluationOptions { RequireFormatValidation = false });
        Assert.True(lax.IsValid);
    }

    [Fact]
    public void A_missing_schema_install_fails_with_the_command_to_run()
    {
        var root = Directory.CreateTempSubdirectory("fleetsim-no-npm-");
        try
        {
            File.WriteAllText(Path.Combine(root.FullName, "Simulator.sln"), "");
            var nested = Directory.CreateDirectory(Path.Combine(root.FullName, "tests", "bin", "Debug"));
            var ex = Assert.Throws<FileNotFoundException>(() => OfficialSchemas.Ocpp16.FindFile(nested.FullName));
            Assert.Contains("npm ci --prefix tests", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
