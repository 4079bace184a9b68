using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Vox.Fakes;

/// <summary>
/// One local Kestrel app (127.0.0.1, random port) serving fakes of Deepgram, the OpenAI-compatible API, ElevenLabs and
/// MiniMax (and Qdrant's REST API) that speak the documented wire formats, so the real provider clients are what the tests exercise.
/// </summary>
public sealed class FakeProviderServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeProviderServer(WebApplication app, Uri baseUrl, FakeDeepgram deepgram, FakeOpenAi openAi, FakeElevenLabs elevenLabs, FakeMiniMax miniMax, FakeQdrant qdrant)
    {
        Qdrant = qdrant;
        _app = app;
        BaseUrl = baseUrl;
        Deepgram = deepgram;
        OpenAi = openAi;
        ElevenLabs = elevenLabs;
        MiniMax = miniMax;
    }

    /// <summary>The fake Deepgram.</summary>
    public FakeDeepgram Deepgram { get; }

    /// <summary>The fake OpenAI-compatible API.</summary>
    public FakeOpenAi OpenAi { get; }

    /// <summary>The fake ElevenLabs.</summary>
    public FakeElevenLabs ElevenLabs { get; }

    /// <summary>The fake MiniMax.</summary>
    public FakeMiniMax MiniMax { get; }

    /// <summary>The fake Qdrant REST API.</summary>
    public FakeQdrant Qdrant { get; }

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary><c>ws://127.0.0.1:port</c>.</summary>
    public string WebSocketUrl => "ws://" + BaseUrl.Authority;

    /// <summary>Starts the server.</summary>
    public static async Task<FakeProviderServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        // Streams a test left open (a socket opened ahead, say) must not hold the shutdown for the default 30 s.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(500));
        var app = builder.Build();
        app.UseWebSockets();
        FakeDeepgram deepgram = new();
        FakeOpenAi openAi = new();
        FakeElevenLabs elevenLabs = new();
        FakeMiniMax miniMax = new();
        FakeQdrant qdrant = new();
        deepgram.Map(app);
        openAi.Map(app);
        elevenLabs.Map(app);
        miniMax.Map(app);
        qdrant.Map(app);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeProviderServer(app, new Uri(address), deepgram, openAi, elevenLabs, miniMax, qdrant);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
