using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Simulator.Ocpp;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Csms;

public sealed record ActionResultDto(string ChargeBoxId, string Action, string Outcome, JsonElement? Payload, string? ErrorCode, string? ErrorDescription, double ElapsedMs);

public sealed record FanOutResultDto(string Action, int Count, IReadOnlyDictionary<string, ActionResultDto> Results);

public sealed record ChargePointsDto(int Connected, IReadOnlyList<ChargePointSnapshot> ChargePoints);

public sealed record ControlErrorDto(string Error, string? Code = null, string? Field = null);

public sealed record DropRequestDto(string Mode);

public sealed record DropResultDto(string Mode, int Dropped);

public sealed record RefuseRequestDto(string Mode, double Seconds);

public sealed record DelayRequestDto(double MinMs, double MaxMs, double Seconds);

public sealed record ErrorsRequestDto(double Fraction, double Seconds, string? Code = null, int? Seed = null);

public sealed record BootFaultRequestDto(string Mode, int RetryInterval, double Seconds);

public sealed record BlackHoleRequestDto(double Seconds);

public sealed record BootResponseRequestDto(string Status, int? RetryInterval = null);

public sealed record IdTagRequestDto(string Status, string? ParentIdTag = null, DateTimeOffset? ExpiryDate = null);

public sealed record IdTagModeRequestDto(bool AllowListOnly);

public sealed record FaultsDto(ActiveFaults Active, FaultCounts Counts);

public sealed record OkDto(string Status);

public sealed record ClientIssuerRequestDto(string CertificatePem);

public sealed record ClientIssuersDto(IReadOnlyList<string> Subjects);

/// <summary>One record of <c>/control/ledger/reconcile</c>: a <see cref="ProducedTransactionMessage"/> with its optional fields optional.</summary>
public sealed record ProducedMessageDto(
    string ChargeBoxId,
    TransactionMessageKind Kind,
    int ConnectorId,
    DateTimeOffset Timestamp,
    string? IdTag = null,
    int? MeterStart = null,
    int? TransactionId = null,
    string? EventTransactionId = null,
    int? SeqNo = null);

/// <summary>The answer of <c>/control/ledger/lookup</c>: the positions, in the list given, of the messages the ledger has not
/// recorded, and of those recorded under the same key as an earlier one of the list; every other one is recorded.</summary>
public sealed record LedgerLookupDto(IReadOnlyList<int> NotRecorded, IReadOnlyList<int> RecordedAgain);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ActionResultDto))]
[JsonSerializable(typeof(FanOutResultDto))]
[JsonSerializable(typeof(ChargePointsDto))]
[JsonSerializable(typeof(ChargePointSnapshot))]
[JsonSerializable(typeof(ControlErrorDto))]
[JsonSerializable(typeof(DropRequestDto))]
[JsonSerializable(typeof(DropResultDto))]
[JsonSerializable(typeof(RefuseRequestDto))]
[JsonSerializable(typeof(DelayRequestDto))]
[JsonSerializable(typeof(ErrorsRequestDto))]
[JsonSerializable(typeof(BootFaultRequestDto))]
[JsonSerializable(typeof(BlackHoleRequestDto))]
[JsonSerializable(typeof(BootResponseRequestDto))]
[JsonSerializable(typeof(IdTagRequestDto))]
[JsonSerializable(typeof(IdTagModeRequestDto))]
[JsonSerializable(typeof(FaultsDto))]
[JsonSerializable(typeof(OkDto))]
[JsonSerializable(typeof(ClientIssuerRequestDto))]
[JsonSerializable(typeof(ClientIssuersDto))]
[JsonSerializable(typeof(LedgerReport))]
[JsonSerializable(typeof(LossReport))]
[JsonSerializable(typeof(List<ProducedTransactionMessage>))]
[JsonSerializable(typeof(CsmsStatsSnapshot))]
[JsonSerializable(typeof(LedgerLookupDto))]
public sealed partial class ControlJsonContext : JsonSerializerContext;

/// <summary>
/// Request bodies, read strictly: a missing required field, a null where none is allowed, a field no request has, a
/// repeated field or a value of the wrong JSON type is a 400 naming it.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    PropertyNameCaseInsensitive = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(DropRequestDto))]
[JsonSerializable(typeof(RefuseRequestDto))]
[JsonSerializable(typeof(DelayRequestDto))]
[JsonSerializable(typeof(ErrorsRequestDto))]
[JsonSerializable(typeof(BootFaultRequestDto))]
[JsonSerializable(typeof(BlackHoleRequestDto))]
[JsonSerializable(typeof(BootResponseRequestDto))]
[JsonSerializable(typeof(IdTagRequestDto))]
[JsonSerializable(typeof(IdTagModeRequestDto))]
[JsonSerializable(typeof(ClientIssuerRequestDto))]
[JsonSerializable(typeof(List<ProducedMessageDto>))]
internal sealed partial class ControlRequestJsonContext : JsonSerializerContext;

/// <summary>The control API's bearer token: random per start unless given; compared in constant time; never logged.</summary>
public static class ControlTokens
{
    /// <summary>Where <c>fleetsim csms</c> reads a given token from, so that it need not be on a command line.</summary>
    public const string EnvironmentVariable = "FLEETSIM_CONTROL_TOKEN";

    public const int MinLength = 16;

    public const int MaxLength = 512;

    /// <summary>256 random bits from the OS's CSPRNG, base64url without padding (43 characters).</summary>
    public static string Generate() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>What is wrong with a given token, or null; the message never repeats the token.</summary>
    public static string? Check(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length is < MinLength or > MaxLength)
        {
            return $"must be {MinLength} to {MaxLength} characters; it has {token.Length}";
        }
        return token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/')
            ? null
            : "may hold only A-Z a-z 0-9 - . _ ~ + / (it goes into an HTTP header as a bearer token)";
    }

    internal static string Checked(string token)
        => Check(token) is { } problem ? throw new ArgumentException($"ControlToken {problem}", nameof(token)) : token;

    /// <summary>Constant time in the content and the length of both: the hashes are compared, not the strings.</summary>
    internal static bool Matches(string expected, ReadOnlySpan<char> given)
    {
        Span<byte> expectedHash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> givenHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), expectedHash);
        SHA256.HashData(Encoding.UTF8.GetBytes(given.ToArray()), givenHash);
        return CryptographicOperations.FixedTimeEquals(expectedHash, givenHash);
    }
}

/// <summary>A control field out of its type or range: 400 naming the field.</summary>
internal sealed class ControlInputException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;
}

/// <summary>The bounds of every control field (CONTROL-API.md lists them).</summary>
internal static class ControlInput
{
    public const double MinSeconds = 0.001;
    public const double MaxSeconds = 86_400;
    public const double MaxDelayMs = 600_000;
    public const int MaxRetryInterval = 86_400;
    public const int IdTagMaxLength = 20;
    /// <summary>2.0.1's IdToken and transactionId (identifierString 36).</summary>
    public const int IdTokenMaxLength = 36;
    public const int ChargeBoxIdMaxLength = 255;
    public const int MaxConnectorId = 1_000;

    public static TimeSpan Seconds(double value, string field = "seconds")
        => TimeSpan.FromSeconds(Range(value, field, MinSeconds, MaxSeconds));

    public static double Range(double value, string field, double min, double max)
        => double.IsFinite(value) && value >= min && value <= max
            ? value
            : throw new ControlInputException(field, string.Create(CultureInfo.InvariantCulture, $"{value} is out of range; must be between {min} and {max}"));

    public static int Range(int value, string field, int min, int max)
        => value >= min && value <= max
            ? value
            : throw new ControlInputException(field, string.Create(CultureInfo.InvariantCulture, $"{value} is out of range; must be between {min} and {max}"));

    public static string Text(string? value, string field, int maxLength)
        => value is { Length: > 0 } && value.Length <= maxLength
            ? value
            : throw new ControlInputException(field, string.Create(CultureInfo.InvariantCulture, $"must be 1 to {maxLength} characters; it has {value?.Length ?? 0}"));

    public static string IdTag(string? value, string field = "idTag") => Text(value, field, IdTagMaxLength);

    public static TEnum Enum<TEnum>(string? text, string field) where TEnum : struct, System.Enum
        => System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !int.TryParse(text, out _)
            ? value
            : throw new ControlInputException(field, $"'{text}' is not one of {string.Join(", ", System.Enum.GetNames<TEnum>())}");

    public static List<ProducedTransactionMessage> Produced(List<ProducedMessageDto> produced)
    {
        for (var i = 0; i < produced.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"[{i}].");
            if (produced[i] is not { } message)
            {
                throw new ControlInputException(string.Create(CultureInfo.InvariantCulture, $"[{i}]"), "must be an object, not null");
            }
            Text(message.ChargeBoxId, at + "chargeBoxId", ChargeBoxIdMaxLength);
            if (!System.Enum.IsDefined(message.Kind))
            {
                throw new ControlInputException(at + "kind", $"must be one of {string.Join(", ", System.Enum.GetNames<TransactionMessageKind>())}");
            }
            Range(message.ConnectorId, at + "connectorId", 0, MaxConnectorId);
            var transactionEvent = message.Kind == TransactionMessageKind.TransactionEvent;
            if (message.IdTag is not null)
            {
                Text(message.IdTag, at + "idTag", transactionEvent ? IdTokenMaxLength : IdTagMaxLength);
            }
            if (transactionEvent)
            {
                Text(message.EventTransactionId, at + "eventTransactionId", IdTokenMaxLength);
                Range(message.SeqNo ?? throw new ControlInputException(at + "seqNo", "is required for a TransactionEvent"), at + "seqNo", 0, int.MaxValue);
            }
            else if (message.EventTransactionId is not null || message.SeqNo is not null)
            {
                throw new ControlInputException(at + (message.SeqNo is null ? "eventTransactionId" : "seqNo"), "belongs to kind TransactionEvent only");
            }
            if (message.MeterStart is { } meterStart)
            {
                Range(meterStart, at + "meterStart", 0, int.MaxValue);
            }
        }
        return [.. produced.Select(m => new ProducedTransactionMessage(m.ChargeBoxId, m.Kind, m.ConnectorId, m.IdTag, m.Timestamp, m.MeterStart, m.TransactionId, m.EventTransactionId, m.SeqNo))];
    }
}

/// <summary>
/// The loopback HTTP+JSON control API (routes in CONTROL-API.md). Every request needs the bearer token and a Host naming
/// the bound address; bodies must be application/json; no CORS headers are ever sent, so a web page can neither read an
/// answer nor send a request a browser would let through without a preflight.
/// </summary>
internal static partial class ControlApi
{
    private const int MaxBodyBytes = 256 * 1024;

    /// <summary>The reconcile list has one record per transaction message of the whole fleet.</summary>
    private const long MaxReconcileBodyBytes = 512L * 1024 * 1024;

    public static WebApplication Build(CsmsServer csms, int port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddSingleton(csms.ControlListenerFactory);
        builder.Services.AddRoutingCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        var logger = csms.Options.LoggerFactory.CreateLogger("Simulator.Csms.ControlApi");
        // A fixed port is known before the host starts (a request may race the start); port 0 is known once it has.
        app.Use((ctx, next) => GuardAsync(ctx, next, csms, port != 0 ? port : csms.ControlPort, logger));
        Map(app, csms);
        return app;
    }

    /// <summary>Host, token and content type, in that order, before any route runs; and a JSON 500 for anything unexpected.</summary>
    private static async Task GuardAsync(HttpContext ctx, RequestDelegate next, CsmsServer csms, int? boundPort, ILogger logger)
    {
        try
        {
            boundPort ??= csms.ControlPort;
            if (!IsOwnHost(ctx.Request.Host, boundPort))
            {
                // A page on another origin that got its name resolved to 127.0.0.1 (DNS rebinding) sends its own Host.
                await Error(ctx, StatusCodes.Status421MisdirectedRequest, $"Host '{ctx.Request.Host}' is not this control API (127.0.0.1:{boundPort}, localhost:{boundPort} or [::1]:{boundPort})").ConfigureAwait(false);
                return;
            }
            if (HttpMethods.IsOptions(ctx.Request.Method))
            {
                await Error(ctx, StatusCodes.Status405MethodNotAllowed, "no cross-origin requests: the control API allows no CORS").ConfigureAwait(false);
                return;
            }
            if (!HasToken(ctx.Request, csms.ControlToken!))
            {
                LogRefused(logger, ctx.Request.Method, ctx.Request.Path);
                ctx.Response.Headers.WWWAuthenticate = "Bearer realm=\"fleetsim-csms-control\"";
                await Error(ctx, StatusCodes.Status401Unauthorized, "missing or wrong bearer token (Authorization: Bearer <token>; fleetsim csms prints where to find it)").ConfigureAwait(false);
                return;
            }
            var hasBody = ctx.Request.ContentLength > 0 || ctx.Request.Headers.TransferEncoding.Count > 0;
            var takesBody = HttpMethods.IsPost(ctx.Request.Method) || HttpMethods.IsPut(ctx.Request.Method) || HttpMethods.IsPatch(ctx.Request.Method);
            if ((hasBody || takesBody) && !IsJson(ctx.Request.ContentType))
            {
                await Error(ctx, StatusCodes.Status415UnsupportedMediaType, $"the body must be Content-Type: application/json, not '{ctx.Request.ContentType}'").ConfigureAwait(false);
                return;
            }
            await next(ctx).ConfigureAwait(false);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex)
        {
            if (!ctx.Response.HasStarted)
            {
                await Error(ctx, ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "the body is too large" : $"bad request: {ex.Message}").ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
#pragma warning disable CA1031 // The last line of defence: every other failure is logged and answered, never an empty 500.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(logger, ex, ctx.Request.Method, ctx.Request.Path);
            if (!ctx.Response.HasStarted)
            {
                await Error(ctx, StatusCodes.Status500InternalServerError, $"internal error ({ex.GetType().Name}); see the CSMS log").ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control API: {Method} {Path} refused: missing or wrong bearer token")]
    private static partial void LogRefused(ILogger logger, string method, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Control API: {Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, PathString path);

    private static bool IsOwnHost(HostString host, int? boundPort)
    {
        if (!host.HasValue || boundPort is not { } port || (host.Port ?? 80) != port)
        {
            return false;
        }
        return host.Host is "127.0.0.1" or "[::1]" || string.Equals(host.Host, "localhost", StringComparison.OrdinalIgnoreCase);
    }

    private static bool HasToken(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || !AuthenticationHeaderValue.TryParse(header[0], out var value)
            || !string.Equals(value.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) || value.Parameter is null)
        {
            return false;
        }
        return ControlTokens.Matches(token, value.Parameter);
    }

    private static bool IsJson(string? contentType)
        => MediaTypeHeaderValue.TryParse(contentType, out var media)
           && string.Equals(media.MediaType, "application/json", StringComparison.OrdinalIgnoreCase)
           && (media.CharSet is null || string.Equals(media.CharSet.Trim('"'), "utf-8", StringComparison.OrdinalIgnoreCase));

    private static void Map(IEndpointRouteBuilder app, CsmsServer csms)
    {
        var json = ControlJsonContext.Default;
        var input = ControlRequestJsonContext.Default;
        app.MapGet("/control/chargepoints", ctx =>
        {
            var all = csms.Registry.Snapshot();
            return ctx.Response.WriteAsJsonAsync(new ChargePointsDto(all.Count(c => c.Connected), all), json.ChargePointsDto);
        });
        app.MapGet("/control/chargepoints/{id}", ctx =>
        {
            var state = csms.Registry.Find(Route(ctx, "id"));
            return state is null
                ? Error(ctx, StatusCodes.Status404NotFound, "unknown charge point")
                : ctx.Response.WriteAsJsonAsync(state.Snapshot(), json.ChargePointSnapshot);
        });
        app.MapPost("/control/chargepoints/{id}/actions/{action}", async ctx =>
        {
            var id = Route(ctx, "id");
            var connectedWith = csms.VersionOf(id);
            if (await ReadRequestAsync(ctx, csms, Route(ctx, "action"), connectedWith) is not { } decoded)
            {
                return;
            }
            CallOutcome outcome;
            ActionCall call;
            if (connectedWith is null || decoded.Find(connectedWith) is not { } forVersion)
            {
                // Not connected (or gone and back with another version meanwhile): nothing is sent.
                call = decoded.Calls.First(c => c.Request is not null);
                outcome = new CallOutcome(id, call.Action.Name, CallStatus.NotConnected, Description: $"{id} is not connected");
            }
            else
            {
                call = forVersion;
                outcome = await csms.CallAsync(id, call.Request!, ctx.RequestAborted).ConfigureAwait(false);
            }
            if (call.Request is null)
            {
                // Connected with a version whose form of the action this body is not.
                ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
                await ctx.Response.WriteAsJsonAsync(new ControlErrorDto($"{call.Action.Name} ({call.Messages}): {call.Violation!.Description}", call.Messages.Errors.ToWire(call.Violation.Code)), json.ControlErrorDto).ConfigureAwait(false);
                return;
            }
            ctx.Response.StatusCode = outcome.Status switch
            {
                CallStatus.Answered or CallStatus.CallError => StatusCodes.Status200OK,
                CallStatus.NotConnected => StatusCodes.Status404NotFound,
                CallStatus.NotInVersion => StatusCodes.Status409Conflict,
                CallStatus.Timeout => StatusCodes.Status504GatewayTimeout,
                _ => StatusCodes.Status502BadGateway,
            };
            await ctx.Response.WriteAsJsonAsync(ToDto(outcome, call), json.ActionResultDto).ConfigureAwait(false);
        });
        app.MapPost("/control/actions/{action}", async ctx =>
        {
            if (await ReadRequestAsync(ctx, csms, Route(ctx, "action"), null) is not { } decoded)
            {
                return;
            }
            var ids = csms.ConnectedIds.ToArray();
            var results = await Task.WhenAll(ids.Select(async id =>
            {
                if (csms.VersionOf(id) is not { } version)
                {
                    return ToDto(new CallOutcome(id, decoded.Name, CallStatus.NotConnected, Description: $"{id} is not connected"), decoded.Calls[0]);
                }
                if (decoded.Find(version) is not { } call)
                {
                    return new ActionResultDto(id, decoded.Name, CallStatus.NotInVersion.ToString(), null, null, $"{id} speaks {version}, which has no CSMS-initiated {decoded.Name}", 0);
                }
                if (call.Request is null)
                {
                    return new ActionResultDto(id, decoded.Name, "InvalidRequest", null, version.Errors.ToWire(call.Violation!.Code), $"{decoded.Name} ({version}): {call.Violation.Description}", 0);
                }
                return ToDto(await csms.CallAsync(id, call.Request, ctx.RequestAborted).ConfigureAwait(false), call);
            })).ConfigureAwait(false);
            var byId = results.ToDictionary(r => r.ChargeBoxId, StringComparer.Ordinal);
            await ctx.Response.WriteAsJsonAsync(new FanOutResultDto(decoded.Name, byId.Count, byId), json.FanOutResultDto).ConfigureAwait(false);
        });
        app.MapGet("/control/faults", ctx => ctx.Response.WriteAsJsonAsync(new FaultsDto(csms.Faults.Active(), csms.Faults.Counts), json.FaultsDto));
        app.MapDelete("/control/faults", ctx =>
        {
            csms.Faults.Clear();
            return ctx.Response.WriteAsJsonAsync(new FaultsDto(csms.Faults.Active(), csms.Faults.Counts), json.FaultsDto);
        });
        app.MapPost("/control/faults/drop", ctx => WithBody(ctx, input.DropRequestDto, async body =>
        {
            var mode = ControlInput.Enum<DropMode>(body.Mode, "mode");
            var dropped = await csms.Faults.DropAllAsync(mode).ConfigureAwait(false);
            await ctx.Response.WriteAsJsonAsync(new DropResultDto(mode.ToString(), dropped), json.DropResultDto).ConfigureAwait(false);
        }));
        app.MapPost("/control/faults/refuse", ctx => WithBody(ctx, input.RefuseRequestDto, async body =>
        {
            var mode = ControlInput.Enum<RefusalMode>(body.Mode, "mode");
            await csms.Faults.RefuseConnectionsAsync(mode, ControlInput.Seconds(body.Seconds)).ConfigureAwait(false);
            await Faults(ctx, csms).ConfigureAwait(false);
        }));
        app.MapPost("/control/faults/delay", ctx => WithBody(ctx, input.DelayRequestDto, body =>
        {
            var min = ControlInput.Range(body.MinMs, "minMs", 0, ControlInput.MaxDelayMs);
            var max = ControlInput.Range(body.MaxMs, "maxMs", min, ControlInput.MaxDelayMs);
            csms.Faults.DelayAnswers(TimeSpan.FromMilliseconds(min), TimeSpan.FromMilliseconds(max), ControlInput.Seconds(body.Seconds));
            return Faults(ctx, csms);
        }));
        app.MapPost("/control/faults/errors", ctx => WithBody(ctx, input.ErrorsRequestDto, body =>
        {
            var code = OcppErrorCode.InternalError;
            // Every dialect reads every version's spelling; each connection's answer spells the code its own way.
            if (body.Code is not null && !OcppErrorDialect.Ocpp201.TryParse(body.Code, out code))
            {
                throw new ControlInputException("code", $"'{body.Code}' is not an OCPP error code");
            }
            csms.Faults.InjectCallErrors(ControlInput.Range(body.Fraction, "fraction", 0, 1), ControlInput.Seconds(body.Seconds), code, body.Seed);
            return Faults(ctx, csms);
        }));
        app.MapPost("/control/faults/boot", ctx => WithBody(ctx, input.BootFaultRequestDto, body =>
        {
            csms.Faults.HoldBoots(
                ControlInput.Enum<BootFaultMode>(body.Mode, "mode"),
                ControlInput.Range(body.RetryInterval, "retryInterval", 0, ControlInput.MaxRetryInterval),
                ControlInput.Seconds(body.Seconds));
            return Faults(ctx, csms);
        }));
        app.MapPost("/control/faults/blackhole", ctx => WithBody(ctx, input.BlackHoleRequestDto, body =>
        {
            csms.Faults.BlackHole(ControlInput.Seconds(body.Seconds));
            return Faults(ctx, csms);
        }));
        app.MapPost("/control/boot", ctx => WithBody(ctx, input.BootResponseRequestDto, body =>
        {
            csms.SetBootResponse(
                ControlInput.Enum<RegistrationStatus>(body.Status, "status"),
                ControlInput.Range(body.RetryInterval ?? 60, "retryInterval", 0, ControlInput.MaxRetryInterval));
            return ctx.Response.WriteAsJsonAsync(new OkDto("ok"), json.OkDto);
        }));
        app.MapPut("/control/idtags/{idTag}", ctx => WithBody(ctx, input.IdTagRequestDto, body =>
        {
            var idTag = ControlInput.IdTag(Route(ctx, "idTag"));
            var parent = body.ParentIdTag is null ? null : ControlInput.IdTag(body.ParentIdTag, "parentIdTag");
            csms.IdTags.Set(idTag, new IdTagEntry(ControlInput.Enum<AuthorizationStatus>(body.Status, "status"), parent, body.ExpiryDate));
            return ctx.Response.WriteAsJsonAsync(new OkDto("ok"), json.OkDto);
        }));
        app.MapDelete("/control/idtags/{idTag}", async ctx =>
        {
            string idTag;
            try
            {
                idTag = ControlInput.IdTag(Route(ctx, "idTag"));
            }
            catch (ControlInputException ex)
            {
                await Error(ctx, StatusCodes.Status400BadRequest, ex.Message, field: ex.Field).ConfigureAwait(false);
                return;
            }
            await (csms.IdTags.Remove(idTag) ? ctx.Response.WriteAsJsonAsync(new OkDto("removed"), json.OkDto) : Error(ctx, StatusCodes.Status404NotFound, "unknown id tag")).ConfigureAwait(false);
        });
        app.MapPost("/control/idtags/mode", ctx => WithBody(ctx, input.IdTagModeRequestDto, body =>
        {
            csms.IdTags.AllowListOnly = body.AllowListOnly;
            return ctx.Response.WriteAsJsonAsync(new OkDto(body.AllowListOnly ? "allow-list" : "accept-all"), json.OkDto);
        }));
        app.MapPost("/control/security/client-issuers", ctx => WithBody(ctx, input.ClientIssuerRequestDto, body =>
        {
            X509Certificate2 issuer;
            try
            {
                issuer = X509Certificate2.CreateFromPem(body.CertificatePem);
            }
            catch (CryptographicException ex)
            {
                throw new ControlInputException("certificatePem", $"not a PEM certificate ({ex.Message})");
            }
            try
            {
                csms.TrustClientIssuer(issuer);
            }
            catch (ArgumentException ex)
            {
                throw new ControlInputException("certificatePem", ex.Message);
            }
            return ctx.Response.WriteAsJsonAsync(new ClientIssuersDto([csms.Authority.Certificate.Subject, .. csms.ExtraClientIssuers.Select(c => c.Subject)]), json.ClientIssuersDto);
        }));
        app.MapGet("/control/ledger", ctx => ctx.Response.WriteAsJsonAsync(csms.Ledger.Report(), json.LedgerReport));
        app.MapPost("/control/ledger/reconcile", ctx =>
        {
            if (ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxReconcileBodyBytes;
            }
            return WithBody(ctx, input.ListProducedMessageDto, body =>
                ctx.Response.WriteAsJsonAsync(csms.Ledger.Reconcile(ControlInput.Produced(body)), json.LossReport));
        });
        app.MapPost("/control/ledger/lookup", ctx =>
        {
            if (ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxReconcileBodyBytes;
            }
            return WithBody(ctx, input.ListProducedMessageDto, body =>
            {
                var answers = csms.Ledger.Lookup(ControlInput.Produced(body));
                List<int> notRecorded = [], recordedAgain = [];
                for (var i = 0; i < answers.Length; i++)
                {
                    (answers[i] == LedgerRecord.NotRecorded ? notRecorded : answers[i] == LedgerRecord.RecordedAgain ? recordedAgain : null)?.Add(i);
                }
                return ctx.Response.WriteAsJsonAsync(new LedgerLookupDto(notRecorded, recordedAgain), json.LedgerLookupDto);
            });
        });
        app.MapGet("/control/stats", ctx => ctx.Response.WriteAsJsonAsync(csms.GetStats(), json.CsmsStatsSnapshot));
    }

    private static Task Faults(HttpContext ctx, CsmsServer csms)
        => ctx.Response.WriteAsJsonAsync(new FaultsDto(csms.Faults.Active(), csms.Faults.Counts), ControlJsonContext.Default.FaultsDto);

    private static string Route(HttpContext ctx, string name) => ctx.Request.RouteValues[name]?.ToString() ?? "";

    private static async Task WithBody<T>(HttpContext ctx, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, Func<T, Task> handle)
    {
        T? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(ctx.Request.Body, info, ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await BadJson(ctx, ex).ConfigureAwait(false);
            return;
        }
        if (body is null)
        {
            await Error(ctx, StatusCodes.Status400BadRequest, "a JSON body is required (an object, not null)").ConfigureAwait(false);
            return;
        }
        try
        {
            await handle(body).ConfigureAwait(false);
        }
        catch (ControlInputException ex)
        {
            await Error(ctx, StatusCodes.Status400BadRequest, ex.Message, field: ex.Field).ConfigureAwait(false);
        }
    }

    /// <summary>400 naming where the body went wrong: line, byte and JSON path (the field).</summary>
    private static Task BadJson(HttpContext ctx, JsonException ex)
    {
        // The serializer appends "Path: … | LineNumber: … | BytePositionInLine: …" to its message; it is said once, below.
        var message = ex.Message;
        var suffix = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (suffix > 0)
        {
            message = message[..suffix];
        }
        var where = ex.LineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $" at line {line + 1}, byte {ex.BytePositionInLine + 1}")
            : "";
        var field = ex.Path switch
        {
            null or "$" => null,
            { } p when p.StartsWith("$.", StringComparison.Ordinal) => p[2..],
            { } p when p.StartsWith('$') => p[1..],
            { } p => p,
        };
        var at = ex.Path is null ? "" : $" ({ex.Path})";
        return Error(ctx, StatusCodes.Status400BadRequest, $"bad JSON body{where}{at}: {message}", field: field);
    }

    /// <summary>One version's reading of a CSMS-initiated action's body: the request, or why the body is not one.</summary>
    private sealed record ActionCall(OcppMessageSet Messages, ActionDescriptor Action, IOcppRequest? Request, PayloadViolation? Violation);

    /// <summary>The body read by every version concerned that has the action as a CSMS-initiated one.</summary>
    private sealed record DecodedAction(string Name, IReadOnlyList<ActionCall> Calls)
    {
        public ActionCall? Find(OcppMessageSet messages) => Calls.FirstOrDefault(c => c.Messages == messages);
    }

    /// <summary>
    /// Reads an action's body and decodes it with the OCPP codec of <paramref name="version"/> (the charge point's), or of
    /// every version served when there is none. Answers 404 when no such version has the action, 400 when none sends it
    /// from the CSMS or the body is a request in none of them (the code spelled by the first), and returns null then.
    /// </summary>
    private static async Task<DecodedAction?> ReadRequestAsync(HttpContext ctx, CsmsServer csms, string actionName, OcppMessageSet? version)
    {
        IReadOnlyList<OcppMessageSet> versions = version is null ? csms.Versions : [version];
        var known = versions.Select(v => (Messages: v, Action: v.Find(actionName))).Where(k => k.Action is not null).ToList();
        if (known.Count == 0)
        {
            var where = version is null ? "" : $" in {version} (the version the charge point is connected with)";
            await Error(ctx, StatusCodes.Status404NotFound, $"unknown action '{actionName}'{where}").ConfigureAwait(false);
            return null;
        }
        var sent = known.Where(k => (k.Action!.Direction & ActionDirection.CsmsToChargePoint) != 0).ToList();
        if (sent.Count == 0)
        {
            await Error(ctx, StatusCodes.Status400BadRequest, $"{known[0].Action!.Name} is not sent by a CSMS").ConfigureAwait(false);
            return null;
        }
        using var body = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await ctx.Request.Body.ReadAsync(buffer, ctx.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > MaxBodyBytes)
            {
                await Error(ctx, StatusCodes.Status413PayloadTooLarge, $"at most {MaxBodyBytes} bytes").ConfigureAwait(false);
                return null;
            }
            body.Write(buffer, 0, read);
        }
        var payload = body.Length == 0 ? "{}"u8.ToArray() : body.ToArray();
        List<ActionCall> calls = [];
        foreach (var (messages, action) in sent)
        {
            calls.Add(OcppCodec.TryDecode(payload, action!.RequestInfo, out var decoded, out var violation)
                ? new ActionCall(messages, action, (IOcppRequest)decoded!, null)
                : new ActionCall(messages, action, null, violation));
        }
        if (calls.All(c => c.Request is null))
        {
            var first = calls[0];
            var which = calls.Count == 1 ? "" : $" (read as {string.Join(" and ", calls.Select(c => c.Messages))}; the first's violation)";
            await Error(ctx, StatusCodes.Status400BadRequest, $"{first.Action.Name}: {first.Violation!.Description}{which}", first.Messages.Errors.ToWire(first.Violation.Code)).ConfigureAwait(false);
            return null;
        }
        return new DecodedAction(calls[0].Action.Name, calls);
    }

    private static ActionResultDto ToDto(CallOutcome outcome, ActionCall call) => new(
        outcome.ChargeBoxId,
        outcome.Action,
        outcome.Status.ToString(),
        outcome.Response is null ? null : JsonSerializer.SerializeToElement(outcome.Response, call.Action.ResponseInfo),
        outcome.ErrorCode is { } code ? call.Messages.Errors.ToWire(code) : null,
        outcome.Description,
        outcome.Elapsed.TotalMilliseconds);

    private static Task Error(HttpContext ctx, int status, string message, string? code = null, string? field = null)
    {
        ctx.Response.StatusCode = status;
        return ctx.Response.WriteAsJsonAsync(new ControlErrorDto(message, code, field), ControlJsonContext.Default.ControlErrorDto);
    }
}
