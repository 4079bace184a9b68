using Vox.Benchmarks;

return args.FirstOrDefault() switch
{
    "capacity" => await CapacityBenchmark.RunAsync(args.Skip(1).ToArray()),
    "dashboard" => await DashboardBenchmark.RunAsync(args.Skip(1).ToArray()),
    "ingress" => await IngressBenchmark.RunAsync(args.Skip(1).ToArray()),
    "worker" => await WorkerBenchmark.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("""
        Vox benchmarks (on demand; scripts/bench.sh starts a throwaway PostgreSQL and runs them):
          capacity [--silos 1,2,3] [--clients 32] [--seconds 10]
              Reservations/s and p50/p99 through 1..3 silo processes on PostgreSQL, against a baseline of
              plain single-row UPDATE transactions with the same client concurrency. Needs VOX_BENCH_POSTGRES.
          dashboard [--repeats 20]
              Server time (Server-Timing) and round trip of the dashboard's list pages with 10,000 calls in the log, on SQLite
              and, with VOX_BENCH_POSTGRES, on PostgreSQL. Exits 1 when a page's p95 server time reaches 500 ms.
          worker [--calls 5] [--density 1,2,4,6,8]
              Media worker on the offline stack through a silo (SQLite) and local workers: pipeline overhead per turn
              (p50/p95), worker CPU per second of call, RSS idle and in call, and concurrent calls before frames run late.
          ingress [--calls 25,50,100,200] [--seconds 10] [--frames 500]
              Latency the gateway's WebSocket proxy adds per 20 ms frame (p50/p99), and concurrent calls one silo carries
              with every frame within 20 ms, against fake media workers (SQLite store; no PostgreSQL needed).
        """);
    return 2;
}
