using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.FirmwareManagement;
using Simulator.Ocpp.V16.LocalAuthListManagement;
using Simulator.Ocpp.V16.RemoteTrigger;
using Simulator.Ocpp.V16.Reservation;
using Simulator.Ocpp.V16.Security;
using Simulator.Ocpp.V16.SmartCharging;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Ocpp.Tests;

/// <summary>A realistic request and response for every action, with the optional fields filled in wherever the schema has them.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 15, 30, 250, TimeSpan.Zero);
    private static readonly DateTimeOffset Local = new(2026, 11, 24, 11, 15, 30, TimeSpan.FromHours(1));

    public const string CertificatePem =
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUZ3JlZW5maWVsZC1jcG8tcm9vdDAKBggqhkjOPQQDAjAk\nMSIwIAYDVQQDDBljc21zLmZsZWV0c2ltLmV4YW1wbGUuY29tMB4XDTI2MDEwMTAw\n-----END CERTIFICATE-----\n";

    public const string CsrPem =
        "-----BEGIN CERTIFICATE REQUEST-----\nMIIBDzCBtgIBADBUMQswCQYDVQQGEwJERTEVMBMGA1UECgwMRmxlZXRTaW0gQ1BP\nMS4wLAYDVQQDDCVGUy0wMDAwNDItc2VyaWFsLTk5ODg3NzY2NTU0NDMzMjIxMTAw\n-----END CERTIFICATE REQUEST-----\n";

    private static readonly IdTagInfo AcceptedTag = new()
    {
        Status = AuthorizationStatus.Accepted,
        ExpiryDate = Now.AddDays(30),
        ParentIdTag = "FLEET-GROUP-01",
    };

    private static readonly ChargingSchedule Schedule = new()
    {
        Duration = 7200,
        StartSchedule = Now,
        ChargingRateUnit = ChargingRateUnit.A,
        MinChargingRate = 6.0m,
        ChargingSchedulePeriod =
        [
            new ChargingSchedulePeriod { StartPeriod = 0, Limit = 32.0m, NumberPhases = 3 },
            new ChargingSchedulePeriod { StartPeriod = 1800, Limit = 16.5m, NumberPhases = 3 },
            new ChargingSchedulePeriod { StartPeriod = 3600, Limit = 10.0m },
        ],
    };

    private static readonly ChargingProfile TxProfile = new()
    {
        ChargingProfileId = 101,
        TransactionId = 4711,
        StackLevel = 2,
        ChargingProfilePurpose = ChargingProfilePurpose.TxProfile,
        ChargingProfileKind = ChargingProfileKind.Absolute,
        ValidFrom = Now,
        ValidTo = Now.AddHours(4),
        ChargingSchedule = Schedule,
    };

    private static readonly ChargingProfile DailyProfile = new()
    {
        ChargingProfileId = 7,
        StackLevel = 0,
        ChargingProfilePurpose = ChargingProfilePurpose.TxDefaultProfile,
        ChargingProfileKind = ChargingProfileKind.Recurring,
        RecurrencyKind = RecurrencyKind.Daily,
        ValidFrom = Now,
        ValidTo = Now.AddDays(365),
        ChargingSchedule = Schedule with { ChargingRateUnit = ChargingRateUnit.W, MinChargingRate = 1380.0m },
    };

    private static readonly CertificateHashData HashData = new()
    {
        HashAlgorithm = HashAlgorithm.SHA256,
        IssuerNameHash = "a3b5f2c39e8a0d6b3b1c2f7e5d9a8c4b6e1f0a2d3c4b5a69788796a5b4c3d2e1",
        IssuerKeyHash = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
        SerialNumber = "5a1b2c3d4e5f60718293",
    };

    /// <summary>Ten sampled values from one clock-aligned reading: what a busy three-phase connector sends.</summary>
    public static MeterValuesRequest MeterValues(int sampledValues = 10)
    {
        SampledValue[] pool =
        [
            new() { Value = "15234.5", Context = ReadingContext.SampleClock, Format = ValueFormat.Raw, Measurand = Measurand.EnergyActiveImportRegister, Location = Location.Outlet, Unit = UnitOfMeasure.Wh },
            new() { Value = "11.04", Context = ReadingContext.SampleClock, Measurand = Measurand.PowerActiveImport, Unit = UnitOfMeasure.KW },
            new() { Value = "16.0", Context = ReadingContext.SampleClock, Measurand = Measurand.CurrentImport, Phase = Phase.L1, Unit = UnitOfMeasure.A },
            new() { Value = "15.9", Context = ReadingContext.SampleClock, Measurand = Measurand.CurrentImport, Phase = Phase.L2, Unit = UnitOfMeasure.A },
            new() { Value = "16.1", Context = ReadingContext.SampleClock, Measurand = Measurand.CurrentImport, Phase = Phase.L3, Unit = UnitOfMeasure.A },
            new() { Value = "230.2", Context = ReadingContext.SampleClock, Measurand = Measurand.Voltage, Phase = Phase.L1N, Unit = UnitOfMeasure.V },
            new() { Value = "229.8", Context = ReadingContext.SampleClock, Measurand = Measurand.Voltage, Phase = Phase.L2N, Unit = UnitOfMeasure.V },
            new() { Value = "231.0", Context = ReadingContext.SampleClock, Measurand = Measurand.Voltage, Phase = Phase.L3N, Unit = UnitOfMeasure.V },
            new() { Value = "54", Context = ReadingContext.SampleClock, Measurand = Measurand.SoC, Location = Location.EV, Unit = UnitOfMeasure.Percent },
            new() { Value = "38.5", Context = ReadingContext.SampleClock, Measurand = Measurand.Temperature, Location = Location.Body, Unit = UnitOfMeasure.Celsius },
        ];
        return new MeterValuesRequest
        {
            ConnectorId = 1,
            TransactionId = 4711,
            MeterValue = [new MeterValue { Timestamp = Now, SampledValue = Enumerable.Range(0, sampledValues).Select(i => pool[i % pool.Length]).ToArray() }],
        };
    }

    public static IReadOnlyDictionary<string, IOcppRequest> Requests { get; } = new Dictionary<string, IOcppRequest>(StringComparer.Ordinal)
    {
        // Core
        ["Authorize"] = new AuthorizeRequest { IdTag = "04A2B3C4D5E680" },
        ["BootNotification"] = new BootNotificationRequest
        {
            ChargePointVendor = "FleetSim",
            ChargePointModel = "FS-AC22-Duo",
            ChargePointSerialNumber = "FS-000042",
            ChargeBoxSerialNumber = "CB-2026-000042",
            FirmwareVersion = "1.4.2+build.77",
            Iccid = "8949020000012345678",
            Imsi = "262011234567890",
            MeterType = "Eastron SDM630",
            MeterSerialNumber = "SDM-0099887766",
        },
        ["ChangeAvailability"] = new ChangeAvailabilityRequest { ConnectorId = 2, Type = AvailabilityType.Inoperative },
        ["ChangeConfiguration"] = new ChangeConfigurationRequest { Key = "MeterValueSampleInterval", Value = "60" },
        ["ClearCache"] = new ClearCacheRequest(),
        ["DataTransfer"] = new DataTransferRequest { VendorId = "com.fleetsim", MessageId = "TariffUpdate", Data = "{\"pricePerKWh\":0.39,\"currency\":\"EUR\"}" },
        ["GetConfiguration"] = new GetConfigurationRequest { Key = ["HeartbeatInterval", "MeterValuesSampledData", "NoSuchKey"] },
        ["Heartbeat"] = new HeartbeatRequest(),
        ["MeterValues"] = MeterValues(),
        ["RemoteStartTransaction"] = new RemoteStartTransactionRequest { ConnectorId = 1, IdTag = "04A2B3C4D5E680", ChargingProfile = TxProfile with { TransactionId = null, ChargingProfileKind = ChargingProfileKind.Relative, ValidFrom = null, ValidTo = null, ChargingSchedule = Schedule with { StartSchedule = null } } },
        ["RemoteStopTransaction"] = new RemoteStopTransactionRequest { TransactionId = 4711 },
        ["Reset"] = new ResetRequest { Type = ResetType.Soft },
        ["StartTransaction"] = new StartTransactionRequest { ConnectorId = 1, IdTag = "04A2B3C4D5E680", MeterStart = 15034, ReservationId = 900, Timestamp = Now },
        ["StatusNotification"] = new StatusNotificationRequest
        {
            ConnectorId = 1,
            ErrorCode = ChargePointErrorCode.OtherError,
            Info = "RCD tripped, auto-reclose pending",
            Status = ChargePointStatus.SuspendedEVSE,
            Timestamp = Local,
            VendorId = "com.fleetsim",
            VendorErrorCode = "E-RCD-03",
        },
        ["StopTransaction"] = new StopTransactionRequest
        {
            IdTag = "04A2B3C4D5E680",
            MeterStop = 27543,
            Timestamp = Now.AddHours(1),
            TransactionId = 4711,
            Reason = StopReason.EVDisconnected,
            TransactionData =
            [
                new MeterValue { Timestamp = Now, SampledValue = [new SampledValue { Value = "15034", Context = ReadingContext.TransactionBegin, Measurand = Measurand.EnergyActiveImportRegister, Unit = UnitOfMeasure.Wh }] },
                new MeterValue { Timestamp = Now.AddHours(1), SampledValue = [new SampledValue { Value = "27.543", Context = ReadingContext.TransactionEnd, Format = ValueFormat.Raw, Measurand = Measurand.EnergyActiveImportRegister, Phase = Phase.L1, Location = Location.Outlet, Unit = UnitOfMeasure.KWh }] },
            ],
        },
        ["UnlockConnector"] = new UnlockConnectorRequest { ConnectorId = 1 },
        // FirmwareManagement
        ["DiagnosticsStatusNotification"] = new DiagnosticsStatusNotificationRequest { Status = DiagnosticsStatus.Uploading },
        ["FirmwareStatusNotification"] = new FirmwareStatusNotificationRequest { Status = FirmwareStatus.Downloading },
        ["GetDiagnostics"] = new GetDiagnosticsRequest { Location = "ftp://diag.fleetsim.example.com/uploads/", Retries = 3, RetryInterval = 120, StartTime = Now.AddDays(-1), StopTime = Now },
        ["UpdateFirmware"] = new UpdateFirmwareRequest { Location = "https://fw.fleetsim.example.com/fs-ac22/1.5.0.bin", Retries = 2, RetrieveDate = Now.AddMinutes(5), RetryInterval = 300 },
        // LocalAuthListManagement
        ["GetLocalListVersion"] = new GetLocalListVersionRequest(),
        ["SendLocalList"] = new SendLocalListRequest
        {
            ListVersion = 12,
            LocalAuthorizationList =
            [
                new AuthorizationData { IdTag = "04A2B3C4D5E680", IdTagInfo = AcceptedTag },
                new AuthorizationData { IdTag = "0499AA77BB5510", IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Blocked } },
                new AuthorizationData { IdTag = "DEADBEEF01" },
            ],
            UpdateType = UpdateType.Differential,
        },
        // Reservation
        ["CancelReservation"] = new CancelReservationRequest { ReservationId = 900 },
        ["ReserveNow"] = new ReserveNowRequest { ConnectorId = 2, ExpiryDate = Now.AddMinutes(30), IdTag = "04A2B3C4D5E680", ParentIdTag = "FLEET-GROUP-01", ReservationId = 900 },
        // RemoteTrigger
        ["TriggerMessage"] = new TriggerMessageRequest { RequestedMessage = MessageTrigger.StatusNotification, ConnectorId = 1 },
        // SmartCharging
        ["ClearChargingProfile"] = new ClearChargingProfileRequest { Id = 101, ConnectorId = 1, ChargingProfilePurpose = ChargingProfilePurpose.TxProfile, StackLevel = 2 },
        ["GetCompositeSchedule"] = new GetCompositeScheduleRequest { ConnectorId = 1, Duration = 3600, ChargingRateUnit = ChargingRateUnit.W },
        ["SetChargingProfile"] = new SetChargingProfileRequest { ConnectorId = 0, CsChargingProfiles = DailyProfile },
        // Security
        ["CertificateSigned"] = new CertificateSignedRequest { CertificateChain = CertificatePem + CertificatePem },
        ["DeleteCertificate"] = new DeleteCertificateRequest { CertificateHashData = HashData },
        ["ExtendedTriggerMessage"] = new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.SignChargePointCertificate, ConnectorId = 0 },
        ["GetInstalledCertificateIds"] = new GetInstalledCertificateIdsRequest { CertificateType = CertificateUse.CentralSystemRootCertificate },
        ["GetLog"] = new GetLogRequest
        {
            Log = new LogParameters { RemoteLocation = "ftps://logs.fleetsim.example.com/security/", OldestTimestamp = Now.AddDays(-7), LatestTimestamp = Now },
            LogType = LogType.SecurityLog,
            RequestId = 31,
            Retries = 1,
            RetryInterval = 60,
        },
        ["InstallCertificate"] = new InstallCertificateRequest { CertificateType = CertificateUse.ManufacturerRootCertificate, Certificate = CertificatePem },
        ["LogStatusNotification"] = new LogStatusNotificationRequest { Status = UploadLogStatus.Uploaded, RequestId = 31 },
        ["SecurityEventNotification"] = new SecurityEventNotificationRequest { Type = "FirmwareUpdated", Timestamp = Now, TechInfo = "1.4.2 -> 1.5.0" },
        ["SignCertificate"] = new SignCertificateRequest { Csr = CsrPem },
        ["SignedFirmwareStatusNotification"] = new SignedFirmwareStatusNotificationRequest { Status = SignedFirmwareStatus.SignatureVerified, RequestId = 77 },
        ["SignedUpdateFirmware"] = new SignedUpdateFirmwareRequest
        {
            Retries = 3,
            RetryInterval = 600,
            RequestId = 77,
            Firmware = new Firmware
            {
                Location = "https://fw.fleetsim.example.com/fs-ac22/1.5.0-signed.bin",
                RetrieveDateTime = Now.AddMinutes(1),
                InstallDateTime = Now.AddHours(2),
                SigningCertificate = CertificatePem,
                Signature = "MEUCIQDd7ZkZcK4q0yY3n8c5b5m7u9Jx1QqvY0b2N3a4b5c6dwIgY2hhcmdlLXBvaW50LWZpcm13YXJlLXNpZ25hdHVyZQ==",
            },
        },
    };

    /// <summary>Second samples of requests whose optional fields exclude each other in a realistic message.</summary>
    public static IReadOnlyList<(string Action, IOcppRequest Payload)> RequestVariants { get; } =
    [
        ("SetChargingProfile", new SetChargingProfileRequest { ConnectorId = 1, CsChargingProfiles = TxProfile }),
        ("RemoteStartTransaction", new RemoteStartTransactionRequest { IdTag = "0499AA77BB5510" }),
        ("RemoteStartTransaction", new RemoteStartTransactionRequest { ConnectorId = 2, IdTag = "0499AA77BB5510", ChargingProfile = TxProfile with { TransactionId = null } }),
        ("StopTransaction", new StopTransactionRequest { MeterStop = 27543, Timestamp = Now, TransactionId = 4712, Reason = StopReason.DeAuthorized }),
        ("SignedFirmwareStatusNotification", new SignedFirmwareStatusNotificationRequest { Status = SignedFirmwareStatus.Idle }),
    ];

    /// <summary>Second samples of responses: the answers without the optional parts.</summary>
    public static IReadOnlyList<(string Action, IOcppResponse Payload)> ResponseVariants { get; } =
    [
        ("GetInstalledCertificateIds", new GetInstalledCertificateIdsResponse { Status = GetInstalledCertificateStatus.NotFound }),
        ("GetCompositeSchedule", new GetCompositeScheduleResponse { Status = GetCompositeScheduleStatus.Rejected }),
        ("GetConfiguration", new GetConfigurationResponse()),
        ("StopTransaction", new StopTransactionResponse()),
    ];

    public static IReadOnlyDictionary<string, IOcppResponse> Responses { get; } = new Dictionary<string, IOcppResponse>(StringComparer.Ordinal)
    {
        // Core
        ["Authorize"] = new AuthorizeResponse { IdTagInfo = AcceptedTag },
        ["BootNotification"] = new BootNotificationResponse { Status = RegistrationStatus.Accepted, CurrentTime = Now, Interval = 300 },
        ["ChangeAvailability"] = new ChangeAvailabilityResponse { Status = AvailabilityStatus.Scheduled },
        ["ChangeConfiguration"] = new ChangeConfigurationResponse { Status = ConfigurationStatus.RebootRequired },
        ["ClearCache"] = new ClearCacheResponse { Status = ClearCacheStatus.Accepted },
        ["DataTransfer"] = new DataTransferResponse { Status = DataTransferStatus.Accepted, Data = "{\"applied\":true}" },
        ["GetConfiguration"] = new GetConfigurationResponse
        {
            ConfigurationKey =
            [
                new KeyValue { Key = "HeartbeatInterval", Readonly = false, Value = "300" },
                new KeyValue { Key = "MeterValuesSampledData", Readonly = false, Value = "Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC" },
                new KeyValue { Key = "AuthorizationKey", Readonly = false },
                new KeyValue { Key = "NumberOfConnectors", Readonly = true, Value = "2" },
            ],
            UnknownKey = ["NoSuchKey"],
        },
        ["Heartbeat"] = new HeartbeatResponse { CurrentTime = Now },
        ["MeterValues"] = new MeterValuesResponse(),
        ["RemoteStartTransaction"] = new RemoteStartTransactionResponse { Status = RemoteStartStopStatus.Accepted },
        ["RemoteStopTransaction"] = new RemoteStopTransactionResponse { Status = RemoteStartStopStatus.Rejected },
        ["Reset"] = new ResetResponse { Status = ResetStatus.Accepted },
        ["StartTransaction"] = new StartTransactionResponse { IdTagInfo = AcceptedTag, TransactionId = 4711 },
        ["StatusNotification"] = new StatusNotificationResponse(),
        ["StopTransaction"] = new StopTransactionResponse { IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Expired, ExpiryDate = Local, ParentIdTag = "FLEET-GROUP-01" } },
        ["UnlockConnector"] = new UnlockConnectorResponse { Status = UnlockStatus.Unlocked },
        // FirmwareManagement
        ["DiagnosticsStatusNotification"] = new DiagnosticsStatusNotificationResponse(),
        ["FirmwareStatusNotification"] = new FirmwareStatusNotificationResponse(),
        ["GetDiagnostics"] = new GetDiagnosticsResponse { FileName = "diag-FS-000042-20261124T101530Z.tar.gz" },
        ["UpdateFirmware"] = new UpdateFirmwareResponse(),
        // LocalAuthListManagement
        ["GetLocalListVersion"] = new GetLocalListVersionResponse { ListVersion = 12 },
        ["SendLocalList"] = new SendLocalListResponse { Status = UpdateStatus.VersionMismatch },
        // Reservation
        ["CancelReservation"] = new CancelReservationResponse { Status = CancelReservationStatus.Accepted },
        ["ReserveNow"] = new ReserveNowResponse { Status = ReservationStatus.Occupied },
        // RemoteTrigger
        ["TriggerMessage"] = new TriggerMessageResponse { Status = TriggerMessageStatus.NotImplemented },
        // SmartCharging
        ["ClearChargingProfile"] = new ClearChargingProfileResponse { Status = ClearChargingProfileStatus.Unknown },
        ["GetCompositeSchedule"] = new GetCompositeScheduleResponse { Status = GetCompositeScheduleStatus.Accepted, ConnectorId = 1, ScheduleStart = Now, ChargingSchedule = Schedule },
        ["SetChargingProfile"] = new SetChargingProfileResponse { Status = ChargingProfileStatus.NotSupported },
        // Security
        ["CertificateSigned"] = new CertificateSignedResponse { Status = CertificateSignedStatus.Accepted },
        ["DeleteCertificate"] = new DeleteCertificateResponse { Status = DeleteCertificateStatus.NotFound },
        ["ExtendedTriggerMessage"] = new ExtendedTriggerMessageResponse { Status = ExtendedTriggerMessageStatus.Accepted },
        ["GetInstalledCertificateIds"] = new GetInstalledCertificateIdsResponse { CertificateHashData = [HashData, HashData with { HashAlgorithm = HashAlgorithm.SHA512, SerialNumber = "1f" }], Status = GetInstalledCertificateStatus.Accepted },
        ["GetLog"] = new GetLogResponse { Status = LogStatus.AcceptedCanceled, Filename = "security-FS-000042.log" },
        ["InstallCertificate"] = new InstallCertificateResponse { Status = InstallCertificateStatus.Failed },
        ["LogStatusNotification"] = new LogStatusNotificationResponse(),
        ["SecurityEventNotification"] = new SecurityEventNotificationResponse(),
        ["SignCertificate"] = new SignCertificateResponse { Status = GenericStatus.Accepted },
        ["SignedFirmwareStatusNotification"] = new SignedFirmwareStatusNotificationResponse(),
        ["SignedUpdateFirmware"] = new SignedUpdateFirmwareResponse { Status = SignedUpdateFirmwareStatus.InvalidCertificate },
    };
}
