using System.Diagnostics;
using System.Text;

namespace Vox.Integration.Tests.Sip;

/// <summary>An external test tool (sipp, baresip) run as a child process, its output collected; killed on dispose.</summary>
public sealed class ToolProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ToolProcess(Process process) => _process = process;

    /// <summary>What the tool printed so far.</summary>
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

    /// <summary>The installed binary among <paramref name="candidates"/>, or an error naming the Debian package (tests never skip).</summary>
    public static string Find(string package, params string[] candidates) =>
        candidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException($"{Path.GetFileName(candidates[0])} is not installed: run scripts/install-test-deps.sh (Debian package {package}).");

    /// <summary>Starts <paramref name="file"/> with <paramref name="arguments"/> in <paramref name="workDir"/>.</summary>
    public static ToolProcess Start(string file, IEnumerable<string> arguments, string? workDir = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workDir is not null)
        {
            info.WorkingDirectory = workDir;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var tool = new ToolProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}"));
        tool._process.OutputDataReceived += (_, e) => tool.Append(e.Data);
        tool._process.ErrorDataReceived += (_, e) => tool.Append(e.Data);
        tool._process.BeginOutputReadLine();
        tool._process.BeginErrorReadLine();
        return tool;
    }

    /// <summary>Waits for the tool to exit; its exit code. <paramref name="describe"/> adds context to a timeout.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout, Func<string>? describe = null)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_process.StartInfo.FileName} did not exit within {timeout}:\n{Output}\n{describe?.Invoke()}");
        }

        return _process.ExitCode;
    }

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
