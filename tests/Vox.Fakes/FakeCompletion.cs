namespace Vox.Fakes;

/// <summary>What the fake model answers: text (streamed in small deltas) and/or tool calls (streamed as argument fragments).</summary>
public sealed record FakeCompletion(string? Text, IReadOnlyList<FakeToolCall>? ToolCalls = null)
{
    /// <summary>A text-only answer.</summary>
    public static FakeCompletion Say(string text) => new(text);

    /// <summary>A tool-call answer (several calls are parallel calls).</summary>
    public static FakeCompletion Call(params FakeToolCall[] calls) => new(null, calls);
}
