namespace Vox.Silo.Hosting;

/// <summary>Layers the silo's configuration: <c>orleans.config.json</c>, then <c>VOX__</c> environment variables, then the command line.</summary>
public static class SiloConfiguration
{
    /// <summary>Environment variable prefix: <c>VOX__Storage__ConnectionString</c> sets <c>Storage:ConnectionString</c>.</summary>
    public const string EnvironmentPrefix = "VOX__";

    /// <summary>Adds the cluster file and overrides, in increasing precedence.</summary>
    public static void AddVoxConfiguration(this IConfigurationBuilder configuration, string[] args)
    {
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "orleans.config.json"), optional: true, reloadOnChange: false);
        var local = Path.GetFullPath("orleans.config.json");
        if (File.Exists(local) && local != Path.Combine(AppContext.BaseDirectory, "orleans.config.json"))
        {
            configuration.AddJsonFile(local, optional: true, reloadOnChange: false);
        }

        var explicitFile = Environment.GetEnvironmentVariable("VOX_CONFIG");
        if (!string.IsNullOrEmpty(explicitFile))
        {
            configuration.AddJsonFile(Path.GetFullPath(explicitFile), optional: false, reloadOnChange: false);
        }

        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddCommandLine(args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray());
    }
}
