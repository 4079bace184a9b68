// The tests share one silo process and one browser and measure timings: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
