namespace Vox.Grains.Calls;

/// <summary>Filters and paging for a call listing.</summary>
public sealed record CallQuery
{
    /// <summary>Only calls in this state.</summary>
    public CallState? State { get; init; }

    /// <summary>Only calls of this bot.</summary>
    public string? BotId { get; init; }

    /// <summary>Only calls in this direction.</summary>
    public Capacity.CallDirection? Direction { get; init; }

    /// <summary>Only calls from or to this number.</summary>
    public string? Number { get; init; }

    /// <summary>Only calls created at or after this instant.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Only calls created before this instant.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Page size (1-200).</summary>
    public int Limit { get; init; } = 50;

    /// <summary>Opaque cursor from the previous page.</summary>
    public string? Cursor { get; init; }
}
