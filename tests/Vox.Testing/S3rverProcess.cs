using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Vox.Grains.Recordings;

namespace Vox.Testing;

/// <summary>
/// A real S3-compatible server (s3rver, from <c>tests/tools</c>) on 127.0.0.1 with its own temp folder, for the recording
/// store tests. Buckets get unique names instead of clean-up, so one server serves test classes in parallel. Killed on dispose.
/// </summary>
public sealed partial class S3rverProcess : IAsyncDisposable
{
    /// <summary>The access key s3rver accepts.</summary>
    public const string AccessKey = "S3RVER";

    /// <summary>The secret key s3rver accepts.</summary>
    public const string SecretKey = "S3RVER";

    private const string InstallHint = "Install it with: npm ci --prefix tests/tools (needs Node.js and npm: apt-get install nodejs npm).";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private S3rverProcess(Process process, string dataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
    }

    /// <summary>The script that starts s3rver, inside the checkout.</summary>
    public static string ScriptPath => Path.Combine(RepoPaths.Root, "tests", "tools", "node_modules", "s3rver", "bin", "s3rver.js");

    /// <summary>Base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string ServiceUrl { get; private set; } = "";

    /// <summary>The folder s3rver keeps its buckets in.</summary>
    public string DataDirectory { get; }

    /// <summary>Everything the process wrote so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts s3rver on a free loopback port and waits until it answers HTTP.</summary>
    public static async Task<S3rverProcess> StartAsync(TimeSpan? timeout = null)
    {
        var script = ScriptPath;
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"s3rver is not installed ({script} is missing). {InstallHint}");
        }

        var dataDirectory = Directory.CreateTempSubdirectory("vox-s3rver-").FullName;
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Port 0 and the port read back from s3rver's "listening" line: no window in which another process takes it.
        foreach (var argument in new[] { script, "--directory", dataDirectory, "--address", "127.0.0.1", "--port", "0", "--silent", "--no-vhost-buckets" })
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("Could not start node.");
        }
        catch (Win32Exception e)
        {
            Directory.Delete(dataDirectory, recursive: true);
            throw new InvalidOperationException($"Could not run 'node' to start s3rver: {e.Message}. {InstallHint}", e);
        }

        var server = new S3rverProcess(process, dataDirectory);
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            server.Append(e.Data);
            if (e.Data is not null && ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"s3rver exited with {process.ExitCode} before it listened."));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var limit = timeout ?? TimeSpan.FromSeconds(30);
        try
        {
            var port = await listening.Task.WaitAsync(limit);
            server.ServiceUrl = $"http://127.0.0.1:{port}";
            await server.WaitUntilAnsweringAsync(limit);
            return server;
        }
        catch (Exception e)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"s3rver did not start: {e.Message}\n{server.Output}\n{InstallHint}", e);
        }
    }

    /// <summary>A bucket name no other test uses.</summary>
    public static string NewBucketName() => "vox-t-" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>Recording store options for this server: a new bucket (created on first save) unless one is named.</summary>
    public RecordingStoreOptions NewStoreOptions(string? bucket = null, string keyPrefix = "") => new()
    {
        Provider = RecordingStoreOptions.S3Provider,
        ServiceUrl = ServiceUrl,
        Region = "us-east-1",
        Bucket = bucket ?? NewBucketName(),
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        ForcePathStyle = true,
        KeyPrefix = keyPrefix,
        CreateBucketIfMissing = true,
    };

    /// <summary>The same settings as configuration keys (<c>Recordings:*</c>), for a host.</summary>
    public static IReadOnlyDictionary<string, string?> ToConfiguration(RecordingStoreOptions options) => new Dictionary<string, string?>
    {
        ["Recordings:Provider"] = options.Provider,
        ["Recordings:ServiceUrl"] = options.ServiceUrl,
        ["Recordings:Region"] = options.Region,
        ["Recordings:Bucket"] = options.Bucket,
        ["Recordings:AccessKey"] = options.AccessKey,
        ["Recordings:SecretKey"] = options.SecretKey,
        ["Recordings:ForcePathStyle"] = options.ForcePathStyle ? "true" : "false",
        ["Recordings:KeyPrefix"] = options.KeyPrefix,
        ["Recordings:CreateBucketIfMissing"] = options.CreateBucketIfMissing ? "true" : "false",
    };

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It had already gone.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }

        return ValueTask.CompletedTask;
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // Any HTTP answer (an unsigned request is refused) means the server is up.
                using var response = await http.GetAsync(ServiceUrl + "/");
                return;
            }
            catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && clock.Elapsed < timeout)
            {
                await Task.Delay(100);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [GeneratedRegex(@"listening on .+:(\d+)\s*$")]
    private static partial Regex ListeningLine();
}
