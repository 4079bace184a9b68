using Dapper;
using Vox.Grains.Store;

namespace Vox.Grains.Cluster;

/// <summary>The membership table on the store; liveness is judged by the store's clock.</summary>
public sealed class MembershipService(IGrainStore store) : IMembershipService
{
    private const long ForgetDeadAfterMs = 3_600_000;

    /// <inheritdoc />
    public Task<SiloInfo> RegisterAsync(SiloRegistration registration, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(store.Sql("DELETE FROM silos WHERE expires_at < {now} - @Forget"),
                new { Forget = ForgetDeadAfterMs }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            var row = await connection.QuerySingleAsync<SiloRow>(new CommandDefinition(store.Sql("""
                INSERT INTO silos (silo_id, host, http_url, version, status, ttl_ms, started_at, heartbeat_at, expires_at)
                VALUES (@SiloId, @Host, @HttpUrl, @Version, 'active', @TtlMs, {now}, {now}, {now} + @TtlMs)
                ON CONFLICT (silo_id) DO UPDATE SET host = excluded.host, http_url = excluded.http_url, version = excluded.version,
                    status = 'active', ttl_ms = excluded.ttl_ms, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at
                RETURNING *, {now} AS now_ms
                """), registration, transaction, cancellationToken: ct)).ConfigureAwait(false);
            return row.ToInfo();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> HeartbeatAsync(string siloId, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) => await connection.ExecuteAsync(new CommandDefinition(store.Sql(
            "UPDATE silos SET heartbeat_at = {now}, expires_at = {now} + ttl_ms WHERE silo_id = @SiloId AND status = 'active'"),
            new { SiloId = siloId }, transaction, cancellationToken: ct)).ConfigureAwait(false) == 1, cancellationToken);

    /// <inheritdoc />
    public Task LeaveAsync(string siloId, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) => await connection.ExecuteAsync(new CommandDefinition(store.Sql(
            "UPDATE silos SET status = 'left', expires_at = {now} WHERE silo_id = @SiloId"),
            new { SiloId = siloId }, transaction, cancellationToken: ct)).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SiloInfo>> ListAsync(CancellationToken cancellationToken) =>
        store.ReadAsync<IReadOnlyList<SiloInfo>>(async (connection, ct) => (await connection.QueryAsync<SiloRow>(new CommandDefinition(store.Sql(
            "SELECT s.*, {now} AS now_ms FROM silos s ORDER BY started_at, silo_id"), cancellationToken: ct)).ConfigureAwait(false))
            .Select(r => r.ToInfo()).ToList(), cancellationToken);

    private sealed class SiloRow
    {
        public string SiloId { get; set; } = "";
        public string Host { get; set; } = "";
        public string HttpUrl { get; set; } = "";
        public string? Version { get; set; }
        public string Status { get; set; } = "";
        public long StartedAt { get; set; }
        public long HeartbeatAt { get; set; }
        public long ExpiresAt { get; set; }
        public long NowMs { get; set; }

        public SiloInfo ToInfo() => new(SiloId, Host, HttpUrl, Version,
            Status == "left" ? "left" : ExpiresAt <= NowMs ? "dead" : "active",
            DbTime.ToTime(StartedAt), DbTime.ToTime(HeartbeatAt), DbTime.ToTime(ExpiresAt));
    }
}
