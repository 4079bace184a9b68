using Vox.Silo.Commands;
using Vox.Silo.Hosting;

if (SiloCommands.IsCommand(args))
{
    return await SiloCommands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddVoxSilo(args);
var app = builder.Build();
app.MapVoxSilo();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
