using Vox.MediaWorker.Hosting;

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddVoxMediaWorker(args);
var app = builder.Build();
app.MapMediaEndpoints();
app.MapRtpEndpoints();
await app.RunAsync();
