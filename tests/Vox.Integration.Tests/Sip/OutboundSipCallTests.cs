using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.MediaWorker.Audio;
using Vox.MediaWorker.Rtp;
using Vox.Testing;
using Xunit.Abstractions;

namespace Vox.Integration.Tests.Sip;

/// <summary>Outbound calls through <c>POST /v1/calls</c> to a sipp callee acting as the far end of a trunk.</summary>
public sealed class OutboundSipCallTests(ITestOutputHelper output)
{
    private static BotDefinition Caller => SipTestBed.Greeter with
    {
        FirstMessage = "Hello, this is Vox calling about your appointment tomorrow.",
        Limits = new CallLimits { MaxDurationSeconds = 7, LimitMessage = "Goodbye." },
    };

    [Fact]
    public async Task Answered_call_carries_the_bot_over_rtp_and_ends_with_bye_and_a_complete_record()
    {
        var calleePort = FreePort.Next();
        var mediaPort = FreePort.NextRange(4);
        await using var bed = await StartAsync(calleePort);
        using var capture = new UdpCapture();
        await using var callee = SippProcess.Start("-sn", "uas", "-m", "1", "-i", "127.0.0.1", "-p", calleePort.ToString(), "-mi", "127.0.0.1",
            "-mp", mediaPort.ToString(), "-timeout", "60s");

        var callId = await PlaceAsync(bed);
        Assert.Equal(0, await callee.WaitAsync(TimeSpan.FromSeconds(60)));
        output.WriteLine(callee.Messages);
        var record = await bed.WaitForEndAsync(callId, withResult: true, TimeSpan.FromSeconds(30));

        var rtp = capture.To(mediaPort).ToList();
        var loud = 0;
        foreach (var (_, packet) in rtp)
        {
            Assert.True(RtpHeader.TryParse(packet, out var header, out var range));
            Assert.Equal(RtpCodec.Pcmu, header.PayloadType);
            var samples = new short[160];
            MuLawCodec.Decode(packet.AsSpan(range), samples);
            loud += Pcm16.Dbfs(samples) > -40 ? 1 : 0;
        }

        output.WriteLine($"{rtp.Count} RTP packets to the callee, {loud} with speech");
        Assert.True(loud > 50, "the bot spoke to the callee over RTP (PCMU, the callee's only codec)");
        Assert.Equal(EndReasons.MaxDuration, record.EndReason);
        Assert.Equal((CallState.Ended, "sip", "+14155550123"), (record.State, record.Transport, record.To));
        Assert.NotNull(record.AnsweredAt);
        Assert.NotNull(record.RecordingRef);
        var turns = await bed.Grains.GetGrain<ICallGrain>(callId).GetTurnsAsync(null, CancellationToken.None);
        Assert.Equal("Hello, this is Vox calling about your appointment tomorrow.", turns[0].Text);
        await SipTestBed.WaitForAsync(async () => (await bed.Pool.GetSnapshotAsync(CancellationToken.None)).Idle == 1, TimeSpan.FromSeconds(10), "the slot is free");
    }

    [Fact]
    public async Task Digest_challenge_from_the_trunk_is_answered_and_the_call_connects()
    {
        var calleePort = FreePort.Next();
        await using var bed = await StartAsync(calleePort, new Dictionary<string, string> { ["Sip:Trunks:callee:Username"] = "vox", ["Sip:Trunks:callee:Password"] = "s3cret" });
        await using var callee = SippProcess.StartScenario(SippScenarios.CalleeWithDigest, "-m", "1", "-i", "127.0.0.1", "-p", calleePort.ToString(),
            "-mp", FreePort.NextRange(4).ToString(), "-timeout", "60s");
        await PlaceThroughDigestAsync(bed, callee);
    }

    [Fact]
    public async Task A_trunk_the_tenant_stored_through_the_api_with_digest_credentials_carries_the_call()
    {
        // No Sip:Trunks at all: the tenant adds its own trunk (its password sealed with Secrets:Key) and calls through it.
        var calleePort = FreePort.Next();
        await using var bed = await SipTestBed.StartAsync(bot: Caller, settings: new Dictionary<string, string>
        {
            ["Fleet:InboundReserveRatio"] = "0",
            ["Secrets:Key"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        });
        var key = await bed.Cluster.Tenants.CreateApiKeyAsync(bed.TenantId, "trunks", false, CancellationToken.None);
        using (var create = new HttpRequestMessage(HttpMethod.Post, "/v1/sip-trunks")
        {
            Content = JsonContent.Create(new { name = "callee", address = $"127.0.0.1:{calleePort}", username = "vox", password = "s3cret" }),
        })
        {
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
            using var created = await bed.Cluster.Http(0).SendAsync(create);
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }

        await using var callee = SippProcess.StartScenario(SippScenarios.CalleeWithDigest, "-m", "1", "-i", "127.0.0.1", "-p", calleePort.ToString(),
            "-mp", FreePort.NextRange(4).ToString(), "-timeout", "60s");
        var record = await PlaceThroughDigestAsync(bed, callee);
        Assert.Equal("callee", record.Metadata["sip_trunk"]);
    }

    [Fact]
    public async Task Busy_callee_ends_busy_and_releases_the_slot()
    {
        var calleePort = FreePort.Next();
        await using var bed = await StartAsync(calleePort);
        await using var callee = SippProcess.StartScenario(SippScenarios.CalleeRefuses(486), "-m", "1", "-i", "127.0.0.1", "-p", calleePort.ToString(), "-timeout", "30s");
        var callId = await PlaceAsync(bed);
        Assert.Equal(0, await callee.WaitAsync(TimeSpan.FromSeconds(30)));
        var record = await bed.WaitForEndAsync(callId, withResult: false, TimeSpan.FromSeconds(10));
        Assert.Equal(EndReasons.Busy, record.EndReason);
        Assert.Null(record.AnsweredAt);
        await SipTestBed.WaitForAsync(async () => (await bed.Pool.GetSnapshotAsync(CancellationToken.None)) is { Idle: 1, Reserved: 0 },
            TimeSpan.FromSeconds(10), "the slot is free");
    }

    [Fact]
    public async Task Callee_that_never_answers_is_cancelled_at_the_ring_timeout_and_ends_no_answer()
    {
        var calleePort = FreePort.Next();
        await using var bed = await StartAsync(calleePort, new Dictionary<string, string> { ["Sip:RingTimeoutSeconds"] = "3" });
        await using var callee = SippProcess.StartScenario(SippScenarios.CalleeNeverAnswers, "-m", "1", "-i", "127.0.0.1", "-p", calleePort.ToString(), "-timeout", "30s");
        var callId = await PlaceAsync(bed);
        var exit = await callee.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"the callee saw no CANCEL/ACK (exit {exit}):\n{callee.Messages}");
        var record = await bed.WaitForEndAsync(callId, withResult: false, TimeSpan.FromSeconds(10));
        Assert.Equal(EndReasons.NoAnswer, record.EndReason);
        Assert.NotNull(record.RingingAt);
        await SipTestBed.WaitForAsync(async () => (await bed.Pool.GetSnapshotAsync(CancellationToken.None)) is { Idle: 1, Reserved: 0 },
            TimeSpan.FromSeconds(10), "the slot is free");
    }

    [Fact]
    public async Task Answering_machine_is_detected_and_the_bot_hangs_up_with_outcome_voicemail()
    {
        var calleePort = FreePort.Next();
        await using var bed = await StartAsync(calleePort, bot: Caller with { Voicemail = new VoicemailSettings { Detect = true, Action = "hangup" } });
        await using var callee = SippProcess.StartScenario(SippScenarios.CalleeAnsweringMachine, "-m", "1", "-i", "127.0.0.1", "-p", calleePort.ToString(),
            "-mi", "127.0.0.1", "-mp", FreePort.NextRange(4).ToString(), "-timeout", "40s");
        var callId = await PlaceAsync(bed);
        var exit = await callee.WaitAsync(TimeSpan.FromSeconds(40));
        Assert.True(exit == 0, $"the machine got no BYE (exit {exit}):\n{callee.Messages}");
        var record = await bed.WaitForEndAsync(callId, withResult: false, TimeSpan.FromSeconds(10));
        Assert.Equal(EndReasons.Voicemail, record.EndReason);
        Assert.NotNull(record.AnsweredAt);
        await SipTestBed.WaitForAsync(async () => (await bed.Pool.GetSnapshotAsync(CancellationToken.None)).Idle == 1, TimeSpan.FromSeconds(10), "the slot is free");
    }

    private static Task<SipTestBed> StartAsync(int calleePort, IReadOnlyDictionary<string, string>? extra = null, BotDefinition? bot = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Sip:Trunks:callee:Address"] = $"127.0.0.1:{calleePort}",
            // Every slot may dial out in a one-worker test.
            ["Fleet:InboundReserveRatio"] = "0",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return SipTestBed.StartAsync(settings: settings, bot: bot ?? Caller);
    }

    // Places a call to a callee that demands digest authentication; the call connects and runs to the bot's time limit.
    private static async Task<CallRecord> PlaceThroughDigestAsync(SipTestBed bed, SippProcess callee)
    {
        var callId = await PlaceAsync(bed);
        var exit = await callee.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, $"the callee did not accept our digest or saw no BYE (exit {exit}):\n{callee.Messages}");
        var record = await bed.WaitForEndAsync(callId, withResult: true, TimeSpan.FromSeconds(30));
        Assert.Equal(EndReasons.MaxDuration, record.EndReason);
        Assert.NotNull(record.AnsweredAt);
        return record;
    }

    private static async Task<string> PlaceAsync(SipTestBed bed)
    {
        var key = await bed.Cluster.Tenants.CreateApiKeyAsync(bed.TenantId, "outbound", false, CancellationToken.None);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/calls")
        {
            Content = JsonContent.Create(new { botId = bed.BotId, to = "+14155550123", from = "+14155550100", trunk = "callee", metadata = new { campaign = "test" } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        using var response = await bed.Cluster.Http(0).SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }
}
