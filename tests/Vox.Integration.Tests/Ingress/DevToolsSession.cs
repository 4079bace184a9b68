using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vox.Testing;

namespace Vox.Integration.Tests.Ingress;

/// <summary>
/// Headless Chromium (Debian's <c>/usr/bin/chromium</c>) driven over the DevTools protocol: a fake microphone fed from a
/// WAV file, media permission granted, one page target to navigate, evaluate script in and screenshot.
/// </summary>
internal sealed class DevToolsSession : IAsyncDisposable
{
    /// <summary>Where Debian installs Chromium (scripts/install-test-deps.sh installs it).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly Process _browser;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private int _nextId;
    private Task _receiving = Task.CompletedTask;

    private DevToolsSession(Process browser, string profile)
    {
        _browser = browser;
        _profile = profile;
    }

    /// <summary>Starts Chromium with <paramref name="microphoneWav"/> as its microphone and attaches to its first page.</summary>
    public static async Task<DevToolsSession> StartAsync(string microphoneWav, CancellationToken cancellationToken)
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.Fail($"{ChromiumPath} is missing: the widget test needs Debian's chromium package (scripts/install-test-deps.sh installs it).");
        }

        var profile = Directory.CreateTempSubdirectory("vox-chromium-").FullName;
        var info = new ProcessStartInfo(ChromiumPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            $"--use-file-for-fake-audio-capture={microphoneWav}%noloop",
            "--autoplay-policy=no-user-gesture-required",
            "--remote-debugging-port=0", $"--user-data-dir={profile}", "--window-size=900,700", "about:blank",
        })
        {
            info.ArgumentList.Add(arg);
        }

        var browser = Process.Start(info) ?? throw new InvalidOperationException("Could not start chromium.");
        browser.OutputDataReceived += (_, _) => { };
        browser.ErrorDataReceived += (_, _) => { };
        browser.BeginOutputReadLine();
        browser.BeginErrorReadLine();
        var session = new DevToolsSession(browser, profile);
        try
        {
            var portFile = Path.Combine(profile, "DevToolsActivePort");
            while (!File.Exists(portFile) || (await File.ReadAllLinesAsync(portFile, cancellationToken)).Length < 2)
            {
                Assert.False(browser.HasExited, $"chromium exited with {(browser.HasExited ? browser.ExitCode : 0)} before DevTools was ready");
                await Task.Delay(100, cancellationToken);
            }

            var port = (await File.ReadAllLinesAsync(portFile, cancellationToken))[0].Trim();
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list", cancellationToken))!.AsArray();
            var page = targets.First(t => (string?)t!["type"] == "page")!;
            await session._socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), cancellationToken);
            session._receiving = session.ReceiveAsync();
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one DevTools command and returns its result.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await _send.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            _send.Release();
        }

        var message = await reply.Task.WaitAsync(cancellationToken);
        if (message.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"DevTools {method} failed: {error}");
        }

        return message.GetProperty("result");
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page (awaiting a promise) and returns its JSON value.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true, userGesture = true }, cancellationToken);
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new InvalidOperationException($"Page script failed: {exception}");
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>A PNG screenshot of the page.</summary>
    public async Task<byte[]> ScreenshotAsync(CancellationToken cancellationToken) =>
        Convert.FromBase64String((await SendAsync("Page.captureScreenshot", new { format = "png" }, cancellationToken)).GetProperty("data").GetString()!);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await WebSocketMessages.CloseAndDisposeAsync(_socket, _receiving, "done");
        if (!_browser.HasExited)
        {
            _browser.Kill(entireProcessTree: true);
            await _browser.WaitForExitAsync();
        }

        _browser.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a file for a moment; the folder is in /tmp.
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[16 << 20];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var (type, payload) = await WebSocketMessages.ReceiveAsync(_socket, buffer, CancellationToken.None);
                if (type == WebSocketMessageType.Close)
                {
                    return;
                }

                using var doc = JsonDocument.Parse(payload);
                if (doc.RootElement.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var reply))
                {
                    reply.TrySetResult(doc.RootElement.Clone());
                }
            }
        }
        catch (WebSocketException)
        {
            // The browser went away.
        }
        finally
        {
            foreach (var reply in _pending.Values)
            {
                reply.TrySetException(new InvalidOperationException("DevTools connection closed."));
            }
        }
    }
}
