using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Vox.MediaWorker.Providers.Http;
using Vox.MediaWorker.Providers.Llm;

namespace Vox.MediaWorker.Providers.OpenAi;

/// <summary>
/// One streaming client for every OpenAI-compatible chat endpoint. Before the first token it retries (429, 5xx, a
/// dropped or malformed stream, connect and first-token timeouts) and then moves down the fallback model list; after
/// the first token a failure ends the reply with a <see cref="LanguageModelException"/>, since what was said was said.
/// </summary>
public sealed partial class OpenAiCompatibleLanguageModel : ILanguageModel
{
    private readonly OpenAiEndpointOptions _endpoint;
    private readonly string? _apiKey;
    private readonly IReadOnlyList<string> _fallbackModels;
    private readonly HttpClient _http;
    private readonly LanguageModelOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the client for provider <paramref name="name"/>; <paramref name="apiKey"/> is the tenant's or the configured key.</summary>
    public OpenAiCompatibleLanguageModel(string name, OpenAiEndpointOptions endpoint, string? apiKey, IReadOnlyList<string> fallbackModels,
        HttpClient http, LanguageModelOptions options, TimeProvider time, ILogger logger)
    {
        Name = name;
        _endpoint = endpoint;
        _apiKey = apiKey;
        _fallbackModels = fallbackModels;
        _http = http;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The model that produced the last reply (after any fallback).</summary>
    public string? LastModel { get; private set; }

    /// <inheritdoc />
    public async IAsyncEnumerable<LanguageModelEvent> StreamAsync(LanguageModelRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var models = new List<string> { string.IsNullOrWhiteSpace(request.Model) ? _endpoint.DefaultModel : request.Model! };
        models.AddRange(_fallbackModels.Where(m => !models.Contains(m, StringComparer.Ordinal)));
        Exception? last = null;
        foreach (var model in models)
        {
            for (var attempt = 1; attempt <= _options.AttemptsPerModel; attempt++)
            {
                var started = false;
                var enumerator = StreamOnceAsync(request, model, cancellationToken).GetAsyncEnumerator(cancellationToken);
                try
                {
                    while (true)
                    {
                        bool more;
                        try
                        {
                            more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                        }
                        catch (Exception ex) when (!started && !cancellationToken.IsCancellationRequested && IsRetryable(ex))
                        {
                            last = ex;
                            LogAttemptFailed(_logger, Name, model, attempt, Describe(ex));
                            break;
                        }
                        catch (Exception ex) when (started && !cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
                        {
                            throw new LanguageModelException($"{Name} stream broke after the first token: {Describe(ex)}", ex);
                        }

                        if (!more)
                        {
                            LastModel = model;
                            yield break;
                        }

                        var item = enumerator.Current;
                        started |= item is TextDelta or ToolCallRequest;
                        yield return item;
                    }
                }
                finally
                {
                    await enumerator.DisposeAsync().ConfigureAwait(false);
                }

                if (attempt < _options.AttemptsPerModel && _options.RetryDelayMs > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(_options.RetryDelayMs * (1 << (attempt - 1))), _time, cancellationToken).ConfigureAwait(false);
                }
            }

            LogModelFallback(_logger, Name, model);
        }

        throw new LanguageModelException($"{Name}: every model failed before the first token ({string.Join(", ", models)}): {Describe(last)}", last);
    }

    private async IAsyncEnumerable<LanguageModelEvent> StreamOnceAsync(LanguageModelRequest request, string model, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMilliseconds(_options.ConnectTimeoutMs));
        using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint.BaseUrl.TrimEnd('/') + "/chat/completions")
        {
            Content = new ByteArrayContent(OpenAiChatRequest.Write(request, model, _endpoint.PromptCache)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (!string.IsNullOrEmpty(_apiKey))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        foreach (var (header, value) in _endpoint.Headers)
        {
            message.Headers.TryAddWithoutValidation(header, value);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no response within {_options.ConnectTimeoutMs} ms");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var body = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
                throw new HttpRequestException($"HTTP {(int)response.StatusCode}: {body}", null, response.StatusCode);
            }

            deadline.CancelAfter(TimeSpan.FromMilliseconds(_options.FirstTokenTimeoutMs));
            var parser = new OpenAiStreamParser();
            var stream = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            var enumerator = ServerSentEvents.ReadDataAsync(stream, deadline.Token).GetAsyncEnumerator(deadline.Token);
            var firstToken = false;
            try
            {
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new TimeoutException($"no first token within {_options.FirstTokenTimeoutMs} ms");
                    }

                    if (!more)
                    {
                        break;
                    }

                    foreach (var e in parser.Parse(enumerator.Current))
                    {
                        if (!firstToken && e is TextDelta or ToolCallRequest)
                        {
                            firstToken = true;
                            deadline.CancelAfter(Timeout.InfiniteTimeSpan);
                        }

                        yield return e;
                    }

                    if (parser.Done)
                    {
                        yield break;
                    }
                }
            }
            finally
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }

            // The stream ended without [DONE]: a connection dropped mid-stream.
            foreach (var e in parser.Flush())
            {
                yield return e;
            }

            throw new IOException("the stream ended without [DONE]");
        }
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return text.Length > 300 ? text[..300] : text;
    }

    private static bool IsRetryable(Exception ex) => ex switch
    {
        HttpRequestException { StatusCode: { } status } => status == HttpStatusCode.TooManyRequests || (int)status >= 500 || status == HttpStatusCode.RequestTimeout,
        HttpRequestException => true,
        TimeoutException or IOException or FormatException or InvalidOperationException => true,
        _ => false,
    };

    private static string Describe(Exception? ex) => ex is null ? "no attempt made" : ex.GetType().Name + ": " + ex.Message;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} model {Model} attempt {Attempt} failed before the first token: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, string provider, string model, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} model {Model} gave up; trying the next fallback model")]
    private static partial void LogModelFallback(ILogger logger, string provider, string model);
}
