using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Vox.Grains.Store;

/// <summary>Applies a dialect's pending numbered migrations inside the caller's (locked) transaction.</summary>
internal static partial class MigrationRunner
{
    public static async Task<int> ApplyPendingAsync(IGrainStore store, DbConnection connection, DbTransaction transaction, ILogger logger, CancellationToken cancellationToken)
    {
        var applied = (await connection.QueryAsync<(long Version, string Checksum)>(
            new CommandDefinition("SELECT version, checksum FROM schema_migrations", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToDictionary(r => r.Version, r => r.Checksum);

        var count = 0;
        foreach (var script in MigrationScript.Load(store.Dialect))
        {
            var checksum = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(script.Sql.ReplaceLineEndings("\n"))));
            if (applied.TryGetValue(script.Version, out var stored))
            {
                if (!string.Equals(stored, checksum, StringComparison.Ordinal))
                {
                    LogChecksumMismatch(logger, script.Version, script.Name);
                }

                continue;
            }

            LogApplying(logger, store.Dialect, script.Version, script.Name);
            await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                store.Sql("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@Version, @Name, @Checksum, {now})"),
                new { Version = (long)script.Version, script.Name, Checksum = checksum }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            count++;
        }

        return count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Dialect} migration {Version} {Name}")]
    private static partial void LogApplying(ILogger logger, StoreDialect dialect, int version, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Migration {Version} {Name} differs from the one applied to this database; applied migrations must not be edited (add a new one)")]
    private static partial void LogChecksumMismatch(ILogger logger, int version, string name);
}
