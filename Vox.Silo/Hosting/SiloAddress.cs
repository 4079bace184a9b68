using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Vox.Silo.Hosting;

/// <summary>The URL this silo is reached at, known once Kestrel has bound its ports.</summary>
public sealed class SiloAddress(IServer server, IHostApplicationLifetime lifetime, IOptions<SiloOptions> options) : Vox.Gateway.Sip.Media.IGatewayAddress
{
    /// <summary>Waits for the server to start and returns the advertised URL.</summary>
    public async Task<string> WaitAsync(CancellationToken cancellationToken)
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            var started = new TaskCompletionSource();
            using var r1 = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
            await started.Task.WaitAsync(cancellationToken);
        }

        return Current;
    }

    /// <summary>The advertised URL, or the first bound address (wildcards shown as 127.0.0.1).</summary>
    public string Current
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.AdvertisedUrl))
            {
                return options.Value.AdvertisedUrl.TrimEnd('/');
            }

            var first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Value.Urls.Split(';')[0];
            return first.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
                        .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
                        .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
                        .Replace("://*", "://127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        }
    }
}
