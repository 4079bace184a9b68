using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vox.MediaWorker.Hosting;

namespace Vox.MediaWorker.Tests.Hosting;

public sealed class IdleMemoryTrimmerTests
{
    [Fact]
    public void Idle_worker_runs_a_full_collection()
    {
        var trimmer = new IdleMemoryTrimmer(new CallSlot(), Options.Create(new WorkerOptions()), TimeProvider.System, NullLogger<IdleMemoryTrimmer>.Instance);
        var collections = GC.CollectionCount(GC.MaxGeneration);

        Assert.True(trimmer.TrimIfIdle());
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > collections);
    }

    [Fact]
    public void Worker_with_a_call_is_not_trimmed()
    {
        var slot = new CallSlot();
        Assert.True(slot.TryTake("call_trim"));
        var trimmer = new IdleMemoryTrimmer(slot, Options.Create(new WorkerOptions()), TimeProvider.System, NullLogger<IdleMemoryTrimmer>.Instance);

        Assert.False(trimmer.TrimIfIdle());
    }
}
