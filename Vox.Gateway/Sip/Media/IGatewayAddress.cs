namespace Vox.Gateway.Sip.Media;

/// <summary>The base URL (<c>http://host:port</c>) at which media workers reach this gateway's internal API; the host provides it.</summary>
public interface IGatewayAddress
{
    /// <summary>The URL, without a trailing slash.</summary>
    string Current { get; }
}
