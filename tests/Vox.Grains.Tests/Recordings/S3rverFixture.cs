using Vox.Testing;

namespace Vox.Grains.Tests.Recordings;

/// <summary>One s3rver for a test class; each test uses its own bucket.</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    private S3rverProcess? _server;

    /// <summary>The running server.</summary>
    public S3rverProcess Server => _server ?? throw new InvalidOperationException("s3rver has not started.");

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await S3rverProcess.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
