using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Vox.Grains;
using Vox.Grains.Capacity;
using Vox.Grains.Workers;

namespace Vox.MediaWorker.Hosting;

/// <summary>
/// Keeps this worker's slot registered: registers at start, heartbeats at the interval the silo asks for, registers
/// again when the silo has forgotten it (reaped while the silo was unreachable), and on shutdown drains (lets the
/// current call finish for <see cref="WorkerOptions.ShutdownGraceSeconds"/>, then hangs it up) and deregisters. The drain
/// runs in <see cref="StoppingAsync"/>, before any hosted service stops, so the result outbox still delivers the call's
/// end. It registers only once the server listens, with the address it actually bound (so
/// <c>Worker:Urls=http://127.0.0.1:0</c> lets the OS pick a free port). A worker whose offline voice is
/// missing still registers and heartbeats, so operators see it, but as not ready, with the reason and the fix: the pool
/// never reserves it, and no call reaches a worker that would fail it.
/// </summary>
public sealed partial class WorkerRegistrationService(
    IGrainFactory grains,
    CallSlot slot,
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<WorkerOptions> options,
    OfflineVoiceReadiness voice,
    ILogger<WorkerRegistrationService> logger) : BackgroundService, IHostedLifecycleService
{
    private readonly WorkerOptions _options = options.Value;
    private string? _listeningUrl;

    /// <summary>True once the slot is registered.</summary>
    public bool Registered { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var capacity = grains.GetGrain<ICapacityGrain>(_options.Pool);
        var interval = TimeSpan.FromSeconds(1);
        if (!await ServerStartedAsync(stoppingToken))
        {
            return;
        }

        _listeningUrl = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (!voice.Ready)
        {
            LogNotReady(logger, _options.Id, voice.Reason ?? "", voice.Fix ?? "");
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!Registered)
                {
                    var lease = await capacity.RegisterWorkerAsync(Registration(), stoppingToken);
                    interval = TimeSpan.FromMilliseconds(lease.HeartbeatIntervalMs);
                    Registered = true;
                    LogRegistered(logger, _options.Id, _options.Pool, _options.SiloUrl);
                }
                else
                {
                    var beat = await capacity.HeartbeatAsync(_options.Id, slot.CurrentCallId, stoppingToken);
                    if (!beat.Registered)
                    {
                        LogForgotten(logger, _options.Id);
                        Registered = false;
                        continue;
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or VoxException && !stoppingToken.IsCancellationRequested)
            {
                LogSiloUnreachable(logger, _options.SiloUrl, ex.Message);
                interval = TimeSpan.FromSeconds(1);
            }

            try
            {
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        LogDraining(logger, _options.Id, slot.CurrentCallId, _options.ShutdownGraceSeconds);
        var drained = slot.DrainAsync(cancellationToken);
        if (await FinishesWithinAsync(drained, TimeSpan.FromSeconds(_options.ShutdownGraceSeconds)))
        {
            return;
        }

        if (slot.CurrentCallId is { } callId && slot.TryHangUp(callId, _options.ShutdownEndReason))
        {
            LogHungUp(logger, callId, _options.ShutdownEndReason);
        }

        // A hung-up call plays nothing more and reports its end within a moment; one that does not is cut.
        if (!await FinishesWithinAsync(drained, TimeSpan.FromSeconds(10)))
        {
            slot.Abort();
            await FinishesWithinAsync(drained, TimeSpan.FromSeconds(5));
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await grains.GetGrain<ICapacityGrain>(_options.Pool).DeregisterWorkerAsync(_options.Id, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or VoxException)
        {
            LogSiloUnreachable(logger, _options.SiloUrl, ex.Message);
        }
    }

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<bool> FinishesWithinAsync(Task task, TimeSpan wait)
    {
        try
        {
            await task.WaitAsync(wait);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout: the call is cut; the silo reaps the slot.
            return true;
        }
    }

    private async Task<bool> ServerStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private WorkerRegistration Registration()
    {
        var url = !string.IsNullOrWhiteSpace(_options.AdvertisedUrl) ? _options.AdvertisedUrl : _listeningUrl ?? _options.Urls.Split(';')[0];
        var mediaUrl = url.Replace("http://", "ws://", StringComparison.Ordinal).Replace("https://", "wss://", StringComparison.Ordinal).TrimEnd('/') + "/media";
        return new WorkerRegistration(_options.Id, Environment.MachineName, mediaUrl, _options.RtpAddress, typeof(WorkerOptions).Assembly.GetName().Version?.ToString(),
            voice.Ready, voice.Reason, voice.Fix, slot.CurrentCallId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} registered in pool {Pool} with silo {SiloUrl}")]
    private static partial void LogRegistered(ILogger logger, string workerId, string pool, string siloUrl);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {WorkerId} is NOT READY and will take no calls: {Reason}. Fix: {Fix}")]
    private static partial void LogNotReady(ILogger logger, string workerId, string reason, string fix);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} was reaped by the silo; registering again")]
    private static partial void LogForgotten(ILogger logger, string workerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {SiloUrl} unreachable: {Error}")]
    private static partial void LogSiloUnreachable(ILogger logger, string siloUrl, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} draining: no new calls; call {CallId} may run {GraceSeconds} s more")]
    private static partial void LogDraining(ILogger logger, string workerId, string? callId, int graceSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} outlasted the shutdown grace period; hung up as {Reason}")]
    private static partial void LogHungUp(ILogger logger, string callId, string reason);
}
