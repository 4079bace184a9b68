using Vox.Grains.Net;

namespace Vox.Gateway.Api.Http;

/// <summary>Refuses, when it is saved, a URL that the egress policy would refuse to connect to at every delivery or tool call.</summary>
internal static class EgressValidation
{
    /// <summary>Adds an error under <paramref name="field"/> when <paramref name="policy"/> refuses the host of <paramref name="url"/> (already validated as absolute).</summary>
    public static async Task CheckEgressAsync(this ValidationErrors errors, EgressPolicy policy, string field, string? url, CancellationToken cancellationToken)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && await policy.UrlRefusalAsync(uri, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            errors.Add(field, refusal);
        }
    }
}
