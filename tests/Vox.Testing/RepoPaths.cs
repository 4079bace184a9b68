namespace Vox.Testing;

/// <summary>Where things are in the checkout, found from the test binaries.</summary>
public static class RepoPaths
{
    /// <summary>The folder holding <c>Vox.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The command that makes the audio fixtures, for messages that tell how to get them.</summary>
    public const string MakeFixturesCommand = "scripts/make-fixtures.sh";

    /// <summary>The generated speech fixtures, <c>artifacts/fixtures/audio</c> (from <c>tests/fixtures/audio.json</c>, see docs/testing.md).</summary>
    /// <exception cref="DirectoryNotFoundException">They have not been made: the message names <see cref="MakeFixturesCommand"/>.</exception>
    public static string AudioFixtures
    {
        get
        {
            // Generated rather than committed, so a fresh clone has none until test.sh or the script has run.
            var audio = Path.Combine(Root, "artifacts", "fixtures", "audio");
            return File.Exists(Path.Combine(audio, "manifest.json"))
                ? audio
                : throw new DirectoryNotFoundException($"No audio fixtures at {audio}: run {MakeFixturesCommand} (test.sh runs it too).");
        }
    }

    /// <summary>The build configuration the tests were built with (Debug or Release).</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>Path of a built project's main assembly, e.g. <c>Vox.Silo.dll</c>.</summary>
    public static string BuiltAssembly(string project)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built at {path}: build the solution first (dotnet build Vox.sln).", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vox.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Vox.sln not found above {AppContext.BaseDirectory}.");
    }
}
