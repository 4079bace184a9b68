namespace Vox.MediaWorker.Hosting;

/// <summary>The worker's single call slot: one call at a time, and none once draining.</summary>
public sealed class CallSlot
{
    private int _busy;
    private volatile bool _draining;
    private readonly CancellationTokenSource _abort = new();
    private TaskCompletionSource _idle = CreateIdle(completed: true);

    /// <summary>The call being carried, if any.</summary>
    public string? CurrentCallId { get; private set; }

    /// <summary>The session running the current call, once it has started.</summary>
    public Calls.CallSession? Session { get; set; }

    /// <summary>Hangs up <paramref name="callId"/> if this worker is carrying it; false otherwise.</summary>
    public bool TryHangUp(string callId, string reason) =>
        CurrentCallId == callId && Session is { } session && session.HangUp(reason);

    /// <summary>
    /// Cancelled only when the worker gives up on its call at the end of a shutdown (the call outlasted its grace period and
    /// did not end when hung up); calls run on this rather than on the host's stopping token, so a stop lets them finish.
    /// </summary>
    public CancellationToken Aborted => _abort.Token;

    /// <summary>Cuts the current call (see <see cref="Aborted"/>).</summary>
    public void Abort() => _abort.Cancel();

    /// <summary>True once the worker is shutting down.</summary>
    public bool Draining => _draining;

    /// <summary>Takes the slot for <paramref name="callId"/>; false when a call is already running or the worker drains.</summary>
    public bool TryTake(string callId)
    {
        if (_draining || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return false;
        }

        CurrentCallId = callId;
        _idle = CreateIdle(completed: false);
        return true;
    }

    /// <summary>
    /// Takes the slot for <paramref name="callId"/>, waiting up to <paramref name="wait"/> for the call before it to finish
    /// here: the store frees a worker when its call ends, a moment before the worker has wound the call down, so the next
    /// reservation can arrive first. False when the slot stays busy or the worker drains.
    /// </summary>
    public async Task<bool> TryTakeAsync(string callId, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetTimestamp() + (long)(wait.TotalSeconds * time.TimestampFrequency);
        while (!TryTake(callId))
        {
            var left = TimeSpan.FromSeconds((deadline - time.GetTimestamp()) / (double)time.TimestampFrequency);
            if (_draining || left <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await _idle.Task.WaitAsync(left, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return TryTake(callId);
            }
        }

        return true;
    }

    /// <summary>Frees the slot.</summary>
    public void Release()
    {
        Session = null;
        CurrentCallId = null;
        Volatile.Write(ref _busy, 0);
        _idle.TrySetResult();
    }

    /// <summary>Stops taking calls and waits for the current one to finish.</summary>
    public Task DrainAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        return Volatile.Read(ref _busy) == 0 ? Task.CompletedTask : _idle.Task.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource CreateIdle(bool completed)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            tcs.SetResult();
        }

        return tcs;
    }
}
