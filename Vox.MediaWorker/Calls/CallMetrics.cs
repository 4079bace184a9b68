using System.Collections.Concurrent;

namespace Vox.MediaWorker.Calls;

/// <summary>Per-turn measurements of one call, filled in by the processors as the turn passes them.</summary>
public sealed class CallMetrics
{
    private readonly ConcurrentDictionary<long, TurnMetrics> _turns = new();
    private readonly ConcurrentDictionary<string, double> _usage = new(StringComparer.Ordinal);

    /// <summary>Updates the metrics of <paramref name="turnId"/>.</summary>
    public void Update(long turnId, Func<TurnMetrics, TurnMetrics> change) =>
        _turns.AddOrUpdate(turnId, id => change(new TurnMetrics { TurnId = id }), (_, current) => change(current));

    /// <summary>Adds usage, e.g. <c>("offline.tts.characters", 42)</c>.</summary>
    public void AddUsage(string key, double amount) => _usage.AddOrUpdate(key, amount, (_, v) => v + amount);

    /// <summary>The metrics of one turn, if any.</summary>
    public TurnMetrics? Get(long turnId) => _turns.TryGetValue(turnId, out var m) ? m : null;

    /// <summary>All turns in order.</summary>
    public IReadOnlyList<TurnMetrics> Turns => _turns.Values.OrderBy(t => t.TurnId).ToList();

    /// <summary>Usage per provider key.</summary>
    public IReadOnlyDictionary<string, double> Usage => new SortedDictionary<string, double>(_usage, StringComparer.Ordinal);
}
