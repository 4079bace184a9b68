using System.Diagnostics;
using System.Text;

namespace Vox.Testing;

/// <summary>A real <c>Vox.MediaWorker</c> process registered with a silo, on a port the OS picks. Killed on dispose.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _dataPath;

    private WorkerProcess(Process process, string id, string dataPath)
    {
        _process = process;
        Id = id;
        _dataPath = dataPath;
    }

    /// <summary>The worker's id.</summary>
    public string Id { get; }

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

    /// <summary>Starts a worker of pool <c>default</c> reporting to <paramref name="siloUrl"/>, with <paramref name="settings"/> on its command line.</summary>
    public static WorkerProcess Start(string siloUrl, string clusterToken, string id, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dataPath = Directory.CreateTempSubdirectory("vox-worker-").FullName;
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(RepoPaths.BuiltAssembly("Vox.MediaWorker"));
        info.ArgumentList.Add($"--Worker:Id={id}");
        info.ArgumentList.Add("--Worker:Urls=http://127.0.0.1:0");
        info.ArgumentList.Add($"--Worker:SiloUrl={siloUrl}");
        info.ArgumentList.Add("--Worker:Pool=default");
        info.ArgumentList.Add($"--Worker:DataPath={dataPath}");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["VOX__Cluster__Token"] = clusterToken;
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet.");
        var worker = new WorkerProcess(process, id, dataPath);
        process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
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

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
