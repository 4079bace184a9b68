using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Recordings;
using Vox.MediaWorker.Hosting;
using Vox.MediaWorker.Outbox;
using Vox.MediaWorker.Pipeline;
using Vox.MediaWorker.Pipeline.Frames;
using Vox.MediaWorker.Pipeline.Processors;
using Vox.MediaWorker.Providers;
using Vox.MediaWorker.Providers.Llm;
using Vox.MediaWorker.Providers.Stt;
using Vox.MediaWorker.Recording;
using Vox.MediaWorker.Tools;
using Vox.MediaWorker.Transports;

namespace Vox.MediaWorker.Calls;

/// <summary>
/// Runs one call on this worker: reads the caller's start message, fetches the bot's runtime config, builds the
/// pipeline (VAD -> STT -> responder -> sentences -> TTS -> paced output), pumps the socket until someone hangs up or a
/// limit is reached, then records the result in the durable outbox for delivery to the Call grain. A call that cannot be
/// set up (bot, providers, recogniser, pipeline) is closed with 1011 and its reason, and its result says why.
/// </summary>
/// <remarks>
/// The provider factory is resolved when the call is set up, not when the session is made: building it loads the offline
/// voice, and a missing library must end this call with its reason rather than fail the media upgrade.
/// </remarks>
public sealed partial class CallSession(
    string callId,
    ICallMediaChannel media,
    IGrainFactory grains,
    Func<ProviderFactory> providerFactory,
    ResultOutbox outbox,
    IRecordingStore recordings,
    WorkerOptions options,
    TimeProvider time,
    ILoggerFactory loggers,
    ICallControl? control = null)
{
    /// <summary>A call over a carrier WebSocket read through <paramref name="serializer"/>.</summary>
    public CallSession(string callId, WebSocket socket, IMediaSerializer serializer, IGrainFactory grains, Func<ProviderFactory> providerFactory, ResultOutbox outbox,
        IRecordingStore recordings, WorkerOptions options, TimeProvider time, ILoggerFactory loggers)
        : this(callId, new WebSocketMediaChannel(socket, serializer), grains, providerFactory, outbox, recordings, options, time, loggers)
    {
    }

    private readonly ILogger _logger = loggers.CreateLogger<CallSession>();
    private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Ends the call now with <paramref name="reason"/> (an operator's hang-up); false if it is ending already.</summary>
    public bool HangUp(string reason) => _ended.TrySetResult(reason);

    /// <summary>Runs the call to its end; returns the end reason.</summary>
    public async Task<string> RunAsync(CancellationToken stopping)
    {
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["CallId"] = callId, ["WorkerId"] = options.Id });
        var start = await ReceiveStartAsync(stopping).ConfigureAwait(false);
        _startReceived = time.GetTimestamp();
        if (start is null)
        {
            // Nothing ran: end the call (which frees this worker's slot in the store) with the reason.
            await grains.GetGrain<ICallGrain>(callId).EndAsync(_detail is null ? EndReasons.CallerHangup : EndReasons.Error, _detail, stopping).ConfigureAwait(false);
            return EndReasons.Error;
        }

        try
        {
            return await RunStartedAsync(stopping).ConfigureAwait(false);
        }
        catch (CallSetupException ex)
        {
            LogSetupFailed(_logger, ex.InnerException, callId, ex.Message);
            _detail ??= ex.Message;
            await media.FailAsync(WebSocketCloseStatus.InternalServerError, ex.CloseReason).ConfigureAwait(false);
            // The normal result path: when the Call grain takes it, the call ends with this detail and the slot is freed.
            outbox.Enqueue(callId, new CallResult(Ids(), EndReasons.Error, [], Detail: ex.Message));
            return EndReasons.Error;
        }
    }

    // What a set-up step throws becomes a CallSetupException naming the step; a shutdown's cancellation stays what it is.
    private static async Task<T> SetUpAsync<T>(string step, Func<Task<T>> run, CancellationToken stopping)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not CallSetupException && !(ex is OperationCanceledException && stopping.IsCancellationRequested))
        {
            throw new CallSetupException(step, ex);
        }
    }

    private static T SetUp<T>(string step, Func<T> run)
    {
        try
        {
            return run();
        }
        catch (Exception ex) when (ex is not CallSetupException)
        {
            throw new CallSetupException(step, ex);
        }
    }

    private async Task<string> RunStartedAsync(CancellationToken stopping)
    {
        var bot = await SetUpAsync("bot", async () =>
        {
            var record = await grains.GetGrain<ICallGrain>(callId).GetAsync(null, stopping).ConfigureAwait(false);
            // A campaign call carries its contact's variables in the call metadata; {{name}} in the prompt takes them.
            var config = Vox.Grains.Campaigns.PromptTemplate.Apply(
                await grains.GetGrain<IBotGrain>(record.BotId).GetRuntimeConfigAsync(stopping).ConfigureAwait(false), record.Metadata);
            await grains.GetGrain<ICallGrain>(callId).TransitionAsync(CallState.InProgress, options.Id, stopping).ConfigureAwait(false);
            return config;
        }, stopping).ConfigureAwait(false);

        var call = new CallContext(callId, bot, media.SampleRate, time);
        var encoding = TransportEncodings.For(media.TransportName);
        var providers = SetUp("providers", providerFactory);
        await using var set = await SetUpAsync("providers", () => providers.CreateAsync(bot, encoding, stopping), stopping).ConfigureAwait(false);
        var hints = set.Llm is OfflineResponder ? OfflineResponder.ExpectedPhrases(bot.Definition) : bot.Definition.SpeechHints;
        await using var stt = await SetUpAsync("speech recognition", () => set.Stt.StartAsync(
            new SpeechToTextRequest(call.SampleRate, bot.Definition.Language, bot.Definition.Stt.Model, hints, TransportEncoding: encoding), stopping), stopping).ConfigureAwait(false);
        var transport = media.Output;
        // A SIP call is transferred by its gateway (REFER), a native-protocol call by a transfer event to the far end; a
        // carrier media stream cannot transfer, so the transfer_call tool tells the model and a keypad transfer says so.
        var callControl = control ?? (media.CanTransfer ? new TransportCallControl(transport) : null);
        var tools = SetUp("tools", () => providers.CreateTools(call, set, callControl));
        var recordingFolder = Path.Combine(options.DataPath, options.Id, "recordings", callId);
        await using var recorder = SetUp("recorder", () => new CallRecorder(recordingFolder, call.SampleRate));

        var vad = new VadProcessor(call, loggers.CreateLogger<VadProcessor>());
        var sttProcessor = new SttProcessor(call, stt, loggers.CreateLogger<SttProcessor>());
        // The offline responder is not a tool-calling model: its one tool, end_call, is handled by the responder itself.
        var responder = new ResponderProcessor(call, set.Llm, loggers.CreateLogger<ResponderProcessor>(), set.Llm is OfflineResponder ? null : tools, callControl);
        var output = new OutputProcessor(call, transport, (frame, at) => recorder.WriteBot(frame, at), loggers.CreateLogger<OutputProcessor>());
        var pipeline = CallPipeline.ForCall(
            vad, sttProcessor, new DtmfProcessor(call, loggers.CreateLogger<DtmfProcessor>()), responder, new SentenceSplitter(loggers.CreateLogger<SentenceSplitter>()),
            new TtsProcessor(call, set.Tts, loggers.CreateLogger<TtsProcessor>()), output,
            downstreamEdge: (frame, _) =>
            {
                if (frame is EndFrame end)
                {
                    _ended.TrySetResult(end.Reason);
                }

                return ValueTask.CompletedTask;
            });

        using var callCts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var running = pipeline.RunAsync(callCts.Token);
        var transcripts = sttProcessor.ReadTranscriptsAsync(callCts.Token);
        var publishing = PublishTurnsAsync(call.Transcript, callCts.Token);
        await transport.SendEventAsync(new TransportEvent("started", Name: callId), stopping).ConfigureAwait(false);
        await responder.StartGreetingAsync(stopping).ConfigureAwait(false);
        var limits = WatchLimitsAsync(call, pipeline, sttProcessor, callCts.Token);
        var receiving = ReceiveAsync(call, pipeline, recorder, callCts.Token);

        var reason = await Task.WhenAny(_ended.Task, receiving).ConfigureAwait(false) == _ended.Task
            ? await _ended.Task.ConfigureAwait(false)
            : await receiving.ConfigureAwait(false);
        call.SetEndReason(reason);
        LogEnded(_logger, callId, call.EndReason!);

        await media.CloseAsync(call.EndReason!).ConfigureAwait(false);
        if (!receiving.IsCompleted)
        {
            // Give the caller a moment to answer our close, so the connection ends with a handshake, not a reset
            // (cancelling a pending receive aborts the socket); what it still sends meanwhile is read and dropped.
            await Task.WhenAny(receiving, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        }

        await callCts.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(Quietly(running), Quietly(transcripts), Quietly(publishing), Quietly(limits), Quietly(receiving)).ConfigureAwait(false);
        // The recogniser is done with (what it had not decoded yet is dropped): free it before the result frees this
        // worker's slot in the store, so the next call reserved here does not find it still winding down.
        await stt.DisposeAsync().ConfigureAwait(false);

        var recordingRef = await SaveRecordingAsync(recorder, bot, stopping).ConfigureAwait(false);
        var analysis = await providers.AnalyzeAsync(set, bot.Definition, call.Transcript.Turns, stopping).ConfigureAwait(false);
        var result = new CallResult(
            Ids(),
            call.EndReason!,
            call.Transcript.Turns,
            recordingRef,
            JsonSerializer.SerializeToElement(new { turns = call.Metrics.Turns, usage = call.Metrics.Usage, tools = tools.Events, dtmf = _digits.ToString() }, VoxJson.Options),
            analysis,
            Detail: _detail);
        outbox.Enqueue(callId, result);
        return call.EndReason!;
    }

    private string? _detail;

    // When the caller's start message arrived: how far its audio runs ahead is judged from here, so the call's own set-up
    // (bot, providers, recogniser: longer on a busy host) is not taken for a sender faster than real time.
    private long _startReceived;

    // DTMF digits pushed into the pipeline, in order, for the call record.
    private readonly System.Text.StringBuilder _digits = new();

    private static string Ids() => $"res_{Guid.CreateVersion7():N}";

    private async Task<TransportStart?> ReceiveStartAsync(CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.StartTimeoutSeconds));
        try
        {
            var first = await media.ReceiveAsync(timeout.Token).ConfigureAwait(false);
            if (first is TransportStop)
            {
                return null;
            }

            // Carriers may greet before they start (Twilio and Exotel send 'connected' first).
            while (first is TransportIgnored)
            {
                first = await media.ReceiveAsync(timeout.Token).ConfigureAwait(false);
                if (first is TransportStop)
                {
                    return null;
                }
            }

            if (first is TransportStart start)
            {
                if (start.CallId is not null && start.CallId != callId)
                {
                    throw new MediaProtocolException(WebSocketCloseStatus.PolicyViolation, $"start names call {start.CallId}, this socket is for {callId}");
                }

                return start;
            }

            throw new MediaProtocolException(WebSocketCloseStatus.ProtocolError, "the first message must start the call");
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            await FailAsync(WebSocketCloseStatus.PolicyViolation, $"no start message within {options.StartTimeoutSeconds} s").ConfigureAwait(false);
            return null;
        }
        catch (MediaProtocolException ex)
        {
            await FailAsync(ex.CloseStatus, ex.Message).ConfigureAwait(false);
            return null;
        }
    }

    private async Task<string> ReceiveAsync(CallContext call, CallPipeline pipeline, CallRecorder recorder, CancellationToken token)
    {
        long samplesIn = 0;
        try
        {
            while (!token.IsCancellationRequested)
            {
                switch (await media.ReceiveAsync(token).ConfigureAwait(false))
                {
                    case TransportAudio audio:
                        samplesIn += audio.Samples.Length;
                        var audioTime = TimeSpan.FromSeconds(samplesIn / (double)call.SampleRate);
                        var now = call.Clock.Now;
                        var sinceStart = time.GetElapsedTime(_startReceived);
                        if ((audioTime - sinceStart).TotalMilliseconds > options.MaxAudioLeadMs)
                        {
                            throw new MediaProtocolException(WebSocketCloseStatus.PolicyViolation,
                                $"audio arrives faster than real time ({audioTime.TotalSeconds:0.0} s of audio after {sinceStart.TotalSeconds:0.0} s)");
                        }

                        recorder.WriteCaller(audio.Samples, now);
                        await pipeline.PushAsync(new InputAudioFrame(audio.Samples, call.SampleRate, audioTime), token).ConfigureAwait(false);
                        break;
                    case TransportDtmf dtmf:
                        await pipeline.PushAsync(new DtmfFrame(dtmf.Digit, call.Clock.Now), token).ConfigureAwait(false);
                        _digits.Append(dtmf.Digit);
                        break;
                    case TransportMark mark:
                        LogMarkPlayed(_logger, callId, mark.Name, call.Clock.Now.TotalMilliseconds);
                        break;
                    case TransportStop stop:
                        // The gateway ends a transferred SIP call with that reason; any other stop is the caller leaving.
                        return stop.Reason == EndReasons.Transferred ? EndReasons.Transferred : EndReasons.CallerHangup;
                    case TransportStart:
                        throw new MediaProtocolException(WebSocketCloseStatus.ProtocolError, "second start message");
                }
            }

            return EndReasons.Error;
        }
        catch (MediaProtocolException ex)
        {
            _detail = ex.Message;
            LogProtocolError(_logger, callId, ex.Message);
            await FailAsync(ex.CloseStatus, ex.Message).ConfigureAwait(false);
            return EndReasons.Error;
        }
        catch (WebSocketException ex)
        {
            _detail = "connection lost: " + ex.Message;
            return EndReasons.CallerHangup;
        }
        catch (OperationCanceledException)
        {
            return EndReasons.Error;
        }
    }

    private async Task WatchLimitsAsync(CallContext call, CallPipeline pipeline, SttProcessor stt, CancellationToken token)
    {
        var limits = call.Bot.Definition.Limits;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), time);
        while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
        {
            string? reason = null;
            if (call.Clock.Now.TotalSeconds >= limits.MaxDurationSeconds)
            {
                reason = EndReasons.MaxDuration;
            }
            else if (!call.BotSpeaking && stt.TurnsAwaitingFinal == 0 && (call.Clock.Now - call.LastActivity).TotalSeconds >= limits.IdleTimeoutSeconds)
            {
                reason = EndReasons.IdleTimeout;
            }

            if (reason is null)
            {
                continue;
            }

            var message = limits.LimitMessage ?? (reason == EndReasons.MaxDuration
                ? "We have reached the time limit for this call. Goodbye."
                : "I haven't heard anything for a while, so I'll end the call now. Goodbye.");
            LogLimit(_logger, callId, reason);
            var turn = call.NextTurnId();
            await pipeline.PushAsync(new ResponseTextFrame(turn, message), token).ConfigureAwait(false);
            await pipeline.PushAsync(new ResponseEndFrame(turn, EndCall: true, reason), token).ConfigureAwait(false);
            return;
        }
    }

    private async Task<string?> SaveRecordingAsync(CallRecorder recorder, BotRuntimeConfig bot, CancellationToken stopping)
    {
        try
        {
            var path = Path.Combine(options.DataPath, options.Id, "recordings", callId + ".wav");
            await recorder.CompleteAsync(path, stopping).ConfigureAwait(false);
            await using var file = File.OpenRead(path);
            var reference = await recordings.SaveAsync($"{bot.TenantId}/{callId}.wav", file, "audio/wav", stopping).ConfigureAwait(false);
            file.Close();
            File.Delete(path);
            return reference;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRecordingFailed(_logger, ex, callId);
            return null;
        }
    }

    // Turns go to the Call grain as they happen, for the live transcript; the result carries them all again, so a
    // turn that fails to publish here is not lost.
    private async Task PublishTurnsAsync(CallTranscript transcript, CancellationToken token)
    {
        var grain = grains.GetGrain<ICallGrain>(callId);
        var batch = new List<TranscriptTurn>();
        await foreach (var turn in transcript.Added.ReadAllAsync(token).ConfigureAwait(false))
        {
            batch.Clear();
            batch.Add(turn);
            while (transcript.Added.TryRead(out var more))
            {
                batch.Add(more);
            }

            try
            {
                await grain.AppendTurnsAsync(batch, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or VoxException || (ex is TaskCanceledException && !token.IsCancellationRequested))
            {
                LogTurnsNotPublished(_logger, ex, callId, batch.Count);
            }
        }
    }

    private async Task FailAsync(WebSocketCloseStatus status, string reason)
    {
        _detail ??= reason;
        await media.FailAsync(status, reason).ConfigureAwait(false);
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception)
        {
            // Already logged where it happened; the call is over.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId} could not be set up on this worker: {Reason}")]
    private static partial void LogSetupFailed(ILogger logger, Exception? exception, string callId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} ended: {Reason}")]
    private static partial void LogEnded(ILogger logger, string callId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: protocol error, closing: {Reason}")]
    private static partial void LogProtocolError(ILogger logger, string callId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId}: the far end played up to mark {Mark} at {AtMs} ms")]
    private static partial void LogMarkPlayed(ILogger logger, string callId, string mark, double atMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: limit reached ({Reason})")]
    private static partial void LogLimit(ILogger logger, string callId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId}: the recording could not be saved")]
    private static partial void LogRecordingFailed(ILogger logger, Exception exception, string callId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: {Count} live transcript turns not published (they go with the result)")]
    private static partial void LogTurnsNotPublished(ILogger logger, Exception exception, string callId, int count);
}
