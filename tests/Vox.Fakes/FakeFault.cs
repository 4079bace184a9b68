namespace Vox.Fakes;

/// <summary>A fault a fake injects into one request or connection.</summary>
public enum FakeFault
{
    /// <summary>Behave.</summary>
    None,
    /// <summary>Drop the connection in the middle of the stream.</summary>
    DropMidStream,
    /// <summary>Answer 429 Too Many Requests.</summary>
    Status429,
    /// <summary>Answer 500 Internal Server Error.</summary>
    Status500,
    /// <summary>Send a chunk that is not valid JSON.</summary>
    MalformedChunk,
}
