using Vox.FixtureGenerator;

// Usage: Vox.FixtureGenerator <tests/fixtures/audio.json> <output folder>; scripts/make-fixtures.sh passes both.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Vox.FixtureGenerator <audio.json> <output folder>");
    return 2;
}

try
{
    FixtureSpec spec = FixtureSpec.Load(args[0]);
    await new AudioFixtureWriter(spec, args[1]).WriteAllAsync(CancellationToken.None);
    return 0;
}
catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or System.Text.Json.JsonException or System.ComponentModel.Win32Exception)
{
    Console.Error.WriteLine($"fixture generation failed: {e.Message}");
    return 1;
}
