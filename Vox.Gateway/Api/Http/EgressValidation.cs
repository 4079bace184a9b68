using Vox.Grains.Net;

namespace Vox.Gateway.Api.Http;

/// <summary>Refuses, when it is saved, a URL that the egress policy would refuse to connect to at every delivery or tool call.</summary>
internal static class EgressValidation
{
    /// <summary>Adds an error under <paramref name="field"/> when <paramref name="policy"/> refuses the host of <paramref name="url"/> (already validated as absolute).</summary>
    public static Task CheckEgressAsync(this ValidationErrors errors, EgressPolicy policy, string field, string? url, CancellationToken cancellationToken) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? errors.CheckHostEgressAsync(policy, field, uri.IdnHost, cancellationToken) : Task.CompletedTask;

    /// <summary>Adds an error under <paramref name="field"/> when <paramref name="policy"/> refuses <paramref name="host"/>.</summary>
    public static async Task CheckHostEgressAsync(this ValidationErrors errors, EgressPolicy policy, string field, string host, CancellationToken cancellationToken)
    {
        if (await policy.HostRefusalAsync(host, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            errors.Add(field, refusal);
        }
    }
}
