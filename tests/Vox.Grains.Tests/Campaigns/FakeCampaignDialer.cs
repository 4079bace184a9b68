using System.Collections.Concurrent;
using Vox.Grains.Calls;
using Vox.Grains.Campaigns;
using Vox.Grains.Capacity;

namespace Vox.Grains.Tests.Campaigns;

/// <summary>
/// Starts a call row for each dial (reserving an outbound slot first, as the SIP path does) and records when each
/// (contact, attempt) was launched and how many calls were up at once; the test ends calls with <see cref="EndDueAsync"/>.
/// </summary>
public sealed class FakeCampaignDialer(IGrainFactory grains, TimeProvider time, bool reserve = false) : ICampaignDialer
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _live = new();
    private readonly object _gate = new();
    private int _active;

    public ConcurrentQueue<(CampaignDial Dial, DateTimeOffset At, string CallId)> Launches { get; } = new();

    public int MaxActive { get; private set; }

    /// <summary>Runs before each dial (the lease test checks the epoch is still current there).</summary>
    public Func<CampaignDial, Task>? BeforeDial { get; set; }

    /// <summary>Runs after the call is placed and counted, before the dial returns (a test can crash the tick there).</summary>
    public Func<CampaignDial, Task>? AfterDial { get; set; }

    public int Active => _active;

    public async Task<CampaignDialResult> DialAsync(CampaignDial dial, CancellationToken cancellationToken)
    {
        if (BeforeDial is not null)
        {
            await BeforeDial(dial);
        }

        var callId = dial.CallId;
        await grains.GetGrain<ICallGrain>(callId).StartAsync(new CallStart(dial.TenantId, dial.BotId, CallDirection.Outbound, "sip", dial.From, dial.To,
            Metadata: new Dictionary<string, string> { ["campaign_epoch"] = dial.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture) }), cancellationToken);
        if (reserve)
        {
            var reservation = await grains.GetGrain<ICapacityGrain>("default").ReserveAsync(new ReservationRequest(dial.TenantId, callId, CallDirection.Outbound), cancellationToken);
            if (!reservation.Granted)
            {
                await grains.GetGrain<ICallGrain>(callId).EndAsync(EndReasons.NoCapacity, reservation.Message, cancellationToken);
                return new CampaignDialResult(null, reservation.Message);
            }
        }

        lock (_gate)
        {
            _active++;
            MaxActive = Math.Max(MaxActive, _active);
        }

        _live[callId] = time.GetUtcNow();
        Launches.Enqueue((dial, time.GetUtcNow(), callId));
        if (AfterDial is not null)
        {
            await AfterDial(dial);
        }

        return new CampaignDialResult(callId, null);
    }

    /// <summary>Ends every live call up for at least <paramref name="after"/> with the reason <paramref name="reason"/> picks for its number.</summary>
    public async Task EndDueAsync(TimeSpan after, Func<string, string> reason)
    {
        var now = time.GetUtcNow();
        foreach (var (dial, _, callId) in Launches.Where(l => _live.TryGetValue(l.CallId, out var at) && now - at >= after).ToList())
        {
            if (_live.TryRemove(callId, out _))
            {
                // Counted down before the end is stored: once it is, a holder may settle it and launch the next call.
                lock (_gate)
                {
                    _active--;
                }

                await grains.GetGrain<ICallGrain>(callId).EndAsync(reason(dial.To), null, CancellationToken.None);
                if (reserve)
                {
                    await grains.GetGrain<ICapacityGrain>("default").ReleaseAsync(callId, CancellationToken.None);
                }
            }
        }
    }
}
