using System.Text;
using Simulator.Ocpp.V201;
using Simulator.Ocpp.V201.Availability;
using Simulator.Ocpp.V201.Provisioning;

namespace Simulator.Csms.Tests.V201;

/// <summary>Security profiles are the handshake's business, before any version is spoken: 2.0.1 stations pass them as 1.6 charge points do.</summary>
public sealed class SecurityTests201
{
    private const string Key = "00112233445566778899AABBCCDDEEFF0A0B0C0D";
    private const string Cpo = "Test CPO";

    [Fact]
    public async Task Profile2_takes_a_201_station_with_its_key_over_TLS_and_refuses_a_wrong_key_with_401()
    {
        using var ca = CertificateAuthority.Create();
        await using var csms = await Support.StartAsync(new CsmsOptions { SecurityProfile = 2, SharedAuthorizationKey = Key, CertificateAuthority = ca });
        await using (var station = await TestChargePoint.ConnectAsync(csms.Url, "CS-1", Support.Basic("CS-1", Encoding.ASCII.GetBytes(Key), Support.TrustCa(ca)), version: Ocpp201.Messages))
        {
            Assert.Equal("ocpp2.0.1", station.SubProtocol);
            Assert.Equal(RegistrationStatus.Accepted, (await station.AskValidAsync(Support201.Boot())).Status);
        }
        var (refused, none) = await TestChargePoint.TryConnectAsync(csms.Url, "CS-1", Support.Basic("CS-1", Encoding.ASCII.GetBytes("WRONG" + Key), o =>
        {
            o.AddSubProtocol("ocpp2.0.1");
            Support.TrustCa(ca)(o);
        }));
        Assert.Null(none);
        Assert.Equal(401, refused);
    }

    [Fact]
    public async Task Profile3_takes_a_201_station_with_a_CA_issued_certificate_and_refuses_one_for_another_id()
    {
        using var ca = CertificateAuthority.Create();
        await using var csms = await Support.StartAsync(new CsmsOptions { SecurityProfile = 3, CertificateAuthority = ca, CpoName = Cpo });
        using var good = ca.IssueClientCertificate("CS-1", Cpo);
        await using (var station = await TestChargePoint.ConnectAsync(csms.Url, "CS-1", Support.TrustCa(ca, good), version: Ocpp201.Messages))
        {
            await station.AskValidAsync(new HeartbeatRequest());
            Assert.Equal("2.0.1", csms.Registry.Find("CS-1")!.Snapshot().OcppVersion);
        }
        var (refused, none) = await TestChargePoint.TryConnectAsync(csms.Url, "CS-2", o =>
        {
            o.AddSubProtocol("ocpp2.0.1");
            Support.TrustCa(ca, good)(o);
        });
        Assert.Null(none);
        Assert.Equal(403, refused);
    }
}
