using Vox.Gateway.Sip;

namespace Vox.Gateway.Api.Http;

/// <summary>Refuses a trunk name that is neither the caller's stored trunk nor a configured one (calls, campaigns, numbers).</summary>
internal static class TrunkValidation
{
    /// <summary>
    /// Adds an error under <c>trunk</c>, naming the trunks the tenant could use, when <paramref name="name"/> does not
    /// resolve. A null name asks for the default trunk (a call); pass null only where a trunk is required.
    /// </summary>
    public static async Task CheckTrunkAsync(this ValidationErrors errors, SipTrunkDirectory trunks, string tenantId, string? name, CancellationToken cancellationToken)
    {
        if (await trunks.ResolveAsync(tenantId, name, cancellationToken).ConfigureAwait(false) is null)
        {
            errors.Add("trunk", await trunks.UnknownAsync(tenantId, name, cancellationToken).ConfigureAwait(false));
        }
    }
}
