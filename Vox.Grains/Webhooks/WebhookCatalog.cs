using System.Buffers.Text;
using System.Security.Cryptography;
using Dapper;
using Vox.Grains.Secrets;
using Vox.Grains.Store;

namespace Vox.Grains.Webhooks;

/// <summary>
/// Webhook endpoints on the store. The signing secret is made here (256 random bits) and returned once. Every silo must
/// sign with it, so it is stored encrypted with <c>Secrets:Key</c> when one is set, else as plain text (<see cref="WebhookSecretSeal"/>).
/// </summary>
public sealed class WebhookCatalog(IGrainStore store, SecretCipher cipher) : IWebhookCatalog
{
    /// <summary>Most endpoints one tenant may have: each event fans out to all of them in the transaction that causes it.</summary>
    public const int MaxEndpointsPerTenant = 20;

    /// <summary>Longest description.</summary>
    public const int MaxDescriptionLength = 500;

    /// <inheritdoc />
    public Task<CreatedWebhookEndpoint> CreateAsync(string tenantId, WebhookEndpointInput input, CancellationToken cancellationToken)
    {
        ValidateUrl(input.Url);
        ValidateEventTypes(input.EventTypes);
        ValidateDescription(input.Description);
        var secret = "whsec_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var id = Ids.New("whk");
        var stored = WebhookSecretSeal.Seal(cipher, tenantId, id, secret);
        return store.WriteAsync(async (connection, transaction, ct) =>
        {
            // The tenant row lock makes the per-tenant cap exact under concurrent creates.
            _ = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(store.Sql("SELECT id FROM tenants WHERE id = @TenantId {for_update}"),
                new { TenantId = tenantId }, transaction, cancellationToken: ct)).ConfigureAwait(false) ?? throw new NotFoundException("tenant", tenantId);
            var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM webhook_endpoints WHERE tenant_id = @TenantId",
                new { TenantId = tenantId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            if (count >= MaxEndpointsPerTenant)
            {
                throw new ConflictException("webhook_limit", $"A tenant may have at most {MaxEndpointsPerTenant} webhook endpoints; delete one first.");
            }

            var row = await connection.QuerySingleAsync<WebhookEndpointRow>(new CommandDefinition(store.Sql("""
                INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, secret, enabled, description, created_at, updated_at)
                VALUES (@Id, @TenantId, @Url, @EventTypes, @Secret, @Enabled, @Description, {now}, {now})
                RETURNING id, tenant_id, url, event_types, enabled, description, created_at, updated_at
                """), new
            {
                Id = id, TenantId = tenantId, input.Url, EventTypes = WebhookEndpointRow.FormatEventTypes(input.EventTypes),
                Secret = stored, input.Enabled, Description = Blank(input.Description),
            }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            return new CreatedWebhookEndpoint(row.ToEndpoint(), secret);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<WebhookEndpoint> GetAsync(string tenantId, string id, CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) => (await connection.QuerySingleOrDefaultAsync<WebhookEndpointRow>(new CommandDefinition(
            "SELECT * FROM webhook_endpoints WHERE id = @Id AND tenant_id = @TenantId", new { Id = id, TenantId = tenantId }, cancellationToken: ct)).ConfigureAwait(false))?.ToEndpoint()
            ?? throw new NotFoundException("webhook", id), cancellationToken);

    /// <inheritdoc />
    public Task<Page<WebhookEndpoint>> ListAsync(string tenantId, int limit, string? cursor, CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) =>
        {
            var after = Cursor.Decode(cursor);
            var rows = (await connection.QueryAsync<WebhookEndpointRow>(new CommandDefinition($"""
                SELECT * FROM webhook_endpoints WHERE tenant_id = @TenantId
                {(after is null ? "" : "AND (created_at < @CreatedAt OR (created_at = @CreatedAt AND id < @Id))")}
                ORDER BY created_at DESC, id DESC LIMIT @Take
                """, new { TenantId = tenantId, CreatedAt = after?.CreatedAt ?? 0, Id = after?.Id ?? "", Take = limit + 1 }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            return Cursor.ToPage(rows, limit, r => (r.CreatedAt, r.Id), r => r.ToEndpoint());
        }, cancellationToken);

    /// <inheritdoc />
    public Task<WebhookEndpoint> UpdateAsync(string tenantId, string id, WebhookEndpointPatch patch, CancellationToken cancellationToken)
    {
        if (patch.Url is not null)
        {
            ValidateUrl(patch.Url);
        }

        if (patch.EventTypes is not null)
        {
            ValidateEventTypes(patch.EventTypes);
        }

        ValidateDescription(patch.Description);

        // One UPDATE (a no-key row lock on PostgreSQL), so an edit never waits on, or holds up, calls queueing events.
        return store.WriteAsync(async (connection, transaction, ct) => (await connection.QuerySingleOrDefaultAsync<WebhookEndpointRow>(new CommandDefinition(store.Sql("""
            UPDATE webhook_endpoints SET
                url = CASE WHEN @SetUrl THEN @Url ELSE url END,
                event_types = CASE WHEN @SetEventTypes THEN @EventTypes ELSE event_types END,
                description = CASE WHEN @SetDescription THEN @Description ELSE description END,
                enabled = CASE WHEN @SetEnabled THEN @Enabled ELSE enabled END,
                updated_at = {now}
            WHERE id = @Id AND tenant_id = @TenantId
            RETURNING id, tenant_id, url, event_types, enabled, description, created_at, updated_at
            """), new
        {
            Id = id, TenantId = tenantId,
            SetUrl = patch.Url is not null, Url = patch.Url ?? "",
            SetEventTypes = patch.EventTypes is not null, EventTypes = WebhookEndpointRow.FormatEventTypes(patch.EventTypes ?? []),
            SetDescription = patch.Description is not null, Description = Blank(patch.Description),
            SetEnabled = patch.Enabled is not null, Enabled = patch.Enabled ?? false,
        }, transaction, cancellationToken: ct)).ConfigureAwait(false))?.ToEndpoint() ?? throw new NotFoundException("webhook", id), cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteAsync(string tenantId, string id, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) =>
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM webhook_endpoints WHERE id = @Id AND tenant_id = @TenantId",
                new { Id = id, TenantId = tenantId }, transaction, cancellationToken: ct)).ConfigureAwait(false) == 1
                ? true
                : throw new NotFoundException("webhook", id), cancellationToken);

    private static void ValidateUrl(string? url)
    {
        if (WebhookUrl.Problem(url) is { } problem)
        {
            throw new VoxException("invalid_url", $"url: {problem}");
        }
    }

    private static void ValidateEventTypes(IReadOnlyList<string>? eventTypes)
    {
        if (eventTypes is null || eventTypes.Count == 0 || eventTypes.Any(t => !WebhookEventTypes.IsKnown(t)))
        {
            throw new VoxException("invalid_event_types", $"eventTypes: list one or more of {string.Join(", ", WebhookEventTypes.Known)}.");
        }
    }

    private static void ValidateDescription(string? description)
    {
        if (description is not null && description.Length > MaxDescriptionLength)
        {
            throw new VoxException("invalid_description", $"description: at most {MaxDescriptionLength} characters.");
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
