using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Vox.MediaWorker.Pipeline.Frames;

namespace Vox.MediaWorker.Pipeline;

/// <summary>
/// One stage of a call pipeline (the Pipecat contract): frames come in, frames are pushed on, up or down.
/// Data and control frames are processed in order by one loop; system frames are handled by a second loop at once,
/// so an interruption overtakes queued data: it cancels the data frame in progress, drops the queued data frames
/// (control frames such as <see cref="EndFrame"/> and the caller's own frames survive), and travels on.
/// </summary>
public abstract partial class FrameProcessor
{
    private readonly Channel<(Frame Frame, FrameDirection Direction)> _system = Channel.CreateUnbounded<(Frame, FrameDirection)>(new() { SingleReader = true });
    private readonly Channel<(Frame Frame, FrameDirection Direction)> _data = Channel.CreateUnbounded<(Frame, FrameDirection)>(new() { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _dataTurn = new(1, 1);
    private CancellationTokenSource _interruptible = new();
    private FrameProcessor? _previous;
    private FrameProcessor? _next;
    private Func<Frame, FrameDirection, CancellationToken, ValueTask>? _edge;

    /// <summary>Creates a processor named <paramref name="name"/> for logs.</summary>
    protected FrameProcessor(string name, ILogger logger)
    {
        Name = name;
        Logger = logger;
    }

    /// <summary>Name in logs.</summary>
    public string Name { get; }

    /// <summary>Logger of the concrete processor.</summary>
    protected ILogger Logger { get; }

    /// <summary>Cancelled when an interruption passes this processor; data work (LLM, TTS) should use it.</summary>
    protected CancellationToken InterruptionToken
    {
        get
        {
            lock (_gate)
            {
                return _interruptible.Token;
            }
        }
    }

    /// <summary>Queues a frame for this processor (called by its neighbours and by the transport).</summary>
    public ValueTask QueueFrameAsync(Frame frame, FrameDirection direction, CancellationToken cancellationToken) =>
        frame is SystemFrame
            ? _system.Writer.WriteAsync((frame, direction), cancellationToken)
            : _data.Writer.WriteAsync((frame, direction), cancellationToken);

    /// <summary>Runs both loops until the call token is cancelled or a <see cref="CancelFrame"/> passes.</summary>
    public Task RunAsync(CancellationToken callToken) => Task.WhenAll(SystemLoopAsync(callToken), DataLoopAsync(callToken));

    internal void Link(FrameProcessor? previous, FrameProcessor? next, Func<Frame, FrameDirection, CancellationToken, ValueTask>? edge)
    {
        _previous = previous;
        _next = next;
        _edge = edge;
    }

    /// <summary>Handles one frame; the default passes it on in the same direction.</summary>
    protected virtual ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken cancellationToken) =>
        PushFrameAsync(frame, direction, cancellationToken);

    /// <summary>Called on the system loop when an interruption passes, after queued data was dropped; override to reset state.</summary>
    protected virtual ValueTask OnInterruptedAsync(InterruptionFrame frame, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Pushes a frame to the next processor downstream or the previous one upstream.</summary>
    protected ValueTask PushFrameAsync(Frame frame, FrameDirection direction, CancellationToken cancellationToken)
    {
        var target = direction == FrameDirection.Downstream ? _next : _previous;
        if (target is not null)
        {
            return target.QueueFrameAsync(frame, direction, cancellationToken);
        }

        return _edge?.Invoke(frame, direction, cancellationToken) ?? ValueTask.CompletedTask;
    }

    private async Task SystemLoopAsync(CancellationToken callToken)
    {
        await foreach (var (frame, direction) in _system.Reader.ReadAllAsync(callToken).ConfigureAwait(false))
        {
            // Stop the data frame in progress, then hold the data loop while the system frame is handled and passed on,
            // so nothing queued behind it can overtake it downstream.
            // Queue for the turn first, then cancel: when the data frame in progress gives up the turn, it comes here.
            var turn = _dataTurn.WaitAsync(callToken);
            CancelInterruptible();
            await turn.ConfigureAwait(false);
            try
            {
                if (frame is InterruptionFrame interruption)
                {
                    DropQueuedData();
                    await OnInterruptedAsync(interruption, callToken).ConfigureAwait(false);
                }

                await ProcessFrameAsync(frame, direction, callToken).ConfigureAwait(false);
                if (frame is InterruptionFrame { Passed: { } passed } && _next is null)
                {
                    passed.TrySetResult();
                }

                if (frame is CancelFrame)
                {
                    _data.Writer.TryComplete();
                    return;
                }
            }
            finally
            {
                _dataTurn.Release();
            }
        }
    }

    private async Task DataLoopAsync(CancellationToken callToken)
    {
        try
        {
            // A frame is taken off the queue only while holding the turn, so a system frame that holds the turn
            // sees every queued frame and nothing slips past it.
            while (await _data.Reader.WaitToReadAsync(callToken).ConfigureAwait(false))
            {
                await _dataTurn.WaitAsync(callToken).ConfigureAwait(false);
                var token = InterruptionToken;
                try
                {
                    if (!_data.Reader.TryRead(out var item))
                    {
                        continue;
                    }

                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(callToken, token);
                    await ProcessFrameAsync(item.Frame, item.Direction, linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested && !callToken.IsCancellationRequested)
                {
                    // Interrupted mid-frame: drop it and go on with what comes after the interruption.
                }
                finally
                {
                    _dataTurn.Release();
                }
            }
        }
        catch (OperationCanceledException) when (callToken.IsCancellationRequested)
        {
        }
        finally
        {
            _system.Writer.TryComplete();
        }
    }

    private void DropQueuedData()
    {
        var kept = new List<(Frame, FrameDirection)>();
        var dropped = 0;
        while (_data.Reader.TryRead(out var item))
        {
            if (item.Frame is ControlFrame or CallerFrame || item.Direction == FrameDirection.Upstream)
            {
                kept.Add(item);
            }
            else
            {
                dropped++;
            }
        }

        foreach (var item in kept)
        {
            _data.Writer.TryWrite(item);
        }

        if (dropped > 0)
        {
            LogDropped(Logger, Name, dropped);
        }
    }

    private void CancelInterruptible()
    {
        CancellationTokenSource old;
        lock (_gate)
        {
            old = _interruptible;
            _interruptible = new CancellationTokenSource();
        }

        // Cancelled outside the lock: continuations may run inline, and they must already see the new token.
        old.Cancel();
        old.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Processor} dropped {Count} queued frames on interruption")]
    private static partial void LogDropped(ILogger logger, string processor, int count);
}
