using System.Text.Json;
using Vox.MediaWorker.Audio;

namespace Vox.Integration.Tests.Ingress;

/// <summary>Twilio's side of a bidirectional Media Stream (PROTOCOLS.md §2): camelCase events, base64 mu-law at 8 kHz, text frames only.</summary>
internal sealed class TwilioCaller() : CarrierCaller(8000)
{
    private const string StreamSid = "MZtwilio0001";
    private int _sequence;

    /// <inheritdoc />
    protected override bool EchoMarksOnClear => true;

    /// <inheritdoc />
    protected override async Task StartAsync(CancellationToken cancellationToken)
    {
        await SendJsonAsync(new { @event = "connected", protocol = "Call", version = "1.0.0" }, cancellationToken);
        await SendJsonAsync(new
        {
            @event = "start",
            sequenceNumber = Next(),
            streamSid = StreamSid,
            start = new
            {
                streamSid = StreamSid,
                accountSid = "ACtwilio",
                callSid = "CAtwilio0001",
                tracks = new[] { "inbound" },
                customParameters = new { campaign = "it" },
                mediaFormat = new { encoding = "audio/x-mulaw", sampleRate = 8000, channels = 1 },
            },
        }, cancellationToken);
    }

    /// <inheritdoc />
    protected override Task SendFrameAsync(short[] frame, CancellationToken cancellationToken)
    {
        var codes = new byte[frame.Length];
        MuLawCodec.Encode(frame, codes);
        return SendJsonAsync(new { @event = "media", sequenceNumber = Next(), streamSid = StreamSid, media = new { track = "inbound", chunk = _sequence.ToString(), timestamp = "0", payload = Convert.ToBase64String(codes) } }, cancellationToken);
    }

    /// <summary>Sends a DTMF digit as Twilio does.</summary>
    public Task SendDtmfAsync(char digit, CancellationToken cancellationToken) =>
        SendJsonAsync(new { @event = "dtmf", sequenceNumber = Next(), streamSid = StreamSid, dtmf = new { track = "inbound_track", digit = digit.ToString() } }, cancellationToken);

    /// <inheritdoc />
    public override Task HangUpAsync(CancellationToken cancellationToken) =>
        SendJsonAsync(new { @event = "stop", sequenceNumber = Next(), streamSid = StreamSid, stop = new { accountSid = "ACtwilio", callSid = "CAtwilio0001" } }, cancellationToken);

    /// <inheritdoc />
    protected override Task OnTextAsync(JsonElement message)
    {
        OnStreamEvent(message, "streamSid", StreamSid, bytes => TimeSpan.FromSeconds(bytes / 8000.0));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override Task EchoMarkAsync(string name) =>
        SendJsonAsync(new { @event = "mark", sequenceNumber = Next(), streamSid = StreamSid, mark = new { name } }, CancellationToken.None);

    private string Next() => Interlocked.Increment(ref _sequence).ToString();
}
