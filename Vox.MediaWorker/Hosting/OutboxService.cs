using Vox.MediaWorker.Outbox;

namespace Vox.MediaWorker.Hosting;

/// <summary>Runs the result outbox's delivery loop for the life of the worker.</summary>
public sealed class OutboxService(ResultOutbox outbox) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => outbox.RunAsync(stoppingToken);
}
