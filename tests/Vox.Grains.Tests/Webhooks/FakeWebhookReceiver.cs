using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vox.Grains.Tests.Webhooks;

/// <summary>
/// An in-process webhook receiver behind <see cref="IHttpClientFactory"/>: records every request, checks its signature
/// with its own HMAC code (not the code under test), and answers with <see cref="Status"/>.
/// </summary>
public sealed class FakeWebhookReceiver : HttpMessageHandler, IHttpClientFactory
{
    private int _inFlight;

    /// <summary>Status answered from now on.</summary>
    public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

    /// <summary>Time each request takes.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Signing secrets by URL, to verify signatures.</summary>
    public ConcurrentDictionary<string, string> Secrets { get; } = new();

    /// <summary>Every request in arrival order.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Most requests that were in flight at once.</summary>
    public int MaxInFlight;

    /// <summary>A request as the receiver saw it.</summary>
    public sealed record Received(string Url, string EventId, string EventType, string DeliveryId, int Attempt, bool SignatureValid, JsonElement Body, HttpStatusCode Answer);

    /// <summary>Events answered 2xx, by event id, with how many times each was.</summary>
    public IReadOnlyDictionary<string, int> Acknowledged =>
        Requests.Where(r => (int)r.Answer is >= 200 and <= 299).GroupBy(r => r.EventId).ToDictionary(g => g.Key, g => g.Count());

    /// <inheritdoc />
    public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while ((seen = Volatile.Read(ref MaxInFlight)) < now && Interlocked.CompareExchange(ref MaxInFlight, now, seen) != seen)
        {
        }

        try
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, cancellationToken);
            }

            var url = request.RequestUri!.ToString();
            var answer = Status;
            Requests.Enqueue(new Received(url, Header(request, "Vox-Event-Id"), Header(request, "Vox-Event-Type"), Header(request, "Vox-Delivery-Id"),
                int.Parse(Header(request, "Vox-Delivery-Attempt")), Verify(Secrets.GetValueOrDefault(url), Header(request, "Vox-Signature"), body),
                JsonDocument.Parse(body).RootElement.Clone(), answer));
            return new HttpResponseMessage(answer) { Content = new StringContent(answer == HttpStatusCode.OK ? "ok" : "receiver unavailable") };
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Checks <c>t=…,v1=…</c> by recomputing HMAC-SHA256 over "t.body" with the secret as UTF-8 key.</summary>
    public static bool Verify(string? secret, string header, byte[] body)
    {
        if (secret is null)
        {
            return false;
        }

        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var signed = Encoding.UTF8.GetBytes(parts["t"] + ".").Concat(body).ToArray();
        var expected = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)).ToLowerInvariant();
        return Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(parts["t"])) < 300 && parts["v1"] == expected;
    }

    private static string Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}
