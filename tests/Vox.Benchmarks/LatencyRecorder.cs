using System.Diagnostics;

namespace Vox.Benchmarks;

/// <summary>Collects operation latencies from many clients and summarises them.</summary>
public sealed class LatencyRecorder
{
    private readonly List<long> _ticks = [];

    /// <summary>Adds one client's samples (Stopwatch ticks).</summary>
    public void Add(IEnumerable<long> ticks)
    {
        lock (_ticks)
        {
            _ticks.AddRange(ticks);
        }
    }

    /// <summary>Operations counted.</summary>
    public int Count => _ticks.Count;

    /// <summary>The <paramref name="quantile"/> latency in milliseconds.</summary>
    public double Percentile(double quantile)
    {
        if (_ticks.Count == 0)
        {
            return double.NaN;
        }

        var sorted = _ticks.Order().ToList();
        var index = (int)Math.Clamp(Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1);
        return sorted[index] * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>
    /// Runs <paramref name="clients"/> loops of <paramref name="operation"/> for <paramref name="warmup"/> (1 s if not
    /// given, not counted) and then <paramref name="duration"/>; returns operations per second. <paramref name="measuring"/>
    /// is called when the counted part begins.
    /// </summary>
    public static async Task<(double PerSecond, LatencyRecorder Latency)> RunAsync(int clients, TimeSpan duration, Func<int, long, Task> operation,
        TimeSpan? warmup = null, Action? measuring = null)
    {
        var recorder = new LatencyRecorder();
        var clock = Stopwatch.StartNew();
        var measuredFrom = warmup ?? TimeSpan.FromSeconds(1);
        var until = measuredFrom + duration;
        var counter = 0L;
        var timer = measuring is null ? null : new Timer(_ => measuring(), null, measuredFrom, Timeout.InfiniteTimeSpan);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var samples = new List<long>();
            while (clock.Elapsed < until)
            {
                var n = Interlocked.Increment(ref counter);
                var start = Stopwatch.GetTimestamp();
                await operation(client, n);
                var elapsed = Stopwatch.GetTimestamp() - start;
                if (clock.Elapsed > measuredFrom && clock.Elapsed < until)
                {
                    samples.Add(elapsed);
                }
            }

            recorder.Add(samples);
        })));
        timer?.Dispose();
        return (recorder.Count / duration.TotalSeconds, recorder);
    }
}
