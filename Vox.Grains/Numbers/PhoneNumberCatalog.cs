using System.Data.Common;
using Dapper;
using Vox.Grains.Store;

namespace Vox.Grains.Numbers;

/// <summary>Phone numbers on the store; the number is unique across all tenants.</summary>
public sealed class PhoneNumberCatalog(IGrainStore store) : IPhoneNumberCatalog
{
    /// <inheritdoc />
    public async Task<PhoneNumber> CreateAsync(string tenantId, PhoneNumberInput input, CancellationToken cancellationToken)
    {
        Validate(input);
        try
        {
            return await store.WriteAsync(async (connection, transaction, ct) =>
            {
                await CheckBotAsync(connection, transaction, tenantId, input.BotId, ct).ConfigureAwait(false);
                return (await connection.QuerySingleAsync<Row>(new CommandDefinition(store.Sql("""
                    INSERT INTO phone_numbers (id, tenant_id, number, bot_id, label, trunk, created_at)
                    VALUES (@Id, @TenantId, @Number, @BotId, @Label, @Trunk, {now}) RETURNING *
                    """), new { Id = Ids.New("num"), TenantId = tenantId, input.Number, input.BotId, input.Label, input.Trunk },
                    transaction, cancellationToken: ct)).ConfigureAwait(false)).ToNumber();
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (store.IsUniqueViolation(ex))
        {
            throw new ConflictException("number_taken", $"The number {input.Number} is already registered.", "number");
        }
    }

    /// <inheritdoc />
    public async Task<PhoneNumber> UpdateAsync(string tenantId, string id, PhoneNumberInput input, CancellationToken cancellationToken)
    {
        Validate(input);
        try
        {
            return await store.WriteAsync(async (connection, transaction, ct) =>
            {
                await CheckBotAsync(connection, transaction, tenantId, input.BotId, ct).ConfigureAwait(false);
                return (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                    "UPDATE phone_numbers SET number = @Number, bot_id = @BotId, label = @Label, trunk = @Trunk WHERE id = @Id AND tenant_id = @TenantId RETURNING *",
                    new { Id = id, TenantId = tenantId, input.Number, input.BotId, input.Label, input.Trunk }, transaction, cancellationToken: ct)).ConfigureAwait(false))?.ToNumber()
                    ?? throw new NotFoundException("phone number", id);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (store.IsUniqueViolation(ex))
        {
            throw new ConflictException("number_taken", $"The number {input.Number} is already registered.", "number");
        }
    }

    /// <inheritdoc />
    public Task<PhoneNumber> GetAsync(string tenantId, string id, CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) => (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT * FROM phone_numbers WHERE id = @Id AND tenant_id = @TenantId", new { Id = id, TenantId = tenantId }, cancellationToken: ct)).ConfigureAwait(false))?.ToNumber()
            ?? throw new NotFoundException("phone number", id), cancellationToken);

    /// <inheritdoc />
    public Task<Page<PhoneNumber>> ListAsync(string tenantId, int limit, string? cursor, CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) =>
        {
            var after = Cursor.Decode(cursor);
            var rows = (await connection.QueryAsync<Row>(new CommandDefinition($"""
                SELECT * FROM phone_numbers WHERE tenant_id = @TenantId
                {(after is null ? "" : "AND (created_at < @CreatedAt OR (created_at = @CreatedAt AND id < @Id))")}
                ORDER BY created_at DESC, id DESC LIMIT @Take
                """, new { TenantId = tenantId, CreatedAt = after?.CreatedAt ?? 0, Id = after?.Id ?? "", Take = limit + 1 }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            return Cursor.ToPage(rows, limit, r => (r.CreatedAt, r.Id), r => r.ToNumber());
        }, cancellationToken);

    /// <inheritdoc />
    public Task DeleteAsync(string tenantId, string id, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) =>
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM phone_numbers WHERE id = @Id AND tenant_id = @TenantId",
                new { Id = id, TenantId = tenantId }, transaction, cancellationToken: ct)).ConfigureAwait(false) == 1
                ? true
                : throw new NotFoundException("phone number", id), cancellationToken);

    /// <inheritdoc />
    public Task<PhoneNumber?> FindByNumberAsync(string e164, CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) => (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT * FROM phone_numbers WHERE number = @Number", new { Number = e164 }, cancellationToken: ct)).ConfigureAwait(false))?.ToNumber(), cancellationToken);

    private static void Validate(PhoneNumberInput input)
    {
        if (!E164.IsValid(input.Number))
        {
            throw new VoxException("invalid_number", $"'{input.Number}' is not an E.164 number (+ then 7 to 15 digits, e.g. +14155550123).");
        }
    }

    private static async Task CheckBotAsync(DbConnection connection, DbTransaction transaction, string tenantId, string? botId, CancellationToken ct)
    {
        if (botId is null)
        {
            return;
        }

        var found = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM bots WHERE id = @BotId AND tenant_id = @TenantId AND deleted_at IS NULL",
            new { BotId = botId, TenantId = tenantId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
        if (found == 0)
        {
            throw new NotFoundException("bot", botId);
        }
    }

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string TenantId { get; set; } = "";
        public string Number { get; set; } = "";
        public string? BotId { get; set; }
        public string? Label { get; set; }
        public string? Trunk { get; set; }
        public long CreatedAt { get; set; }

        public PhoneNumber ToNumber() => new(Id, TenantId, Number, BotId, Label, Trunk, DbTime.ToTime(CreatedAt));
    }
}
