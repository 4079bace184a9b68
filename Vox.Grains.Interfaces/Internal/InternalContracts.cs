using Vox.Grains.Bots;
using Vox.Grains.Calls;

namespace Vox.Grains.Internal;

/// <summary>Body of a worker attach request.</summary>
public sealed record AttachRequest(string WorkerId);

/// <summary>A yes/no answer from the internal API.</summary>
public sealed record InternalAck(bool Done);

/// <summary>Body of a call state transition.</summary>
public sealed record CallTransitionRequest(CallState State, string? WorkerId);

/// <summary>Body of an end-without-result request.</summary>
public sealed record CallEndRequest(string Reason, string? Detail);

/// <summary>Answer to a result delivery.</summary>
public sealed record CallCompletionResponse(CompletionOutcome Outcome);

/// <summary>Body of a tenant-scoped bot write over the internal API.</summary>
public sealed record BotWriteRequest(string TenantId, BotDefinition Definition, int? ExpectedVersion);
