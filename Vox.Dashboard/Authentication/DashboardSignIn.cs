using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vox.Grains.Tenants;

namespace Vox.Dashboard.Authentication;

/// <summary>
/// Turns what a person typed into a <see cref="DashboardUser"/>: an API key goes through the tenant directory (the same
/// validation as the REST API); a user name and password are compared with the configured credentials in fixed time.
/// </summary>
public sealed class DashboardSignIn(ITenantDirectory directory, IOptionsMonitor<DashboardOptions> options)
{
    private const string CheckedItem = "vox:checked";

    /// <summary>The user for an API key, or null when the key is unknown or revoked.</summary>
    public async Task<DashboardUser?> WithApiKeyAsync(string apiKey, CancellationToken cancellationToken)
    {
        var principal = await directory.AuthenticateAsync(apiKey.Trim(), cancellationToken).ConfigureAwait(false);
        return principal is null ? null : new DashboardUser(principal.TenantId, principal.KeyId, principal.IsAdmin);
    }

    /// <summary>The user for configured credentials, or null when they do not match.</summary>
    public DashboardUser? WithPassword(string username, string password)
    {
        DashboardUser? match = null;
        foreach (var user in options.CurrentValue.Users)
        {
            // Every entry is compared, so the time taken does not tell which user names exist.
            var nameMatches = FixedTimeEquals(user.Username, username);
            var passwordMatches = FixedTimeEquals(user.Password, password);
            if (nameMatches && passwordMatches && user.Username.Length > 0 && user.Password.Length > 0 && user.TenantId.Length > 0)
            {
                match = new DashboardUser(user.TenantId, "user:" + user.Username, user.Admin);
            }
        }

        return match;
    }

    /// <summary>
    /// Cookie validation: a session made with an API key ends once the key is revoked (checked every
    /// <see cref="DashboardOptions.RevalidateSeconds"/>); a configured user ends when it is removed from configuration.
    /// </summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var user = context.Principal is null ? null : DashboardUser.From(context.Principal);
        var signIn = context.HttpContext.RequestServices.GetRequiredService<DashboardSignIn>();
        if (user is null || !await signIn.StillValidAsync(user, context.Properties.Items, context.HttpContext.RequestAborted).ConfigureAwait(false))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(DashboardAuth.Scheme).ConfigureAwait(false);
            return;
        }

        if (context.Properties.Items.ContainsKey(CheckedItem + ":renew"))
        {
            context.Properties.Items.Remove(CheckedItem + ":renew");
            context.ShouldRenew = true;
        }
    }

    /// <summary>Marks a fresh session as checked now.</summary>
    public static void Stamp(IDictionary<string, string?> items) =>
        items[CheckedItem] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private async Task<bool> StillValidAsync(DashboardUser user, IDictionary<string, string?> items, CancellationToken cancellationToken)
    {
        if (user.KeyId.StartsWith("user:", StringComparison.Ordinal))
        {
            var name = user.KeyId["user:".Length..];
            return options.CurrentValue.Users.Any(u => u.Username == name && u.TenantId == user.TenantId && u.Admin == user.IsAdmin);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (items.TryGetValue(CheckedItem, out var stamp) && long.TryParse(stamp, CultureInfo.InvariantCulture, out var at)
            && now - at < options.CurrentValue.RevalidateSeconds)
        {
            return true;
        }

        var keys = await directory.ListApiKeysAsync(user.TenantId, cancellationToken).ConfigureAwait(false);
        if (!keys.Any(k => k.Id == user.KeyId && k.RevokedAt is null && k.IsAdmin == user.IsAdmin))
        {
            return false;
        }

        Stamp(items);
        items[CheckedItem + ":renew"] = "1";
        return true;
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(actual)));
}
