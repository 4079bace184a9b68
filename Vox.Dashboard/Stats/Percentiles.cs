namespace Vox.Dashboard.Stats;

/// <summary>p50/p95/p99 of a set of latencies (nearest rank).</summary>
public sealed record Percentiles(string Name, int Count, double P50, double P95, double P99)
{
    /// <summary>The percentiles of <paramref name="values"/>; all zero when there are none.</summary>
    public static Percentiles Of(string name, IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return new Percentiles(name, 0, 0, 0, 0);
        }

        var sorted = values.Order().ToArray();
        return new Percentiles(name, sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.95), Rank(sorted, 0.99));
    }

    private static double Rank(double[] sorted, double p) =>
        Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)], 1);
}
