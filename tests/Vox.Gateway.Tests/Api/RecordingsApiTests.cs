using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vox.Gateway.Tests.Support;
using Vox.Grains.Calls;
using Vox.Grains.Recordings;
using Vox.Grains.Store;
using Vox.Testing;

namespace Vox.Gateway.Tests.Api;

/// <summary><c>GET /v1/calls/{id}/recording</c> on the local-disk and the S3 store (s3rver), and across hosts sharing a bucket.</summary>
public sealed class RecordingsApiTests(RecordingsApiTests.S3rver s3) : IClassFixture<RecordingsApiTests.S3rver>, IDisposable
{
    private readonly string _localRoot = Directory.CreateTempSubdirectory("vox-recordings-api-").FullName;

    public static TheoryData<string> Stores => new() { "local", "s3" };

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Recording_is_streamed_as_audio_wav_and_byte_ranges_answer_206_with_those_bytes(string store)
    {
        await using var host = await StartHostAsync("sqlite", RecordingSettings(store));
        var tenant = await host.CreateTenantAsync("Acme");
        var callId = await host.StartCallAsync(tenant.Id, await host.CreateBotAsync(tenant.Id));
        var wav = StereoWav(seconds: 3);
        await CompleteWithRecordingAsync(host, callId, await SaveAsync(host.Services.GetRequiredService<IRecordingStore>(), callId, wav));
        var url = $"/v1/calls/{callId}/recording";

        using var full = await tenant.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal("audio/wav", full.Content.Headers.ContentType?.MediaType);
        Assert.Equal(wav.Length, full.Content.Headers.ContentLength);
        Assert.Contains("bytes", full.Headers.AcceptRanges);
        Assert.Equal(wav, await full.Content.ReadAsByteArrayAsync());

        using var middle = await GetRangeAsync(tenant.Client, url, 44, 1043);
        Assert.Equal(HttpStatusCode.PartialContent, middle.StatusCode);
        Assert.Equal($"bytes 44-1043/{wav.Length}", middle.Content.Headers.ContentRange?.ToString());
        Assert.Equal(wav[44..1044], await middle.Content.ReadAsByteArrayAsync());

        using var fromOffset = await GetRangeAsync(tenant.Client, url, wav.Length - 5000, null);
        Assert.Equal(HttpStatusCode.PartialContent, fromOffset.StatusCode);
        Assert.Equal(wav[^5000..], await fromOffset.Content.ReadAsByteArrayAsync());

        using var suffix = await GetRangeAsync(tenant.Client, url, null, 100);
        Assert.Equal(HttpStatusCode.PartialContent, suffix.StatusCode);
        Assert.Equal(wav[^100..], await suffix.Content.ReadAsByteArrayAsync());

        using var beyond = await GetRangeAsync(tenant.Client, url, wav.Length, null);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
        Assert.Equal($"bytes */{wav.Length}", beyond.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task A_call_recorded_through_one_hosts_store_plays_byte_identical_through_another_hosts_api()
    {
        // Two gateway hosts on one PostgreSQL store and one bucket, each with its own S3 client, as two silos would be;
        // the recording is written by a third store instance, as the worker on whichever host carried the call.
        var bucket = s3.Server.NewStoreOptions();
        await using var hostA = await StartHostAsync("postgres", S3rverProcess.ToConfiguration(bucket));
        var shared = hostA.Services.GetRequiredService<IOptions<StoreOptions>>().Value;
        await using var hostB = await StartHostAsync("postgres", S3rverProcess.ToConfiguration(bucket), shared);
        Assert.NotSame(hostA.Services.GetRequiredService<IRecordingStore>(), hostB.Services.GetRequiredService<IRecordingStore>());

        var tenant = await hostA.CreateTenantAsync("Acme");
        var other = await hostA.CreateTenantAsync("Globex");
        var callId = await hostA.StartCallAsync(tenant.Id, await hostA.CreateBotAsync(tenant.Id));
        var wav = StereoWav(seconds: 5);
        using var workerStore = new S3RecordingStore(bucket, NullLogger<S3RecordingStore>.Instance);
        var reference = await SaveAsync(workerStore, callId, wav);
        await CompleteWithRecordingAsync(hostA, callId, reference);

        using var onB = hostB.CreateClient(tenant.Key);
        using var played = await onB.GetAsync($"/v1/calls/{callId}/recording");
        Assert.Equal(HttpStatusCode.OK, played.StatusCode);
        Assert.Equal(wav, await played.Content.ReadAsByteArrayAsync());

        using var seeked = await GetRangeAsync(onB, $"/v1/calls/{callId}/recording", 100_000, 100_999);
        Assert.Equal(HttpStatusCode.PartialContent, seeked.StatusCode);
        Assert.Equal(wav[100_000..101_000], await seeked.Content.ReadAsByteArrayAsync());

        using var otherTenantOnB = hostB.CreateClient(other.Key);
        var problem = await ProblemAssert.IsProblemAsync(await otherTenantOnB.GetAsync($"/v1/calls/{callId}/recording"), HttpStatusCode.NotFound);
        Assert.Equal("not_found", problem.GetProperty("code").GetString());

        // What S3 is for: a host that keeps recordings on its own disk cannot play this call.
        await using var localHost = await StartHostAsync("postgres", RecordingSettings("local"), shared);
        using var onLocal = localHost.CreateClient(tenant.Key);
        var missing = await ProblemAssert.IsProblemAsync(await onLocal.GetAsync($"/v1/calls/{callId}/recording"), HttpStatusCode.NotFound);
        Assert.Equal("recording_not_found", missing.GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Another_tenants_call_and_an_unknown_call_are_404_not_found(string store)
    {
        await using var host = await StartHostAsync("sqlite", RecordingSettings(store));
        var owner = await host.CreateTenantAsync("Acme");
        var other = await host.CreateTenantAsync("Globex");
        var callId = await host.StartCallAsync(owner.Id, await host.CreateBotAsync(owner.Id));
        await CompleteWithRecordingAsync(host, callId, await SaveAsync(host.Services.GetRequiredService<IRecordingStore>(), callId, StereoWav(seconds: 1)));

        var foreign = await ProblemAssert.IsProblemAsync(await other.Client.GetAsync($"/v1/calls/{callId}/recording"), HttpStatusCode.NotFound);
        var unknown = await ProblemAssert.IsProblemAsync(await owner.Client.GetAsync("/v1/calls/call_does_not_exist/recording"), HttpStatusCode.NotFound);

        Assert.Equal("not_found", foreign.GetProperty("code").GetString());
        Assert.Equal("not_found", unknown.GetProperty("code").GetString());
        using var mine = await owner.Client.GetAsync($"/v1/calls/{callId}/recording");
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
    }

    [Fact]
    public async Task A_call_without_a_recording_is_404_recording_not_found()
    {
        await using var host = await StartHostAsync("sqlite", RecordingSettings("local"));
        var tenant = await host.CreateTenantAsync("Acme");
        var botId = await host.CreateBotAsync(tenant.Id);
        var live = await host.StartCallAsync(tenant.Id, botId);
        var ended = await host.StartCallAsync(tenant.Id, botId);
        await CompleteWithRecordingAsync(host, ended, recordingRef: null);

        var notYet = await ProblemAssert.IsProblemAsync(await tenant.Client.GetAsync($"/v1/calls/{live}/recording"), HttpStatusCode.NotFound);
        var none = await ProblemAssert.IsProblemAsync(await tenant.Client.GetAsync($"/v1/calls/{ended}/recording"), HttpStatusCode.NotFound);

        Assert.Equal("recording_not_found", notYet.GetProperty("code").GetString());
        Assert.Contains("yet", notYet.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("recording_not_found", none.GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_recording_missing_from_the_store_is_404_and_logged(string store)
    {
        await using var host = await StartHostAsync("sqlite", RecordingSettings(store));
        var tenant = await host.CreateTenantAsync("Acme");
        var callId = await host.StartCallAsync(tenant.Id, await host.CreateBotAsync(tenant.Id));
        var reference = await SaveAsync(host.Services.GetRequiredService<IRecordingStore>(), callId, StereoWav(seconds: 1));
        await host.Services.GetRequiredService<IRecordingStore>().DeleteAsync(reference, CancellationToken.None);
        await CompleteWithRecordingAsync(host, callId, reference);

        var problem = await ProblemAssert.IsProblemAsync(await tenant.Client.GetAsync($"/v1/calls/{callId}/recording"), HttpStatusCode.NotFound);

        Assert.Equal("recording_not_found", problem.GetProperty("code").GetString());
        Assert.Contains(host.Logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains(callId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_an_api_key_the_recording_is_401_and_the_endpoint_is_in_the_openapi_document()
    {
        await using var host = await StartHostAsync("sqlite", RecordingSettings("local"));
        using var anonymous = host.CreateClient();

        using var response = await anonymous.GetAsync("/v1/calls/call_x/recording");
        var document = await anonymous.GetStringAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("/v1/calls/{id}/recording", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_with_a_bad_recordings_setting_fails_to_start_naming_the_key()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Recordings:Provider"] = "s3",
            ["Recordings:ServiceUrl"] = s3.Server.ServiceUrl,
            ["Recordings:AccessKey"] = S3rverProcess.AccessKey,
            ["Recordings:SecretKey"] = "secret-that-must-not-show",
        });
        builder.AddVoxRecordings();
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Recordings:Bucket is required", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-that-must-not-show", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_localRoot, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private IReadOnlyDictionary<string, string?> RecordingSettings(string store) => store == "s3"
        ? S3rverProcess.ToConfiguration(s3.Server.NewStoreOptions())
        : new Dictionary<string, string?> { ["Recordings:Provider"] = "local", ["Recordings:RootPath"] = Path.Combine(_localRoot, Guid.NewGuid().ToString("N")) };

    private static Task<GatewayTestHost> StartHostAsync(string dialect, IReadOnlyDictionary<string, string?> recordings, StoreOptions? sharedStore = null) =>
        GatewayTestHost.StartAsync(dialect, services =>
        {
            services.AddVoxRecordings(new ConfigurationBuilder().AddInMemoryCollection(recordings).Build());
            if (sharedStore is not null)
            {
                // Configured after the host's own binding, so this host uses the first host's database.
                services.Configure<StoreOptions>(o =>
                {
                    o.Invariant = sharedStore.Invariant;
                    o.ConnectionString = sharedStore.ConnectionString;
                });
            }
        });

    private static Task<string> SaveAsync(IRecordingStore store, string callId, byte[] wav) =>
        store.SaveAsync($"calls/{callId}.wav", new MemoryStream(wav), "audio/wav", CancellationToken.None);

    private static Task CompleteWithRecordingAsync(GatewayTestHost host, string callId, string? recordingRef) =>
        host.Grains.GetGrain<ICallGrain>(callId).CompleteAsync(
            new CallResult("res_" + Guid.NewGuid().ToString("N"), EndReasons.CallerHangup, [], RecordingRef: recordingRef), CancellationToken.None);

    private static async Task<HttpResponseMessage> GetRangeAsync(HttpClient client, string url, long? from, long? to)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(from, to);
        return await client.SendAsync(request);
    }

    // A stereo 16-bit 8 kHz WAV (caller left, bot right) of noise: every byte differs, so a wrong offset cannot pass.
    private static byte[] StereoWav(int seconds)
    {
        const int SampleRate = 8000, Channels = 2, BytesPerSample = 2;
        var dataLength = seconds * SampleRate * Channels * BytesPerSample;
        var wav = new byte[44 + dataLength];
        var header = wav.AsSpan();
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], 36 + dataLength);
        "WAVEfmt "u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(header[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(header[22..], Channels);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], SampleRate * Channels * BytesPerSample);
        BinaryPrimitives.WriteInt16LittleEndian(header[32..], Channels * BytesPerSample);
        BinaryPrimitives.WriteInt16LittleEndian(header[34..], BytesPerSample * 8);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], dataLength);
        Random.Shared.NextBytes(wav.AsSpan(44));
        return wav;
    }

    /// <summary>One s3rver for the class; each test uses its own bucket.</summary>
    public sealed class S3rver : IAsyncLifetime
    {
        private S3rverProcess? _server;

        public S3rverProcess Server => _server ?? throw new InvalidOperationException("s3rver has not started.");

        public async Task InitializeAsync() => _server = await S3rverProcess.StartAsync();

        public async Task DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
    }
}
