namespace Vox.Grains.Webhooks;

/// <summary>What a webhook endpoint's URL may be: absolute http(s), a host, no credentials, no fragment.</summary>
public static class WebhookUrl
{
    /// <summary>Longest URL accepted.</summary>
    public const int MaxLength = 2_000;

    /// <summary>Null when <paramref name="value"/> is acceptable, else why not (one sentence).</summary>
    public static string? Problem(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "Must be an absolute http or https URL.";
        }

        if (value.Length > MaxLength)
        {
            return $"Must be at most {MaxLength} characters (got {value.Length}).";
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
        {
            return "Must be an absolute http or https URL, e.g. https://example.com/vox/webhooks.";
        }

        // Credentials in the URL would be stored and shown in plain text; receivers verify Vox-Signature instead.
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Must not carry a user name or password; verify the Vox-Signature header instead.";
        }

        return value.Contains('#', StringComparison.Ordinal) ? "Must not have a fragment (#...)." : null;
    }

    /// <summary>True when <paramref name="value"/> is acceptable.</summary>
    public static bool IsValid(string? value) => Problem(value) is null;
}
