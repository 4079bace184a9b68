using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Vox.Gateway.Tests.Support;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Testing;

namespace Vox.Gateway.Tests.Api.Http;

public sealed class ApiExceptionHandlerTests
{
    [Fact]
    public async Task Unexpected_exception_returns_500_problem_with_trace_id_and_is_logged()
    {
        await using var host = await GatewayTestHost.StartAsync("sqlite", services => services.AddSingleton<IBotCatalog, FailingBotCatalog>());
        var tenant = await host.CreateTenantAsync("Acme");

        var response = await tenant.Client.GetAsync("/v1/bots");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.InternalServerError);
        var text = problem.ToString();
        Assert.Equal("internal_error", problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.DoesNotContain(FailingBotCatalog.Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(FailingBotCatalog), text, StringComparison.Ordinal);
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains(FailingBotCatalog.Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_bot_id_returns_404_problem_with_code()
    {
        await using var host = await GatewayTestHost.StartAsync("sqlite");
        var tenant = await host.CreateTenantAsync("Acme");

        var problem = await ProblemAssert.IsProblemAsync(await tenant.Client.GetAsync("/v1/bots/bot_missing"), HttpStatusCode.NotFound);

        Assert.Equal("not_found", problem.GetProperty("code").GetString());
        Assert.Equal("bot", problem.GetProperty("entity").GetString());
    }

    private sealed class FailingBotCatalog : IBotCatalog
    {
        public const string Secret = "connection refused to db-secret-host";

        public Task<Page<BotRecord>> ListAsync(string tenantId, int limit, string? cursor, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(Secret);
    }
}
