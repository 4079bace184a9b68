using System.Net;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vox.Grains.Cluster;
using Vox.Grains.Webhooks;
using Vox.Testing;

namespace Vox.Grains.Tests.Webhooks;

public sealed class WebhookDispatcherTests
{
    private const string Url = "https://hooks.example.com/vox";

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Delivery_posts_signed_json_with_event_headers_and_is_recorded_delivered(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        var endpoint = await bed.EndpointAsync(Url);
        await bed.StartCallAsync("call_1");

        Assert.Equal(1, await bed.Dispatcher().RunOnceAsync(CancellationToken.None));

        var request = Assert.Single(bed.Receiver.Requests);
        var eventId = await bed.Ctx.Store.ReadAsync((c, ct) => c.QuerySingleAsync<string>("SELECT id FROM webhook_events"), CancellationToken.None);
        Assert.True(request.SignatureValid);
        Assert.Equal((eventId, WebhookEventTypes.CallStarted, 1), (request.EventId, request.EventType, request.Attempt));
        Assert.Equal(eventId, request.Body.GetProperty("id").GetString());
        Assert.Equal(WebhookEventTypes.CallStarted, request.Body.GetProperty("type").GetString());
        Assert.True(DateTimeOffset.TryParse(request.Body.GetProperty("createdAt").GetString(), out _));
        Assert.Equal("call_1", request.Body.GetProperty("data").GetProperty("call").GetProperty("id").GetString());
        var delivery = Assert.Single((await bed.Deliveries.ListAsync(bed.Tenant, endpoint.Endpoint.Id, null, 50, null, CancellationToken.None)).Items);
        Assert.Equal((WebhookDeliveryStatus.Delivered, 1, 200), (delivery.Status, delivery.Attempts, delivery.LastStatusCode));
        Assert.NotNull(delivery.DeliveredAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Delivered_event_is_never_sent_again(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        await bed.EndpointAsync(Url);
        await bed.StartCallAsync("call_1");
        var dispatcher = bed.Dispatcher();
        await dispatcher.RunOnceAsync(CancellationToken.None);

        // Even with every claim expired, a delivered row is not due.
        await bed.Ctx.Store.WriteAsync((c, t, ct) => c.ExecuteAsync("UPDATE webhook_deliveries SET claim_expires_at = NULL", transaction: t), CancellationToken.None);
        Assert.Equal(0, await dispatcher.RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await bed.Dispatcher().RunOnceAsync(CancellationToken.None));
        Assert.Single(bed.Receiver.Requests);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Two_dispatchers_polling_together_send_each_delivery_exactly_once(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        await bed.EndpointAsync(Url);
        await bed.EndpointAsync(Url + "/second", [WebhookEventTypes.CallStarted]);
        for (var i = 0; i < 30; i++)
        {
            await bed.StartCallAsync($"call_{i}");
        }

        bed.Receiver.Latency = TimeSpan.FromMilliseconds(15);
        var options = WebhookTestBed.FastOptions(o => o.MaxPerPoll = 4);
        var a = bed.Dispatcher(options);
        var b = bed.Dispatcher(options);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var claimed = await Task.WhenAll(Loop(a), Loop(b));

        Assert.Equal(60, claimed.Sum());
        Assert.Equal(60, bed.Receiver.Requests.Count);
        Assert.All(bed.Receiver.Requests.GroupBy(r => r.DeliveryId), g => Assert.Single(g));
        Assert.Equal(30, bed.Receiver.Requests.Where(r => r.Url == Url).Select(r => r.EventId).Distinct().Count());
        Assert.Equal(60, await bed.Ctx.CountAsync("webhook_deliveries", "status = 'delivered' AND attempts = 1"));

        async Task<int> Loop(WebhookDispatcher dispatcher)
        {
            var total = 0;
            while (DateTime.UtcNow < deadline && await bed.Ctx.CountAsync("webhook_deliveries", "status = 'pending'") > 0)
            {
                total += await dispatcher.RunOnceAsync(CancellationToken.None);
            }

            return total;
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task A_claim_left_by_a_dead_silo_is_taken_over_after_it_lapses(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        await bed.EndpointAsync(Url);
        await bed.StartCallAsync("call_1");
        await bed.Ctx.Store.WriteAsync((c, t, ct) => c.ExecuteAsync(bed.Ctx.Store.Sql(
            "UPDATE webhook_deliveries SET claimed_by = 'dead', claim_token = 'x', claim_expires_at = {now} + 800"), transaction: t), CancellationToken.None);
        var survivor = bed.Dispatcher();

        Assert.Equal(0, await survivor.RunOnceAsync(CancellationToken.None));
        await Task.Delay(1_000);
        Assert.Equal(1, await survivor.RunOnceAsync(CancellationToken.None));
        Assert.Single(bed.Receiver.Requests);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Failed_attempt_is_retried_after_the_backoff_on_the_store_clock(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        await bed.EndpointAsync(Url);
        await bed.StartCallAsync("call_1");
        bed.Receiver.Status = HttpStatusCode.ServiceUnavailable;
        var dispatcher = bed.Dispatcher(WebhookTestBed.FastOptions(o =>
        {
            o.InitialBackoffMs = 1_000;
            o.MaxBackoffMs = 4_000;
            o.JitterRatio = 0.2;
        }));

        var gaps = new List<long>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await bed.Ctx.Store.WriteAsync((c, t, ct) => c.ExecuteAsync(bed.Ctx.Store.Sql("UPDATE webhook_deliveries SET next_attempt_at = {now}"), transaction: t), CancellationToken.None);
            Assert.Equal(1, await dispatcher.RunOnceAsync(CancellationToken.None));
            var (next, last) = await bed.Ctx.Store.ReadAsync((c, ct) => c.QuerySingleAsync<(long, long)>("SELECT next_attempt_at, last_attempt_at FROM webhook_deliveries"), CancellationToken.None);
            gaps.Add(next - last);
            Assert.Equal(0, await dispatcher.RunOnceAsync(CancellationToken.None));
        }

        // 1 s, 2 s, 4 s, each shortened by at most 20 %.
        Assert.InRange(gaps[0], 800, 1_001);
        Assert.InRange(gaps[1], 1_600, 2_001);
        Assert.InRange(gaps[2], 3_200, 4_001);
        var delivery = await bed.Ctx.Store.ReadAsync((c, ct) => c.QuerySingleAsync<(long Attempts, long Code, string Error, string Status)>(
            "SELECT attempts, last_status_code AS code, last_error AS error, status FROM webhook_deliveries"), CancellationToken.None);
        Assert.Equal((3L, 503L, "pending"), (delivery.Attempts, delivery.Code, delivery.Status));
        Assert.Contains("503", delivery.Error, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], bed.Receiver.Requests.Select(r => r.Attempt));
        Assert.Single(bed.Receiver.Requests.Select(r => r.EventId).Distinct());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Delivery_is_dead_after_max_attempts_and_listed_as_a_dead_letter(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        var endpoint = await bed.EndpointAsync(Url);
        await bed.StartCallAsync("call_1");
        bed.Receiver.Status = HttpStatusCode.InternalServerError;
        var dispatcher = bed.Dispatcher(WebhookTestBed.FastOptions(o => o.MaxAttempts = 3));

        await bed.DrainAsync(dispatcher, TimeSpan.FromSeconds(10));

        var dead = Assert.Single((await bed.Deliveries.ListAsync(bed.Tenant, endpoint.Endpoint.Id, WebhookDeliveryStatus.Dead, 50, null, CancellationToken.None)).Items);
        Assert.Equal((3, 500, (DateTimeOffset?)null), (dead.Attempts, dead.LastStatusCode, dead.NextAttemptAt));
        Assert.Equal(3, bed.Receiver.Requests.Count);
        Assert.Empty((await bed.Deliveries.ListAsync(bed.Tenant, endpoint.Endpoint.Id, WebhookDeliveryStatus.Pending, 50, null, CancellationToken.None)).Items);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Delivery_is_dead_once_older_than_max_age(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        await bed.EndpointAsync(Url);
        await bed.StartCallAsync("call_1");
        bed.Receiver.Status = HttpStatusCode.BadGateway;
        var dispatcher = bed.Dispatcher(WebhookTestBed.FastOptions(o => o.MaxAgeMs = 1_000));

        await bed.DrainAsync(dispatcher, TimeSpan.FromSeconds(10));

        var (status, attempts) = await bed.Ctx.Store.ReadAsync((c, ct) => c.QuerySingleAsync<(string, long)>("SELECT status, attempts FROM webhook_deliveries"), CancellationToken.None);
        Assert.Equal("dead", status);
        Assert.InRange(attempts, 2, 12);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Redelivered_dead_letter_is_sent_again_with_the_same_event_id_and_then_refused(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        await bed.EndpointAsync(Url);
        await bed.StartCallAsync("call_1");
        bed.Receiver.Status = HttpStatusCode.ServiceUnavailable;
        var dispatcher = bed.Dispatcher(WebhookTestBed.FastOptions(o => o.MaxAttempts = 1));
        await dispatcher.RunOnceAsync(CancellationToken.None);
        var dead = Assert.Single((await bed.Deliveries.ListAsync(bed.Tenant, null, WebhookDeliveryStatus.Dead, 50, null, CancellationToken.None)).Items);

        bed.Receiver.Status = HttpStatusCode.OK;
        var requeued = await bed.Deliveries.RedeliverAsync(bed.Tenant, dead.Id, CancellationToken.None);
        Assert.Equal((WebhookDeliveryStatus.Pending, 0), (requeued.Status, requeued.Attempts));
        Assert.Equal(requeued, await bed.Deliveries.RedeliverAsync(bed.Tenant, dead.Id, CancellationToken.None));
        Assert.Equal(1, await dispatcher.RunOnceAsync(CancellationToken.None));

        var delivered = await bed.Deliveries.GetAsync(bed.Tenant, dead.Id, CancellationToken.None);
        Assert.Equal((WebhookDeliveryStatus.Delivered, 1), (delivered.Status, delivered.Attempts));
        Assert.Equal([dead.EventId, dead.EventId], bed.Receiver.Requests.Select(r => r.EventId));
        var conflict = await Assert.ThrowsAsync<ConflictException>(() => bed.Deliveries.RedeliverAsync(bed.Tenant, dead.Id, CancellationToken.None));
        Assert.Equal("already_delivered", conflict.Code);
        var stranger = await bed.Ctx.CreateTenantAsync();
        await Assert.ThrowsAsync<NotFoundException>(() => bed.Deliveries.RedeliverAsync(stranger, dead.Id, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Disabled_endpoint_pauses_its_queued_deliveries_until_enabled(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        var endpoint = await bed.EndpointAsync(Url);
        await bed.StartCallAsync("call_1");
        await bed.Catalog.UpdateAsync(bed.Tenant, endpoint.Endpoint.Id, new WebhookEndpointPatch { Enabled = false }, CancellationToken.None);
        await bed.StartCallAsync("call_2");
        var dispatcher = bed.Dispatcher();

        Assert.Equal(0, await dispatcher.RunOnceAsync(CancellationToken.None));
        await bed.Catalog.UpdateAsync(bed.Tenant, endpoint.Endpoint.Id, new WebhookEndpointPatch { Enabled = true }, CancellationToken.None);
        Assert.Equal(1, await dispatcher.RunOnceAsync(CancellationToken.None));
        Assert.Equal("call_1", Assert.Single(bed.Receiver.Requests).Body.GetProperty("data").GetProperty("call").GetProperty("id").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Unreachable_endpoint_is_a_failed_attempt_with_the_reason(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        var port = FreePort.Next();
        var created = await bed.Catalog.CreateAsync(bed.Tenant, new WebhookEndpointInput { Url = $"http://127.0.0.1:{port}/hook", EventTypes = ["*"] }, CancellationToken.None);
        await bed.StartCallAsync("call_1");
        using var realHttp = new RealHttpClientFactory();
        var dispatcher = new WebhookDispatcher(bed.Ctx.Store, realHttp, new SiloIdentity(), Options.Create(WebhookTestBed.FastOptions()),
            TimeProvider.System, NullLogger<WebhookDispatcher>.Instance, bed.Cipher);

        Assert.Equal(1, await dispatcher.RunOnceAsync(CancellationToken.None));

        var delivery = Assert.Single((await bed.Deliveries.ListAsync(bed.Tenant, created.Endpoint.Id, null, 50, null, CancellationToken.None)).Items);
        Assert.Equal((WebhookDeliveryStatus.Pending, 1, (int?)null), (delivery.Status, delivery.Attempts, delivery.LastStatusCode));
        Assert.Contains("refused", delivery.LastError, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class RealHttpClientFactory : IHttpClientFactory, IDisposable
    {
        private readonly SocketsHttpHandler _handler = new() { AllowAutoRedirect = false };

        public HttpClient CreateClient(string name) => new(_handler, disposeHandler: false);

        public void Dispose() => _handler.Dispose();
    }
}
