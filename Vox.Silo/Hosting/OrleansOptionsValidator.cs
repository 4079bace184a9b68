using System.Net;
using Microsoft.Extensions.Options;

namespace Vox.Silo.Hosting;

/// <summary>Checks <see cref="OrleansOptions"/> at start; every message names the key to fix (<c>Orleans:SiloPort</c>, ...).</summary>
public sealed class OrleansOptionsValidator : IValidateOptions<OrleansOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OrleansOptions options)
    {
        var errors = new List<string>();
        const string s = OrleansOptions.Section;
        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            errors.Add($"{s}:ClusterId must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            errors.Add($"{s}:ServiceId must not be empty.");
        }

        if (options.SiloPort is < 1 or > 65535)
        {
            errors.Add($"{s}:SiloPort must be between 1 and 65535 (got {options.SiloPort}).");
        }

        if (options.GatewayPort is < 0 or > 65535)
        {
            errors.Add($"{s}:GatewayPort must be 0 (no gateway) or between 1 and 65535 (got {options.GatewayPort}).");
        }
        else if (options.GatewayPort == options.SiloPort)
        {
            errors.Add($"{s}:GatewayPort must differ from {s}:SiloPort (both {options.SiloPort}).");
        }

        if (options.AdvertisedIPAddress.Length > 0 && !IPAddress.TryParse(options.AdvertisedIPAddress, out _))
        {
            errors.Add($"{s}:AdvertisedIPAddress must be an IP address or empty (got '{options.AdvertisedIPAddress}').");
        }

        var m = options.Membership;
        const string ms = s + ":Membership";
        Range(errors, $"{ms}:ProbeTimeoutMs", m.ProbeTimeoutMs, 100, 60_000);
        Range(errors, $"{ms}:MaxProbeTimeoutMs", m.MaxProbeTimeoutMs, 100, 240_000);
        if (m.MaxProbeTimeoutMs < m.ProbeTimeoutMs)
        {
            errors.Add($"{ms}:MaxProbeTimeoutMs ({m.MaxProbeTimeoutMs}) must be at least {ms}:ProbeTimeoutMs ({m.ProbeTimeoutMs}).");
        }

        Range(errors, $"{ms}:NumMissedProbesLimit", m.NumMissedProbesLimit, 1, 100);
        Range(errors, $"{ms}:NumProbedSilos", m.NumProbedSilos, 1, 100);
        Range(errors, $"{ms}:NumVotesForDeathDeclaration", m.NumVotesForDeathDeclaration, 1, 100);
        Range(errors, $"{ms}:DeathVoteExpirationTimeoutMs", m.DeathVoteExpirationTimeoutMs, 1_000, 3_600_000);
        Range(errors, $"{ms}:TableRefreshTimeoutMs", m.TableRefreshTimeoutMs, 100, 3_600_000);
        Range(errors, $"{ms}:IAmAliveTablePublishTimeoutMs", m.IAmAliveTablePublishTimeoutMs, 100, 3_600_000);
        Range(errors, $"{ms}:MaxJoinAttemptTimeMs", m.MaxJoinAttemptTimeMs, 1_000, 3_600_000);
        if (m.NumVotesForDeathDeclaration > m.NumProbedSilos)
        {
            errors.Add($"{ms}:NumVotesForDeathDeclaration ({m.NumVotesForDeathDeclaration}) must not exceed {ms}:NumProbedSilos ({m.NumProbedSilos}): the votes could never be cast.");
        }

        // A vote must outlive the probing that leads to the next one, or votes expire before enough of them meet.
        if (m.DeathVoteExpirationTimeoutMs < 2L * m.ProbeTimeoutMs * m.NumMissedProbesLimit)
        {
            errors.Add($"{ms}:DeathVoteExpirationTimeoutMs ({m.DeathVoteExpirationTimeoutMs}) must be at least twice {ms}:ProbeTimeoutMs x {ms}:NumMissedProbesLimit ({2L * m.ProbeTimeoutMs * m.NumMissedProbesLimit}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} must be between {min} and {max} (got {value}).");
        }
    }
}
