using System.Net;
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
using Simulator.Ocpp;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Messages.Types;

namespace Simulator.Csms;

public sealed record ActionResultDto(string ChargeBoxId, string Action, string Outcome, JsonElement? Payload, string? ErrorCode, string? ErrorDescription, double ElapsedMs);

public sealed record FanOutResultDto(string Action, int Count, IReadOnlyDictionary<string, ActionResultDto> Results);

public sealed record ChargePointsDto(int Connected, IReadOnlyList<ChargePointSnapshot> ChargePoints);

public sealed record ControlErrorDto(string Error, string? Code = null);

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
public sealed partial class ControlJsonContext : JsonSerializerContext;

/// <summary>The loopback HTTP+JSON control API (routes in CONTROL-API.md).</summary>
internal static class ControlApi
{
    private const int MaxBodyBytes = 256 * 1024;

    public static WebApplication Build(CsmsServer csms, int port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddSingleton(csms.ControlListenerFactory);
        builder.Services.AddRoutingCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        Map(app, csms);
        return app;
    }

    private static void Map(IEndpointRouteBuilder app, CsmsServer csms)
    {
        var json = ControlJsonContext.Default;
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
            if (await ReadRequestAsync(ctx, Route(ctx, "action")).ConfigureAwait(false) is not { } call)
            {
                return;
            }
            var outcome = await csms.CallAsync(Route(ctx, "id"), call.Request, ctx.RequestAborted).ConfigureAwait(false);
            ctx.Response.StatusCode = outcome.Status switch
            {
                CallStatus.Answered or CallStatus.CallError => StatusCodes.Status200OK,
                CallStatus.NotConnected => StatusCodes.Status404NotFound,
                CallStatus.Timeout => StatusCodes.Status504GatewayTimeout,
                _ => StatusCodes.Status502BadGateway,
            };
            await ctx.Response.WriteAsJsonAsync(ToDto(outcome, call.Action), json.ActionResultDto).ConfigureAwait(false);
        });
        app.MapPost("/control/actions/{action}", async ctx =>
        {
            if (await ReadRequestAsync(ctx, Route(ctx, "action")).ConfigureAwait(false) is not { } call)
            {
                return;
            }
            var outcomes = await csms.CallAllAsync(call.Request, ctx.RequestAborted).ConfigureAwait(false);
            var results = outcomes.ToDictionary(o => o.Key, o => ToDto(o.Value, call.Action), StringComparer.Ordinal);
            await ctx.Response.WriteAsJsonAsync(new FanOutResultDto(call.Action.Name, results.Count, results), json.FanOutResultDto).ConfigureAwait(false);
        });
        app.MapGet("/control/faults", ctx => ctx.Response.WriteAsJsonAsync(new FaultsDto(csms.Faults.Active(), csms.Faults.Counts), json.FaultsDto));
        app.MapDelete("/control/faults", ctx =>
        {
            csms.Faults.Clear();
            return ctx.Response.WriteAsJsonAsync(new FaultsDto(csms.Faults.Active(), csms.Faults.Counts), json.FaultsDto);
        });
        app.MapPost("/control/faults/drop", ctx => WithBody(ctx, json.DropRequestDto, async body =>
        {
            var mode = ParseEnum<DropMode>(body.Mode);
            var dropped = await csms.Faults.DropAllAsync(mode).ConfigureAwait(false);
            await ctx.Response.WriteAsJsonAsync(new DropResultDto(mode.ToString(), dropped), json.DropResultDto).ConfigureAwait(false);
        }));
        app.MapPost("/control/faults/refuse", ctx => WithBody(ctx, json.RefuseRequestDto, async body =>
        {
            var mode = ParseEnum<RefusalMode>(body.Mode);
            await csms.Faults.RefuseConnectionsAsync(mode, TimeSpan.FromSeconds(body.Seconds)).ConfigureAwait(false);
            await Faults(ctx, csms).ConfigureAwait(false);
        }));
        app.MapPost("/control/faults/delay", ctx => WithBody(ctx, json.DelayRequestDto, body =>
        {
            csms.Faults.DelayAnswers(TimeSpan.FromMilliseconds(body.MinMs), TimeSpan.FromMilliseconds(body.MaxMs), TimeSpan.FromSeconds(body.Seconds));
            return Faults(ctx, csms);
        }));
        app.MapPost("/control/faults/errors", ctx => WithBody(ctx, json.ErrorsRequestDto, body =>
        {
            var code = OcppErrorCode.InternalError;
            if (body.Code is not null && !OcppErrorCodes.TryParse(body.Code, out code))
            {
                throw new ArgumentException($"unknown OCPP error code '{body.Code}'");
            }
            csms.Faults.InjectCallErrors(body.Fraction, TimeSpan.FromSeconds(body.Seconds), code, body.Seed);
            return Faults(ctx, csms);
        }));
        app.MapPost("/control/faults/boot", ctx => WithBody(ctx, json.BootFaultRequestDto, body =>
        {
            csms.Faults.HoldBoots(ParseEnum<BootFaultMode>(body.Mode), body.RetryInterval, TimeSpan.FromSeconds(body.Seconds));
            return Faults(ctx, csms);
        }));
        app.MapPost("/control/faults/blackhole", ctx => WithBody(ctx, json.BlackHoleRequestDto, body =>
        {
            csms.Faults.BlackHole(TimeSpan.FromSeconds(body.Seconds));
            return Faults(ctx, csms);
        }));
        app.MapPost("/control/boot", ctx => WithBody(ctx, json.BootResponseRequestDto, body =>
        {
            csms.SetBootResponse(ParseEnum<RegistrationStatus>(body.Status), body.RetryInterval ?? 60);
            return ctx.Response.WriteAsJsonAsync(new OkDto("ok"), json.OkDto);
        }));
        app.MapPut("/control/idtags/{idTag}", ctx => WithBody(ctx, json.IdTagRequestDto, body =>
        {
            csms.IdTags.Set(Route(ctx, "idTag"), new IdTagEntry(ParseEnum<AuthorizationStatus>(body.Status), body.ParentIdTag, body.ExpiryDate));
            return ctx.Response.WriteAsJsonAsync(new OkDto("ok"), json.OkDto);
        }));
        app.MapDelete("/control/idtags/{idTag}", ctx =>
        {
            var removed = csms.IdTags.Remove(Route(ctx, "idTag"));
            return removed ? ctx.Response.WriteAsJsonAsync(new OkDto("removed"), json.OkDto) : Error(ctx, StatusCodes.Status404NotFound, "unknown id tag");
        });
        app.MapPost("/control/idtags/mode", ctx => WithBody(ctx, json.IdTagModeRequestDto, body =>
        {
            csms.IdTags.AllowListOnly = body.AllowListOnly;
            return ctx.Response.WriteAsJsonAsync(new OkDto(body.AllowListOnly ? "allow-list" : "accept-all"), json.OkDto);
        }));
        app.MapPost("/control/security/client-issuers", ctx => WithBody(ctx, json.ClientIssuerRequestDto, body =>
        {
            X509Certificate2 issuer;
            try
            {
                issuer = X509Certificate2.CreateFromPem(body.CertificatePem);
            }
            catch (CryptographicException ex)
            {
                throw new ArgumentException($"certificatePem: not a PEM certificate ({ex.Message})", ex);
            }
            csms.TrustClientIssuer(issuer);
            return ctx.Response.WriteAsJsonAsync(new ClientIssuersDto([csms.Authority.Certificate.Subject, .. csms.ExtraClientIssuers.Select(c => c.Subject)]), json.ClientIssuersDto);
        }));
        app.MapGet("/control/ledger", ctx => ctx.Response.WriteAsJsonAsync(csms.Ledger.Report(), json.LedgerReport));
        app.MapPost("/control/ledger/reconcile", ctx => WithBody(ctx, json.ListProducedTransactionMessage, body =>
            ctx.Response.WriteAsJsonAsync(csms.Ledger.Reconcile(body), json.LossReport)));
        app.MapGet("/control/stats", ctx => ctx.Response.WriteAsJsonAsync(csms.GetStats(), json.CsmsStatsSnapshot));
    }

    private static Task Faults(HttpContext ctx, CsmsServer csms)
        => ctx.Response.WriteAsJsonAsync(new FaultsDto(csms.Faults.Active(), csms.Faults.Counts), ControlJsonContext.Default.FaultsDto);

    private static string Route(HttpContext ctx, string name) => ctx.Request.RouteValues[name]?.ToString() ?? "";

    private static TEnum ParseEnum<TEnum>(string? text) where TEnum : struct, Enum
        => Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _)
            ? value
            : throw new ArgumentException($"'{text}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())}");

    private static async Task WithBody<T>(HttpContext ctx, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, Func<T, Task> handle)
    {
        T? body;
        try
        {
            body = await ctx.Request.ReadFromJsonAsync(info, ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            await Error(ctx, StatusCodes.Status400BadRequest, $"bad JSON body: {ex.Message}").ConfigureAwait(false);
            return;
        }
        if (body is null)
        {
            await Error(ctx, StatusCodes.Status400BadRequest, "a JSON body is required").ConfigureAwait(false);
            return;
        }
        try
        {
            await handle(body).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            await Error(ctx, StatusCodes.Status400BadRequest, ex.Message).ConfigureAwait(false);
        }
    }

    private static async Task<(ActionDescriptor Action, IOcppRequest Request)?> ReadRequestAsync(HttpContext ctx, string actionName)
    {
        var action = OcppActions.Find(actionName);
        if (action is null)
        {
            await Error(ctx, StatusCodes.Status404NotFound, $"unknown action '{actionName}'").ConfigureAwait(false);
            return null;
        }
        if ((action.Direction & ActionDirection.CsmsToChargePoint) == 0)
        {
            await Error(ctx, StatusCodes.Status400BadRequest, $"{action.Name} is not sent by a CSMS").ConfigureAwait(false);
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
        if (!OcppCodec.TryDecode(payload, action.RequestInfo, out var decoded, out var violation))
        {
            await Error(ctx, StatusCodes.Status400BadRequest, $"{action.Name}: {violation!.Description}", violation.Code.ToWire()).ConfigureAwait(false);
            return null;
        }
        return (action, (IOcppRequest)decoded!);
    }

    private static ActionResultDto ToDto(CallOutcome outcome, ActionDescriptor action) => new(
        outcome.ChargeBoxId,
        outcome.Action,
        outcome.Status.ToString(),
        outcome.Response is null ? null : JsonSerializer.SerializeToElement(outcome.Response, action.ResponseInfo),
        outcome.ErrorCode?.ToWire(),
        outcome.Description,
        outcome.Elapsed.TotalMilliseconds);

    private static Task Error(HttpContext ctx, int status, string message, string? code = null)
    {
        ctx.Response.StatusCode = status;
        return ctx.Response.WriteAsJsonAsync(new ControlErrorDto(message, code), ControlJsonContext.Default.ControlErrorDto);
    }
}
