namespace Vox.Grains;

/// <summary>One request queued in a <see cref="GroupCommitQueue{TRequest, TResult}"/> and the promise of its result.</summary>
/// <typeparam name="TRequest">What the caller asks for.</typeparam>
/// <typeparam name="TResult">What the caller gets back.</typeparam>
public sealed class GroupCommitEntry<TRequest, TResult>(TRequest request, CancellationToken cancellationToken)
{
    /// <summary>What the caller asked for.</summary>
    public TRequest Request { get; } = request;

    /// <summary>The caller's cancellation.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Settled by the batch runner with the caller's result or error.</summary>
    public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
