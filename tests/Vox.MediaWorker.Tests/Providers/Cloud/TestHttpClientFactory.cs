namespace Vox.MediaWorker.Tests.Providers.Cloud;

/// <summary>Hands out clients over one shared handler, like the real factory (no per-request logging handler needed here).</summary>
internal sealed class TestHttpClientFactory : IHttpClientFactory, IDisposable
{
    private readonly SocketsHttpHandler _handler = new() { AllowAutoRedirect = false };

    public HttpClient CreateClient(string name) => new(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

    public void Dispose() => _handler.Dispose();
}
