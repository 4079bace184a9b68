using Vox.Grains;
using Vox.MediaWorker.Outbox;

namespace Vox.MediaWorker.Hosting;

/// <summary>
/// Runs the result outbox's delivery loop for the life of the worker, and on a stop makes one last pass, so the end of a
/// call that the shutdown drained reaches the silo now rather than at the worker's next start.
/// </summary>
public sealed class OutboxService(ResultOutbox outbox) : BackgroundService
{
    /// <summary>How long the last pass may take; what it does not deliver stays in the outbox for the next start.</summary>
    private static readonly TimeSpan FinalPass = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => outbox.RunAsync(stoppingToken);

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(FinalPass);
        try
        {
            await outbox.DeliverDueAsync(limit.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or VoxException)
        {
            // The silo is gone or slow: the results stay queued and are delivered when this worker starts again.
        }
    }
}
