using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.Grains;
using Vox.Grains.Capacity;

namespace Vox.Dashboard.Fleet;

/// <summary>
/// Samples the default pool's capacity and busy slots every few seconds for the "capacity against active calls" chart.
/// Kept in this silo's memory only: a display aid for the last hour, not state any other silo needs.
/// </summary>
public sealed partial class FleetHistory(IGrainFactory grains, IOptions<DashboardPoolOptions> pool, TimeProvider time, ILogger<FleetHistory> logger) : BackgroundService
{
    /// <summary>Seconds between samples.</summary>
    public const int IntervalSeconds = 5;

    private const int Capacity = 720;
    private readonly Queue<FleetSample> _samples = new();

    /// <summary>The samples of the last hour, oldest first.</summary>
    public IReadOnlyList<FleetSample> Samples
    {
        get
        {
            lock (_samples)
            {
                return _samples.ToList();
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(IntervalSeconds), time);
        do
        {
            try
            {
                // Counts only: the worker list would cost every silo O(workers) rows every few seconds for two numbers.
                var counts = await grains.GetGrain<ICapacityGrain>(pool.Value.DefaultPool).GetCountsAsync(stoppingToken).ConfigureAwait(false);
                Add(new FleetSample(counts.TakenAt, counts.Total, counts.Busy + counts.Reserved));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSampleFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private void Add(FleetSample sample)
    {
        lock (_samples)
        {
            _samples.Enqueue(sample);
            while (_samples.Count > Capacity)
            {
                _samples.Dequeue();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sample fleet capacity for the dashboard")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
