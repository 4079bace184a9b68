using System.Diagnostics;
using System.Text;

namespace Vox.Integration.Tests.Sip;

/// <summary>Runs the real <c>sipp</c> (Debian <c>sip-tester</c>) with a built-in or given scenario; fails loudly when it is missing.</summary>
public sealed class SippProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SippProcess(Process process, string workDir)
    {
        _process = process;
        WorkDir = workDir;
    }

    /// <summary>Folder sipp runs in (its logs land here; <c>pcap/</c> points at the packaged pcaps).</summary>
    public string WorkDir { get; }

    /// <summary>What sipp printed.</summary>
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

    /// <summary>Starts sipp with <paramref name="arguments"/> (trace of messages and errors added).</summary>
    public static SippProcess Start(params string[] arguments)
    {
        var sipp = new[] { "/usr/bin/sipp", "/usr/local/bin/sipp" }.FirstOrDefault(File.Exists)
                   ?? throw new InvalidOperationException("sipp is not installed: run scripts/install-test-deps.sh (Debian package sip-tester).");
        var workDir = Directory.CreateTempSubdirectory("vox-sipp-").FullName;
        if (Directory.Exists("/usr/share/sip-tester"))
        {
            Directory.CreateSymbolicLink(Path.Combine(workDir, "pcap"), "/usr/share/sip-tester");
        }

        var info = new ProcessStartInfo(sipp) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var argument in new[] { "-trace_msg", "-trace_err", "-nostdin" })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start sipp");
        var sippProcess = new SippProcess(process, workDir);
        process.OutputDataReceived += (_, e) => sippProcess.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sippProcess.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sippProcess;
    }

    /// <summary>Starts sipp on a scenario file written from <paramref name="xml"/>, with <paramref name="arguments"/>.</summary>
    public static SippProcess StartScenario(string xml, params string[] arguments)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("vox-sipp-scenario-").FullName, "scenario.xml");
        File.WriteAllText(file, xml.TrimStart());
        return Start(["-sf", file, .. arguments]);
    }

    /// <summary>Waits for sipp to finish; its exit code (0: every call succeeded).</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"sipp did not finish within {timeout}:\n{Output}\n{Messages}");
        }

        return _process.ExitCode;
    }

    /// <summary>The SIP messages sipp logged (<c>-trace_msg</c>).</summary>
    public string Messages => string.Join("\n", Directory.GetFiles(WorkDir, "*_messages.log").Select(File.ReadAllText))
                              + string.Join("\n", Directory.GetFiles(WorkDir, "*_errors.log").Select(File.ReadAllText));

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
