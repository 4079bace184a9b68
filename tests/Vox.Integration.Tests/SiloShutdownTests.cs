using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Integration.Tests.Ingress;
using Vox.Testing;
using Xunit.Abstractions;

namespace Vox.Integration.Tests;

/// <summary>A real silo process stopped with SIGTERM or SIGINT while it carries a live call on its local worker.</summary>
public sealed class SiloShutdownTests(ITestOutputHelper output)
{
    private const int GraceSeconds = 8;

    private static BotDefinition Receptionist => new()
    {
        Name = "Receptionist",
        FirstMessage = "Hello, thanks for calling.",
        Limits = new CallLimits { IdleTimeoutSeconds = 120 },
    };

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Signal_refuses_new_calls_lets_the_live_call_run_its_grace_then_ends_it_as_silo_shutdown_and_exits_0(string signal)
    {
        await using var cluster = await TestCluster.StartAsync("sqlite", 1, new Dictionary<string, string>
        {
            ["Fleet:LocalWorkers"] = "2",
            ["Fleet:LocalWorkerBasePort"] = "0",
            ["Silo:ShutdownGraceSeconds"] = GraceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Information",
        });
        var silo = cluster.Silos[0];
        var tenant = await cluster.Tenants.CreateTenantAsync("shutdown", null, CancellationToken.None);
        var grains = cluster.Grains(0);
        await grains.GetGrain<IBotGrain>("bot_shutdown").CreateAsync(tenant.Id, Receptionist, CancellationToken.None);
        var key = await cluster.Tenants.CreateApiKeyAsync(tenant.Id, "shutdown-tests", false, CancellationToken.None);
        using var api = new HttpClient { BaseAddress = new Uri(silo.Url) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        using var secret = await api.PostAsync("/v1/bots/bot_shutdown/ingress-secret", null);
        var iCallMateUrl = (await secret.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("urls").GetProperty("iCallMate").GetString()!;
        var pool = grains.GetGrain<ICapacityGrain>("default");
        await Eventually.WaitForAsync(async () => (await pool.GetSnapshotAsync(CancellationToken.None)).Idle == 2, TimeSpan.FromSeconds(90), "both local workers register");

        var call = grains.GetGrain<ICallGrain>("call_shutdown");
        await call.StartAsync(new CallStart(tenant.Id, "bot_shutdown", CallDirection.Inbound, "vox", "+14155550100", "+14155550199"), CancellationToken.None);
        var reserved = await pool.ReserveAsync(new ReservationRequest(tenant.Id, "call_shutdown", CallDirection.Inbound), CancellationToken.None);
        Assert.True(reserved.Granted);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var caller = await VoxMediaClient.ConnectAsync(reserved.Worker!.MediaUrl, "call_shutdown", TestCluster.Token, 16000, cts.Token);
        var talking = caller.StreamAsync(ReadOnlyMemory<short>.Empty, TimeSpan.FromSeconds(100), cts.Token);
        await Eventually.WaitForAsync(() => Task.FromResult(caller.EventsOfType("transcript").Count >= 1), TimeSpan.FromSeconds(30), "the greeting plays");

        var signalledAt = caller.Now;
        silo.Signal(signal);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            await Eventually.WaitForAsync(async () => (await http.GetAsync($"{silo.Url}/healthz")).StatusCode == HttpStatusCode.ServiceUnavailable,
                TimeSpan.FromSeconds(GraceSeconds - 2), "/healthz says the silo is stopping");
        }
        catch (TimeoutException)
        {
            output.WriteLine(silo.Output);
            throw;
        }

        // A new call to the stopping silo's ingress is refused like a full fleet ("try again"), though a worker is idle.
        var refused = await RawSocket.SendAsync(iCallMateUrl, [RawSocket.Text("""{"event":"start"}""")], TimeSpan.FromSeconds(10));
        output.WriteLine($"refused: {(int?)refused.Status} {refused.Reason}");
        Assert.Equal(1013, (int?)refused.Status);
        Assert.Contains("shutting down", refused.Reason, StringComparison.Ordinal);
        Assert.False(caller.Completion.IsCompleted, "the live call still runs during the grace period");

        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(GraceSeconds + 60)), "the silo exits");
        var endAt = caller.Events.FirstOrDefault(e => e.Message.GetProperty("type").GetString() == "end").At;
        output.WriteLine(silo.Output);
        output.WriteLine($"signalled at {signalledAt.TotalSeconds:0.00} s, call ended at {endAt.TotalSeconds:0.00} s, silo exit code {silo.ExitCode}");
        Assert.Equal(0, silo.ExitCode);
        Assert.DoesNotContain("Unhandled exception", silo.Output, StringComparison.OrdinalIgnoreCase);
        var end = Assert.Single(caller.EventsOfType("end"));
        Assert.Equal(EndReasons.SiloShutdown, end.GetProperty("reason").GetString());
        Assert.True(endAt - signalledAt >= TimeSpan.FromSeconds(GraceSeconds - 0.5), $"the call ran through the grace period (ended {(endAt - signalledAt).TotalSeconds:0.00} s after the signal)");

        // The call's end reached the store before the silo exited.
        var row = await cluster.Store.ReadAsync(async (connection, token) =>
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = "SELECT state, end_reason FROM calls WHERE id = 'call_shutdown'";
            await using var reader = await command.ExecuteReaderAsync(token);
            return await reader.ReadAsync(token) ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)) : (null, null);
        }, CancellationToken.None);
        Assert.Equal(("ended", (string?)EndReasons.SiloShutdown), row);
        foreach (var pid in WorkerPids(silo.Output))
        {
            Assert.False(IsRunning(pid), $"local worker pid {pid} was stopped with the silo");
        }

        await cts.CancelAsync();
        await Task.WhenAny(talking, Task.Delay(1000));
    }

    private static IEnumerable<int> WorkerPids(string log) =>
        System.Text.RegularExpressions.Regex.Matches(log, @"Local worker \d+ started \(pid (\d+)").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
