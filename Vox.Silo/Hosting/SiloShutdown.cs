using Microsoft.Extensions.Options;
using Vox.Gateway.Admission;
using Vox.Grains.Calls;
using Vox.Grains.Workers;

namespace Vox.Silo.Hosting;

/// <summary>
/// A graceful stop (SIGTERM, SIGINT/Ctrl+C): the silo stops taking new calls, lets live ones run for
/// <see cref="SiloOptions.ShutdownGraceSeconds"/>, then hangs up what is left as <c>silo_shutdown</c>, and stops its local
/// workers. This runs in <see cref="StoppingAsync"/>, before any service stops, so the REST and internal APIs still
/// answer while calls wind down (workers report their calls' ends to this silo).
/// </summary>
public sealed partial class SiloShutdown(
    CallAdmission admission,
    LocalWorkerSupervisor workers,
    IWorkerControl workerControl,
    IOptions<SiloOptions> options,
    ILogger<SiloShutdown> logger) : IHostedLifecycleService
{
    /// <summary>How long hung-up calls get to report their end before the silo stops anyway.</summary>
    private static readonly TimeSpan HangUpWait = TimeSpan.FromSeconds(10);

    /// <summary>True once a stop has begun (<c>/healthz</c> then answers 503 so a load balancer sends calls elsewhere).</summary>
    public bool Stopping => !admission.Accepting;

    /// <inheritdoc />
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var grace = TimeSpan.FromSeconds(options.Value.ShutdownGraceSeconds);
        admission.Close();
        workers.BeginDrain();
        LogDraining(logger, admission.Live.Count, grace.TotalSeconds);

        using (var graceTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            graceTimer.CancelAfter(grace);
            if (await admission.WaitIdleAsync(graceTimer.Token) & await workers.WaitExitedAsync(graceTimer.Token))
            {
                LogDrained(logger);
                return;
            }
        }

        // Calls through this silo's gateway whose worker is elsewhere are hung up here; local workers hang up their own
        // call when the same grace ends (they were started with it).
        var left = admission.Live.ToList();
        LogHangingUp(logger, left.Count);
        await Task.WhenAll(left.Where(c => c.Value is not null).Select(c => HangUpAsync(c.Key, c.Value!, cancellationToken)));
        using (var hangUpTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            hangUpTimer.CancelAfter(HangUpWait);
            await admission.WaitIdleAsync(hangUpTimer.Token);
            await workers.WaitExitedAsync(hangUpTimer.Token);
        }

        admission.CutRemaining();
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task HangUpAsync(string callId, string mediaUrl, CancellationToken cancellationToken)
    {
        try
        {
            await workerControl.HangUpAsync(mediaUrl, callId, EndReasons.SiloShutdown, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            LogHangUpFailed(logger, callId, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: no new calls; {LiveCalls} live calls may run {GraceSeconds} s more")]
    private static partial void LogDraining(ILogger logger, int liveCalls, double graceSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: every call has ended")]
    private static partial void LogDrained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: grace period over; hanging up {LiveCalls} calls as silo_shutdown")]
    private static partial void LogHangingUp(ILogger logger, int liveCalls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: could not hang up call {CallId}: {Error}")]
    private static partial void LogHangUpFailed(ILogger logger, string callId, string error);
}
