using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vox.Grains;
using Vox.Grains.Capacity;

namespace Vox.Benchmarks;

/// <summary>
/// Stands in for media workers (no STT/TTS): <c>/media/{serializer}?mode=echo</c> sends every message straight back;
/// <c>mode=load</c> sends a 20 ms frame every 20 ms stamped with its send time, and times the caller's stamped frames.
/// When a socket closes, the call's slot is released, so the pool is reusable across load steps.
/// </summary>
public sealed class FakeMediaWorker : IAsyncDisposable
{
    /// <summary>Bytes per frame: 20 ms of 8 kHz PCM16.</summary>
    public const int FrameBytes = 320;

    private readonly WebApplication _app;

    private FakeMediaWorker(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>Base URL of the media endpoint (what workers register as their media URL).</summary>
    public string Url { get; }

    /// <summary>Caller-to-worker delays of stamped frames in load mode (Stopwatch ticks).</summary>
    public LatencyRecorder Upstream { get; private set; } = new();

    /// <summary>Starts the fake on <paramref name="port"/>; <paramref name="grains"/> releases slots.</summary>
    public static async Task<FakeMediaWorker> StartAsync(int port, IGrainFactory grains)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var worker = new FakeMediaWorker(app, $"http://127.0.0.1:{port}/media");
        app.UseWebSockets();
        app.Map("/media/{serializer}", context => worker.HandleAsync(context, grains));
        await app.StartAsync();
        return worker;
    }

    /// <summary>Starts a new upstream measurement.</summary>
    public void ResetUpstream() => Upstream = new LatencyRecorder();

    /// <summary>Stamps <paramref name="frame"/> with the current time.</summary>
    public static void Stamp(Span<byte> frame) => BinaryPrimitives.WriteInt64LittleEndian(frame, Stopwatch.GetTimestamp());

    /// <summary>How long ago <paramref name="frame"/> was stamped, in Stopwatch ticks.</summary>
    public static long Age(ReadOnlySpan<byte> frame) => Stopwatch.GetTimestamp() - BinaryPrimitives.ReadInt64LittleEndian(frame);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, IGrainFactory grains)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var callId = context.Request.Query["callId"].ToString();
        try
        {
            if (context.Request.Query["mode"] == "load")
            {
                await LoadAsync(socket);
            }
            else
            {
                await EchoAsync(socket);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            if (!string.IsNullOrEmpty(callId))
            {
                await grains.GetGrain<ICapacityGrain>("default").ReleaseAsync(callId, CancellationToken.None);
            }
        }
    }

    private static async Task EchoAsync(WebSocket socket)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
        }
    }

    private async Task LoadAsync(WebSocket socket)
    {
        using var stop = new CancellationTokenSource();
        var sending = Task.Run(async () =>
        {
            var frame = new byte[FrameBytes];
            var start = Stopwatch.GetTimestamp();
            for (var n = 1; !stop.IsCancellationRequested; n++)
            {
                Stamp(frame);
                await socket.SendAsync(frame, WebSocketMessageType.Binary, true, stop.Token);
                var due = TimeSpan.FromMilliseconds(20 * n) - Stopwatch.GetElapsedTime(start);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, stop.Token);
                }
            }
        });
        var buffer = new byte[4096];
        var ages = new List<long>();
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (received.Count >= 8)
                {
                    ages.Add(Age(buffer));
                }
            }
        }
        finally
        {
            Upstream.Add(ages);
            await stop.CancelAsync();
            try
            {
                await sending;
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }

            if (socket.State == WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            }
        }
    }
}
