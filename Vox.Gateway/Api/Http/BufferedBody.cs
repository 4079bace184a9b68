namespace Vox.Gateway.Api.Http;

/// <summary>A request body read once into memory, or the fact that it was over the limit (then <see cref="Bytes"/> is empty).</summary>
internal sealed record BufferedBody(ReadOnlyMemory<byte> Bytes, bool TooLarge);
