namespace Vox.Grains.Workers;

/// <summary>Addresses derived from a worker's registered media URL.</summary>
public static class WorkerUrls
{
    /// <summary>The worker's HTTP base for its control endpoints: <c>ws://host:port/media</c> gives <c>http://host:port</c>.</summary>
    public static string HttpBase(string mediaUrl)
    {
        var url = mediaUrl.Replace("wss://", "https://", StringComparison.Ordinal).Replace("ws://", "http://", StringComparison.Ordinal);
        return new Uri(url).GetLeftPart(UriPartial.Authority);
    }
}
