using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Vox.Gateway.Agi;
using Vox.Gateway.Sip.Media;
using Vox.Gateway.Sip.Transport;
using Vox.Gateway.Sip.UserAgent;

namespace Vox.Gateway.Sip;

/// <summary>Registers the gateway's telephony front doors: the SIP user agent (UDP/TCP) and the FastAGI server.</summary>
public static class SipHostingExtensions
{
    /// <summary>
    /// Binds <c>Sip</c> and <c>Agi</c> (ports default to <c>Ports:Sip</c> and <c>Ports:Agi</c>) and adds both servers as hosted
    /// services. A port that is taken is logged as a warning and that server stays off; the host still starts.
    /// </summary>
    public static IHostApplicationBuilder AddVoxTelephony(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddOptions<SipOptions>().Bind(configuration.GetSection(SipOptions.Section))
            .Configure(o => o.Port = PortFrom(configuration, SipOptions.Section, "Sip", o.Port))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AgiOptions>().Bind(configuration.GetSection(AgiOptions.Section))
            .Configure(o => o.Port = PortFrom(configuration, AgiOptions.Section, "Agi", o.Port))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IClusterTokenSource>(new ConfiguredClusterToken(configuration["Cluster:Token"] ?? ""));
        services.AddSingleton<SipTrunkDirectory>();
        services.AddSingleton<SipTransportLayer>();
        services.AddHttpClient(WorkerRtpClient.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<WorkerRtpClient>();
        services.AddHttpClient(ClusterTransfer.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<ClusterTransfer>();
        services.AddSingleton<SipUserAgent>();
        services.AddHostedService(sp => sp.GetRequiredService<SipUserAgent>());
        services.AddSingleton<Vox.Grains.Campaigns.ICampaignDialer, SipCampaignDialer>();
        services.AddSingleton<FastAgiServer>();
        services.AddHostedService(sp => sp.GetRequiredService<FastAgiServer>());
        return builder;
    }

    private static int PortFrom(IConfiguration configuration, string section, string portsKey, int current) =>
        configuration[$"{section}:Port"] is null && int.TryParse(configuration[$"Ports:{portsKey}"], out var port) ? port : current;
}
