using System.Text.Json;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Authorization;
using Simulator.Ocpp.V201.Availability;
using Simulator.Ocpp.V201.DataTransfer;
using Simulator.Ocpp.V201.Diagnostics;
using Simulator.Ocpp.V201.DisplayMessage;
using Simulator.Ocpp.V201.FirmwareManagement;
using Simulator.Ocpp.V201.Iso15118CertificateManagement;
using Simulator.Ocpp.V201.LocalAuthorizationList;
using Simulator.Ocpp.V201.MeterValues;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.RemoteControl;
using Simulator.Ocpp.V201.Reservation;
using Simulator.Ocpp.V201.Security;
using Simulator.Ocpp.V201.SmartCharging;
using Simulator.Ocpp.V201.TariffAndCost;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;

namespace Simulator.Ocpp.Tests.V201;

/// <summary>
/// A realistic request and response for every 2.0.1 action, with every optional field the schema has filled in (customData
/// on a few objects, with vendor members of its own). Shared parts are built once and reused, as a station would.
/// </summary>
internal static class Samples201
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 15, 30, 250, TimeSpan.Zero);

    private const string CertificatePem = Samples.CertificatePem;
    private const string CsrPem = Samples.CsrPem;

    /// <summary>A vendor's extension: the vendorId the schema requires and members of the vendor's own.</summary>
    public static readonly CustomData Vendor = new()
    {
        VendorId = "com.fleetsim",
        Properties = new() { ["firmwareChannel"] = Json("\"beta\""), ["slot"] = Json("{\"bank\":2,\"verified\":true}") },
    };

    private static readonly AdditionalInfo ContractId = new() { AdditionalIdToken = "DE*FLT*C0A1B2*7", Type = "ContractId" };

    private static readonly MessageContent Greeting = new() { Format = MessageFormat.UTF8, Language = "en", Content = "Charging at 11 kW. Tap your card to stop." };

    private static readonly IdToken Token = new() { AdditionalInfo = [ContractId], Token = "04A2B3C4D5E680", Type = IdTokenKind.ISO14443, CustomData = Vendor };

    private static readonly IdTokenInfo AcceptedToken = new()
    {
        Status = AuthorizationStatus.Accepted,
        CacheExpiryDateTime = Now.AddDays(30),
        ChargingPriority = 2,
        Language1 = "en",
        EvseId = [1],
        GroupIdToken = Token,
        Language2 = "de",
        PersonalMessage = Greeting,
    };

    private static readonly StatusInfo Detail = new() { ReasonCode = "NoError", AdditionalInfo = "Handled by FleetSim", CustomData = Vendor };

    private static readonly Evse Evse1 = new() { Id = 1, ConnectorId = 1 };

    private static readonly Component EvseComponent = new() { Evse = Evse1, Name = "EVSE", Instance = "Main" };

    private static readonly Variable OfferedPower = new() { Name = "Power", Instance = "Offered" };

    private static readonly RelativeTimeInterval FirstHour = new() { Start = 0, Duration = 7200 };

    private static readonly Cost Emission = new() { CostKind = CostKind.CarbonDioxideEmission, Amount = 380, AmountMultiplier = 0 };

    private static readonly ConsumptionCost Consumption = new() { StartValue = 0m, Cost = [Emission] };

    private static readonly SalesTariffEntry TariffEntry = new() { RelativeTimeInterval = FirstHour, EPriceLevel = 1, ConsumptionCost = [Consumption] };

    private static readonly SalesTariff Tariff = new() { Id = 1, SalesTariffDescription = "Standard tariff", NumEPriceLevels = 2, SalesTariffEntry = [TariffEntry] };

    private static readonly ChargingSchedulePeriod Period = new() { StartPeriod = 0, Limit = 32.0m, NumberPhases = 3, PhaseToUse = 1 };

    private static readonly ChargingSchedule Schedule = new()
    {
        Id = 1,
        StartSchedule = Now,
        Duration = 7200,
        ChargingRateUnit = ChargingRateUnit.A,
        ChargingSchedulePeriod = [Period],
        MinChargingRate = 6.0m,
        SalesTariff = Tariff,
    };

    private static readonly ChargingProfile TxProfile = new()
    {
        Id = 101,
        StackLevel = 1,
        ChargingProfilePurpose = ChargingProfilePurpose.TxProfile,
        ChargingProfileKind = ChargingProfileKind.Absolute,
        ValidFrom = Now,
        ValidTo = Now.AddHours(4),
        ChargingSchedule = [Schedule],
        TransactionId = "a5b6c7d8-0001-4e2f-9a3b-112233445566",
    };

    /// <summary>The station's default for every transaction: 16 A, every day from 07:00.</summary>
    private static readonly ChargingProfile DailyProfile = TxProfile with
    {
        Id = 7,
        StackLevel = 0,
        ChargingProfilePurpose = ChargingProfilePurpose.TxDefaultProfile,
        ChargingProfileKind = ChargingProfileKind.Recurring,
        RecurrencyKind = RecurrencyKind.Daily,
        ValidTo = Now.AddDays(365),
        ChargingSchedule = [Schedule with { Id = 2, StartSchedule = Now.Date.AddHours(7), Duration = 86400, ChargingSchedulePeriod = [Period with { Limit = 16.0m }], SalesTariff = null }],
        TransactionId = null,
    };

    private static readonly UnitOfMeasure KWh = new() { Unit = "kWh", Multiplier = 3 };

    private static readonly SignedMeterValue Signed = new()
    {
        SignedMeterData = "OCMF|{\"FV\":\"1.0\",\"RD\":[{\"RV\":15.034}]}",
        SigningMethod = "ECDSA-secp256r1-SHA256",
        EncodingMethod = "OCMF",
        PublicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE",
    };

    private static readonly SampledValue Energy = new()
    {
        Value = 15034.2m,
        Context = ReadingContext.TransactionEnd,
        Measurand = Measurand.EnergyActiveImportRegister,
        Phase = Phase.L1,
        Location = Location.Outlet,
        SignedMeterValue = Signed,
        UnitOfMeasure = KWh,
    };

    private static readonly MeterValue Reading = new() { SampledValue = [Energy], Timestamp = Now };

    private static readonly CertificateHashData HashData = new()
    {
        HashAlgorithm = HashAlgorithm.SHA256,
        IssuerNameHash = "a3b5f2c39e8a0d6b3b1c2f7e5d9a8c4b6e1f0a2d3c4b5a69788796a5b4c3d2e1",
        IssuerKeyHash = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
        SerialNumber = "5a1b2c3d4e5f60718293",
    };

    private static readonly OcspRequestData OcspRequest = new()
    {
        HashAlgorithm = HashAlgorithm.SHA256,
        IssuerNameHash = "a3b5f2c39e8a0d6b3b1c2f7e5d9a8c4b6e1f0a2d3c4b5a69788796a5b4c3d2e1",
        IssuerKeyHash = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
        SerialNumber = "5a1b2c3d4e5f60718293",
        ResponderURL = "http://ocsp.fleetsim.example.com",
    };

    private static readonly MessageInfo Message = new()
    {
        Display = EvseComponent,
        Id = 7,
        Priority = MessagePriority.NormalCycle,
        State = MessageState.Charging,
        StartDateTime = Now,
        EndDateTime = Now.AddDays(1),
        TransactionId = "a5b6c7d8-0001-4e2f-9a3b-112233445566",
        Message = Greeting,
    };

    public static IReadOnlyDictionary<string, IOcppRequest> Requests { get; } = new Dictionary<string, IOcppRequest>(StringComparer.Ordinal)
    {
        ["Authorize"] = new AuthorizeRequest { IdToken = Token, Certificate = CertificatePem, Iso15118CertificateHashData = [OcspRequest] },
        ["BootNotification"] = new BootNotificationRequest
        {
            ChargingStation = new ChargingStation
            {
                SerialNumber = "FS-000042",
                Model = "FS-22-AC",
                Modem = new Modem { Iccid = "8949020000012345678", Imsi = "262011234567890" },
                VendorName = "FleetSim",
                FirmwareVersion = "2.4.1",
                CustomData = Vendor,
            },
            Reason = BootReason.PowerUp,
            CustomData = Vendor,
        },
        ["CancelReservation"] = new CancelReservationRequest { ReservationId = 900 },
        ["CertificateSigned"] = new CertificateSignedRequest { CertificateChain = CertificatePem, CertificateType = CertificateSigningUse.ChargingStationCertificate },
        ["ChangeAvailability"] = new ChangeAvailabilityRequest { Evse = Evse1, OperationalStatus = OperationalStatus.Operative },
        ["ClearCache"] = new ClearCacheRequest(),
        ["ClearChargingProfile"] = new ClearChargingProfileRequest
        {
            ChargingProfileId = 101,
            ChargingProfileCriteria = new ClearChargingProfileCriterion { EvseId = 1, ChargingProfilePurpose = ChargingProfilePurpose.TxProfile, StackLevel = 1 },
        },
        ["ClearDisplayMessage"] = new ClearDisplayMessageRequest { Id = 7 },
        ["ClearVariableMonitoring"] = new ClearVariableMonitoringRequest { Id = [17] },
        ["ClearedChargingLimit"] = new ClearedChargingLimitRequest { ChargingLimitSource = ChargingLimitSource.EMS, EvseId = 1 },
        ["CostUpdated"] = new CostUpdatedRequest { TotalCost = 4.87m, TransactionId = "a5b6c7d8-0001-4e2f-9a3b-112233445566" },
        ["CustomerInformation"] = new CustomerInformationRequest
        {
            CustomerCertificate = HashData,
            IdToken = Token,
            RequestId = 42,
            Report = true,
            Clear = false,
            CustomerIdentifier = "customer-7788",
        },
        ["DataTransfer"] = new DataTransferRequest
        {
            MessageId = "TariffUpdate",
            Data = Json("{\"pricePerKWh\":0.39,\"currency\":\"EUR\"}"),
            VendorId = "com.fleetsim",
            CustomData = Vendor,
        },
        ["DeleteCertificate"] = new DeleteCertificateRequest { CertificateHashData = HashData },
        ["FirmwareStatusNotification"] = new FirmwareStatusNotificationRequest { Status = FirmwareStatus.Downloading, RequestId = 42 },
        ["Get15118EVCertificate"] = new Get15118EVCertificateRequest
        {
            Iso15118SchemaVersion = "urn:iso:15118:2:2013:MsgDef",
            CertificateAction = CertificateAction.Install,
            ExiRequest = "gAAAAIAFBAAcBWUA",
        },
        ["GetBaseReport"] = new GetBaseReportRequest { RequestId = 42, ReportBase = ReportBase.FullInventory },
        ["GetCertificateStatus"] = new GetCertificateStatusRequest { OcspRequestData = OcspRequest },
        ["GetChargingProfiles"] = new GetChargingProfilesRequest
        {
            RequestId = 42,
            EvseId = 1,
            ChargingProfile = new ChargingProfileCriterion
            {
                ChargingProfilePurpose = ChargingProfilePurpose.TxProfile,
                StackLevel = 1,
                ChargingProfileId = [101],
                ChargingLimitSource = [ChargingLimitSource.EMS],
            },
        },
        ["GetCompositeSchedule"] = new GetCompositeScheduleRequest { Duration = 7200, ChargingRateUnit = ChargingRateUnit.A, EvseId = 1 },
        ["GetDisplayMessages"] = new GetDisplayMessagesRequest { Id = [7], RequestId = 42, Priority = MessagePriority.NormalCycle, State = MessageState.Charging },
        ["GetInstalledCertificateIds"] = new GetInstalledCertificateIdsRequest { CertificateType = [GetCertificateIdUse.CSMSRootCertificate] },
        ["GetLocalListVersion"] = new GetLocalListVersionRequest(),
        ["GetLog"] = new GetLogRequest
        {
            Log = new LogParameters { RemoteLocation = "https://logs.fleetsim.example.com/upload/", OldestTimestamp = Now.AddDays(-7), LatestTimestamp = Now },
            LogType = LogKind.SecurityLog,
            RequestId = 42,
            Retries = 3,
            RetryInterval = 60,
        },
        ["GetMonitoringReport"] = new GetMonitoringReportRequest
        {
            ComponentVariable = [new ComponentVariable { Component = EvseComponent, Variable = OfferedPower }],
            RequestId = 42,
            MonitoringCriteria = [MonitoringCriterion.ThresholdMonitoring],
        },
        ["GetReport"] = new GetReportRequest
        {
            ComponentVariable = [new ComponentVariable { Component = EvseComponent, Variable = OfferedPower }],
            RequestId = 42,
            ComponentCriteria = [ComponentCriterion.Active],
        },
        ["GetTransactionStatus"] = new GetTransactionStatusRequest { TransactionId = "a5b6c7d8-0001-4e2f-9a3b-112233445566" },
        ["GetVariables"] = new GetVariablesRequest
        {
            GetVariableData = [new GetVariableData { AttributeType = AttributeKind.Actual, Component = EvseComponent, Variable = OfferedPower }],
        },
        ["Heartbeat"] = new HeartbeatRequest(),
        ["InstallCertificate"] = new InstallCertificateRequest { CertificateType = InstallCertificateUse.CSMSRootCertificate, Certificate = CertificatePem },
        ["LogStatusNotification"] = new LogStatusNotificationRequest { Status = UploadLogStatus.Uploading, RequestId = 42 },
        ["MeterValues"] = new MeterValuesRequest { EvseId = 1, MeterValue = [Reading] },
        ["NotifyChargingLimit"] = new NotifyChargingLimitRequest
        {
            ChargingSchedule = [Schedule],
            EvseId = 1,
            ChargingLimit = new ChargingLimit { ChargingLimitSource = ChargingLimitSource.EMS, IsGridCritical = false },
        },
        ["NotifyCustomerInformation"] = new NotifyCustomerInformationRequest { Data = "Available", Tbc = false, SeqNo = 3, GeneratedAt = Now, RequestId = 42 },
        ["NotifyDisplayMessages"] = new NotifyDisplayMessagesRequest { MessageInfo = [Message], RequestId = 42, Tbc = false },
        ["NotifyEVChargingNeeds"] = new NotifyEVChargingNeedsRequest
        {
            MaxScheduleTuples = 24,
            ChargingNeeds = new ChargingNeeds
            {
                AcChargingParameters = new AcChargingParameters { EnergyAmount = 30000, EvMinCurrent = 6, EvMaxCurrent = 32, EvMaxVoltage = 400 },
                DcChargingParameters = new DcChargingParameters
                {
                    EvMaxCurrent = 32,
                    EvMaxVoltage = 400,
                    EnergyAmount = 30000,
                    EvMaxPower = 11000,
                    StateOfCharge = 45,
                    EvEnergyCapacity = 77000,
                    FullSoC = 100,
                    BulkSoC = 80,
                },
                RequestedEnergyTransfer = EnergyTransferMode.ACThreePhase,
                DepartureTime = Now.AddHours(3),
            },
            EvseId = 1,
        },
        ["NotifyEVChargingSchedule"] = new NotifyEVChargingScheduleRequest { TimeBase = Now, ChargingSchedule = Schedule, EvseId = 1 },
        ["NotifyEvent"] = new NotifyEventRequest
        {
            GeneratedAt = Now,
            Tbc = false,
            SeqNo = 3,
            EventData = [new EventData
            {
                EventId = 12,
                Timestamp = Now,
                Trigger = EventTrigger.Alerting,
                Cause = 11,
                ActualValue = "3700",
                TechCode = "E-LOCK-07",
                TechInfo = "derated: cable temperature 71 C",
                Cleared = false,
                TransactionId = "a5b6c7d8-0001-4e2f-9a3b-112233445566",
                Component = EvseComponent,
                VariableMonitoringId = 17,
                EventNotificationType = EventNotification.HardWiredNotification,
                Variable = OfferedPower,
            }],
        },
        ["NotifyMonitoringReport"] = new NotifyMonitoringReportRequest
        {
            Monitor = [new MonitoringData
            {
                Component = EvseComponent,
                Variable = OfferedPower,
                VariableMonitoring = [new VariableMonitoring { Id = 17, Transaction = false, Value = 20000m, Type = MonitorKind.UpperThreshold, Severity = 4 }],
            }],
            RequestId = 42,
            Tbc = false,
            SeqNo = 3,
            GeneratedAt = Now,
        },
        ["NotifyReport"] = new NotifyReportRequest
        {
            RequestId = 42,
            GeneratedAt = Now,
            ReportData = [new ReportData
            {
                Component = EvseComponent,
                Variable = OfferedPower,
                VariableAttribute = [new VariableAttribute { Type = AttributeKind.Actual, Value = "11000", Mutability = Mutability.ReadWrite, Persistent = true, Constant = false }],
                VariableCharacteristics = new VariableCharacteristics
                {
                    Unit = "W",
                    DataType = DataKind.Integer,
                    MinLimit = 0m,
                    MaxLimit = 22000m,
                    ValuesList = "3700,7400,11000",
                    SupportsMonitoring = true,
                },
            }],
            Tbc = false,
            SeqNo = 3,
        },
        ["PublishFirmware"] = new PublishFirmwareRequest
        {
            Location = "https://firmware.fleetsim.example.com/fs-22/2.5.0.bin",
            Retries = 3,
            Checksum = "9f86d081884c7d659a2feaa0c55ad015",
            RequestId = 42,
            RetryInterval = 60,
        },
        ["PublishFirmwareStatusNotification"] = new PublishFirmwareStatusNotificationRequest
        {
            Status = PublishFirmwareStatus.Published,
            Location = ["http://192.168.0.10/firmware/fs-22-2.5.0.bin"],
            RequestId = 42,
        },
        ["ReportChargingProfiles"] = new ReportChargingProfilesRequest
        {
            RequestId = 42,
            ChargingLimitSource = ChargingLimitSource.EMS,
            ChargingProfile = [TxProfile, DailyProfile],
            Tbc = false,
            EvseId = 1,
        },
        ["RequestStartTransaction"] = new RequestStartTransactionRequest { EvseId = 1, GroupIdToken = Token, IdToken = Token, RemoteStartId = 8801, ChargingProfile = TxProfile with { TransactionId = null } },
        ["RequestStopTransaction"] = new RequestStopTransactionRequest { TransactionId = "a5b6c7d8-0001-4e2f-9a3b-112233445566" },
        ["ReservationStatusUpdate"] = new ReservationStatusUpdateRequest { ReservationId = 900, ReservationUpdateStatus = ReservationUpdateStatus.Expired },
        ["ReserveNow"] = new ReserveNowRequest
        {
            Id = 900,
            ExpiryDateTime = Now.AddMinutes(30),
            ConnectorType = ConnectorKind.CType2,
            IdToken = Token,
            EvseId = 1,
            GroupIdToken = Token,
        },
        ["Reset"] = new ResetRequest { Type = ResetKind.OnIdle, EvseId = 1 },
        ["SecurityEventNotification"] = new SecurityEventNotificationRequest { Type = "FirmwareUpdated", Timestamp = Now, TechInfo = "RCD tripped, auto-reclose pending" },
        ["SendLocalList"] = new SendLocalListRequest
        {
            LocalAuthorizationList = [new AuthorizationData { IdToken = Token, IdTokenInfo = AcceptedToken }],
            VersionNumber = 12,
            UpdateType = UpdateKind.Differential,
        },
        ["SetChargingProfile"] = new SetChargingProfileRequest { EvseId = 1, ChargingProfile = TxProfile },
        ["SetDisplayMessage"] = new SetDisplayMessageRequest { Message = Message },
        ["SetMonitoringBase"] = new SetMonitoringBaseRequest { MonitoringBase = MonitoringBase.All },
        ["SetMonitoringLevel"] = new SetMonitoringLevelRequest { Severity = 4 },
        ["SetNetworkProfile"] = new SetNetworkProfileRequest
        {
            ConfigurationSlot = 1,
            ConnectionData = new NetworkConnectionProfile
            {
                Apn = new Apn
                {
                    AccessPointName = "internet.iot.example.com",
                    ApnUserName = "fleetsim",
                    ApnPassword = "apn-secret",
                    SimPin = 1234,
                    PreferredNetwork = "26201",
                    UseOnlyPreferredNetwork = false,
                    ApnAuthentication = ApnAuthentication.CHAP,
                },
                OcppVersion = OcppVersion.OCPP20,
                OcppTransport = OcppTransport.JSON,
                OcppCsmsUrl = "wss://csms.fleetsim.example.com/ocpp/",
                MessageTimeout = 30,
                SecurityProfile = 2,
                OcppInterface = OcppInterface.Wired0,
                Vpn = new Vpn
                {
                    Server = "vpn.fleetsim.example.com",
                    User = "fleetsim",
                    Group = "fleet",
                    Password = "vpn-secret",
                    Key = "vpn-preshared-key",
                    Type = VpnKind.IKEv2,
                },
            },
        },
        ["SetVariableMonitoring"] = new SetVariableMonitoringRequest
        {
            SetMonitoringData = [new SetMonitoringData
            {
                Id = 17,
                Transaction = false,
                Value = 20000m,
                Type = MonitorKind.UpperThreshold,
                Severity = 4,
                Component = EvseComponent,
                Variable = OfferedPower,
            }],
        },
        ["SetVariables"] = new SetVariablesRequest
        {
            SetVariableData = [new SetVariableData { AttributeType = AttributeKind.Actual, AttributeValue = "7400", Component = EvseComponent, Variable = OfferedPower }],
        },
        ["SignCertificate"] = new SignCertificateRequest { Csr = CsrPem, CertificateType = CertificateSigningUse.ChargingStationCertificate },
        ["StatusNotification"] = new StatusNotificationRequest { Timestamp = Now, ConnectorStatus = ConnectorStatus.Occupied, EvseId = 1, ConnectorId = 1 },
        ["TransactionEvent"] = new TransactionEventRequest
        {
            EventType = TransactionEventKind.Ended,
            MeterValue = [Reading],
            Timestamp = Now,
            TriggerReason = TriggerReason.StopAuthorized,
            SeqNo = 3,
            Offline = false,
            NumberOfPhasesUsed = 3,
            CableMaxCurrent = 32,
            ReservationId = 900,
            TransactionInfo = new Transaction
            {
                TransactionId = "a5b6c7d8-0001-4e2f-9a3b-112233445566",
                ChargingState = ChargingState.EVConnected,
                TimeSpentCharging = 1800,
                StoppedReason = StopReason.Local,
                RemoteStartId = 8801,
            },
            Evse = Evse1,
            IdToken = Token,
            CustomData = Vendor,
        },
        ["TriggerMessage"] = new TriggerMessageRequest { Evse = Evse1, RequestedMessage = MessageTrigger.StatusNotification },
        ["UnlockConnector"] = new UnlockConnectorRequest { EvseId = 1, ConnectorId = 1 },
        ["UnpublishFirmware"] = new UnpublishFirmwareRequest { Checksum = "9f86d081884c7d659a2feaa0c55ad015" },
        ["UpdateFirmware"] = new UpdateFirmwareRequest
        {
            Retries = 3,
            RetryInterval = 60,
            RequestId = 42,
            Firmware = new Firmware
            {
                Location = "https://firmware.fleetsim.example.com/fs-22/2.5.0.bin",
                RetrieveDateTime = Now.AddHours(1),
                InstallDateTime = Now.AddHours(2),
                SigningCertificate = CertificatePem,
                Signature = "MEUCIQDsd0iCBIFq1sU3wH2p0fk",
            },
        },
    };

    /// <summary>More samples of an action, for the fields its main sample cannot carry together.</summary>
    public static IReadOnlyList<(string Action, IOcppRequest Payload)> RequestVariants { get; } =
    [
        ("SetChargingProfile", new SetChargingProfileRequest { EvseId = 0, ChargingProfile = DailyProfile }),
        ("TransactionEvent", new TransactionEventRequest
        {
            EventType = TransactionEventKind.Started,
            Timestamp = Now.AddHours(-1),
            TriggerReason = TriggerReason.RemoteStart,
            SeqNo = 0,
            TransactionInfo = new Transaction { TransactionId = "a5b6c7d8-0001-4e2f-9a3b-112233445566", ChargingState = ChargingState.Charging, RemoteStartId = 8801 },
            Evse = Evse1,
            IdToken = Token,
            MeterValue = [Reading with { Timestamp = Now.AddHours(-1), SampledValue = [Energy with { Value = 14200.0m, Context = ReadingContext.TransactionBegin }] }],
        }),
    ];

    public static IReadOnlyList<(string Action, IOcppResponse Payload)> ResponseVariants { get; } =
    [
        ("BootNotification", new BootNotificationResponse { CurrentTime = Now, Interval = 60, Status = RegistrationStatus.Pending }),
        ("RequestStartTransaction", new RequestStartTransactionResponse { Status = RequestStartStopStatus.Rejected, StatusInfo = Detail with { ReasonCode = "NoEVSE" } }),
    ];

    public static IReadOnlyDictionary<string, IOcppResponse> Responses { get; } = new Dictionary<string, IOcppResponse>(StringComparer.Ordinal)
    {
        ["Authorize"] = new AuthorizeResponse { IdTokenInfo = AcceptedToken, CertificateStatus = AuthorizeCertificateStatus.Accepted },
        ["BootNotification"] = new BootNotificationResponse { CurrentTime = Now, Interval = 300, Status = RegistrationStatus.Accepted, StatusInfo = Detail },
        ["CancelReservation"] = new CancelReservationResponse { Status = CancelReservationStatus.Accepted, StatusInfo = Detail },
        ["CertificateSigned"] = new CertificateSignedResponse { Status = CertificateSignedStatus.Accepted, StatusInfo = Detail },
        ["ChangeAvailability"] = new ChangeAvailabilityResponse { Status = ChangeAvailabilityStatus.Accepted, StatusInfo = Detail },
        ["ClearCache"] = new ClearCacheResponse { Status = ClearCacheStatus.Accepted, StatusInfo = Detail },
        ["ClearChargingProfile"] = new ClearChargingProfileResponse { Status = ClearChargingProfileStatus.Accepted, StatusInfo = Detail },
        ["ClearDisplayMessage"] = new ClearDisplayMessageResponse { Status = ClearMessageStatus.Accepted, StatusInfo = Detail },
        ["ClearVariableMonitoring"] = new ClearVariableMonitoringResponse
        {
            ClearMonitoringResult = [new ClearMonitoringResult { Status = ClearMonitoringStatus.Accepted, Id = 17, StatusInfo = Detail }],
        },
        ["ClearedChargingLimit"] = new ClearedChargingLimitResponse(),
        ["CostUpdated"] = new CostUpdatedResponse(),
        ["CustomerInformation"] = new CustomerInformationResponse { Status = CustomerInformationStatus.Accepted, StatusInfo = Detail },
        ["DataTransfer"] = new DataTransferResponse { Status = DataTransferStatus.Accepted, StatusInfo = Detail, Data = Json("{\"pricePerKWh\":0.39,\"currency\":\"EUR\"}") },
        ["DeleteCertificate"] = new DeleteCertificateResponse { Status = DeleteCertificateStatus.Accepted, StatusInfo = Detail },
        ["FirmwareStatusNotification"] = new FirmwareStatusNotificationResponse(),
        ["Get15118EVCertificate"] = new Get15118EVCertificateResponse { Status = Iso15118EVCertificateStatus.Accepted, StatusInfo = Detail, ExiResponse = "gAAAAIAFBAAcBWUAAAEB" },
        ["GetBaseReport"] = new GetBaseReportResponse { Status = GenericDeviceModelStatus.Accepted, StatusInfo = Detail },
        ["GetCertificateStatus"] = new GetCertificateStatusResponse
        {
            Status = GetCertificateStatus.Accepted,
            StatusInfo = Detail,
            OcspResult = "MIIB0woBAKCCAcwwggHIBgkrBgEFBQcwAQEEggG5MIIBtTCBnqIWBBQ",
        },
        ["GetChargingProfiles"] = new GetChargingProfilesResponse { Status = GetChargingProfileStatus.Accepted, StatusInfo = Detail },
        ["GetCompositeSchedule"] = new GetCompositeScheduleResponse
        {
            Status = GenericStatus.Accepted,
            StatusInfo = Detail,
            Schedule = new CompositeSchedule { ChargingSchedulePeriod = [Period], EvseId = 1, Duration = 7200, ScheduleStart = Now, ChargingRateUnit = ChargingRateUnit.A },
        },
        ["GetDisplayMessages"] = new GetDisplayMessagesResponse { Status = GetDisplayMessagesStatus.Accepted, StatusInfo = Detail },
        ["GetInstalledCertificateIds"] = new GetInstalledCertificateIdsResponse
        {
            Status = GetInstalledCertificateStatus.Accepted,
            StatusInfo = Detail,
            CertificateHashDataChain = [new CertificateHashDataChain
            {
                CertificateHashData = HashData,
                CertificateType = GetCertificateIdUse.CSMSRootCertificate,
                ChildCertificateHashData = [HashData],
            }],
        },
        ["GetLocalListVersion"] = new GetLocalListVersionResponse { VersionNumber = 12 },
        ["GetLog"] = new GetLogResponse { Status = LogStatus.Accepted, StatusInfo = Detail, Filename = "FS-000042-security-20261124.tar.gz" },
        ["GetMonitoringReport"] = new GetMonitoringReportResponse { Status = GenericDeviceModelStatus.Accepted, StatusInfo = Detail },
        ["GetReport"] = new GetReportResponse { Status = GenericDeviceModelStatus.Accepted, StatusInfo = Detail },
        ["GetTransactionStatus"] = new GetTransactionStatusResponse { OngoingIndicator = true, MessagesInQueue = true },
        ["GetVariables"] = new GetVariablesResponse
        {
            GetVariableResult = [new GetVariableResult
            {
                AttributeStatusInfo = Detail,
                AttributeStatus = GetVariableStatus.Accepted,
                AttributeType = AttributeKind.Actual,
                AttributeValue = "11000",
                Component = EvseComponent,
                Variable = OfferedPower,
            }],
        },
        ["Heartbeat"] = new HeartbeatResponse { CurrentTime = Now },
        ["InstallCertificate"] = new InstallCertificateResponse { Status = InstallCertificateStatus.Accepted, StatusInfo = Detail },
        ["LogStatusNotification"] = new LogStatusNotificationResponse(),
        ["MeterValues"] = new MeterValuesResponse(),
        ["NotifyChargingLimit"] = new NotifyChargingLimitResponse(),
        ["NotifyCustomerInformation"] = new NotifyCustomerInformationResponse(),
        ["NotifyDisplayMessages"] = new NotifyDisplayMessagesResponse(),
        ["NotifyEVChargingNeeds"] = new NotifyEVChargingNeedsResponse { Status = NotifyEVChargingNeedsStatus.Accepted, StatusInfo = Detail },
        ["NotifyEVChargingSchedule"] = new NotifyEVChargingScheduleResponse { Status = GenericStatus.Accepted, StatusInfo = Detail },
        ["NotifyEvent"] = new NotifyEventResponse(),
        ["NotifyMonitoringReport"] = new NotifyMonitoringReportResponse(),
        ["NotifyReport"] = new NotifyReportResponse(),
        ["PublishFirmware"] = new PublishFirmwareResponse { Status = GenericStatus.Accepted, StatusInfo = Detail },
        ["PublishFirmwareStatusNotification"] = new PublishFirmwareStatusNotificationResponse(),
        ["ReportChargingProfiles"] = new ReportChargingProfilesResponse(),
        ["RequestStartTransaction"] = new RequestStartTransactionResponse
        {
            Status = RequestStartStopStatus.Accepted,
            StatusInfo = Detail,
            TransactionId = "a5b6c7d8-0001-4e2f-9a3b-112233445566",
        },
        ["RequestStopTransaction"] = new RequestStopTransactionResponse { Status = RequestStartStopStatus.Accepted, StatusInfo = Detail },
        ["ReservationStatusUpdate"] = new ReservationStatusUpdateResponse(),
        ["ReserveNow"] = new ReserveNowResponse { Status = ReserveNowStatus.Accepted, StatusInfo = Detail },
        ["Reset"] = new ResetResponse { Status = ResetStatus.Accepted, StatusInfo = Detail },
        ["SecurityEventNotification"] = new SecurityEventNotificationResponse(),
        ["SendLocalList"] = new SendLocalListResponse { Status = SendLocalListStatus.Accepted, StatusInfo = Detail },
        ["SetChargingProfile"] = new SetChargingProfileResponse { Status = ChargingProfileStatus.Accepted, StatusInfo = Detail },
        ["SetDisplayMessage"] = new SetDisplayMessageResponse { Status = DisplayMessageStatus.Accepted, StatusInfo = Detail },
        ["SetMonitoringBase"] = new SetMonitoringBaseResponse { Status = GenericDeviceModelStatus.Accepted, StatusInfo = Detail },
        ["SetMonitoringLevel"] = new SetMonitoringLevelResponse { Status = GenericStatus.Accepted, StatusInfo = Detail },
        ["SetNetworkProfile"] = new SetNetworkProfileResponse { Status = SetNetworkProfileStatus.Accepted, StatusInfo = Detail },
        ["SetVariableMonitoring"] = new SetVariableMonitoringResponse
        {
            SetMonitoringResult = [new SetMonitoringResult
            {
                Id = 17,
                StatusInfo = Detail,
                Status = SetMonitoringStatus.Accepted,
                Type = MonitorKind.UpperThreshold,
                Component = EvseComponent,
                Variable = OfferedPower,
                Severity = 4,
            }],
        },
        ["SetVariables"] = new SetVariablesResponse
        {
            SetVariableResult = [new SetVariableResult
            {
                AttributeType = AttributeKind.Actual,
                AttributeStatus = SetVariableStatus.Accepted,
                AttributeStatusInfo = Detail,
                Component = EvseComponent,
                Variable = OfferedPower,
            }],
        },
        ["SignCertificate"] = new SignCertificateResponse { Status = GenericStatus.Accepted, StatusInfo = Detail },
        ["StatusNotification"] = new StatusNotificationResponse(),
        ["TransactionEvent"] = new TransactionEventResponse { TotalCost = 4.87m, ChargingPriority = 2, IdTokenInfo = AcceptedToken, UpdatedPersonalMessage = Greeting },
        ["TriggerMessage"] = new TriggerMessageResponse { Status = TriggerMessageStatus.Accepted, StatusInfo = Detail },
        ["UnlockConnector"] = new UnlockConnectorResponse { Status = UnlockStatus.Unlocked, StatusInfo = Detail },
        ["UnpublishFirmware"] = new UnpublishFirmwareResponse { Status = UnpublishFirmwareStatus.Unpublished },
        ["UpdateFirmware"] = new UpdateFirmwareResponse { Status = UpdateFirmwareStatus.Accepted, StatusInfo = Detail },
    };

    public static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
