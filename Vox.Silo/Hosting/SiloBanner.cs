using System.Text;
using Microsoft.Extensions.Options;
using Vox.Grains.Cluster;
using Vox.Grains.Store;
using Vox.Grains.Tenants;
using Vox.Grains.Workers;

namespace Vox.Silo.Hosting;

/// <summary>The start-up banner: what runs, on which store, at which URLs, and the bootstrap key if one was just made.</summary>
public static class SiloBanner
{
    /// <summary>Writes the banner to standard output.</summary>
    public static void Print(SiloIdentity silo, StoreOptions store, string url, ClusterToken token, CreatedApiKey? bootstrap, OfflineVoiceReadiness voice, TimeSpan startup, OrleansClusterInfo? orleans = null)
    {
        var storeText = store.Dialect == StoreDialect.Sqlite
            ? $"SQLite {Path.GetFullPath(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(store.ConnectionString).DataSource)}"
            : $"PostgreSQL {new Npgsql.NpgsqlConnectionStringBuilder(store.ConnectionString) { Password = null }.Host}/{new Npgsql.NpgsqlConnectionStringBuilder(store.ConnectionString).Database}";
        var b = new StringBuilder();
        b.AppendLine();
        b.AppendLine($"  Vox silo {silo.SiloId} is up ({startup.TotalSeconds:0.0} s)");
        b.AppendLine($"    Store          {storeText}");
        if (orleans is not null)
        {
            b.AppendLine($"    Orleans        cluster {orleans.ClusterId} (service {orleans.ServiceId}), silo {orleans.SiloAddress}, {orleans.Clustering} clustering");
        }

        b.AppendLine($"    REST API       {url}/v1");
        b.AppendLine($"    Dashboard      {url}/dashboard   (sign in with an API key)");
        if (orleans?.DashboardPath is { } orleansDashboard)
        {
            b.AppendLine($"    Orleans dash   {url}{orleansDashboard}   (sign in to the dashboard as an admin first)");
        }

        b.AppendLine($"    Swagger UI     {url}/swagger");
        b.AppendLine($"    OpenAPI        {url}/openapi/v1.json");
        b.AppendLine($"    Health         {url}/healthz");
        b.AppendLine($"    Internal API   {url}/internal/v1   (cluster token: {(token.Generated ? "generated, see `dotnet run --project Vox.Silo -- cluster-token`" : "from Cluster:Token")})");
        // The same probe the local workers run: when it fails here they register as not ready and take no calls.
        if (voice.Ready)
        {
            b.AppendLine("    Offline voice  ready (espeak-ng, pocketsphinx en-us)");
        }
        else
        {
            b.AppendLine("    Offline voice  NOT READY: workers on this host take no calls until it is installed");
            b.AppendLine($"                   {voice.Reason}");
            b.AppendLine($"                   fix: {voice.Fix}");
        }
        if (bootstrap is not null)
        {
            b.AppendLine();
            b.AppendLine("  First start: an admin API key was created. It is shown ONCE; store it now:");
            b.AppendLine($"    {bootstrap.Key}");
            b.AppendLine($"    try: curl -H 'Authorization: Bearer {bootstrap.Key}' {url}/v1/bots");
        }

        b.AppendLine();
        b.AppendLine("  Press Ctrl+C to stop.");
        Console.Out.Write(b.ToString());
        Console.Out.Flush();
    }
}
