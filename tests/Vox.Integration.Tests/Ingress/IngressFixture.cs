using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Testing;

namespace Vox.Integration.Tests.Ingress;

/// <summary>
/// One real silo with two local workers for every ingress test: a tenant with an API key, a bot whose ingress secret was
/// made through <c>POST /v1/bots/{id}/ingress-secret</c>, and the URLs that call returned.
/// </summary>
public sealed class IngressFixture : IAsyncLifetime
{
    /// <summary>The bot every ingress test calls.</summary>
    public const string BotId = "bot_ingress";

    /// <summary>Workers the silo runs.</summary>
    public const int Workers = 2;

    private TestCluster? _cluster;

    /// <summary>The cluster.</summary>
    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("Not started.");

    /// <summary>The silo's base URL.</summary>
    public string BaseUrl => Cluster.Silos[0].Url;

    /// <summary>REST client with the tenant's API key.</summary>
    public HttpClient Api { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The bot's ingress secret.</summary>
    public string Secret { get; private set; } = "";

    /// <summary>The <c>urls</c> object of the ingress-secret response.</summary>
    public JsonElement Urls { get; private set; }

    /// <summary>The bot's definition: a greeting, one scripted reply, quick end of turn.</summary>
    public static BotDefinition Bot => new()
    {
        Name = "Ingress receptionist",
        FirstMessage = "Hello, thanks for calling Vox dental. How can I help?",
        ScriptedReplies =
        [
            new ScriptedReply { Keywords = ["appointment", "tomorrow", "book"], Reply = "Tomorrow we have a free slot at ten in the morning, or at four in the afternoon if that suits you better." },
        ],
        TurnTaking = new TurnTakingSettings { EndOfTurnSilenceMs = 600 },
        DtmfActions = [new DtmfAction { Digit = "1", Reply = DtmfReply }, new DtmfAction { Digit = "0", Reply = TransferReply, TransferTo = "+14155550777" }],
    };

    /// <summary>What the bot says when the caller presses 0, before it tries to transfer.</summary>
    public const string TransferReply = "Transferring you to our front desk.";

    /// <summary>What the bot says when the caller presses 1.</summary>
    public const string DtmfReply = "You pressed one. Our bookings team is open every day.";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync("sqlite", 1, new Dictionary<string, string>
        {
            ["Fleet:LocalWorkers"] = Workers.ToString(),
            ["Fleet:LocalWorkerBasePort"] = "0",
        });
        var tenant = await Cluster.Tenants.CreateTenantAsync("ingress", null, CancellationToken.None);
        var key = await Cluster.Tenants.CreateApiKeyAsync(tenant.Id, "ingress-tests", false, CancellationToken.None);
        Api.BaseAddress = new Uri(BaseUrl);
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        await Cluster.Grains(0).GetGrain<IBotGrain>(BotId).CreateAsync(tenant.Id, Bot, CancellationToken.None);

        using var response = await Api.PostAsync($"/v1/bots/{BotId}/ingress-secret", null);
        Assert.True(response.IsSuccessStatusCode, $"ingress-secret: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Secret = body.GetProperty("secret").GetString()!;
        Urls = body.GetProperty("urls");
        await WaitIdleAsync(TimeSpan.FromSeconds(90));
    }

    /// <summary>One of the ready-made URLs by name (<c>twilio</c>, <c>vonage</c>, …).</summary>
    public string Url(string name) => Urls.GetProperty(name).GetString()!;

    /// <summary>The pool as the store sees it now.</summary>
    public Task<FleetSnapshot> SnapshotAsync() => Cluster.Grains(0).GetGrain<ICapacityGrain>("default").GetSnapshotAsync(CancellationToken.None);

    /// <summary>Waits until every worker is registered and idle (no slot reserved or busy).</summary>
    public async Task WaitIdleAsync(TimeSpan? timeout = null)
    {
        FleetSnapshot snapshot = null!;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if ((snapshot = await SnapshotAsync()) is { Idle: Workers, Reserved: 0, Busy: 0 })
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("Timed out waiting until every worker is idle: " +
                    string.Join("; ", snapshot.Workers.Select(w => $"{w.WorkerId} {w.State} {w.CallId}")) + "\n" + Cluster.Silos[0].Output[^Math.Min(6000, Cluster.Silos[0].Output.Length)..]);
    }

    /// <summary>The bot's newest call, with its turns, once it has ended (and, with <paramref name="withResult"/>, its result arrived).</summary>
    public async Task<(CallRecord Record, IReadOnlyList<TranscriptTurn> Turns)> LatestCallAsync(bool withResult)
    {
        var page = await Api.GetFromJsonAsync<JsonElement>($"/v1/calls?botId={BotId}&limit=1");
        var id = page.GetProperty("items")[0].GetProperty("id").GetString()!;
        var call = Cluster.Grains(0).GetGrain<ICallGrain>(id);
        CallRecord record = null!;
        await WaitForAsync(async () => (record = await call.GetAsync(null, CancellationToken.None)) is { State: CallState.Ended } r && (!withResult || r.ResultId is not null),
            TimeSpan.FromSeconds(60), $"call {id} ends");
        return (record, await call.GetTurnsAsync(null, CancellationToken.None));
    }

    /// <summary>Number of calls the bot has.</summary>
    public async Task<int> CallCountAsync()
    {
        var page = await Api.GetFromJsonAsync<JsonElement>($"/v1/calls?botId={BotId}&limit=200");
        return page.GetProperty("items").GetArrayLength();
    }

    /// <summary>Polls <paramref name="condition"/> until true or fails the test naming <paramref name="what"/>.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Timed out waiting until {what}.");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Api.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
