namespace Vox.Testing;

/// <summary>Where things are in the checkout, found from the test binaries.</summary>
public static class RepoPaths
{
    /// <summary>The folder holding <c>Vox.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The <c>shared/</c> folder beside the checkout.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>The folder with the speech fixtures.</summary>
    public static string AudioFixtures => Path.Combine(Shared, "fixtures", "audio");

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
