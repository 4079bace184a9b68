using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Vox.Grains.Bots;
using Vox.Grains.Knowledge;
using Vox.Grains.Secrets;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Providers.Llm;

namespace Vox.MediaWorker.Tools;

/// <summary>
/// Runs the tools a model calls during one call: the built-ins (<c>end_call</c>, <c>transfer_call</c>,
/// <c>detected_voicemail</c>, <c>search_knowledge</c>) and custom HTTP tools (arguments checked against the tool's
/// schema, secrets put into headers, a timeout and a response size cap). Every call leaves a telemetry event (log line,
/// metric, entry on the call record). A failure becomes an error result for the model, never an exception.
/// </summary>
public sealed partial class ToolRuntime
{
    private static readonly Meter Meter = new("Vox.MediaWorker.Tools");
    private static readonly Counter<long> Calls = Meter.CreateCounter<long>("vox.tool.calls", description: "Tool calls by tool and outcome");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("vox.tool.duration", "ms", "Tool call duration");

    private readonly CallContext _call;
    private readonly IKnowledgeSearch? _knowledge;
    private readonly TenantSecretSet _secrets;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly List<ToolCallEvent> _events = [];
    private readonly Lock _gate = new();

    /// <summary>Creates the runtime of one call.</summary>
    public ToolRuntime(CallContext call, IKnowledgeSearch? knowledge, TenantSecretSet secrets, HttpClient http, ICallControl? control, ILogger<ToolRuntime> logger)
    {
        _call = call;
        _knowledge = knowledge;
        _secrets = secrets;
        _http = http;
        Control = control;
        _logger = logger;
        Tools = BuiltInTools.Effective(call.Bot.Definition);
    }

    /// <summary>The tools offered to the model.</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; }

    /// <summary>The transport's call control, if it has one.</summary>
    public ICallControl? Control { get; }

    /// <summary>Telemetry of every tool call so far.</summary>
    public IReadOnlyList<ToolCallEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The tool the model named, if the bot has it.</summary>
    public ToolDefinition? Find(string name) => Tools.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    /// <summary>Runs one tool call; slow tools are bounded by their timeout.</summary>
    public async Task<ToolOutcome> RunAsync(long turnId, ToolCallRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var tool = Find(request.Name);
        ToolOutcome outcome;
        if (tool is null)
        {
            outcome = Error($"unknown tool '{request.Name}'");
        }
        else
        {
            outcome = ParseArguments(request.ArgumentsJson, tool, out var arguments) is { } invalid
                ? invalid
                : await RunToolAsync(tool, arguments, cancellationToken).ConfigureAwait(false);
        }

        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var error = outcome.Ok ? null : ErrorText(outcome.Content);
        var type = tool?.Type ?? "unknown";
        lock (_gate)
        {
            _events.Add(new ToolCallEvent(turnId, request.Name, type, outcome.Ok, Math.Round(ms, 1), error, Math.Round(_call.Clock.Now.TotalMilliseconds)));
        }

        Calls.Add(1, new KeyValuePair<string, object?>("tool", request.Name), new KeyValuePair<string, object?>("outcome", outcome.Ok ? "ok" : "error"));
        Duration.Record(ms, new KeyValuePair<string, object?>("tool", request.Name));
        LogToolCall(_logger, _call.CallId, request.Name, type, outcome.Ok ? "ok" : "error", ms, error ?? "");
        return outcome;
    }

    private static ToolOutcome? ParseArguments(string json, ToolDefinition tool, out JsonElement arguments)
    {
        arguments = default;
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
            arguments = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return Error($"arguments are not valid JSON: {ex.Message}");
        }

        if (tool.Parameters is { } schema)
        {
            var errors = JsonSchemaValidator.Validate(arguments, schema);
            if (errors.Count > 0)
            {
                return Error("arguments do not match the tool's schema: " + string.Join("; ", errors));
            }
        }

        return null;
    }

    private async Task<ToolOutcome> RunToolAsync(ToolDefinition tool, JsonElement arguments, CancellationToken cancellationToken)
    {
        switch (tool.Type)
        {
            case BuiltInTools.EndCall:
                return new ToolOutcome("""{"ok":true,"action":"the call ends after your goodbye"}""", ToolEffect.EndCall);
            case BuiltInTools.DetectedVoicemail:
                return new ToolOutcome("""{"ok":true,"action":"hanging up on voicemail"}""", ToolEffect.Voicemail);
            case BuiltInTools.TransferCall:
                if (string.IsNullOrWhiteSpace(tool.Destination))
                {
                    return Error("this bot has no transfer destination configured");
                }

                return Control is null
                    ? Error("this call's transport cannot transfer")
                    : new ToolOutcome("""{"ok":true,"action":"transferring after your message"}""", ToolEffect.Transfer, tool.Destination);
            case BuiltInTools.SearchKnowledge:
                return await SearchAsync(tool, arguments, cancellationToken).ConfigureAwait(false);
            case BuiltInTools.Http:
                return await CallHttpAsync(tool, arguments, cancellationToken).ConfigureAwait(false);
            default:
                return Error($"tool type '{tool.Type}' is not supported");
        }
    }

    private async Task<ToolOutcome> SearchAsync(ToolDefinition tool, JsonElement arguments, CancellationToken cancellationToken)
    {
        var kb = _call.Bot.Definition.KnowledgeBaseId;
        if (kb is null || _knowledge is null)
        {
            return Error("this bot has no knowledge base");
        }

        var query = arguments.TryGetProperty("query", out var q) ? q.GetString() ?? "" : "";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(tool.TimeoutMs);
        try
        {
            // The tenant is the bot's own: a knowledge base of another tenant is never searched.
            var hits = await _knowledge.SearchAsync(_call.Bot.TenantId, kb, query, 3, timeout.Token).ConfigureAwait(false);
            return new ToolOutcome(JsonSerializer.Serialize(new { results = hits.Select(h => new { heading = h.Heading, text = h.Text, score = Math.Round(h.Score, 4) }) }));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Error($"knowledge search timed out after {tool.TimeoutMs} ms");
        }
        catch (Exception ex) when (ex is HttpRequestException or Vox.Grains.VoxException)
        {
            return Error("knowledge search failed: " + ex.Message);
        }
    }

    private async Task<ToolOutcome> CallHttpAsync(ToolDefinition tool, JsonElement arguments, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(tool.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return Error("the tool has no valid http(s) URL");
        }

        var method = new HttpMethod(string.IsNullOrWhiteSpace(tool.Method) ? "POST" : tool.Method.ToUpperInvariant());
        using var request = new HttpRequestMessage(method, url);
        if (method == HttpMethod.Get || method == HttpMethod.Delete)
        {
            var query = string.Join("&", arguments.ValueKind == JsonValueKind.Object
                ? arguments.EnumerateObject().Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()))
                : []);
            request.RequestUri = new UriBuilder(url) { Query = string.IsNullOrEmpty(url.Query) ? query : url.Query.TrimStart('?') + (query.Length > 0 ? "&" + query : "") }.Uri;
        }
        else
        {
            request.Content = new StringContent(arguments.GetRawText(), Encoding.UTF8, "application/json");
        }

        foreach (var (name, template) in tool.Headers)
        {
            string value;
            try
            {
                value = SecretReference().Replace(template, m => _secrets.Get(m.Groups[1].Value) ?? throw new KeyNotFoundException(m.Groups[1].Value));
            }
            catch (KeyNotFoundException ex)
            {
                return Error($"secret '{ex.Message}' is not set for this tenant");
            }

            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(tool.TimeoutMs);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var (body, tooLarge) = await ReadCappedAsync(response, tool.MaxResponseBytes, timeout.Token).ConfigureAwait(false);
            if (tooLarge)
            {
                return Error($"the response is larger than {tool.MaxResponseBytes} bytes");
            }

            if (!response.IsSuccessStatusCode)
            {
                return Error($"HTTP {(int)response.StatusCode}", Truncate(body, 500));
            }

            return new ToolOutcome(IsJson(response.Content.Headers.ContentType, body) ? body : JsonSerializer.Serialize(new { text = body }));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Error($"timed out after {tool.TimeoutMs} ms");
        }
        catch (HttpRequestException ex)
        {
            // A URL the egress policy refuses (cloud metadata, private networks when blocked) says so rather than "connection failed".
            return Error("request failed: " + (ex.InnerException is Vox.Grains.Net.EgressRefusedException refused ? refused.Message : ex.Message));
        }
    }

    private static async Task<(string Body, bool TooLarge)> ReadCappedAsync(HttpResponseMessage response, int cap, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > cap)
        {
            return ("", true);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[cap + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total > cap ? ("", true) : (Encoding.UTF8.GetString(buffer, 0, total), false);
    }

    private static bool IsJson(MediaTypeHeaderValue? type, string body)
    {
        if (type?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return false;
        }

        try
        {
            using var _ = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // The detail (a response body) goes to the model only; logs and the call record get the short message.
    private static ToolOutcome Error(string message, string? detail = null) =>
        new(JsonSerializer.Serialize(new { error = message, detail }), Ok: false);

    private static string? ErrorText(string content)
    {
        try
        {
            using var doc = JsonDocument.Parse(content);
            return doc.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Truncate(string text, int length) => text.Length > length ? text[..length] : text;

    [GeneratedRegex(@"\{\{\s*secret:([A-Za-z0-9_.\-]+)\s*\}\}")]
    private static partial Regex SecretReference();

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: tool {Tool} ({Type}) {Outcome} in {DurationMs} ms {Error}")]
    private static partial void LogToolCall(ILogger logger, string callId, string tool, string type, string outcome, double durationMs, string error);
}
