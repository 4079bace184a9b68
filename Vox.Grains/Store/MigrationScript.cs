using System.Reflection;
using System.Text.RegularExpressions;

namespace Vox.Grains.Store;

/// <summary>A numbered SQL migration embedded in the assembly (<c>Store/Migrations/{Dialect}/NNNN_name.sql</c>).</summary>
public sealed partial record MigrationScript(int Version, string Name, string Sql)
{
    /// <summary>The dialect's migrations in version order.</summary>
    public static IReadOnlyList<MigrationScript> Load(StoreDialect dialect)
    {
        var assembly = typeof(MigrationScript).Assembly;
        var marker = $".Store.Migrations.{dialect}.";
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.Contains(marker, StringComparison.Ordinal)))
        {
            var file = resource[(resource.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..];
            var match = FileName().Match(file);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Migration resource '{resource}' is not named NNNN_name.sql.");
            }

            scripts.Add(new MigrationScript(int.Parse(match.Groups[1].Value), match.Groups[2].Value, Read(assembly, resource)));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        // Numbers are reserved per feature branch (e.g. 0005 for the dashboard while 0003/0004 are in flight), so a gap is
        // allowed; a number used twice is not, and each applied version is recorded, so a later lower number still applies.
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Version < 1 || (i > 0 && scripts[i].Version == scripts[i - 1].Version))
            {
                throw new InvalidOperationException($"{dialect} migrations must have distinct positive numbers; found {scripts[i].Version} twice or below 1.");
            }
        }

        return scripts;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(\d{4})_([A-Za-z0-9_]+)\.sql$")]
    private static partial Regex FileName();
}
