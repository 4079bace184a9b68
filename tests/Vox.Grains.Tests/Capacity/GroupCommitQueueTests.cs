namespace Vox.Grains.Tests.Capacity;

/// <summary>The group commit queue that batches reservations in a silo (store round trips) and in a client (internal API requests).</summary>
public sealed class GroupCommitQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>A batch runner that records each batch and holds it until released.</summary>
    private sealed class Runner
    {
        private readonly object _gate = new();
        private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<int[]> Batches { get; } = [];

        public TaskCompletionSource FirstStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Func<int, bool> Fails { get; set; } = _ => false;

        public void Release()
        {
            lock (_gate)
            {
                _release.TrySetResult();
            }
        }

        public async Task RunAsync(IReadOnlyList<GroupCommitEntry<int, string>> batch)
        {
            Task release;
            lock (_gate)
            {
                Batches.Add(batch.Select(e => e.Request).ToArray());
                release = _release.Task;
            }

            FirstStarted.TrySetResult();
            await release;
            if (batch.Any(e => Fails(e.Request)))
            {
                throw new InvalidOperationException("store down");
            }

            foreach (var entry in batch)
            {
                entry.Completion.TrySetResult($"r{entry.Request}");
            }
        }
    }

    [Fact]
    public async Task Requests_that_arrive_while_a_round_trip_is_in_flight_travel_together_in_the_next_one()
    {
        var runner = new Runner();
        var queue = new GroupCommitQueue<int, string>(batchSize: 64, batchesInFlight: 1, runner.RunAsync);

        var first = queue.EnqueueAsync(0, CancellationToken.None);
        await runner.FirstStarted.Task.WaitAsync(Patience);
        var waiting = Enumerable.Range(1, 20).Select(i => queue.EnqueueAsync(i, CancellationToken.None)).ToArray();
        runner.Release();

        Assert.Equal("r0", await first.WaitAsync(Patience));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"r{i}"), await Task.WhenAll(waiting).WaitAsync(Patience));
        Assert.Equal(2, runner.Batches.Count);
        Assert.Equal([0], runner.Batches[0]);
        Assert.Equal(Enumerable.Range(1, 20), runner.Batches[1]);
    }

    [Fact]
    public async Task Many_requests_queued_together_go_in_order_in_as_few_round_trips_as_the_batch_size_allows()
    {
        var runner = new Runner();
        runner.Release();
        var queue = new GroupCommitQueue<int, string>(batchSize: 8, batchesInFlight: 1, runner.RunAsync);

        var results = await queue.EnqueueManyAsync(Enumerable.Range(0, 20).ToArray(), CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"r{i}"), results);
        Assert.Equal([8, 8, 4], runner.Batches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 20), runner.Batches.SelectMany(b => b));
    }

    [Fact]
    public async Task A_failed_round_trip_fails_only_its_own_callers_and_the_queue_keeps_working()
    {
        var runner = new Runner { Fails = request => request == 1 };
        var queue = new GroupCommitQueue<int, string>(batchSize: 2, batchesInFlight: 1, runner.RunAsync);

        var first = queue.EnqueueAsync(0, CancellationToken.None);
        await runner.FirstStarted.Task.WaitAsync(Patience);
        var failing = new[] { queue.EnqueueAsync(1, CancellationToken.None), queue.EnqueueAsync(2, CancellationToken.None) };
        var after = queue.EnqueueAsync(3, CancellationToken.None);
        runner.Release();

        Assert.Equal("r0", await first.WaitAsync(Patience));
        foreach (var task in failing)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => task.WaitAsync(Patience));
            Assert.Equal("store down", error.Message);
        }

        Assert.Equal("r3", await after.WaitAsync(Patience));
        Assert.Equal("r4", await queue.EnqueueAsync(4, CancellationToken.None).WaitAsync(Patience));
    }

    [Fact]
    public async Task A_caller_that_gives_up_while_waiting_in_line_is_left_out_of_the_round_trip()
    {
        var runner = new Runner();
        var queue = new GroupCommitQueue<int, string>(batchSize: 64, batchesInFlight: 1, runner.RunAsync);
        using var cancel = new CancellationTokenSource();

        var first = queue.EnqueueAsync(0, CancellationToken.None);
        await runner.FirstStarted.Task.WaitAsync(Patience);
        var leaving = queue.EnqueueAsync(1, cancel.Token);
        var staying = queue.EnqueueAsync(2, CancellationToken.None);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving.WaitAsync(Patience));
        runner.Release();

        Assert.Equal("r0", await first.WaitAsync(Patience));
        Assert.Equal("r2", await staying.WaitAsync(Patience));
        Assert.DoesNotContain(runner.Batches, b => b.Contains(1));
    }

    [Fact]
    public async Task No_more_round_trips_than_allowed_run_at_once()
    {
        var inFlight = 0;
        var most = 0;
        var queue = new GroupCommitQueue<int, string>(batchSize: 4, batchesInFlight: 3, async batch =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            await Task.Delay(5);
            Interlocked.Decrement(ref inFlight);
            foreach (var entry in batch)
            {
                entry.Completion.TrySetResult($"r{entry.Request}");
            }
        });

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(() => queue.EnqueueAsync(i, CancellationToken.None)))).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(0, 400).Select(i => $"r{i}"), results);
        Assert.InRange(most, 1, 3);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
