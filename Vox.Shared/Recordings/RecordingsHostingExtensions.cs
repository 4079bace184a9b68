using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Vox.Grains.Recordings;

/// <summary>Registers the recording store chosen by <c>Recordings:Provider</c>.</summary>
public static class RecordingsHostingExtensions
{
    /// <summary>Adds <see cref="IRecordingStore"/> from the host's <c>Recordings</c> section, validated at start-up.</summary>
    public static IHostApplicationBuilder AddVoxRecordings(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddVoxRecordings(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Adds <see cref="IRecordingStore"/> (a <see cref="LocalDiskRecordingStore"/> or an <see cref="S3RecordingStore"/>) from the
    /// <c>Recordings</c> section of <paramref name="configuration"/>, with <see cref="RecordingStoreOptions"/> validated at start-up.
    /// </summary>
    public static IServiceCollection AddVoxRecordings(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RecordingStoreOptions>().Bind(configuration.GetSection(RecordingStoreOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecordingStoreOptions>, RecordingStoreOptionsValidator>());
        services.TryAddSingleton<IRecordingStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RecordingStoreOptions>>().Value;
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            return options.IsS3
                ? new S3RecordingStore(options, loggers.CreateLogger<S3RecordingStore>())
                : new LocalDiskRecordingStore(options, loggers.CreateLogger<LocalDiskRecordingStore>());
        });
        return services;
    }
}
