using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Vox.Testing;

namespace Vox.Integration.Tests.Sip;

/// <summary>
/// The real baresip (Debian) as a caller: Opus, PCMU and PCMA offered, a fixture clip as its microphone, commands through
/// its UDP console (<c>cons</c> module). Fails loudly when baresip is missing.
/// </summary>
public sealed class BaresipProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly int _consolePort;

    private BaresipProcess(Process process, int consolePort)
    {
        _process = process;
        _consolePort = consolePort;
    }

    /// <summary>What baresip printed (with its SIP trace).</summary>
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

    /// <summary>Starts baresip and dials <paramref name="uri"/>.</summary>
    public static BaresipProcess Dial(string uri)
    {
        var baresip = new[] { "/usr/bin/baresip", "/usr/local/bin/baresip" }.FirstOrDefault(File.Exists)
                      ?? throw new InvalidOperationException("baresip is not installed: run scripts/install-test-deps.sh (Debian package baresip).");
        var dir = Directory.CreateTempSubdirectory("vox-baresip-").FullName;
        var consolePort = FreePort.Next();
        File.WriteAllText(Path.Combine(dir, "config"), $"""
            poll_method epoll
            sip_listen 127.0.0.1:{FreePort.Next()}
            audio_source aufile,{Path.Combine(RepoPaths.AudioFixtures, "utt00_8k.wav")}
            audio_alert aufile,{Path.Combine(RepoPaths.AudioFixtures, "utt00_8k.wav")}
            module_path /usr/lib/baresip/modules
            module cons.so
            module opus.so
            module g711.so
            module ausine.so
            module aufile.so
            module_app account.so
            module_app menu.so
            cons_listen 127.0.0.1:{consolePort}
            """.Replace("            ", "", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(dir, "accounts"), "<sip:tester@127.0.0.1>;regint=0\n");
        var info = new ProcessStartInfo(baresip) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-f", dir, "-s", "-e", "/dial " + uri })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start baresip");
        var result = new BaresipProcess(process, consolePort);
        process.OutputDataReceived += (_, e) => result.Append(e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Types a command into baresip's console (e.g. <c>/hangup</c>, <c>/quit</c>).</summary>
    public async Task CommandAsync(string command)
    {
        using var udp = new UdpClient();
        var bytes = Encoding.ASCII.GetBytes(command + "\n");
        await udp.SendAsync(bytes, new IPEndPoint(IPAddress.Loopback, _consolePort));
    }

    /// <summary>Waits for the process to exit; its exit code.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"baresip did not exit within {timeout}:\n{Output}");
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
