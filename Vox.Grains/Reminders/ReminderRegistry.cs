using Dapper;
using Vox.Grains.Cluster;
using Vox.Grains.Store;

namespace Vox.Grains.Reminders;

/// <summary>The reminders table: durable schedules that survive every silo.</summary>
public sealed class ReminderRegistry(IGrainStore store) : IReminderRegistry
{
    /// <inheritdoc />
    public Task RegisterOrUpdateAsync(string grainType, string grainKey, string name, TimeSpan dueTime, TimeSpan period, CancellationToken cancellationToken)
    {
        if (period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(period), "A reminder's period must be positive.");
        }

        return store.WriteAsync(async (connection, transaction, ct) => await connection.ExecuteAsync(new CommandDefinition(store.Sql("""
            INSERT INTO reminders (grain_type, grain_key, name, period_ms, next_due_at) VALUES (@GrainType, @GrainKey, @Name, @Period, {now} + @Due)
            ON CONFLICT (grain_type, grain_key, name) DO UPDATE SET period_ms = excluded.period_ms,
                next_due_at = CASE WHEN reminders.period_ms = excluded.period_ms THEN reminders.next_due_at ELSE excluded.next_due_at END
            """), new { GrainType = grainType, GrainKey = grainKey, Name = name, Period = (long)period.TotalMilliseconds, Due = (long)dueTime.TotalMilliseconds },
            transaction, cancellationToken: ct)).ConfigureAwait(false), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> UnregisterAsync(string grainType, string grainKey, string name, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) => await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM reminders WHERE grain_type = @GrainType AND grain_key = @GrainKey AND name = @Name",
            new { GrainType = grainType, GrainKey = grainKey, Name = name }, transaction, cancellationToken: ct)).ConfigureAwait(false) == 1, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ReminderInfo>> ListAsync(CancellationToken cancellationToken) =>
        store.ReadAsync<IReadOnlyList<ReminderInfo>>(async (connection, ct) => (await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT * FROM reminders ORDER BY grain_type, grain_key, name", cancellationToken: ct)).ConfigureAwait(false))
            .Select(r => new ReminderInfo(r.GrainType, r.GrainKey, r.Name, TimeSpan.FromMilliseconds(r.PeriodMs), DbTime.ToTime(r.NextDueAt),
                r.ClaimedBy, DbTime.ToTime(r.LastFiredAt), r.LastFiredBy, r.FireCount)).ToList(), cancellationToken);

    private sealed class Row
    {
        public string GrainType { get; set; } = "";
        public string GrainKey { get; set; } = "";
        public string Name { get; set; } = "";
        public long PeriodMs { get; set; }
        public long NextDueAt { get; set; }
        public string? ClaimedBy { get; set; }
        public long? LastFiredAt { get; set; }
        public string? LastFiredBy { get; set; }
        public long FireCount { get; set; }
    }
}
