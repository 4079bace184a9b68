using System.Security.Cryptography;
using System.Text;
using Dapper;
using Vox.Grains.Secrets;

namespace Vox.Grains.Tests.Knowledge;

/// <summary>Encrypted tenant secrets on both engines.</summary>
public sealed class TenantSecretStoreTests
{
    public static IEnumerable<object[]> Dialects => Vox.Testing.TestDatabases.Dialects;

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Secrets_round_trip_encrypted_at_rest_and_listed_without_values(string dialect)
    {
        await using var context = await GrainTestContext.CreateAsync(dialect);
        var secrets = new TenantSecretStore(context.Store, new SecretCipher(new SecretsOptions { Key = NewKey() }));
        var tenant = await context.CreateTenantAsync();
        await secrets.SetAsync(tenant, "openai", "sk-live-plaintext-123", CancellationToken.None);
        await secrets.SetAsync(tenant, "openai", "sk-live-plaintext-456", CancellationToken.None);
        await secrets.SetAsync(tenant, "deepgram", "dg-plaintext-789", CancellationToken.None);

        var revealed = await secrets.RevealAsync(tenant, CancellationToken.None);
        Assert.Equal("sk-live-plaintext-456", revealed.Get("openai"));
        Assert.Equal("dg-plaintext-789", revealed.Get("deepgram"));
        Assert.DoesNotContain("plaintext", revealed.ToString(), StringComparison.Ordinal);
        Assert.Equal(["deepgram", "openai"], (await secrets.ListAsync(tenant, CancellationToken.None)).Select(s => s.Name).ToArray());

        var stored = await context.Store.ReadAsync(async (c, ct) => (await c.QueryAsync<byte[]>("SELECT ciphertext FROM tenant_secrets")).ToList(), CancellationToken.None);
        Assert.All(stored, bytes => Assert.DoesNotContain("plaintext", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Another_tenant_gets_none_of_the_secrets_and_a_moved_ciphertext_does_not_decrypt(string dialect)
    {
        await using var context = await GrainTestContext.CreateAsync(dialect);
        var secrets = new TenantSecretStore(context.Store, new SecretCipher(new SecretsOptions { Key = NewKey() }));
        var a = await context.CreateTenantAsync();
        var b = await context.CreateTenantAsync();
        await secrets.SetAsync(a, "openai", "sk-tenant-a", CancellationToken.None);

        Assert.Empty((await secrets.RevealAsync(b, CancellationToken.None)).Values);
        await context.Store.WriteAsync((c, t, ct) => c.ExecuteAsync(
            "INSERT INTO tenant_secrets (tenant_id, name, key_id, ciphertext, updated_at) SELECT @B, name, key_id, ciphertext, updated_at FROM tenant_secrets WHERE tenant_id = @A",
            new { A = a, B = b }, t), CancellationToken.None);
        var error = await Assert.ThrowsAsync<VoxException>(() => secrets.RevealAsync(b, CancellationToken.None));
        Assert.Equal("secret_corrupt", error.Code);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task A_rotated_key_still_reads_old_secrets_and_a_missing_key_is_a_clear_error(string dialect)
    {
        await using var context = await GrainTestContext.CreateAsync(dialect);
        var oldKey = NewKey();
        var tenant = await context.CreateTenantAsync();
        await new TenantSecretStore(context.Store, new SecretCipher(new SecretsOptions { Key = oldKey })).SetAsync(tenant, "minimax", "mm-old", CancellationToken.None);

        var rotated = new TenantSecretStore(context.Store, new SecretCipher(new SecretsOptions { Key = NewKey(), PreviousKeys = [oldKey] }));
        Assert.Equal("mm-old", (await rotated.RevealAsync(tenant, CancellationToken.None)).Get("minimax"));

        var keyless = new TenantSecretStore(context.Store, new SecretCipher(new SecretsOptions()));
        var error = await Assert.ThrowsAsync<VoxException>(() => keyless.SetAsync(tenant, "x", "y", CancellationToken.None));
        Assert.Contains("Secrets:Key", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new SecretCipher(new SecretsOptions { Key = Convert.ToBase64String(new byte[16]) }));
    }
}
