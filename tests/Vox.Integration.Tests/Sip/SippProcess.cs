namespace Vox.Integration.Tests.Sip;

/// <summary>Runs the real <c>sipp</c> (Debian <c>sip-tester</c>) with a built-in or given scenario; fails loudly when it is missing.</summary>
public sealed class SippProcess : IAsyncDisposable
{
    private readonly ToolProcess _tool;

    private SippProcess(ToolProcess tool, string workDir)
    {
        _tool = tool;
        WorkDir = workDir;
    }

    /// <summary>Folder sipp runs in (its logs land here; <c>pcap/</c> points at the packaged pcaps).</summary>
    public string WorkDir { get; }

    /// <summary>What sipp printed.</summary>
    public string Output => _tool.Output;

    /// <summary>The SIP messages and errors sipp logged (<c>-trace_msg</c>, <c>-trace_err</c>).</summary>
    public string Messages => string.Join("\n", Directory.GetFiles(WorkDir, "*_messages.log").Concat(Directory.GetFiles(WorkDir, "*_errors.log")).Select(File.ReadAllText));

    /// <summary>Starts sipp with <paramref name="arguments"/> (tracing messages and errors).</summary>
    public static SippProcess Start(params string[] arguments)
    {
        var sipp = ToolProcess.Find("sip-tester", "/usr/bin/sipp", "/usr/local/bin/sipp");
        var workDir = Directory.CreateTempSubdirectory("vox-sipp-").FullName;
        if (Directory.Exists("/usr/share/sip-tester"))
        {
            // uac_pcap plays pcap/g711a.pcap and pcap/dtmf_2833_1.pcap relative to its working folder.
            Directory.CreateSymbolicLink(Path.Combine(workDir, "pcap"), "/usr/share/sip-tester");
        }

        return new SippProcess(ToolProcess.Start(sipp, [.. arguments, "-trace_msg", "-trace_err", "-nostdin"], workDir), workDir);
    }

    /// <summary>Starts sipp on a scenario file written from <paramref name="xml"/>, with <paramref name="arguments"/>.</summary>
    public static SippProcess StartScenario(string xml, params string[] arguments)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("vox-sipp-scenario-").FullName, "scenario.xml");
        File.WriteAllText(file, xml.TrimStart());
        return Start(["-sf", file, .. arguments]);
    }

    /// <summary>Waits for sipp to finish; its exit code (0: every call succeeded).</summary>
    public Task<int> WaitAsync(TimeSpan timeout) => _tool.WaitAsync(timeout, () => Messages);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _tool.DisposeAsync();
}
