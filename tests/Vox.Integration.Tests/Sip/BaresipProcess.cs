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
    private readonly ToolProcess _tool;
    private readonly int _consolePort;

    private BaresipProcess(ToolProcess tool, int consolePort)
    {
        _tool = tool;
        _consolePort = consolePort;
    }

    /// <summary>What baresip printed (with its SIP trace).</summary>
    public string Output => _tool.Output;

    /// <summary>Starts baresip and dials <paramref name="uri"/>.</summary>
    public static BaresipProcess Dial(string uri)
    {
        var baresip = ToolProcess.Find("baresip", "/usr/bin/baresip", "/usr/local/bin/baresip");
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
        return new BaresipProcess(ToolProcess.Start(baresip, ["-f", dir, "-s", "-e", "/dial " + uri]), consolePort);
    }

    /// <summary>Types a command into baresip's console (e.g. <c>/hangup</c>, <c>/quit</c>).</summary>
    public async Task CommandAsync(string command)
    {
        using var udp = new UdpClient();
        await udp.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), new IPEndPoint(IPAddress.Loopback, _consolePort));
    }

    /// <summary>Waits for the process to exit; its exit code.</summary>
    public Task<int> WaitAsync(TimeSpan timeout) => _tool.WaitAsync(timeout);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _tool.DisposeAsync();
}
