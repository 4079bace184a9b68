namespace Vox.Dashboard;

/// <summary>A configured dashboard sign-in (from configuration or environment, never committed).</summary>
public sealed class DashboardCredential
{
    /// <summary>User name typed at sign-in.</summary>
    public string Username { get; set; } = "";

    /// <summary>Password typed at sign-in.</summary>
    public string Password { get; set; } = "";

    /// <summary>The tenant the user operates.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>True for a cluster admin (fleet pages, every tenant, hang-up).</summary>
    public bool Admin { get; set; }
}
