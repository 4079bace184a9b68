namespace Vox.Testing;

/// <summary>Finds the local media worker processes a silo started.</summary>
public static class WorkerProcesses
{
    /// <summary>The pid of the worker process started with <c>--Worker:Id=<paramref name="workerId"/></c>.</summary>
    public static int Find(string workerId)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains("Vox.MediaWorker.dll", StringComparison.Ordinal) && cmdline.Contains($"--Worker:Id={workerId} ", StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        throw new InvalidOperationException($"No process for worker {workerId}.");
    }
}
