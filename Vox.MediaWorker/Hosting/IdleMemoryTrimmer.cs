using System.Runtime;
using Microsoft.Extensions.Options;
using Vox.MediaWorker.Native;

namespace Vox.MediaWorker.Hosting;

/// <summary>Hands memory back to the system while the worker has no call: a compacting GC and a trim of the C heap.</summary>
/// <remarks>
/// An idle worker keeps what start-up, a finished call and background tier-1 JIT compilation freed: the GC keeps its
/// free regions committed and glibc keeps freed pages in each thread's arena (the JIT's scratch memory alone grows one to
/// about 8 MB in the first minute). Every <see cref="WorkerOptions.IdleTrimSeconds"/>, if no call is on the slot and
/// something ran since the last trim, an aggressive GC (a few milliseconds on an idle worker's heap of a few MB)
/// decommits the managed free space and <c>malloc_trim</c> returns the native free pages.
/// </remarks>
public sealed partial class IdleMemoryTrimmer(CallSlot slot, IOptions<WorkerOptions> options, TimeProvider time, ILogger<IdleMemoryTrimmer> logger)
    : BackgroundService
{
    // Allocation since the last trim below which there is too little to give back to be worth a full GC.
    private const long MinAllocatedBytes = 1 << 20;

    private long _compiledAtTrim = -1;
    private long _allocatedAtTrim = -MinAllocatedBytes;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.Value.IdleTrimSeconds;
        if (seconds == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                TrimIfIdle();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    /// <summary>Trims when no call is on the slot and code was compiled or at least 1 MB allocated since the last trim; true if it trimmed.</summary>
    internal bool TrimIfIdle()
    {
        var compiled = JitInfo.GetCompiledMethodCount();
        var allocated = GC.GetTotalAllocatedBytes();
        if (slot.CurrentCallId is not null || (compiled == _compiledAtTrim && allocated - _allocatedAtTrim < MinAllocatedBytes))
        {
            return false;
        }

        var before = Environment.WorkingSet;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        LibC.TrimHeap();
        _compiledAtTrim = JitInfo.GetCompiledMethodCount();
        _allocatedAtTrim = GC.GetTotalAllocatedBytes();
        LogTrimmed(logger, before / 1048576.0, Environment.WorkingSet / 1048576.0);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Idle worker trimmed its memory: RSS {BeforeMb:F1} MB -> {AfterMb:F1} MB")]
    private static partial void LogTrimmed(ILogger logger, double beforeMb, double afterMb);
}
