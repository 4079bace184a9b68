using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Vox.Grains.Capacity;
using Vox.Grains.Cluster;
using Vox.Grains.Store;
using static Vox.Grains.Store.DbTime;

namespace Vox.Grains.Campaigns;

/// <summary>
/// One campaign over the store. The lease (holder, epoch, expiry) is on the campaign row and decided on the database
/// clock; every transaction that claims or settles attempts first locks that row with the holder's epoch, so a silo whose
/// lease was taken over finds no row and launches nothing. Campaign time (pacing, windows, retries) is the injected
/// <see cref="TimeProvider"/>, so tests drive it exactly.
/// </summary>
public sealed partial class CampaignGrain(
    string campaignId,
    IGrainStore store,
    IGrainFactory grains,
    ICampaignDialer dialer,
    IReminderRegistry reminders,
    CampaignOptions options,
    CapacityOptions capacity,
    TimeProvider time,
    ILogger<CampaignGrain> logger) : ICampaignGrain
{
    /// <summary>The reminders' grain type for campaign ticks.</summary>
    public const string GrainType = "campaign";

    /// <summary>The tick reminder's name.</summary>
    public const string TickReminder = "tick";

    private const string Final = "('completed', 'failed', 'do_not_call', 'cancelled')";

    /// <inheritdoc />
    public string Key => campaignId;

    /// <inheritdoc />
    public async Task<CampaignRecord> CreateAsync(string tenantId, CampaignSpec spec, CancellationToken cancellationToken)
    {
        await store.WriteAsync(async (connection, transaction, ct) => await connection.ExecuteAsync(new CommandDefinition(store.Sql("""
            INSERT INTO campaigns (id, tenant_id, name, bot_id, trunk, caller_id, calls_per_minute, max_concurrent, retry_policy, calling_windows,
                starts_at, ends_at, status, created_at, updated_at)
            VALUES (@Id, @TenantId, @Name, @BotId, @Trunk, @CallerId, @CallsPerMinute, @MaxConcurrent, @Retry, @Windows, @StartsAt, @EndsAt, 'draft', {now}, {now})
            """), new
        {
            Id = campaignId, TenantId = tenantId, spec.Name, spec.BotId, spec.Trunk, spec.CallerId, spec.CallsPerMinute, spec.MaxConcurrent,
            Retry = CampaignRow.Serialize(spec.Retry), Windows = CampaignRow.Serialize(spec.CallingWindows),
            StartsAt = spec.StartsAt is { } s ? ToMs(s) : (long?)null, EndsAt = spec.EndsAt is { } e ? ToMs(e) : (long?)null,
        }, transaction, cancellationToken: ct)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        LogCreated(logger, campaignId, tenantId);
        return await GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<CampaignRecord> GetAsync(string tenantId, CancellationToken cancellationToken) =>
        (await ReadRowAsync(tenantId, cancellationToken).ConfigureAwait(false)).ToRecord();

    /// <inheritdoc />
    public async Task<ContactImportResult> ImportContactsAsync(string tenantId, IReadOnlyList<CampaignContactInput> contacts, CancellationToken cancellationToken) =>
        await store.WriteAsync(async (connection, transaction, ct) =>
        {
            var row = await LockAsync(connection, transaction, tenantId, ct).ConfigureAwait(false);
            if (row.ParsedStatus is CampaignStatus.Completed or CampaignStatus.Cancelled)
            {
                throw new ConflictException("campaign_closed", $"Campaign '{campaignId}' is {row.Status}; contacts cannot be added.");
            }

            var existing = (await connection.QueryAsync<(string Phone, string Id)>(new CommandDefinition(
                "SELECT phone, id FROM campaign_contacts WHERE campaign_id = @Id", new { Id = campaignId }, transaction, cancellationToken: ct)).ConfigureAwait(false))
                .ToDictionary(r => r.Phone, r => r.Id, StringComparer.Ordinal);
            var seq = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT coalesce(max(seq), 0) FROM campaign_contacts WHERE campaign_id = @Id", new { Id = campaignId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            var fresh = new List<object>();
            var merged = new List<object>();
            foreach (var contact in contacts)
            {
                var variables = JsonSerializer.Serialize(contact.Variables);
                if (existing.TryGetValue(contact.Phone, out var id))
                {
                    merged.Add(new { Id = campaignId, ContactId = id, contact.Name, contact.TimeZone, Variables = variables });
                    continue;
                }

                id = Ids.New("cct");
                existing[contact.Phone] = id;
                fresh.Add(new { Id = campaignId, ContactId = id, TenantId = tenantId, Seq = ++seq, contact.Phone, contact.Name, contact.TimeZone, Variables = variables });
            }

            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO campaign_contacts (campaign_id, id, tenant_id, seq, phone, name, time_zone, variables, state)
                VALUES (@Id, @ContactId, @TenantId, @Seq, @Phone, @Name, @TimeZone, @Variables, 'pending')
                """, fresh, transaction, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE campaign_contacts SET name = @Name, time_zone = @TimeZone, variables = @Variables WHERE campaign_id = @Id AND id = @ContactId",
                merged, transaction, cancellationToken: ct)).ConfigureAwait(false);
            return new ContactImportResult(fresh.Count, merged.Count);
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<CampaignRecord> ChangeStatusAsync(string tenantId, CampaignStatus target, CancellationToken cancellationToken)
    {
        var (from, record) = await store.WriteAsync(async (connection, transaction, ct) =>
        {
            var row = await LockAsync(connection, transaction, tenantId, ct).ConfigureAwait(false);
            var current = row.ParsedStatus;
            var allowed = (current, target) switch
            {
                (CampaignStatus.Draft, CampaignStatus.Running) => true,
                (CampaignStatus.Running, CampaignStatus.Paused) => true,
                (CampaignStatus.Paused, CampaignStatus.Running) => true,
                (CampaignStatus.Draft or CampaignStatus.Running or CampaignStatus.Paused, CampaignStatus.Cancelled) => true,
                _ => false,
            };
            if (!allowed)
            {
                throw new ConflictException("invalid_transition", $"Campaign '{campaignId}' is {row.Status}; it cannot become {CampaignRow.StatusName(target)}.", "status");
            }

            await connection.ExecuteAsync(new CommandDefinition(store.Sql(
                "UPDATE campaigns SET status = @Status, updated_at = {now}, completed_at = CASE WHEN @Status = 'cancelled' THEN {now} ELSE completed_at END WHERE id = @Id"),
                new { Id = campaignId, Status = CampaignRow.StatusName(target) }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            if (target == CampaignStatus.Cancelled)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    $"UPDATE campaign_contacts SET state = 'cancelled' WHERE campaign_id = @Id AND state NOT IN {Final}",
                    new { Id = campaignId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            }

            row.Status = CampaignRow.StatusName(target);
            return (current, row.ToRecord());
        }, cancellationToken).ConfigureAwait(false);

        if (target == CampaignStatus.Running)
        {
            var tick = TimeSpan.FromMilliseconds(options.TickIntervalMs);
            await reminders.RegisterOrUpdateAsync(GrainType, campaignId, TickReminder, TimeSpan.Zero, tick, cancellationToken).ConfigureAwait(false);
        }
        else if (target == CampaignStatus.Cancelled)
        {
            await reminders.UnregisterAsync(GrainType, campaignId, TickReminder, cancellationToken).ConfigureAwait(false);
        }

        LogStatusChanged(logger, campaignId, from, target);
        return record;
    }

    /// <inheritdoc />
    public async Task<CampaignProgress> GetProgressAsync(string tenantId, CancellationToken cancellationToken)
    {
        var row = await ReadRowAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return await store.ReadAsync(async (connection, ct) =>
        {
            var counts = ContactStates.All.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
            foreach (var (state, n) in await connection.QueryAsync<(string, long)>(new CommandDefinition(
                "SELECT state, count(*) FROM campaign_contacts WHERE campaign_id = @Id AND tenant_id = @TenantId GROUP BY state",
                new { Id = campaignId, TenantId = tenantId }, cancellationToken: ct)).ConfigureAwait(false))
            {
                counts[state] = (int)n;
            }

            var (attempts, active) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
                "SELECT count(*), coalesce(sum(CASE WHEN outcome IS NULL THEN 1 ELSE 0 END), 0) FROM campaign_attempts WHERE campaign_id = @Id AND tenant_id = @TenantId",
                new { Id = campaignId, TenantId = tenantId }, cancellationToken: ct)).ConfigureAwait(false);
            var remaining = counts[ContactStates.Pending] + counts[ContactStates.Dialling];
            TimeSpan? eta = row.ParsedStatus is CampaignStatus.Completed or CampaignStatus.Cancelled ? TimeSpan.Zero
                : row.CallsPerMinute > 0 ? TimeSpan.FromMinutes((double)remaining / row.CallsPerMinute) : null;
            return new CampaignProgress(campaignId, row.ParsedStatus, counts, (int)attempts, (int)active, eta);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CampaignContact>> GetContactsAsync(string tenantId, int offset, int limit, CancellationToken cancellationToken)
    {
        await ReadRowAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return await store.ReadAsync<IReadOnlyList<CampaignContact>>(async (connection, ct) => (await connection.QueryAsync<ContactRow>(new CommandDefinition(
            "SELECT * FROM campaign_contacts WHERE campaign_id = @Id AND tenant_id = @TenantId ORDER BY seq LIMIT @Limit OFFSET @Offset",
            new { Id = campaignId, TenantId = tenantId, Limit = limit, Offset = offset }, cancellationToken: ct)).ConfigureAwait(false))
            .Select(r => r.ToContact()).ToList(), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CampaignAttempt>> GetAttemptsAsync(string tenantId, string? contactId, CancellationToken cancellationToken)
    {
        await ReadRowAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return await store.ReadAsync<IReadOnlyList<CampaignAttempt>>(async (connection, ct) => (await connection.QueryAsync<AttemptRow>(new CommandDefinition(
            "SELECT * FROM campaign_attempts WHERE campaign_id = @Id AND tenant_id = @TenantId" + (contactId is null ? "" : " AND contact_id = @ContactId") +
            " ORDER BY launched_at, contact_id, attempt_no",
            new { Id = campaignId, TenantId = tenantId, ContactId = contactId }, cancellationToken: ct)).ConfigureAwait(false))
            .Select(r => new CampaignAttempt(r.ContactId, (int)r.AttemptNo, r.Epoch, r.CallId, ToTime(r.LaunchedAt), r.Outcome, ToTime(r.EndedAt))).ToList(),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<CampaignTickResult> TickAsync(string holder, CancellationToken cancellationToken)
    {
        var epoch = await AcquireLeaseAsync(holder, cancellationToken).ConfigureAwait(false);
        if (epoch is null)
        {
            var status = await store.ReadAsync((c, ct) => c.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT status FROM campaigns WHERE id = @Id", new { Id = campaignId }, cancellationToken: ct)), cancellationToken).ConfigureAwait(false);
            return new CampaignTickResult(false, 0, 0, 0, status is null or "completed" or "cancelled");
        }

        var applied = await SettleAsync(holder, epoch.Value, cancellationToken).ConfigureAwait(false);
        var launched = await LaunchAsync(holder, epoch.Value, cancellationToken).ConfigureAwait(false);
        var finished = await CompleteIfDoneAsync(cancellationToken).ConfigureAwait(false);
        if (finished)
        {
            await reminders.UnregisterAsync(GrainType, campaignId, TickReminder, cancellationToken).ConfigureAwait(false);
            LogCompleted(logger, campaignId);
        }

        return new CampaignTickResult(true, epoch.Value, launched, applied, finished);
    }

    /// <summary>Takes the lease if it is free or lapsed (a new epoch) or renews it if <paramref name="holder"/> has it; null when another holds it.</summary>
    public async Task<long?> AcquireLeaseAsync(string holder, CancellationToken cancellationToken)
    {
        var epoch = await store.WriteAsync((connection, transaction, ct) => connection.ExecuteScalarAsync<long?>(new CommandDefinition(store.Sql("""
            UPDATE campaigns SET
                lease_epoch = CASE WHEN lease_holder = @Holder AND lease_expires_at > {now} THEN lease_epoch ELSE lease_epoch + 1 END,
                lease_holder = @Holder, lease_expires_at = {now} + @Ttl
            WHERE id = @Id AND status IN ('running', 'paused') AND (lease_holder IS NULL OR lease_holder = @Holder OR lease_expires_at <= {now})
            RETURNING lease_epoch
            """), new { Id = campaignId, Holder = holder, Ttl = (long)options.LeaseTtlMs }, transaction, cancellationToken: ct)), cancellationToken).ConfigureAwait(false);
        return epoch;
    }

    /// <summary>
    /// Claims the tick's budget of due contacts under <paramref name="epoch"/> in one transaction (nothing if the lease moved on),
    /// then dials them; returns how many calls were placed.
    /// </summary>
    public async Task<int> LaunchAsync(string holder, long epoch, CancellationToken cancellationToken)
    {
        var counts = await grains.GetGrain<ICapacityGrain>(capacity.DefaultPool).GetCountsAsync(cancellationToken).ConfigureAwait(false);
        var freeSlots = LaunchPlanner.FreeOutboundSlots(counts.Total, counts.Idle, capacity.InboundReserveRatio);
        var now = time.GetUtcNow();
        var claims = await store.WriteAsync(async (connection, transaction, ct) =>
        {
            var row = await FenceAsync(connection, transaction, holder, epoch, ct).ConfigureAwait(false);
            if (row is null || row.ParsedStatus != CampaignStatus.Running || (row.StartsAt is { } starts && starts > ToMs(now)) || (row.EndsAt is { } ends && ends <= ToMs(now)))
            {
                return [];
            }

            var (lastMinute, active, lastLaunch) = await connection.QuerySingleAsync<(long, long, long)>(new CommandDefinition($"""
                SELECT coalesce(sum(CASE WHEN launched_at > @Since AND (outcome IS NULL OR outcome <> '{AttemptOutcomes.NotLaunched}') THEN 1 ELSE 0 END), 0),
                       coalesce(sum(CASE WHEN outcome IS NULL THEN 1 ELSE 0 END), 0),
                       coalesce(max(CASE WHEN outcome IS NULL OR outcome <> '{AttemptOutcomes.NotLaunched}' THEN launched_at END), 0)
                FROM campaign_attempts WHERE campaign_id = @Id
                """, new { Id = campaignId, Since = ToMs(now) - 60_000 }, transaction, cancellationToken: ct)).ConfigureAwait(false);

            // The cap covers the time since the last launch, not one tick: ticks fired on silos that do not hold the lease
            // launch nothing, and the holder's next tick makes up for them.
            var tick = TimeSpan.FromMilliseconds(options.TickIntervalMs);
            var sinceLast = lastLaunch == 0 ? tick : TimeSpan.FromMilliseconds(Math.Clamp(ToMs(now) - lastLaunch, 0, 60_000));
            var budget = LaunchPlanner.Budget((int)row.CallsPerMinute, (int)lastMinute,
                LaunchPlanner.PerTickCap((int)row.CallsPerMinute, sinceLast > tick ? sinceLast : tick), (int)row.MaxConcurrent, (int)active, freeSlots);
            return budget == 0 ? [] : await ClaimDueAsync(connection, transaction, row, holder, epoch, budget, now, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        var placed = 0;
        foreach (var claim in claims)
        {
            CampaignDialResult result;
            try
            {
                result = await dialer.DialAsync(claim, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogDialFailed(logger, ex, campaignId, claim.ContactId);
                result = new CampaignDialResult(null, ex.Message);
            }

            if (result.CallId is not null)
            {
                placed++;
                LogLaunched(logger, campaignId, claim.ContactId, claim.AttemptNo, epoch, result.CallId);
            }
            else
            {
                await RecordNotLaunchedAsync(claim, cancellationToken).ConfigureAwait(false);
            }
        }

        return placed;
    }

    /// <summary>Applies the outcome of every attempt whose call ended (and of attempts whose launch was lost) under <paramref name="epoch"/>.</summary>
    public Task<int> SettleAsync(string holder, long epoch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return store.WriteAsync(async (connection, transaction, ct) =>
        {
            var row = await FenceAsync(connection, transaction, holder, epoch, ct).ConfigureAwait(false);
            if (row is null)
            {
                return 0;
            }

            var ended = (await connection.QueryAsync<(string ContactId, long AttemptNo, string? EndReason)>(new CommandDefinition("""
                SELECT a.contact_id, a.attempt_no, c.end_reason FROM campaign_attempts a JOIN calls c ON c.id = a.call_id
                WHERE a.campaign_id = @Id AND a.outcome IS NULL AND c.state = 'ended'
                """, new { Id = campaignId }, transaction, cancellationToken: ct)).ConfigureAwait(false))
                .Select(r => (r.ContactId, r.AttemptNo, Outcome: AttemptOutcomes.FromEndReason(r.EndReason))).ToList();

            // Claimed long ago and its call never came to exist: the claiming tick died (or was cut at its claim budget)
            // before dialling. Its call id is fixed, so a call placed just before a crash is found by the join above
            // instead. Judged on the database clock (claimed_at), like the lease, not on campaign time; a tick is cut
            // well before OrphanAfterMs, so nothing can still be dialling it.
            var orphans = await connection.QueryAsync<(string ContactId, long AttemptNo)>(new CommandDefinition(store.Sql("""
                SELECT a.contact_id, a.attempt_no FROM campaign_attempts a
                WHERE a.campaign_id = @Id AND a.outcome IS NULL AND a.claimed_at <= {now} - @OrphanAfter
                  AND (a.call_id IS NULL OR NOT EXISTS (SELECT 1 FROM calls c WHERE c.id = a.call_id))
                """), new { Id = campaignId, OrphanAfter = (long)options.OrphanAfterMs }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            ended.AddRange(orphans.Select(o => (o.ContactId, o.AttemptNo, AttemptOutcomes.NotLaunched)));

            var retry = row.ToSpec().Retry;
            foreach (var (contactId, attemptNo, outcome) in ended)
            {
                await ApplyOutcomeAsync(connection, transaction, retry, contactId, (int)attemptNo, outcome, now, ct).ConfigureAwait(false);
                LogOutcome(logger, campaignId, contactId, (int)attemptNo, outcome);
            }

            return ended.Count;
        }, cancellationToken);
    }

    private async Task<List<CampaignDial>> ClaimDueAsync(
        DbConnection connection, DbTransaction transaction, CampaignRow row, string holder, long epoch, int budget, DateTimeOffset now, CancellationToken ct)
    {
        var nowMs = ToMs(now);
        var due = (await connection.QueryAsync<ContactRow>(new CommandDefinition(
            "SELECT * FROM campaign_contacts WHERE campaign_id = @Id AND state = 'pending' AND next_attempt_at <= @Now ORDER BY next_attempt_at, seq LIMIT @Scan",
            new { Id = campaignId, Now = nowMs, Scan = Math.Max(budget * 4, 100) }, transaction, cancellationToken: ct)).ConfigureAwait(false)).ToList();
        if (due.Count == 0)
        {
            return [];
        }

        var blocked = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT phone FROM do_not_call WHERE tenant_id = @TenantId AND phone " + (store.Dialect == StoreDialect.Postgres ? "= ANY(@Phones)" : "IN @Phones"),
            new { row.TenantId, Phones = due.Select(c => c.Phone).ToArray() }, transaction, cancellationToken: ct)).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var windows = row.ToSpec().CallingWindows;
        var claims = new List<CampaignDial>();
        foreach (var contact in due)
        {
            if (blocked.Contains(contact.Phone))
            {
                await SetContactAsync(connection, transaction, contact.Id, ContactStates.DoNotCall, contact.NextAttemptAt, ct).ConfigureAwait(false);
                continue;
            }

            var zone = TimeZoneInfo.FindSystemTimeZoneById(contact.TimeZone);
            if (!LaunchPlanner.IsOpen(windows, zone, now))
            {
                var opening = LaunchPlanner.NextOpening(windows, zone, now);
                await SetContactAsync(connection, transaction, contact.Id, opening is null ? ContactStates.Cancelled : ContactStates.Pending,
                    opening is null ? nowMs : ToMs(opening.Value), ct).ConfigureAwait(false);
                continue;
            }

            if (claims.Count == budget)
            {
                continue;
            }

            var attemptNo = (int)contact.LastAttemptNo + 1;
            var callId = CampaignCallIds.For(campaignId, contact.Id, attemptNo);
            await connection.ExecuteAsync(new CommandDefinition(store.Sql("""
                INSERT INTO campaign_attempts (campaign_id, contact_id, attempt_no, tenant_id, epoch, holder, call_id, launched_at, claimed_at)
                VALUES (@Id, @ContactId, @AttemptNo, @TenantId, @Epoch, @Holder, @CallId, @Now, {now})
                """), new { Id = campaignId, ContactId = contact.Id, AttemptNo = attemptNo, row.TenantId, Epoch = epoch, Holder = holder, CallId = callId, Now = nowMs },
                transaction, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE campaign_contacts SET state = 'dialling', last_attempt_no = @AttemptNo WHERE campaign_id = @Id AND id = @ContactId",
                new { Id = campaignId, ContactId = contact.Id, AttemptNo = attemptNo }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            var variables = contact.ParsedVariables();
            if (contact.Name is not null && !variables.ContainsKey("name"))
            {
                variables["name"] = contact.Name;
            }

            claims.Add(new CampaignDial(callId, row.TenantId, campaignId, contact.Id, attemptNo, epoch, row.BotId, contact.Phone, row.CallerId, row.Trunk, variables));
        }

        return claims;
    }

    /// <summary>Not placed (no free slot, SIP down): the attempt does not count and the contact waits a tick. A placed call has the attempt's own id, stored at the claim.</summary>
    private Task RecordNotLaunchedAsync(CampaignDial claim, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) =>
        {
            await ApplyOutcomeAsync(connection, transaction, RetryPolicy.Default, claim.ContactId, claim.AttemptNo, AttemptOutcomes.NotLaunched, time.GetUtcNow(), ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    private async Task ApplyOutcomeAsync(
        DbConnection connection, DbTransaction transaction, RetryPolicy retry, string contactId, int attemptNo, string outcome, DateTimeOffset now, CancellationToken ct)
    {
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE campaign_attempts SET outcome = @Outcome, ended_at = @Now WHERE campaign_id = @Id AND contact_id = @ContactId AND attempt_no = @AttemptNo AND outcome IS NULL",
            new { Id = campaignId, ContactId = contactId, AttemptNo = attemptNo, Outcome = outcome, Now = ToMs(now) }, transaction, cancellationToken: ct)).ConfigureAwait(false);
        if (updated == 0)
        {
            return;
        }

        var counted = outcome == AttemptOutcomes.NotLaunched ? 0 : 1;
        var attempts = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT attempts FROM campaign_contacts WHERE campaign_id = @Id AND id = @ContactId",
            new { Id = campaignId, ContactId = contactId }, transaction, cancellationToken: ct)).ConfigureAwait(false) + counted;
        var (state, next) = LaunchPlanner.AfterOutcome(retry, outcome, (int)attempts, now, TimeSpan.FromMilliseconds(options.TickIntervalMs));
        await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE campaign_contacts SET state = CASE WHEN state = 'dialling' THEN @State ELSE state END, attempts = @Attempts, next_attempt_at = @Next,
                last_outcome = CASE WHEN @Outcome = '{AttemptOutcomes.NotLaunched}' THEN last_outcome ELSE @Outcome END
            WHERE campaign_id = @Id AND id = @ContactId
            """, new { Id = campaignId, ContactId = contactId, State = state, Attempts = attempts, Next = ToMs(next), Outcome = outcome },
            transaction, cancellationToken: ct)).ConfigureAwait(false);
    }

    private Task SetContactAsync(DbConnection connection, DbTransaction transaction, string contactId, string state, long nextAttemptAt, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE campaign_contacts SET state = @State, next_attempt_at = @Next WHERE campaign_id = @Id AND id = @ContactId",
            new { Id = campaignId, ContactId = contactId, State = state, Next = nextAttemptAt }, transaction, cancellationToken: ct));

    private async Task<bool> CompleteIfDoneAsync(CancellationToken cancellationToken)
    {
        var nowMs = ToMs(time.GetUtcNow());
        return await store.WriteAsync(async (connection, transaction, ct) =>
        {
            // Past its end date, contacts still waiting will not be dialled.
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE campaign_contacts SET state = 'cancelled'
                WHERE campaign_id = @Id AND state = 'pending' AND EXISTS (SELECT 1 FROM campaigns WHERE id = @Id AND ends_at IS NOT NULL AND ends_at <= @Now)
                """, new { Id = campaignId, Now = nowMs }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            return await connection.ExecuteAsync(new CommandDefinition(store.Sql("""
                UPDATE campaigns SET status = 'completed', completed_at = {now}, updated_at = {now}, lease_holder = NULL, lease_expires_at = NULL
                WHERE id = @Id AND status = 'running'
                  AND NOT EXISTS (SELECT 1 FROM campaign_contacts WHERE campaign_id = @Id AND state IN ('pending', 'dialling'))
                  AND NOT EXISTS (SELECT 1 FROM campaign_attempts WHERE campaign_id = @Id AND outcome IS NULL)
                """), new { Id = campaignId }, transaction, cancellationToken: ct)).ConfigureAwait(false) == 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Locks the campaign row if <paramref name="holder"/> still holds the lease at <paramref name="epoch"/>: the fencing check.</summary>
    private Task<CampaignRow?> FenceAsync(DbConnection connection, DbTransaction transaction, string holder, long epoch, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<CampaignRow>(new CommandDefinition(store.Sql($"""
            SELECT {CampaignRow.Columns} FROM campaigns
            WHERE id = @Id AND lease_holder = @Holder AND lease_epoch = @Epoch AND lease_expires_at > {"{now}"} {"{for_update}"}
            """), new { Id = campaignId, Holder = holder, Epoch = epoch }, transaction, cancellationToken: ct));

    private async Task<CampaignRow> LockAsync(DbConnection connection, DbTransaction transaction, string tenantId, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<CampaignRow>(new CommandDefinition(store.Sql(
            $"SELECT {CampaignRow.Columns} FROM campaigns WHERE id = @Id AND tenant_id = @TenantId {{for_update}}"),
            new { Id = campaignId, TenantId = tenantId }, transaction, cancellationToken: ct)).ConfigureAwait(false)
        ?? throw new NotFoundException("campaign", campaignId);

    private async Task<CampaignRow> ReadRowAsync(string tenantId, CancellationToken cancellationToken) =>
        await store.ReadAsync((connection, ct) => connection.QuerySingleOrDefaultAsync<CampaignRow>(new CommandDefinition(
            $"SELECT {CampaignRow.Columns} FROM campaigns WHERE id = @Id AND tenant_id = @TenantId",
            new { Id = campaignId, TenantId = tenantId }, cancellationToken: ct)), cancellationToken).ConfigureAwait(false)
        ?? throw new NotFoundException("campaign", campaignId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} created for tenant {TenantId}")]
    private static partial void LogCreated(ILogger logger, string campaignId, string tenantId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} {From} -> {To}")]
    private static partial void LogStatusChanged(ILogger logger, string campaignId, CampaignStatus from, CampaignStatus to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} completed: every contact is final")]
    private static partial void LogCompleted(ILogger logger, string campaignId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Campaign {CampaignId} launched contact {ContactId} attempt {AttemptNo} (epoch {Epoch}) as call {CallId}")]
    private static partial void LogLaunched(ILogger logger, string campaignId, string contactId, int attemptNo, long epoch, string callId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Campaign {CampaignId} contact {ContactId} attempt {AttemptNo} ended {Outcome}")]
    private static partial void LogOutcome(ILogger logger, string campaignId, string contactId, int attemptNo, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign {CampaignId} could not dial contact {ContactId}")]
    private static partial void LogDialFailed(ILogger logger, Exception exception, string campaignId, string contactId);
}
