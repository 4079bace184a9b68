using System.Security.Cryptography;
using Dapper;
using Vox.Grains.Secrets;
using Vox.Grains.Webhooks;
using Vox.Testing;

namespace Vox.Grains.Tests.Webhooks;

/// <summary>
/// Signing secrets at rest: encrypted with <c>Secrets:Key</c> when one is set, sealed when a key arrives later, and a
/// silo that cannot decrypt one records a failed attempt that says why instead of signing with garbage.
/// </summary>
public sealed class WebhookSecretTests
{
    private const string Url = "https://hooks.example.com/vox";

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task With_a_key_the_secret_is_stored_encrypted_and_deliveries_are_signed_with_it(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        var created = await bed.EndpointAsync(Url);
        await bed.StartCallAsync("call_1");

        var stored = await StoredSecretAsync(bed, created.Endpoint.Id);
        Assert.StartsWith("enc:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Secret["whsec_".Length..], stored, StringComparison.Ordinal);
        Assert.Equal(1, await bed.Dispatcher().RunOnceAsync(CancellationToken.None));
        Assert.True(Assert.Single(bed.Receiver.Requests).SignatureValid);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Plain_secrets_from_before_the_key_are_sealed_once_and_still_sign(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        var keyless = new SecretCipher(new SecretsOptions());
        var created = await new WebhookCatalog(bed.Ctx.Store, keyless).CreateAsync(bed.Tenant, new WebhookEndpointInput { Url = Url, EventTypes = ["*"] }, CancellationToken.None);
        bed.Receiver.Secrets[Url] = created.Secret;
        Assert.Equal(created.Secret, await StoredSecretAsync(bed, created.Endpoint.Id));

        // Without a key nothing changes; two silos starting with the key seal it once between them.
        Assert.Equal(0, await bed.Dispatcher(cipher: keyless).SealPlainSecretsAsync(CancellationToken.None));
        var sealedCounts = await Task.WhenAll(bed.Dispatcher().SealPlainSecretsAsync(CancellationToken.None), bed.Dispatcher().SealPlainSecretsAsync(CancellationToken.None));
        Assert.Equal(1, sealedCounts.Sum());
        Assert.StartsWith("enc:", await StoredSecretAsync(bed, created.Endpoint.Id), StringComparison.Ordinal);

        await bed.StartCallAsync("call_1");
        Assert.Equal(1, await bed.Dispatcher().RunOnceAsync(CancellationToken.None));
        Assert.True(Assert.Single(bed.Receiver.Requests).SignatureValid);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task A_silo_without_the_key_records_why_it_cannot_sign_and_a_rotated_key_still_reads_it(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        var created = await bed.EndpointAsync(Url);
        await bed.StartCallAsync("call_1");

        var otherKey = new SecretCipher(new SecretsOptions { Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
        Assert.Equal(1, await bed.Dispatcher(cipher: otherKey).RunOnceAsync(CancellationToken.None));
        Assert.Empty(bed.Receiver.Requests);
        var failed = Assert.Single((await bed.Deliveries.ListAsync(bed.Tenant, created.Endpoint.Id, null, 50, null, CancellationToken.None)).Items);
        Assert.Equal((WebhookDeliveryStatus.Pending, 1), (failed.Status, failed.Attempts));
        Assert.Contains("Cannot sign", failed.LastError, StringComparison.Ordinal);
        Assert.Contains("Secrets:PreviousKeys", failed.LastError, StringComparison.Ordinal);

        // After a rotation the old key is listed under Secrets:PreviousKeys and the retry is signed correctly.
        var rotated = new SecretCipher(new SecretsOptions { Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), PreviousKeys = [WebhookTestBed.Key] });
        await bed.Ctx.Store.WriteAsync((c, tx, ct) => c.ExecuteAsync(new CommandDefinition("UPDATE webhook_deliveries SET next_attempt_at = 0", transaction: tx, cancellationToken: ct)), CancellationToken.None);
        Assert.Equal(1, await bed.Dispatcher(cipher: rotated).RunOnceAsync(CancellationToken.None));
        Assert.True(Assert.Single(bed.Receiver.Requests).SignatureValid);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task A_mangled_stored_secret_is_a_failed_attempt_with_the_reason_and_the_dispatcher_goes_on(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        var created = await bed.EndpointAsync(Url);
        await bed.StartCallAsync("call_1");
        var dispatcher = bed.Dispatcher();

        foreach (var (stored, reason) in new[] { ("enc:nokeyid", "not in the stored form"), ("enc:abcd:%%%", "not in the stored form"), ("enc:abcd:AAAA", "was encrypted with key abcd") })
        {
            await bed.Ctx.Store.WriteAsync(async (c, tx, ct) =>
            {
                await c.ExecuteAsync(new CommandDefinition("UPDATE webhook_endpoints SET secret = @Stored", new { Stored = stored }, tx, cancellationToken: ct));
                return await c.ExecuteAsync(new CommandDefinition("UPDATE webhook_deliveries SET next_attempt_at = 0", transaction: tx, cancellationToken: ct));
            }, CancellationToken.None);
            Assert.Equal(1, await dispatcher.RunOnceAsync(CancellationToken.None));
            var failed = Assert.Single((await bed.Deliveries.ListAsync(bed.Tenant, created.Endpoint.Id, null, 50, null, CancellationToken.None)).Items);
            Assert.Contains(reason, failed.LastError, StringComparison.Ordinal);
        }

        Assert.Empty(bed.Receiver.Requests);
    }

    private static Task<string> StoredSecretAsync(WebhookTestBed bed, string endpointId) =>
        bed.Ctx.Store.ReadAsync((c, ct) => c.QuerySingleAsync<string>(new CommandDefinition("SELECT secret FROM webhook_endpoints WHERE id = @Id", new { Id = endpointId }, cancellationToken: ct)), CancellationToken.None);
}
