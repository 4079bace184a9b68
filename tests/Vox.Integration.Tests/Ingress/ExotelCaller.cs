using System.Text.Json;

namespace Vox.Integration.Tests.Ingress;

/// <summary>Exotel's side of a Voicebot stream (PROTOCOLS.md §1): snake_case events, numbers as strings, base64 PCM16LE.</summary>
internal sealed class ExotelCaller(int sampleRate) : CarrierCaller(sampleRate)
{
    private const string StreamSid = "MZexotel0001";
    private int _sequence;

    /// <inheritdoc />
    protected override async Task StartAsync(CancellationToken cancellationToken)
    {
        await SendJsonAsync(new { @event = "connected" }, cancellationToken);
        await SendJsonAsync(new
        {
            @event = "start",
            sequence_number = Next(),
            stream_sid = StreamSid,
            start = new
            {
                stream_sid = StreamSid,
                call_sid = "CAexotel0001",
                account_sid = "ACexotel",
                from = "+919800000001",
                to = "+918000000002",
                custom_parameters = new { campaign = "it" },
                media_format = new { encoding = "audio/x-raw", sample_rate = SampleRate.ToString(), bit_rate = "16" },
            },
        }, cancellationToken);
    }

    /// <inheritdoc />
    protected override Task SendFrameAsync(short[] frame, CancellationToken cancellationToken)
    {
        var bytes = new byte[frame.Length * 2];
        Buffer.BlockCopy(frame, 0, bytes, 0, bytes.Length);
        return SendJsonAsync(new { @event = "media", sequence_number = Next(), stream_sid = StreamSid, media = new { chunk = _sequence.ToString(), timestamp = "0", payload = Convert.ToBase64String(bytes) } }, cancellationToken);
    }

    /// <inheritdoc />
    public override Task HangUpAsync(CancellationToken cancellationToken) =>
        SendJsonAsync(new { @event = "stop", sequence_number = Next(), stream_sid = StreamSid, stop = new { call_sid = "CAexotel0001", account_sid = "ACexotel", reason = "callended" } }, cancellationToken);

    /// <inheritdoc />
    protected override Task OnTextAsync(JsonElement message)
    {
        OnStreamEvent(message, "stream_sid", StreamSid, bytes => TimeSpan.FromSeconds(bytes / 2.0 / SampleRate));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override Task EchoMarkAsync(string name) =>
        SendJsonAsync(new { @event = "mark", sequence_number = Next(), stream_sid = StreamSid, mark = new { name } }, CancellationToken.None);

    private string Next() => Interlocked.Increment(ref _sequence).ToString();
}
