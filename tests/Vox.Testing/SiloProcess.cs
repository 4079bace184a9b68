using System.Diagnostics;
using System.Text;

namespace Vox.Testing;

/// <summary>A real <c>Vox.Silo</c> process on a loopback port, for multi-process tests. Killed on dispose.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, string url, string workDir)
    {
        _process = process;
        Url = url;
        WorkDir = workDir;
    }

    /// <summary>Base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; }

    /// <summary>The process's working folder.</summary>
    public string WorkDir { get; }

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

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>How long it took from launch until <c>/healthz</c> answered 200.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Starts a silo with <paramref name="settings"/> as command-line configuration and waits until it is healthy.</summary>
    public static async Task<SiloProcess> StartAsync(IReadOnlyDictionary<string, string> settings, string? workDir = null, TimeSpan? timeout = null, int? port = null)
    {
        port ??= FreePort.Next();
        var url = $"http://127.0.0.1:{port}";
        workDir ??= Directory.CreateTempSubdirectory("vox-silo-").FullName;
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepoPaths.BuiltAssembly("Vox.Silo"));
        info.ArgumentList.Add($"--Silo:Urls={url}");
        // Telephony listeners are off unless a test turns them on (on free ports): 5060/4573 belong to nobody in particular.
        info.ArgumentList.Add("--Sip:Enabled=false");
        info.ArgumentList.Add("--Agi:Enabled=false");
        // Each silo its own Orleans silo port (11111 would collide between silos on this host); no Orleans gateway (no clients).
        info.ArgumentList.Add($"--Orleans:SiloPort={FreePort.Next()}");
        info.ArgumentList.Add("--Orleans:GatewayPort=0");
        info.ArgumentList.Add("--Orleans:AdvertisedIPAddress=127.0.0.1");
        // Mapping the Orleans dashboard costs about a second of start-up per silo (more on a busy host) and its collector samples
        // every silo each second; tests that look at it turn it on.
        if (!settings.ContainsKey("Orleans:Dashboard"))
        {
            info.ArgumentList.Add("--Orleans:Dashboard=false");
        }

        foreach (var (key, value) in settings)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["Logging__LogLevel__Default"] = "Information";
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet.");
        var silo = new SiloProcess(process, url, workDir);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = clock.Elapsed + (timeout ?? TimeSpan.FromSeconds(60));
        while (clock.Elapsed < deadline)
        {
            if (process.HasExited)
            {
                // WaitForExit() without a timeout also waits for the redirected output to be read to its end, so the
                // message has the silo's last words (the reason it stopped), not just its exit code.
                process.WaitForExit();
                throw new InvalidOperationException($"Silo exited with {process.ExitCode} before it was healthy:\n{silo.Output}");
            }

            try
            {
                using var response = await http.GetAsync($"{url}/healthz");
                if (response.IsSuccessStatusCode)
                {
                    silo.StartupTime = clock.Elapsed;
                    return silo;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow first request.
            }

            await Task.Delay(100);
        }

        await silo.DisposeAsync();
        throw new TimeoutException($"Silo at {url} was not healthy within {timeout ?? TimeSpan.FromSeconds(60)}:\n{silo.Output}");
    }

    /// <summary>The exit code, once the process has exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Sends a POSIX signal (<c>TERM</c>, <c>INT</c>) to the process, as <c>kill</c> or Ctrl+C would.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run kill.");
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} exited {kill.ExitCode}.");
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit; true when it has.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Kills the process at once (a crash, not a clean stop).</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
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
}
