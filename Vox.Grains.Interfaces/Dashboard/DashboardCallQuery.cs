using Vox.Grains.Calls;

namespace Vox.Grains.Dashboard;

/// <summary>Filters and paging of the dashboard's call lists.</summary>
public sealed record DashboardCallQuery
{
    /// <summary>Only this tenant's calls; null for every tenant (cluster admins only).</summary>
    public string? TenantId { get; init; }

    /// <summary>Only calls that have not ended (queued, ringing or in progress).</summary>
    public bool LiveOnly { get; init; }

    /// <summary>Only calls in this state.</summary>
    public CallState? State { get; init; }

    /// <summary>Only calls of this bot.</summary>
    public string? BotId { get; init; }

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
