using System.Buffers;
using System.Data.Common;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.Grains.Cluster;
using Vox.Grains.Secrets;
using Vox.Grains.Store;

namespace Vox.Grains.Webhooks;

/// <summary>
/// Sends the webhook outbox. Each poll claims due deliveries with a token and an expiry on the store's clock
/// (<c>SKIP LOCKED</c> on PostgreSQL, the write lock on SQLite), so one delivery is sent by one silo at a time; a
/// request is cut off long before its claim lapses, and a silo that dies mid-send leaves the claim to lapse and another
/// silo sends it again. A 2xx is recorded as delivered under the same token and is never sent again; anything else is
/// retried with backoff until the attempts or the age run out, and then the delivery is dead.
/// </summary>
public sealed partial class WebhookDispatcher(
    IGrainStore store,
    IHttpClientFactory httpClients,
    SiloIdentity silo,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger,
    SecretCipher cipher) : BackgroundService
{
    /// <summary>Name of the <see cref="HttpClient"/> the dispatcher sends with (no redirects, no cookies, no request logging).</summary>
    public const string HttpClientName = "vox-webhooks";

    private const int PruneEveryPolls = 600;
    private const int PruneBatch = 1_000;
    private const int MaxErrorLength = 500;
    private const int RecordAttempts = 4;

    private readonly WebhookOptions _options = options.Value;
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentSends, options.Value.MaxConcurrentSends);
    private readonly List<Task> _inFlight = [];

    /// <summary>The delivery outcome of one claimed delivery.</summary>
    private enum Outcome
    {
        Delivered,
        Retry,
        Dead,
        Lost,
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.DispatcherEnabled)
        {
            LogDisabled(logger);
            return;
        }

        await SealAtStartAsync(stoppingToken).ConfigureAwait(false);
        var polls = 0L;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.PollIntervalMs), time);
        while (!stoppingToken.IsCancellationRequested)
        {
            var more = false;
            try
            {
                if (polls++ % PruneEveryPolls == 0)
                {
                    await PruneAsync(stoppingToken).ConfigureAwait(false);
                }

                var room = Math.Min(_slots.CurrentCount, _options.MaxPerPoll);
                if (room > 0)
                {
                    var claims = await ClaimAsync(room, stoppingToken).ConfigureAwait(false);
                    foreach (var claim in claims)
                    {
                        await _slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                        Track(Task.Run(async () =>
                        {
                            try
                            {
                                await DeliverAsync(claim).ConfigureAwait(false);
                            }
                            finally
                            {
                                _slots.Release();
                            }
                        }, CancellationToken.None));
                    }

                    // A full batch means more may be due: poll again at once instead of waiting a tick.
                    more = claims.Count == room;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogPollFailed(logger, ex);
            }

            if (!more)
            {
                try
                {
                    await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        // Sends in flight are bounded by the request timeout and not cancelled by shutdown, so each records its outcome
        // (a 2xx that was never recorded would be sent again by another silo).
        Task[] remaining;
        lock (_inFlight)
        {
            remaining = [.. _inFlight];
        }

        await Task.WhenAll(remaining).ConfigureAwait(false);
    }

    /// <summary>Claims up to <see cref="WebhookOptions.MaxPerPoll"/> due deliveries, sends them and records the outcomes; returns how many (for tests and tools).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var claims = await ClaimAsync(_options.MaxPerPoll, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(claims.Select(DeliverAsync)).ConfigureAwait(false);
        return claims.Count;
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }

    private void Track(Task task)
    {
        lock (_inFlight)
        {
            _inFlight.RemoveAll(t => t.IsCompleted);
            _inFlight.Add(task);
        }
    }

    private async Task<List<Claim>> ClaimAsync(int max, CancellationToken cancellationToken)
    {
        // A read first: an idle outbox then costs no write transaction (on SQLite, no file write lock) per poll.
        var due = await store.ReadAsync((connection, ct) => connection.ExecuteScalarAsync<long?>(new CommandDefinition(store.Sql(
            "SELECT 1 FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= {now} LIMIT 1"), cancellationToken: ct)), cancellationToken).ConfigureAwait(false);
        return due is null ? [] : await ClaimDueAsync(max, cancellationToken).ConfigureAwait(false);
    }

    private Task<List<Claim>> ClaimDueAsync(int max, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) =>
        {
            var token = Guid.NewGuid().ToString("N");
            // One statement on both dialects: the inner SELECT picks due, unclaimed deliveries of enabled endpoints
            // (skipping rows another silo is claiming right now on PostgreSQL) and the UPDATE stamps this silo's claim.
            var claimed = await connection.ExecuteAsync(new CommandDefinition(store.Sql("""
                UPDATE webhook_deliveries SET claimed_by = @Silo, claim_token = @Token, claim_expires_at = {now} + @Ttl
                WHERE id IN (
                    SELECT d.id FROM webhook_deliveries d
                    WHERE d.status = 'pending' AND d.next_attempt_at <= {now}
                      AND (d.claim_expires_at IS NULL OR d.claim_expires_at <= {now})
                      AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = d.endpoint_id AND e.enabled)
                    ORDER BY d.next_attempt_at
                    LIMIT @Max {skip_locked})
                """), new { Silo = silo.SiloId, Token = token, Ttl = (long)_options.ClaimTtlMs, Max = max }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            if (claimed == 0)
            {
                return [];
            }

            return (await connection.QueryAsync<Claim>(new CommandDefinition("""
                SELECT d.id, d.endpoint_id, d.event_id, d.attempts, d.claim_token, e.tenant_id, e.url, e.secret,
                       v.type AS event_type, v.payload, v.created_at AS event_created_at
                FROM webhook_deliveries d
                JOIN webhook_endpoints e ON e.id = d.endpoint_id
                JOIN webhook_events v ON v.id = d.event_id
                WHERE d.claim_token = @Token
                ORDER BY d.next_attempt_at
                """, new { Token = token }, transaction, cancellationToken: ct)).ConfigureAwait(false)).ToList();
        }, cancellationToken);

    private async Task DeliverAsync(Claim claim)
    {
        var attempt = (int)claim.Attempts + 1;
        var (statusCode, error) = await SendAsync(claim, attempt).ConfigureAwait(false);
        var delivered = error is null;
        var delay = delivered ? TimeSpan.Zero : WebhookBackoff.Delay(attempt, _options, Random.Shared.NextDouble());
        var outcome = await RecordAsync(claim, delivered, statusCode, error, delay).ConfigureAwait(false);
        switch (outcome)
        {
            case Outcome.Delivered:
                LogDelivered(logger, claim.Id, claim.EventId, claim.EndpointId, attempt, statusCode ?? 0);
                break;
            case Outcome.Retry:
                LogRetrying(logger, claim.Id, claim.EventId, claim.EndpointId, attempt, error ?? "", delay.TotalMilliseconds);
                break;
            case Outcome.Dead:
                LogDead(logger, claim.Id, claim.EventId, claim.EndpointId, attempt, error ?? "");
                break;
            default:
                LogClaimLost(logger, claim.Id, claim.EventId, claim.EndpointId);
                break;
        }
    }

    // Never throws: every way a request can fail becomes an error text; null error means a 2xx.
    private async Task<(int? StatusCode, string? Error)> SendAsync(Claim claim, int attempt)
    {
        string secret;
        try
        {
            secret = WebhookSecretSeal.Open(cipher, claim.TenantId, claim.EndpointId, claim.Secret);
        }
        catch (VoxException ex)
        {
            // This silo lacks the key the secret was sealed with (or it was altered): a failed attempt whose reason says so.
            return (null, Truncate($"Cannot sign: {ex.Message}"));
        }

        var body = Body(claim);
        using var request = new HttpRequestMessage(HttpMethod.Post, claim.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(WebhookHeaders.EventId, claim.EventId);
        request.Headers.TryAddWithoutValidation(WebhookHeaders.EventType, claim.EventType);
        request.Headers.TryAddWithoutValidation(WebhookHeaders.DeliveryId, claim.Id);
        request.Headers.TryAddWithoutValidation(WebhookHeaders.Attempt, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(WebhookHeaders.Signature, WebhookSignature.HeaderValue(secret, time.GetUtcNow().ToUnixTimeSeconds(), body));

        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(_options.RequestTimeoutMs), time);
        try
        {
            using var client = httpClients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            if (code is >= 200 and <= 299)
            {
                return (code, null);
            }

            var snippet = await ReadSnippetAsync(response, timeout.Token).ConfigureAwait(false);
            var redirect = code is >= 300 and <= 399 ? " (redirects are not followed)" : "";
            return (code, Truncate($"HTTP {code} {response.ReasonPhrase}{redirect}{(snippet.Length > 0 ? ": " + snippet : "")}"));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return (null, $"No response within {_options.RequestTimeoutMs} ms.");
        }
        catch (HttpRequestException ex)
        {
            return (ex.StatusCode is { } s ? (int)s : null, Truncate(ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message));
        }
        catch (Exception ex)
        {
            // A URL the handler refuses, a protocol violation: the endpoint's problem, retried like any failure.
            return (null, Truncate($"{ex.GetType().Name}: {ex.Message}"));
        }
    }

    /// <summary>
    /// Encrypts the signing secrets still stored as plain text (endpoints created before <c>Secrets:Key</c> was set);
    /// the dispatcher does it when it starts. Each update applies only while the row still holds that plain secret, so
    /// silos starting together seal each one once. Returns how many this call sealed; 0 without a key.
    /// </summary>
    public async Task<int> SealPlainSecretsAsync(CancellationToken cancellationToken)
    {
        if (!cipher.CanEncrypt)
        {
            return 0;
        }

        var plain = await store.ReadAsync(async (c, ct) => (await c.QueryAsync<(string Id, string TenantId, string Secret)>(new CommandDefinition(
            "SELECT id, tenant_id, secret FROM webhook_endpoints WHERE secret NOT LIKE 'enc:%'", cancellationToken: ct)).ConfigureAwait(false)).ToList(), cancellationToken).ConfigureAwait(false);
        var sealedCount = 0;
        foreach (var (id, tenantId, secret) in plain)
        {
            var stored = WebhookSecretSeal.Seal(cipher, tenantId, id, secret);
            sealedCount += await store.WriteAsync((c, tx, ct) => c.ExecuteAsync(new CommandDefinition(
                "UPDATE webhook_endpoints SET secret = @Stored WHERE id = @Id AND secret = @Plain", new { Stored = stored, Id = id, Plain = secret }, tx, cancellationToken: ct)),
                cancellationToken).ConfigureAwait(false);
        }

        return sealedCount;
    }

    private async Task SealAtStartAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await SealPlainSecretsAsync(cancellationToken).ConfigureAwait(false) is > 0 and var count)
            {
                LogSealed(logger, count);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSealFailed(logger, ex);
        }
    }

    private async Task<Outcome> RecordAsync(Claim claim, bool delivered, int? statusCode, string? error, TimeSpan delay)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await store.WriteAsync((connection, transaction, ct) => delivered
                    ? RecordDeliveredAsync(connection, transaction, claim, statusCode, ct)
                    : RecordFailureAsync(connection, transaction, claim, statusCode, error!, delay, ct), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < RecordAttempts && ex is DbException or TimeoutException or InvalidOperationException)
            {
                // The store blinked: keep trying while the claim is still ours, or a recorded 2xx could be sent again.
                LogRecordRetry(logger, ex, claim.Id, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), time).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogRecordFailed(logger, ex, claim.Id, claim.EventId);
                return Outcome.Lost;
            }
        }
    }

    private async Task<Outcome> RecordDeliveredAsync(DbConnection connection, DbTransaction transaction, Claim claim, int? statusCode, CancellationToken ct)
    {
        var rows = await connection.ExecuteAsync(new CommandDefinition(store.Sql("""
            UPDATE webhook_deliveries SET status = 'delivered', delivered_at = {now}, attempts = attempts + 1, last_attempt_at = {now},
                last_status_code = @StatusCode, last_error = NULL, next_attempt_at = NULL, claim_token = NULL, claim_expires_at = NULL
            WHERE id = @Id AND claim_token = @Token
            """), new { claim.Id, Token = claim.ClaimToken, StatusCode = statusCode }, transaction, cancellationToken: ct)).ConfigureAwait(false);
        return rows == 1 ? Outcome.Delivered : Outcome.Lost;
    }

    private async Task<Outcome> RecordFailureAsync(DbConnection connection, DbTransaction transaction, Claim claim, int? statusCode, string error, TimeSpan delay, CancellationToken ct)
    {
        // Dead when the attempts run out or the delivery is older than the age limit (both judged on the store's clock).
        const string Exhausted = "((@MaxAttempts > 0 AND attempts + 1 >= @MaxAttempts) OR {now} - queued_at >= @MaxAge)";
        var status = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(store.Sql($"""
            UPDATE webhook_deliveries SET
                status = CASE WHEN {Exhausted} THEN 'dead' ELSE 'pending' END,
                next_attempt_at = CASE WHEN {Exhausted} THEN NULL ELSE {"{now}"} + @Delay END,
                attempts = attempts + 1, last_attempt_at = {"{now}"}, last_status_code = @StatusCode, last_error = @Error,
                claim_token = NULL, claim_expires_at = NULL
            WHERE id = @Id AND claim_token = @Token
            RETURNING status
            """), new
        {
            claim.Id, Token = claim.ClaimToken, StatusCode = statusCode, Error = error,
            MaxAttempts = _options.MaxAttempts, MaxAge = _options.MaxAgeMs, Delay = (long)delay.TotalMilliseconds,
        }, transaction, cancellationToken: ct)).ConfigureAwait(false);
        return status switch
        {
            "dead" => Outcome.Dead,
            "pending" => Outcome.Retry,
            _ => Outcome.Lost,
        };
    }

    private Task<int> PruneAsync(CancellationToken cancellationToken) =>
        store.StatementAsync(async (connection, ct) => await connection.ExecuteAsync(new CommandDefinition(store.Sql("""
            DELETE FROM webhook_events WHERE id IN (
                SELECT v.id FROM webhook_events v
                WHERE v.created_at < {now} - @Retention
                  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = v.id AND d.status <> 'delivered')
                LIMIT @Batch)
            """), new { Retention = _options.RetentionMs, Batch = PruneBatch }, cancellationToken: ct)).ConfigureAwait(false), cancellationToken);

    // The same bytes on every attempt: {id, type, createdAt, data} with data as stored.
    private static byte[] Body(Claim claim)
    {
        var buffer = new ArrayBufferWriter<byte>(claim.Payload.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", claim.EventId);
            writer.WriteString("type", claim.EventType);
            writer.WriteString("createdAt", DbTime.ToTime(claim.EventCreatedAt));
            writer.WritePropertyName("data");
            writer.WriteRawValue(claim.Payload, skipInputValidation: false);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var bytes = new byte[MaxErrorLength];
            var read = await stream.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return Encoding.UTF8.GetString(bytes, 0, read).ReplaceLineEndings(" ").Trim();
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            return "";
        }
    }

    private static string Truncate(string text) => text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook dispatcher disabled on this silo (Webhooks:DispatcherEnabled = false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook poll failed; retrying next tick")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook delivery {DeliveryId} of event {EventId} to endpoint {EndpointId} delivered on attempt {Attempt} (HTTP {StatusCode})")]
    private static partial void LogDelivered(ILogger logger, string deliveryId, string eventId, string endpointId, int attempt, int statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} of event {EventId} to endpoint {EndpointId} failed on attempt {Attempt}: {Error}; retrying in {DelayMs} ms")]
    private static partial void LogRetrying(ILogger logger, string deliveryId, string eventId, string endpointId, int attempt, string error, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} of event {EventId} to endpoint {EndpointId} is dead after {Attempt} attempts: {Error}")]
    private static partial void LogDead(ILogger logger, string deliveryId, string eventId, string endpointId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} of event {EventId} to endpoint {EndpointId}: the claim was gone when the outcome was recorded (lapsed, or the endpoint was deleted)")]
    private static partial void LogClaimLost(ILogger logger, string deliveryId, string eventId, string endpointId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording webhook delivery {DeliveryId} failed (try {Attempt}); retrying")]
    private static partial void LogRecordRetry(ILogger logger, Exception exception, string deliveryId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record webhook delivery {DeliveryId} of event {EventId}; its claim will lapse and it will be sent again")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string deliveryId, string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Encrypted the signing secrets of {Count} webhook endpoints with Secrets:Key")]
    private static partial void LogSealed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not encrypt the plain webhook signing secrets; the next start tries again")]
    private static partial void LogSealFailed(ILogger logger, Exception exception);

    private sealed class Claim
    {
        public string Id { get; set; } = "";
        public string EndpointId { get; set; } = "";
        public string TenantId { get; set; } = "";
        public string EventId { get; set; } = "";
        public long Attempts { get; set; }
        public string ClaimToken { get; set; } = "";
        public string Url { get; set; } = "";
        public string Secret { get; set; } = "";
        public string EventType { get; set; } = "";
        public string Payload { get; set; } = "";
        public long EventCreatedAt { get; set; }
    }
}
