namespace Vox.Fakes;

/// <summary>A tool call the fake model makes.</summary>
public sealed record FakeToolCall(string Name, string ArgumentsJson, string? Id = null);
