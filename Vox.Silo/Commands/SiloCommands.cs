using Microsoft.Extensions.Options;
using Vox.Grains;
using Vox.Grains.Cluster;
using Vox.Grains.Store;
using Vox.Grains.Tenants;
using Vox.Silo.Hosting;

namespace Vox.Silo.Commands;

/// <summary>
/// Operator commands run against the configured store instead of starting a silo:
/// <c>keys create</c>, <c>tenants create</c>, <c>tenants list</c>, <c>cluster-token</c>.
/// </summary>
public static class SiloCommands
{
    private static readonly string[] Commands = ["keys", "tenants", "cluster-token", "help"];

    /// <summary>True when the first argument names a command.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args[0] == "help")
        {
            PrintUsage();
            return 0;
        }

        var builder = Host.CreateApplicationBuilder([]);
        builder.Configuration.AddVoxConfiguration(args.Skip(1).ToArray());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddVoxGrains();
        builder.Services.AddOptions<ClusterOptions>().Bind(builder.Configuration.GetSection(ClusterOptions.Section));
        builder.Services.AddSingleton<ClusterToken>();
        using var host = builder.Build();
        var services = host.Services;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await services.GetRequiredService<IGrainStore>().MigrateAsync(cts.Token);
            var tenants = services.GetRequiredService<ITenantDirectory>();
            var options = ParseOptions(args);
            switch (args[0], args.ElementAtOrDefault(1))
            {
                case ("keys", "create"):
                {
                    var tenantId = options.GetValueOrDefault("tenant") ?? (await tenants.ListTenantsAsync(cts.Token)).FirstOrDefault()?.Id
                        ?? throw new VoxException("no_tenant", "There is no tenant yet: start the silo once, or run `tenants create --name NAME`.");
                    var key = await tenants.CreateApiKeyAsync(tenantId, options.GetValueOrDefault("name") ?? "cli", options.ContainsKey("admin"), cts.Token);
                    Console.WriteLine($"Created {(key.Info.IsAdmin ? "admin " : "")}key {key.Info.Id} for tenant {tenantId}. It is shown once:");
                    Console.WriteLine(key.Key);
                    return 0;
                }

                case ("tenants", "create"):
                {
                    var name = options.GetValueOrDefault("name") ?? throw new VoxException("missing_name", "tenants create needs --name NAME.");
                    int? cap = options.TryGetValue("max-calls", out var m) ? int.Parse(m!, System.Globalization.CultureInfo.InvariantCulture) : null;
                    var tenant = await tenants.CreateTenantAsync(name, cap, cts.Token);
                    Console.WriteLine($"{tenant.Id}\t{tenant.Name}\tmax calls: {tenant.MaxConcurrentCalls?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited"}");
                    return 0;
                }

                case ("tenants", "list"):
                    foreach (var t in await tenants.ListTenantsAsync(cts.Token))
                    {
                        Console.WriteLine($"{t.Id}\t{t.Name}\tmax calls: {t.MaxConcurrentCalls?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited"}");
                    }

                    return 0;

                case ("cluster-token", _):
                {
                    var token = services.GetRequiredService<ClusterToken>();
                    await token.InitializeAsync(cts.Token);
                    Console.WriteLine(token.Value);
                    return 0;
                }

                default:
                    PrintUsage();
                    return 2;
            }
        }
        catch (VoxException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
        catch (OptionsValidationException ex)
        {
            Console.Error.WriteLine($"configuration error: {ex.Message}");
            return 1;
        }
    }

    private static Dictionary<string, string?> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && !args[i].Contains(':', StringComparison.Ordinal))
            {
                var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
                options[args[i][2..]] = hasValue ? args[++i] : null;
            }
        }

        return options;
    }

    private static void PrintUsage() => Console.WriteLine("""
        Vox silo commands (run against the configured store; add --Storage:Invariant=postgres etc. as needed):
          dotnet run --project Vox.Silo                                   start a silo
          dotnet run --project Vox.Silo -- keys create [--tenant ID] [--name NAME] [--admin]
          dotnet run --project Vox.Silo -- tenants create --name NAME [--max-calls N]
          dotnet run --project Vox.Silo -- tenants list
          dotnet run --project Vox.Silo -- cluster-token
        """);
}
