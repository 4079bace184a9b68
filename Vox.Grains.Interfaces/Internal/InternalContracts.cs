using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;

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

/// <summary>Body of a batch of reservations of one pool, sent as one internal API request.</summary>
public sealed record ReservationBatchRequest(IReadOnlyList<ReservationRequest> Requests);

/// <summary>One request's answer in a reservation batch: its result, or the error it met (<see cref="Error"/> is the code).</summary>
public sealed record ReservationBatchItem(ReservationResult? Result, string? Error, string? Detail);

/// <summary>Answer to a reservation batch, one item per request, in order.</summary>
public sealed record ReservationBatchResponse(IReadOnlyList<ReservationBatchItem> Results);
