using Microsoft.Extensions.Options;
using Vox.Grains;
using Vox.Grains.Internal;
using Vox.Grains.Recordings;
using Vox.Grains.Workers;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Native;
using Vox.MediaWorker.Outbox;
using Vox.MediaWorker.Providers.Stt;
using Vox.MediaWorker.Providers.Stt.Offline;
using Vox.MediaWorker.Providers.Tts;
using Vox.MediaWorker.Providers.Tts.Offline;

namespace Vox.MediaWorker.Hosting;

/// <summary>Composes a media worker: cluster client, providers, call slot, registration, outbox, media endpoint.</summary>
public static class WorkerHostingExtensions
{
    /// <summary>Adds every worker service; configuration layers: appsettings, <c>VOX__</c> environment, command line.</summary>
    public static WebApplicationBuilder AddVoxMediaWorker(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddEnvironmentVariables("VOX__");
        builder.Configuration.AddCommandLine(args);
        var services = builder.Services;
        services.AddOptions<WorkerOptions>().Bind(builder.Configuration.GetSection(WorkerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ClusterClientOptions>()
            .Configure<IOptions<WorkerOptions>>((o, w) => o.SiloUrl = w.Value.SiloUrl)
            .Configure(o => o.ClusterToken = builder.Configuration["Cluster:Token"] ?? "")
            .Validate(o => o.ClusterToken.Length > 0, "Cluster:Token is required: the worker presents it to the silo (run `dotnet run --project Vox.Silo -- cluster-token`).")
            .ValidateOnStart();
        builder.WebHost.UseUrls(builder.Configuration[$"{WorkerOptions.Section}:Urls"] ?? new WorkerOptions().Urls);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });

        services.AddSingleton(TimeProvider.System);
        services.AddHttpClient("silo", (sp, http) =>
        {
            http.BaseAddress = new Uri(sp.GetRequiredService<IOptions<ClusterClientOptions>>().Value.SiloUrl);
            http.Timeout = TimeSpan.FromSeconds(10);
        });
        services.AddSingleton(sp => new ClusterHttpClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient("silo"),
            sp.GetRequiredService<IOptions<ClusterClientOptions>>().Value.ClusterToken));
        services.AddSingleton<IGrainFactory, HttpGrainFactory>();
        builder.AddVoxRecordings();
        services.AddSingleton<CallSlot>();
        builder.AddVoxRtp();
        services.AddSingleton<ProviderFactory>();
        // Endpoints take the factory as a function so building it (which loads the offline voice) happens inside a call.
        services.AddSingleton<Func<ProviderFactory>>(sp => sp.GetRequiredService<ProviderFactory>);
        builder.AddVoxProviders();
        // Checked once, before the first registration: a worker whose offline voice is missing registers as not ready.
        var libraries = builder.Configuration.GetSection(OfflineVoiceOptions.Section).Get<OfflineVoiceOptions>() ?? new OfflineVoiceOptions();
        OfflineLibraryResolver.Install(libraries);
        services.AddSingleton(OfflineVoiceProbe.Check(builder.Configuration));
        services.AddOptions<EspeakOptions>().Bind(builder.Configuration.GetSection(EspeakOptions.Section));
        services.AddSingleton<EspeakEngine>();
        services.AddSingleton<ITextToSpeech, EspeakTextToSpeech>();
        services.AddOptions<PocketSphinxOptions>().Bind(builder.Configuration.GetSection(PocketSphinxOptions.Section));
        services.AddSingleton<PocketSphinxDecoderPool>();
        services.AddSingleton<ISpeechToText, PocketSphinxSpeechToText>();
        services.AddSingleton<OfflineVoiceWarmup>();
        services.AddHostedService(sp => sp.GetRequiredService<OfflineVoiceWarmup>());
        services.AddHostedService<IdleMemoryTrimmer>();
        services.AddSingleton(sp =>
        {
            var worker = sp.GetRequiredService<IOptions<WorkerOptions>>().Value;
            return new ResultOutbox(Path.Combine(worker.DataPath, worker.Id, "outbox.db"), sp.GetRequiredService<IGrainFactory>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ResultOutbox>>());
        });
        services.AddSingleton<WorkerRegistrationService>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkerRegistrationService>());
        services.AddHostedService<OutboxService>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(5));
        return builder;
    }
}
