using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Simulator.Fleet.Tests.EndToEnd;

/// <summary>A tiny HTTP endpoint on loopback: PUT /upload/{name} keeps the body; GET /firmware.bin serves bytes.</summary>
public sealed class FileServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FileServer(byte[] firmware)
    {
        Firmware = firmware;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        _app = builder.Build();
        _app.UseRouting();
        _app.MapPut("/upload/{name}", async (HttpContext ctx, string name) =>
        {
            using var body = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(body);
            Uploads[name] = body.ToArray();
            return Results.Ok();
        });
        _app.MapGet("/firmware.bin", () =>
        {
            Interlocked.Increment(ref _downloads);
            return Results.Bytes(Firmware, "application/octet-stream");
        });
    }

    private int _downloads;

    public byte[] Firmware { get; }
    public int Downloads => Volatile.Read(ref _downloads);
    public ConcurrentDictionary<string, byte[]> Uploads { get; } = new(StringComparer.Ordinal);
    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<FileServer> StartAsync()
    {
        var server = new FileServer([.. Enumerable.Range(0, 256 * 1024).Select(i => (byte)i)]);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri($"http://127.0.0.1:{new Uri(address).Port}/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
