using Microsoft.Extensions.Options;
using Vox.Grains.Cluster;

namespace Vox.Silo.Hosting;

/// <summary>Keeps this silo's row in the membership table alive, and marks it left on a clean stop.</summary>
public sealed partial class MembershipAgent(
    IMembershipService membership,
    SiloIdentity silo,
    SiloAddress address,
    IOptions<SiloOptions> options,
    ILogger<MembershipAgent> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ttl = options.Value.MembershipTtlMs;
        var registration = new SiloRegistration(silo.SiloId, Environment.MachineName, await address.WaitAsync(stoppingToken), ttl,
            typeof(MembershipAgent).Assembly.GetName().Version?.ToString());
        await membership.RegisterAsync(registration, stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(ttl / 3.0));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (!await membership.HeartbeatAsync(silo.SiloId, stoppingToken))
                {
                    LogRejoined(logger, silo.SiloId);
                    await membership.RegisterAsync(registration, stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogHeartbeatFailed(logger, ex, silo.SiloId);
            }
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await membership.LeaveAsync(silo.SiloId, cancellationToken);
        }
        catch (Exception ex)
        {
            LogHeartbeatFailed(logger, ex, silo.SiloId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {SiloId} was dropped from membership; joining again")]
    private static partial void LogRejoined(ILogger logger, string siloId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Membership heartbeat of silo {SiloId} failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, string siloId);
}
