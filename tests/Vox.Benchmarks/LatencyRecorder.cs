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

    /// <summary>Runs <paramref name="clients"/> loops of <paramref name="operation"/> for <paramref name="duration"/>; returns operations per second.</summary>
    public static async Task<(double PerSecond, LatencyRecorder Latency)> RunAsync(int clients, TimeSpan duration, Func<int, long, Task> operation)
    {
        var recorder = new LatencyRecorder();
        var warmup = TimeSpan.FromSeconds(1);
        var clock = Stopwatch.StartNew();
        var measuredFrom = warmup;
        var until = warmup + duration;
        var counter = 0L;
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
        return (recorder.Count / duration.TotalSeconds, recorder);
    }
}
