using System.Globalization;

namespace Vox.Benchmarks;

/// <summary>
/// CPU used by this process, by given child processes and by every <c>postgres</c> process between two readings,
/// from <c>/proc/[pid]/stat</c>: which part of a benchmark the machine's cores went to.
/// </summary>
public sealed class CpuMeter
{
    private readonly IReadOnlyCollection<int> _children;
    private readonly DateTime _started = DateTime.UtcNow;
    private readonly (double Self, double Children, double Postgres) _start;

    private CpuMeter(IReadOnlyCollection<int> children)
    {
        _children = children;
        _start = Read(children);
    }

    /// <summary>Starts measuring; <paramref name="children"/> are the processes counted as the silos.</summary>
    public static CpuMeter Start(IReadOnlyCollection<int> children) => new(children);

    /// <summary>Cores used on average since the start, as "client 0.42, silos 0.91, postgres 0.55 cores".</summary>
    public string Summary()
    {
        var end = Read(_children);
        var wall = (DateTime.UtcNow - _started).TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"cores used: client {(end.Self - _start.Self) / wall:0.00}, silos {(end.Children - _start.Children) / wall:0.00}, postgres {(end.Postgres - _start.Postgres) / wall:0.00}");
    }

    private static (double Self, double Children, double Postgres) Read(IReadOnlyCollection<int> children)
    {
        double self = 0, kids = 0, postgres = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // the process ended between listing and reading
            }

            // pid (comm) state ppid ... utime stime: fields 14 and 15, counted after the closing parenthesis of comm.
            var close = stat.LastIndexOf(')');
            var comm = stat[(stat.IndexOf('(') + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            var seconds = (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
            if (pid == Environment.ProcessId)
            {
                self += seconds;
            }
            else if (children.Contains(pid))
            {
                kids += seconds;
            }
            else if (comm == "postgres")
            {
                postgres += seconds;
            }
        }

        return (self, kids, postgres);
    }
}
