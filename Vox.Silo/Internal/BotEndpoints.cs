using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Internal;

namespace Vox.Silo.Internal;

/// <summary>Internal API over <see cref="IBotGrain"/>; workers use <c>runtime-config</c> at call start.</summary>
public static class BotEndpoints
{
    /// <summary>Maps <c>/internal/v1/bots/{botId}/…</c>.</summary>
    public static RouteGroupBuilder MapBotEndpoints(this RouteGroupBuilder group)
    {
        var bot = group.MapGroup("/bots/{botId}");
        bot.MapGet("/runtime-config", GetRuntimeConfigAsync);
        bot.MapPost("", CreateAsync);
        bot.MapPut("", UpdateAsync);
        bot.MapGet("", GetAsync);
        bot.MapDelete("", DeleteAsync);
        return group;
    }

    private static Task<BotRuntimeConfig> GetRuntimeConfigAsync(string botId, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<IBotGrain>(botId).GetRuntimeConfigAsync(ct);

    private static Task<BotRecord> CreateAsync(string botId, BotWriteRequest request, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<IBotGrain>(botId).CreateAsync(request.TenantId, request.Definition, ct);

    private static Task<BotRecord> UpdateAsync(string botId, BotWriteRequest request, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<IBotGrain>(botId).UpdateAsync(request.TenantId, request.Definition, request.ExpectedVersion, ct);

    private static Task<BotRecord> GetAsync(string botId, string tenantId, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<IBotGrain>(botId).GetAsync(tenantId, ct);

    private static async Task<InternalAck> DeleteAsync(string botId, string tenantId, IGrainFactory grains, CancellationToken ct)
    {
        await grains.GetGrain<IBotGrain>(botId).DeleteAsync(tenantId, ct);
        return new InternalAck(true);
    }
}
