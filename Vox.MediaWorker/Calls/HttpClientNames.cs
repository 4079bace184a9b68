namespace Vox.MediaWorker.Calls;

/// <summary>Names of the worker's HTTP clients.</summary>
public static class HttpClientNames
{
    /// <summary>Provider APIs (LLM, TTS): no overall timeout, since streams are long; each client sets its own deadlines.</summary>
    public const string Providers = "providers";

    /// <summary>Custom HTTP tools: each call is bounded by the tool's timeout.</summary>
    public const string Tools = "tools";
}
