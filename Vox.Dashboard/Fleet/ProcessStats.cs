using System.Diagnostics;

namespace Vox.Dashboard.Fleet;

/// <summary>This silo process's CPU (share of all cores since the previous reading) and working set.</summary>
public sealed class ProcessStats(TimeProvider time)
{
    private readonly Lock _gate = new();
    private TimeSpan _lastCpu;
    private long _lastAt;

    /// <summary>CPU percent of the machine since the last call (or since start) and memory in MiB.</summary>
    public (double CpuPercent, double MemoryMb) Read()
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var now = time.GetTimestamp();
        lock (_gate)
        {
            var from = _lastAt == 0 ? process.StartTime.ToUniversalTime() : default;
            var elapsed = _lastAt == 0 ? DateTime.UtcNow - from : time.GetElapsedTime(_lastAt, now);
            var used = cpu - _lastCpu;
            _lastCpu = cpu;
            _lastAt = now;
            var percent = elapsed > TimeSpan.Zero ? used / elapsed / Environment.ProcessorCount * 100 : 0;
            return (Math.Round(Math.Clamp(percent, 0, 100), 1), Math.Round(process.WorkingSet64 / 1048576.0, 1));
        }
    }
}
