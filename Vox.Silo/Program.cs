using Vox.Silo.Commands;
using Vox.Silo.Hosting;

if (SiloCommands.IsCommand(args))
{
    return await SiloCommands.RunAsync(args);
}

WebApplication app;
try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddVoxSilo(args);
    app = builder.Build();
}
catch (Exception ex) when (ex is InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException)
{
    // A configuration the silo cannot run with (a bad setting, another silo on the same SQLite file): say what to fix, no stack trace.
    Console.Error.WriteLine($"Vox silo could not start: {ex.Message}");
    return 1;
}

app.MapVoxSilo();
try
{
    await app.RunAsync();
}
catch (Microsoft.Extensions.Options.OptionsValidationException ex)
{
    Console.Error.WriteLine($"Vox silo could not start: {string.Join(" ", ex.Failures)}");
    return 1;
}

return 0;

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
