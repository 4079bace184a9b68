// These tests start real silo processes and measure timings: one at a time, so they neither share the
// machine's two cores nor exhaust the test PostgreSQL's connections.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
