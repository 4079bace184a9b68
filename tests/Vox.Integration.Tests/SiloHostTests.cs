using System.Net;
using Vox.Grains.Internal;
using Vox.Testing;

namespace Vox.Integration.Tests;

/// <summary>The silo as a user starts it: a fresh folder, the embedded store, no services.</summary>
public sealed class SiloHostTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Fresh_silo_on_sqlite_becomes_healthy_and_prints_its_urls_orleans_cluster_and_admin_key()
    {
        var folder = Directory.CreateTempSubdirectory("vox-fresh-").FullName;
        await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string> { ["Orleans:Dashboard"] = "true" }, folder, TimeSpan.FromSeconds(60));
        // How fast is a figure for a quiet machine (README: about 5 s), not an assertion here: the suite shares the cores.
        output.WriteLine($"healthy after {silo.StartupTime.TotalSeconds:0.0} s");
        Assert.True(File.Exists(Path.Combine(folder, "data", "vox.db")), "the embedded store lives under ./data");
        await WaitForAsync(() => silo.Output.Contains("Press Ctrl+C", StringComparison.Ordinal));
        Assert.Contains($"{silo.Url}/v1", silo.Output);
        Assert.Contains($"{silo.Url}/swagger", silo.Output);
        Assert.Contains("Orleans        cluster vox-local (service vox), silo 127.0.0.1:", silo.Output);
        Assert.Contains("localhost (one silo) clustering", silo.Output);
        Assert.Contains($"{silo.Url}/dashboard/orleans", silo.Output);
        Assert.Matches("vox_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", silo.Output);
    }

    [Fact]
    public async Task Silo_with_an_impossible_orleans_membership_setting_refuses_to_start_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloProcess.StartAsync(
            new Dictionary<string, string> { ["Orleans:Membership:NumVotesForDeathDeclaration"] = "4" }, timeout: TimeSpan.FromSeconds(60)));
        Assert.Contains("Orleans:Membership:NumVotesForDeathDeclaration (4) must not exceed Orleans:Membership:NumProbedSilos (3)", error.Message);
    }

    [Fact]
    public async Task Second_silo_on_the_same_sqlite_file_refuses_to_start_and_the_first_keeps_serving()
    {
        // Two silos on one SQLite file would each be a one-silo Orleans cluster with its own pool grains: double booking.
        var folder = Directory.CreateTempSubdirectory("vox-lock-").FullName;
        await using var first = await SiloProcess.StartAsync(new Dictionary<string, string>(), folder, TimeSpan.FromSeconds(60));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloProcess.StartAsync(new Dictionary<string, string>(), folder, TimeSpan.FromSeconds(60)));
        Assert.Contains("Vox silo could not start: Another silo already runs on the SQLite database", error.Message);
        Assert.Contains("run a cluster on PostgreSQL", error.Message);
        Assert.DoesNotContain("Unhandled exception", error.Message);
        using var http = new HttpClient { BaseAddress = new Uri(first.Url) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Internal_api_refuses_a_missing_or_wrong_cluster_token()
    {
        await using var cluster = await TestCluster.StartAsync("sqlite", 1);
        var http = cluster.Http(0);
        using var missing = await http.GetAsync(InternalApi.Pool("default"));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, InternalApi.Pool("default"));
        wrong.Headers.Add(InternalApi.TokenHeader, "not-the-token");
        using var wrongResponse = await http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Forbidden, wrongResponse.StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, InternalApi.Pool("default"));
        right.Headers.Add(InternalApi.TokenHeader, TestCluster.Token);
        using var rightResponse = await http.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, rightResponse.StatusCode);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }
    }
}
