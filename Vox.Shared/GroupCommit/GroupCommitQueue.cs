namespace Vox.Grains;

/// <summary>
/// Group commit for one kind of round trip (a store statement, an internal API request). Requests that arrive while
/// <c>batchesInFlight</c> round trips are already running wait in line and go together in the next one, at most
/// <c>batchSize</c> at a time; a request that finds a free round trip goes at once, so light load pays no batching
/// delay. <c>runBatch</c> settles every entry it is given; one that it leaves unsettled (because it threw) gets its
/// exception, so no caller waits forever.
/// </summary>
/// <typeparam name="TRequest">What one caller asks for.</typeparam>
/// <typeparam name="TResult">What that caller gets back.</typeparam>
public sealed class GroupCommitQueue<TRequest, TResult>
{
    private readonly Queue<GroupCommitEntry<TRequest, TResult>> _items = new();
    private readonly int _batchSize;
    private readonly int _batchesInFlight;
    private readonly Func<IReadOnlyList<GroupCommitEntry<TRequest, TResult>>, Task> _runBatch;
    private int _drainers;

    /// <summary>Creates a queue that sends at most <paramref name="batchSize"/> requests per round trip, <paramref name="batchesInFlight"/> round trips at once.</summary>
    public GroupCommitQueue(int batchSize, int batchesInFlight, Func<IReadOnlyList<GroupCommitEntry<TRequest, TResult>>, Task> runBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchesInFlight, 1);
        _batchSize = batchSize;
        _batchesInFlight = batchesInFlight;
        _runBatch = runBatch;
    }

    /// <summary>Queues <paramref name="request"/> and waits for its result.</summary>
    /// <remarks>
    /// A caller that gives up leaves at once; if its request is already in a round trip the work may still be done,
    /// as when a single statement commits just as its caller cancels. A request still waiting in line is dropped.
    /// </remarks>
    public Task<TResult> EnqueueAsync(TRequest request, CancellationToken cancellationToken)
    {
        var entry = new GroupCommitEntry<TRequest, TResult>(request, cancellationToken);
        Enqueue([entry]);
        return entry.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Queues <paramref name="requests"/> together, in order, so they travel in as few round trips as the batch size
    /// allows, and waits for all their results.
    /// </summary>
    public async Task<TResult[]> EnqueueManyAsync(IReadOnlyList<TRequest> requests, CancellationToken cancellationToken)
    {
        var entries = requests.Select(r => new GroupCommitEntry<TRequest, TResult>(r, cancellationToken)).ToArray();
        Enqueue(entries);
        return await Task.WhenAll(entries.Select(e => e.Completion.Task)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Enqueue(IReadOnlyList<GroupCommitEntry<TRequest, TResult>> entries)
    {
        int start;
        lock (_items)
        {
            foreach (var entry in entries)
            {
                _items.Enqueue(entry);
            }

            // Enough round trips for what waits, up to the limit: each drainer takes a batch at a time until none is left.
            var wanted = (_items.Count + _batchSize - 1) / _batchSize;
            start = Math.Max(0, Math.Min(_batchesInFlight - _drainers, wanted));
            _drainers += start;
        }

        for (var i = 0; i < start; i++)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            var batch = new List<GroupCommitEntry<TRequest, TResult>>();
            lock (_items)
            {
                while (batch.Count < _batchSize && _items.TryDequeue(out var next))
                {
                    if (next.CancellationToken.IsCancellationRequested)
                    {
                        next.Completion.TrySetCanceled(next.CancellationToken);
                    }
                    else
                    {
                        batch.Add(next);
                    }
                }

                if (batch.Count == 0)
                {
                    _drainers--;
                    return;
                }
            }

            try
            {
                await _runBatch(batch).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                foreach (var entry in batch)
                {
                    entry.Completion.TrySetException(ex);
                }
            }
        }
    }
}
