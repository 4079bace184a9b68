namespace Vox.Gateway.Agi;

/// <summary>The header block Asterisk sends when a FastAGI connection opens (<c>agi_*</c> variables).</summary>
public sealed record AgiRequest(IReadOnlyDictionary<string, string> Variables)
{
    /// <summary>The script part of <c>agi://host:port/script?query</c>, without the leading '/' and the query.</summary>
    public string Script
    {
        get
        {
            var script = Get("agi_network_script") ?? Get("agi_request") ?? "";
            var scheme = script.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
            {
                var slash = script.IndexOf('/', scheme + 3);
                script = slash < 0 ? "" : script[(slash + 1)..];
            }

            script = script.TrimStart('/');
            var query = script.IndexOf('?');
            return query < 0 ? script : script[..query];
        }
    }

    /// <summary>The dialled number: <c>agi_extension</c>, or <c>agi_dnid</c> when the extension is not a number.</summary>
    public string? DialledNumber
    {
        get
        {
            foreach (var candidate in new[] { Get("agi_extension"), Get("agi_dnid"), Get("agi_arg_1") })
            {
                if (AgiNumbers.ToE164(candidate) is { } number)
                {
                    return number;
                }
            }

            return null;
        }
    }

    /// <summary>One variable, or null when absent or <c>unknown</c>.</summary>
    public string? Get(string name) => Variables.TryGetValue(name, out var value) && value != "unknown" && value.Length > 0 ? value : null;
}
