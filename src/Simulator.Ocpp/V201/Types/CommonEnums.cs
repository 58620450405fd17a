using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;

namespace Simulator.Ocpp.V201.Types;

/// <summary>GetCompositeSchedule.conf <c>status</c>, NotifyEVChargingSchedule.conf <c>status</c> and others (GenericStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<GenericStatus>))]
public enum GenericStatus
{
    Accepted,
    Rejected,
}

/// <summary>GetBaseReport.conf <c>status</c>, GetMonitoringReport.conf <c>status</c> and others (GenericDeviceModelStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<GenericDeviceModelStatus>))]
public enum GenericDeviceModelStatus
{
    Accepted,
    Rejected,
    NotSupported,
    EmptyResultSet,
}

/// <summary>RequestStartTransaction.conf <c>status</c> and RequestStopTransaction.conf <c>status</c> (RequestStartStopStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<RequestStartStopStatus>))]
public enum RequestStartStopStatus
{
    Accepted,
    Rejected,
}

/// <summary>ClearedChargingLimit.req <c>chargingLimitSource</c>, ReportChargingProfiles.req <c>chargingLimitSource</c> and others (ChargingLimitSourceEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ChargingLimitSource>))]
public enum ChargingLimitSource
{
    EMS,
    Other,
    SO,
    CSO,
}

/// <summary>CertificateSigned.req <c>certificateType</c> and SignCertificate.req <c>certificateType</c> (CertificateSigningUseEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<CertificateSigningUse>))]
public enum CertificateSigningUse
{
    ChargingStationCertificate,
    V2GCertificate,
}
