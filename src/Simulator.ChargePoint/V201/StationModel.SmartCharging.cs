using System.Globalization;
using Simulator.ChargePoint.SmartCharging;
using Simulator.ChargePoint.V201.DeviceModel;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.SmartCharging;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;
using C = Simulator.ChargePoint.V201.DeviceModel.Components;
using V = Simulator.ChargePoint.V201.DeviceModel.Variables;

namespace Simulator.ChargePoint.V201;

/// <summary>
/// K: smart charging. Profiles live in the shared <see cref="ScheduleEngine{TOriginal}"/> (EVSE = the engine's connector, EVSE 0 = the
/// station); the composite limit of every EVSE caps its meter (<see cref="ApplyChargingLimits"/>), so the EV charges no faster than the
/// schedule allows. ChargingStationExternalConstraints come only from the station itself (<see cref="SetExternalLimit"/>, an EMS or
/// grid signal), which reports them with NotifyChargingLimit / ClearedChargingLimit; the CSMS cannot set them (K01.FR.22).
/// </summary>
public sealed partial class StationModel
{
    /// <summary>Station-set external constraint profiles take ids from here down, out of the CSMS's (positive) way.</summary>
    private const int ExternalProfileIdBase = -1;

    private ScheduleEngine<(ChargingProfile Profile, ChargingLimitSource Source)>? chargingProfiles;
    private readonly Dictionary<int, double?> appliedLimitW = [];
    private readonly Dictionary<int, (int RemoteStartId, ChargingProfile Profile)> remoteStartProfiles = [];

    /// <summary>
    /// The station came up (a reboot, or a power cut it was restored from) with external constraints installed: once registered it
    /// tells the CSMS of each again (K12), since they limit it from the start of this power cycle and the CSMS cannot ask for them.
    /// </summary>
    private bool announceExternalLimits;

    /// <summary>The next limit change (CSMS time), kept until the profiles or transactions change or the time comes (the search is not free).</summary>
    private DateTimeOffset? nextLimitChange;
    private bool limitsChanged = true;

    private ScheduleEngine<(ChargingProfile Profile, ChargingLimitSource Source)> Profiles => chargingProfiles ??= new(
        EvseCount,
        Math.Max(0, Device.GetInt(C.SmartChargingCtrlr, V.ProfileStackLevel)),
        Math.Max(1, MaxChargingProfiles))
    {
        RejectSameStackLevel = true,
        UnrestrictedLimitW = options.Meter.MaxPowerW,
    };

    private static int MaxChargingProfiles => EnergyVariables.MaxChargingProfiles;

    /// <summary>The cap in W the smart-charging profiles put on the EVSE's meter now (null: none).</summary>
    public double? ChargingLimitW(int evseId) => IsEvse(evseId) ? appliedLimitW.GetValueOrDefault(evseId) : null;

    private InboundReply SmartCharging(IOcppRequest request) => request switch
    {
        SetChargingProfileRequest r => Ok(SetChargingProfile(r)),
        GetChargingProfilesRequest r => Ok(GetChargingProfiles(r)),
        ClearChargingProfileRequest r => Ok(ClearChargingProfile(r)),
        GetCompositeScheduleRequest r => Ok(GetCompositeSchedule(r)),
        _ => InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station."),
    };

    // ───────────────────────── CSMS requests ─────────────────────────

    /// <summary>K01: validates per the spec (reasons in statusInfo) and installs in the engine.</summary>
    private SetChargingProfileResponse SetChargingProfile(SetChargingProfileRequest request)
    {
        static SetChargingProfileResponse Rejected(string reason, string? detail = null) => new()
        {
            Status = ChargingProfileStatus.Rejected,
            StatusInfo = new StatusInfo { ReasonCode = reason, AdditionalInfo = detail is { Length: > 512 } ? detail[..512] : detail },
        };
        var profile = request.ChargingProfile;
        if (!Device.GetBool(C.SmartChargingCtrlr, V.Enabled))
        {
            return Rejected("NotEnabled", "SmartChargingCtrlr.Enabled is false");
        }
        if (request.EvseId != 0 && !IsEvse(request.EvseId))
        {
            return Rejected("UnknownEvse", $"EVSE {request.EvseId} does not exist");
        }
        if (ProfileProblem(request.EvseId, profile) is { } problem)
        {
            return Rejected("InvalidSchedule", problem);
        }
        var transactionId = request.EvseId == 0 ? null : evses[request.EvseId].Transaction?.Id;
        if (profile.ChargingProfilePurpose == ChargingProfilePurpose.TxProfile)
        {
            if (transactionId is null)
            {
                return Rejected("TxNotFound", $"no transaction runs on EVSE {request.EvseId}");
            }
            if (profile.TransactionId != transactionId)
            {
                return Rejected("TxNotFound", $"transactionId {profile.TransactionId ?? "(none)"} is not the transaction on EVSE {request.EvseId}");
            }
        }
        SyncTransactions();
        var outcome = Profiles.Set(request.EvseId, ToSchedule(profile), (profile, ChargingLimitSource.CSO), transactionId);
        limitsChanged = true;
        if (!outcome.Accepted)
        {
            return Rejected("InvalidValue", outcome.Reason);
        }
        ApplyChargingLimits();
        return new() { Status = ChargingProfileStatus.Accepted };
    }

    /// <summary>The 2.0.1 rules the shared engine does not know (K01.FR.*); null when the profile is fine.</summary>
    private string? ProfileProblem(int evseId, ChargingProfile profile)
    {
        if (profile.ChargingProfilePurpose == ChargingProfilePurpose.ChargingStationExternalConstraints)
        {
            return "ChargingStationExternalConstraints profiles are set by the charging station, not by the CSMS";
        }
        if (profile.ChargingProfilePurpose == ChargingProfilePurpose.ChargingStationMaxProfile && evseId != 0)
        {
            return "a ChargingStationMaxProfile is set on evseId 0";
        }
        if (profile.ChargingProfilePurpose == ChargingProfilePurpose.TxProfile && evseId == 0)
        {
            return "a TxProfile is set on a specific EVSE, not 0";
        }
        if (profile.ChargingProfilePurpose != ChargingProfilePurpose.TxProfile && profile.TransactionId is not null)
        {
            return "only a TxProfile carries a transactionId";
        }
        if (profile.ChargingSchedule.Count != 1)
        {
            return "more than one chargingSchedule is for ISO 15118, which this station does not support";
        }
        var schedule = profile.ChargingSchedule[0];
        if (!Device.GetList(C.SmartChargingCtrlr, V.RateUnit).Contains(schedule.ChargingRateUnit.ToString()))
        {
            return $"chargingRateUnit {schedule.ChargingRateUnit} is not in SmartChargingCtrlr.RateUnit";
        }
        var maxPeriods = Device.GetInt(C.SmartChargingCtrlr, V.PeriodsPerSchedule);
        if (schedule.ChargingSchedulePeriod.Count > maxPeriods)
        {
            return $"{schedule.ChargingSchedulePeriod.Count} periods, at most {maxPeriods} (PeriodsPerSchedule)";
        }
        if (profile.ChargingProfileKind == ChargingProfileKind.Relative && schedule.StartSchedule is not null)
        {
            return "a Relative profile has no startSchedule";
        }
        if (profile.ChargingProfileKind != ChargingProfileKind.Relative && schedule.StartSchedule is null)
        {
            return $"an {profile.ChargingProfileKind} profile needs startSchedule";
        }
        if (profile.ChargingProfileKind == ChargingProfileKind.Recurring != profile.RecurrencyKind.HasValue)
        {
            return "recurrencyKind goes with (and only with) a Recurring profile";
        }
        if (profile.ValidTo is { } to && to <= CsmsNow)
        {
            return "validTo is in the past";
        }
        foreach (var period in schedule.ChargingSchedulePeriod)
        {
            if (period.PhaseToUse is not null && period.NumberPhases != 1)
            {
                return "phaseToUse is only allowed with numberPhases 1";
            }
            if (period.NumberPhases is { } n && n > options.Meter.Phases)
            {
                return $"numberPhases {n} exceeds the supply's {options.Meter.Phases}";
            }
        }
        return null;
    }

    /// <summary>K09: the installed profiles matching every criterion, as ReportChargingProfiles parts (one per EVSE and source).</summary>
    private GetChargingProfilesResponse GetChargingProfiles(GetChargingProfilesRequest request)
    {
        var criterion = request.ChargingProfile;
        var matches = Profiles.Installed.Where(p =>
            (request.EvseId is not { } evse || p.ConnectorId == evse)
            && (criterion.ChargingProfilePurpose is not { } purpose || p.Original.Profile.ChargingProfilePurpose == purpose)
            && (criterion.StackLevel is not { } level || p.Original.Profile.StackLevel == level)
            && (criterion.ChargingProfileId is not { Count: > 0 } ids || ids.Contains(p.Original.Profile.Id))
            && (criterion.ChargingLimitSource is not { Count: > 0 } sources || sources.Contains(p.Original.Source))).ToList();
        if (matches.Count == 0)
        {
            return new() { Status = GetChargingProfileStatus.NoProfiles };
        }
        var perMessage = Math.Max(1, Device.GetInt(C.DeviceDataCtrlr, V.ItemsPerMessage("GetReport")));
        var parts = matches
            .GroupBy(p => (p.ConnectorId, p.Original.Source))
            .SelectMany(g => g.Chunk(perMessage).Select(chunk => (g.Key.ConnectorId, g.Key.Source, Profiles: chunk.Select(p => p.Original.Profile).ToList())))
            .ToList();
        for (var i = 0; i < parts.Count; i++)
        {
            Send(new ReportChargingProfilesRequest
            {
                RequestId = request.RequestId,
                ChargingLimitSource = parts[i].Source,
                EvseId = parts[i].ConnectorId,
                ChargingProfile = parts[i].Profiles,
                Tbc = i < parts.Count - 1 ? true : null,
            }, requested: true);
        }
        return new() { Status = GetChargingProfileStatus.Accepted };
    }

    /// <summary>K10: by id, or by every given criterion; the station's external constraints stay (they are not the CSMS's).</summary>
    private ClearChargingProfileResponse ClearChargingProfile(ClearChargingProfileRequest request)
    {
        var criteria = request.ChargingProfileCriteria;
        SyncTransactions();
        var removed = Profiles.RemoveWhere((evse, profile) =>
            profile.Purpose != SchedulePurpose.ExternalConstraints
            && (request.ChargingProfileId is { } id
                ? profile.Id == id
                : (criteria?.EvseId is not { } e || evse == e)
                  && (criteria?.ChargingProfilePurpose is not { } purpose || profile.Purpose == ToNeutral(purpose))
                  && (criteria?.StackLevel is not { } level || profile.StackLevel == level)));
        limitsChanged = true;
        ApplyChargingLimits();
        return new() { Status = removed > 0 ? ClearChargingProfileStatus.Accepted : ClearChargingProfileStatus.Unknown };
    }

    /// <summary>K08: the composite of every layer over the duration, in the requested (or W) unit.</summary>
    private GetCompositeScheduleResponse GetCompositeSchedule(GetCompositeScheduleRequest request)
    {
        static GetCompositeScheduleResponse Rejected(string reason) => new() { Status = GenericStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = reason } };
        if (request.EvseId != 0 && !IsEvse(request.EvseId))
        {
            return Rejected("UnknownEVSE");
        }
        if (request.Duration <= 0)
        {
            return Rejected("InvalidValue");
        }
        var unit = request.ChargingRateUnit ?? ChargingRateUnit.W;
        if (!Device.GetList(C.SmartChargingCtrlr, V.RateUnit).Contains(unit.ToString()))
        {
            return Rejected("UnsupportedRateUnit");
        }
        SyncTransactions();
        var now = CsmsNow;
        var spec = options.Meter;
        var neutralUnit = unit == ChargingRateUnit.A ? RateUnit.A : RateUnit.W;
        var result = Profiles.GetCompositeSchedule(request.EvseId, TimeSpan.FromSeconds(request.Duration), neutralUnit, now, spec);
        IReadOnlyList<SchedulePeriod> periods = result?.Schedule.SchedulePeriod ??
        [
            new SchedulePeriod
            {
                StartPeriod = 0,
                Limit = Math.Floor((decimal)(unit == ChargingRateUnit.W ? spec.MaxPowerW : spec.MaxPowerW / (spec.Phases * spec.PhaseVoltage)) * 10) / 10,
                NumberPhases = unit == ChargingRateUnit.A ? spec.Phases : null,
            },
        ];
        return new()
        {
            Status = GenericStatus.Accepted,
            Schedule = new CompositeSchedule
            {
                EvseId = request.EvseId,
                Duration = request.Duration,
                ScheduleStart = now,
                ChargingRateUnit = unit,
                ChargingSchedulePeriod = [.. periods.Select(p => new ChargingSchedulePeriod { StartPeriod = p.StartPeriod, Limit = p.Limit, NumberPhases = p.NumberPhases })],
            },
        };
    }

    // ───────────────────────── external constraints ─────────────────────────

    /// <summary>
    /// An energy management system (or the grid operator) limits the EVSE (0: the whole station) to <paramref name="limitW"/>, or lifts its
    /// limit (null). The station installs it as a ChargingStationExternalConstraints profile, which caps the meters like any other, and
    /// tells the CSMS: NotifyChargingLimit (K12) with the schedule, ClearedChargingLimit (K13) when lifted. False when the EVSE does not
    /// exist, the value is negative, or ExternalControlSignalsEnabled is false.
    /// </summary>
    public bool SetExternalLimit(int evseId, double? limitW, ChargingLimitSource source = ChargingLimitSource.EMS, bool isGridCritical = false)
    {
        if ((evseId != 0 && !IsEvse(evseId)) || limitW is < 0 || double.IsNaN(limitW ?? 0) || !Device.GetBool(C.SmartChargingCtrlr, V.ExternalControlSignalsEnabled))
        {
            return false;
        }
        SyncTransactions();
        var id = ExternalProfileIdBase - evseId;
        var existed = Profiles.RemoveWhere((_, p) => p.Id == id) > 0;
        limitsChanged = true;
        if (limitW is { } limit)
        {
            var schedule = new ChargingSchedule
            {
                Id = 1,
                StartSchedule = CsmsNow,
                ChargingRateUnit = ChargingRateUnit.W,
                ChargingSchedulePeriod = [new ChargingSchedulePeriod { StartPeriod = 0, Limit = Math.Round((decimal)limit, 1) }],
            };
            var profile = new ChargingProfile
            {
                Id = id,
                StackLevel = 0,
                ChargingProfilePurpose = ChargingProfilePurpose.ChargingStationExternalConstraints,
                ChargingProfileKind = ChargingProfileKind.Absolute,
                ChargingSchedule = [schedule],
            };
            var outcome = Profiles.Set(evseId, ToSchedule(profile), (profile, source), null);
            if (!outcome.Accepted)
            {
                return false;
            }
            Send(new NotifyChargingLimitRequest
            {
                EvseId = evseId == 0 ? null : evseId,
                ChargingLimit = new ChargingLimit { ChargingLimitSource = source, IsGridCritical = isGridCritical ? true : null },
                ChargingSchedule = [schedule],
            });
        }
        else if (existed)
        {
            Send(new ClearedChargingLimitRequest { ChargingLimitSource = source, EvseId = evseId == 0 ? null : evseId });
        }
        ApplyChargingLimits();
        Settle();
        return true;
    }

    /// <summary>From Settle, once online after a boot that had external constraints installed: a NotifyChargingLimit for each, station-wide first.</summary>
    private void AnnounceExternalLimits()
    {
        if (!announceExternalLimits || !IsOnline)
        {
            return;
        }
        announceExternalLimits = false;
        foreach (var (evseId, _, (profile, source)) in Profiles.Installed
            .Where(p => p.Original.Profile.ChargingProfilePurpose == ChargingProfilePurpose.ChargingStationExternalConstraints)
            .OrderBy(p => p.ConnectorId))
        {
            Send(new NotifyChargingLimitRequest
            {
                EvseId = evseId == 0 ? null : evseId,
                ChargingLimit = new ChargingLimit { ChargingLimitSource = source },
                ChargingSchedule = [profile.ChargingSchedule[0]],
            });
        }
    }

    /// <summary>From a reboot: the installed external constraints (which outlive it) are announced again after the next boot.</summary>
    private void ExternalLimitsRebooted() =>
        announceExternalLimits = chargingProfiles?.Installed.Any(p => p.Original.Profile.ChargingProfilePurpose == ChargingProfilePurpose.ChargingStationExternalConstraints) == true;

    // ───────────────────────── limits on the meters ─────────────────────────

    /// <summary>F01/K05: a RequestStartTransaction's TxProfile becomes the transaction's when the remote start's transaction begins.</summary>
    private void RememberRemoteStartProfile(int evseId, int remoteStartId, ChargingProfile? profile)
    {
        if (profile is null)
        {
            remoteStartProfiles.Remove(evseId);
            return;
        }
        remoteStartProfiles[evseId] = (remoteStartId, profile);
    }

    /// <summary>Tells the engine which transaction runs where (relative profiles start with it; TxProfiles end with it).</summary>
    private void SyncTransactions()
    {
        foreach (var evse in Evses)
        {
            var running = evse.Transaction;
            var known = Profiles.TransactionOn(evse.Id);
            if (known is not null && known != running?.Id)
            {
                Profiles.OnTransactionEnded(evse.Id);
                limitsChanged = true;
            }
            if (running is not null && known != running.Id)
            {
                limitsChanged = true;
                Profiles.OnTransactionStarted(evse.Id, running.Id, running.StartedAt);
                if (remoteStartProfiles.Remove(evse.Id, out var pending) && evse.Authorization?.RemoteStartId == pending.RemoteStartId)
                {
                    var profile = pending.Profile with { TransactionId = running.Id };
                    Profiles.Set(evse.Id, ToSchedule(profile), (profile, ChargingLimitSource.CSO), running.Id);
                }
            }
            if (running is null && remoteStartProfiles.TryGetValue(evse.Id, out var waiting) && evse.Authorization?.RemoteStartId != waiting.RemoteStartId)
            {
                remoteStartProfiles.Remove(evse.Id);
            }
        }
    }

    /// <summary>
    /// Puts each EVSE's composite limit on its meter. A change during a transaction is an Updated: ChargingStateChanged when the EV
    /// stops or resumes because of it (a 0 limit suspends: SuspendedEVSE), else ChargingRateChanged.
    /// </summary>
    private void ApplyChargingLimits()
    {
        if (chargingProfiles is null && remoteStartProfiles.Count == 0)
        {
            return;
        }
        SyncTransactions();
        var now = LocalNow;
        var csmsNow = CsmsNow;
        foreach (var evse in Evses)
        {
            var limit = Profiles.LimitW(evse.Id, csmsNow, options.Meter);
            if (limit == appliedLimitW.GetValueOrDefault(evse.Id))
            {
                continue;
            }
            evse.Meter.AdvanceTo(now);
            var before = evse.Meter.PowerW;
            evse.Meter.SetLimit(limit, now);
            appliedLimitW[evse.Id] = limit;
            if (evse.Transaction is { } transaction)
            {
                var significance = Math.Max(0, decimal.ToDouble(decimal.TryParse(Device.Get(C.SmartChargingCtrlr, V.LimitChangeSignificance), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 0));
                var after = evse.Meter.PowerW;
                if (ChargingStateOf(evse) != transaction.ReportedChargingState)
                {
                    EmitEvent(evse, TransactionEventKind.Updated, TriggerReason.ChargingStateChanged);
                }
                else if (Math.Abs(after - before) > Math.Max(0.001, significance * before))
                {
                    EmitEvent(evse, TransactionEventKind.Updated, TriggerReason.ChargingRateChanged);
                }
            }
        }
    }

    /// <summary>When the limit of some EVSE changes next (local clock).</summary>
    private DateTimeOffset? NextChargingLimitChangeAt()
    {
        if (chargingProfiles is null)
        {
            return null;
        }
        var csmsNow = CsmsNow;
        if (limitsChanged || nextLimitChange is { } cached && cached <= csmsNow)
        {
            limitsChanged = false;
            nextLimitChange = null;
            foreach (var evse in Evses)
            {
                if (Profiles.NextLimitChangeAt(evse.Id, csmsNow) is { } at && at > csmsNow && (nextLimitChange is null || at < nextLimitChange))
                {
                    nextLimitChange = at;
                }
            }
        }
        return nextLimitChange - csmsOffset;
    }

    // ───────────────────────── non-volatile ─────────────────────────

    /// <summary>The installed profiles that outlive a power cut (every purpose but TxProfile), for the non-volatile memory (null: none).</summary>
    private List<SavedChargingProfile>? SavedProfiles()
    {
        List<SavedChargingProfile>? saved = null;
        foreach (var (evseId, (profile, source)) in chargingProfiles?.Persistent ?? [])
        {
            (saved ??= []).Add(new SavedChargingProfile(new SetChargingProfileRequest { EvseId = evseId, ChargingProfile = profile }, source.ToString()));
        }
        return saved;
    }

    /// <summary>The saved profile's problem for this station (null: it fits), checked before anything is restored.</summary>
    private string? SavedProfileProblem(SavedChargingProfile saved) => saved switch
    {
        { Request: not SetChargingProfileRequest } => $"a saved charging profile is a {saved.Request.GetType().FullName}, not an OCPP 2.0.1 SetChargingProfile",
        { Request: SetChargingProfileRequest { EvseId: var evseId } } when evseId != 0 && !IsEvse(evseId) => $"a saved charging profile is on EVSE {evseId}, which this station ({EvseCount} EVSEs) does not have",
        _ when !Enum.TryParse<ChargingLimitSource>(saved.Source, out _) => $"a saved charging profile has the unknown source '{saved.Source}'",
        _ => null,
    };

    /// <summary>After a power cut: installs the saved profiles again; returns why any was refused.</summary>
    private List<string> RestoreProfiles(IEnumerable<SavedChargingProfile> saved)
    {
        var refused = new List<string>();
        foreach (var entry in saved)
        {
            var request = (SetChargingProfileRequest)entry.Request;
            var profile = request.ChargingProfile;
            if (Profiles.Set(request.EvseId, ToSchedule(profile), (profile, Enum.Parse<ChargingLimitSource>(entry.Source!)), null) is { Accepted: false } outcome)
            {
                refused.Add($"profile {profile.Id}: {outcome.Reason}");
            }
        }
        limitsChanged = true;
        ApplyChargingLimits();
        ExternalLimitsRebooted();
        return refused;
    }

    // ───────────────────────── the 2.0.1 adapter ─────────────────────────

    private static ScheduleProfile ToSchedule(ChargingProfile profile)
    {
        var schedule = profile.ChargingSchedule[0];
        return new()
        {
            Id = profile.Id,
            StackLevel = profile.StackLevel,
            Purpose = ToNeutral(profile.ChargingProfilePurpose),
            Kind = profile.ChargingProfileKind switch
            {
                ChargingProfileKind.Absolute => ScheduleKind.Absolute,
                ChargingProfileKind.Recurring => ScheduleKind.Recurring,
                _ => ScheduleKind.Relative,
            },
            Recurrency = profile.RecurrencyKind switch
            {
                RecurrencyKind.Daily => ScheduleRecurrency.Daily,
                RecurrencyKind.Weekly => ScheduleRecurrency.Weekly,
                _ => null,
            },
            ValidFrom = profile.ValidFrom,
            ValidTo = profile.ValidTo,
            TransactionId = profile.TransactionId,
            Schedule = new Schedule
            {
                StartSchedule = schedule.StartSchedule,
                Duration = schedule.Duration,
                RateUnit = schedule.ChargingRateUnit == ChargingRateUnit.A ? RateUnit.A : RateUnit.W,
                SchedulePeriod = [.. schedule.ChargingSchedulePeriod.Select(p => new SchedulePeriod { StartPeriod = p.StartPeriod, Limit = p.Limit, NumberPhases = p.NumberPhases })],
            },
        };
    }

    private static SchedulePurpose ToNeutral(ChargingProfilePurpose purpose) => purpose switch
    {
        ChargingProfilePurpose.ChargingStationMaxProfile => SchedulePurpose.StationMax,
        ChargingProfilePurpose.ChargingStationExternalConstraints => SchedulePurpose.ExternalConstraints,
        ChargingProfilePurpose.TxDefaultProfile => SchedulePurpose.TxDefault,
        _ => SchedulePurpose.Tx,
    };
}
