using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Vox.Grains.Calls;

namespace Vox.Silo.Hosting;

/// <summary>
/// Starts <c>Fleet:LocalWorkers</c> media worker processes on this host and restarts any that die (a crashed worker
/// drops its one call, never the others). On shutdown the workers get SIGTERM, finish their calls and deregister.
/// </summary>
public sealed partial class LocalWorkerSupervisor(
    IOptions<LocalWorkerOptions> options,
    IOptions<SiloOptions> siloOptions,
    SiloAddress address,
    ClusterToken token,
    IConfiguration configuration,
    ILogger<LocalWorkerSupervisor> logger) : BackgroundService
{
    private readonly Dictionary<int, Process> _workers = [];
    private const int Sigterm = 15;
    private static readonly string[] ForwardedSections = ["Recordings", "Rtp", "Egress", "Offline", "Stt", "Tts"];
    private readonly Lock _gate = new();
    private bool _draining;

    /// <summary>The worker processes running now, by index.</summary>
    public IReadOnlyDictionary<int, int> ProcessIds
    {
        get
        {
            lock (_gate)
            {
                return _workers.Where(w => !w.Value.HasExited).ToDictionary(w => w.Key, w => w.Value.Id);
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var count = options.Value.LocalWorkers;
        if (count == 0)
        {
            return;
        }

        var assembly = FindWorkerAssembly();
        if (assembly is null)
        {
            LogNoWorker(logger);
            return;
        }

        var siloUrl = await address.WaitAsync(stoppingToken);
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => SuperviseAsync(i, assembly, siloUrl, stoppingToken)));
    }

    /// <summary>
    /// Asks every local worker to drain (SIGTERM: no new calls, the current one runs up to
    /// <see cref="SiloOptions.ShutdownGraceSeconds"/> and then ends as <c>silo_shutdown</c>) and stops restarting them.
    /// </summary>
    public void BeginDrain()
    {
        List<Process> running;
        lock (_gate)
        {
            _draining = true;
            running = _workers.Values.Where(p => !p.HasExited).ToList();
        }

        foreach (var process in running)
        {
            _ = Kill(process.Id, Sigterm);
        }
    }

    /// <summary>Waits until every local worker has exited, or <paramref name="cancellationToken"/> fires; true when all have.</summary>
    public async Task<bool> WaitExitedAsync(CancellationToken cancellationToken)
    {
        List<Process> running;
        lock (_gate)
        {
            running = _workers.Values.ToList();
        }

        try
        {
            await Task.WhenAll(running.Select(p => p.WaitForExitAsync(cancellationToken)));
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        BeginDrain();
        await base.StopAsync(cancellationToken);
        if (!await WaitExitedAsync(cancellationToken))
        {
            lock (_gate)
            {
                foreach (var process in _workers.Values.Where(p => !p.HasExited))
                {
                    LogKilled(logger, process.Id);
                    process.Kill(entireProcessTree: true);
                }
            }
        }
    }

    private async Task SuperviseAsync(int index, string assembly, string siloUrl, CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = Stopwatch.StartNew();
            Process process;
            lock (_gate)
            {
                if (_draining)
                {
                    return;
                }

                // Not disposed here: the stop path still waits on it after this loop has returned. The previous one of this
                // index is done with.
                process = Start(index, assembly, siloUrl);
                if (_workers.Remove(index, out var previous))
                {
                    previous.Dispose();
                }

                _workers[index] = process;
            }

            LogStarted(logger, index, process.Id, options.Value.LocalWorkerBasePort == 0 ? "any free" : (options.Value.LocalWorkerBasePort + index).ToString(CultureInfo.InvariantCulture));
            try
            {
                await process.WaitForExitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            lock (_gate)
            {
                if (_draining)
                {
                    LogStopped(logger, index, process.ExitCode);
                    return;
                }
            }

            LogExited(logger, index, process.ExitCode, backoff.TotalSeconds);
            backoff = started.Elapsed > TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(Math.Min(30, backoff.TotalSeconds * 2));
            try
            {
                await Task.Delay(started.Elapsed > TimeSpan.FromSeconds(30) ? TimeSpan.FromMilliseconds(200) : backoff, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private Process Start(int index, string assembly, string siloUrl)
    {
        var o = options.Value;
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(assembly);
        // The silo's port is in the id: several silos on one host each supervise their own workers (and keep each one's
        // outbox folder across restarts).
        info.ArgumentList.Add($"--Worker:Id={Environment.MachineName.ToLowerInvariant()}-{new Uri(siloUrl).Port}-local-{index}");
        info.ArgumentList.Add($"--Worker:Urls=http://127.0.0.1:{(o.LocalWorkerBasePort == 0 ? 0 : o.LocalWorkerBasePort + index)}");
        info.ArgumentList.Add($"--Worker:SiloUrl={siloUrl}");
        info.ArgumentList.Add($"--Worker:Pool={o.DefaultPool}");
        info.ArgumentList.Add($"--Worker:DataPath={Path.GetFullPath(configuration["Worker:DataPath"] ?? "data/workers")}");
        // A local worker drains with its silo: same grace, and a call it cuts ends as the silo's shutdown.
        info.ArgumentList.Add($"--Worker:ShutdownGraceSeconds={siloOptions.Value.ShutdownGraceSeconds}");
        info.ArgumentList.Add($"--Worker:ShutdownEndReason={EndReasons.SiloShutdown}");
        // The sections a worker reads that an operator sets once, on the silo: recordings, RTP, egress and the offline voice
        // (its library names and models, so the banner's readiness line and the workers agree).
        foreach (var setting in ForwardedSections.SelectMany(section => configuration.GetSection(section).AsEnumerable(makePathsRelative: false))
                     .Where(s => s.Value is not null))
        {
            info.ArgumentList.Add($"--{setting.Key}={setting.Value}");
        }

        // The token goes through the environment, not the command line, so it does not show in process lists.
        info.Environment["VOX__Cluster__Token"] = token.Value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet for a local worker.");
        var prefix = $"[worker {index}] ";
        process.OutputDataReceived += (_, e) => Forward(prefix, e.Data);
        process.ErrorDataReceived += (_, e) => Forward(prefix, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Forward(string prefix, string? line)
    {
        if (line is not null && (line.Contains(" warn:", StringComparison.Ordinal) || line.Contains(" fail:", StringComparison.Ordinal) || line.Contains(" crit:", StringComparison.Ordinal)))
        {
            LogWorkerOutput(logger, prefix + line);
        }
    }

    private string? FindWorkerAssembly()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.WorkerAssembly))
        {
            return File.Exists(options.Value.WorkerAssembly) ? Path.GetFullPath(options.Value.WorkerAssembly) : null;
        }

        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var local = Path.Combine(here.FullName, "Vox.MediaWorker.dll");
        if (File.Exists(local) && File.Exists(Path.Combine(here.FullName, "Vox.MediaWorker.runtimeconfig.json")))
        {
            return local;
        }

        // Built from source: Vox.Silo/bin/<Config>/<tfm>/ -> Vox.MediaWorker/bin/<Config>/<tfm>/.
        var tfm = here.Name;
        var configurationName = here.Parent?.Name;
        var root = here.Parent?.Parent?.Parent?.Parent?.FullName;
        if (root is null || configurationName is null)
        {
            return null;
        }

        var built = Path.Combine(root, "Vox.MediaWorker", "bin", configurationName, tfm, "Vox.MediaWorker.dll");
        return File.Exists(built) ? built : null;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Local worker {Index} started (pid {Pid}, port {Port})")]
    private static partial void LogStarted(ILogger logger, int index, int pid, string port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local worker {Index} exited with code {ExitCode}; restarting in {BackoffSeconds} s")]
    private static partial void LogExited(ILogger logger, int index, int exitCode, double backoffSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Local worker {Index} stopped (exit code {ExitCode})")]
    private static partial void LogStopped(ILogger logger, int index, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local worker (pid {Pid}) did not stop in time; killed")]
    private static partial void LogKilled(ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Error, Message = "Vox.MediaWorker.dll was not found next to the silo; set Fleet:WorkerAssembly or build the solution. No local workers run.")]
    private static partial void LogNoWorker(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogWorkerOutput(ILogger logger, string line);
}
