namespace Vox.Gateway.Api;

/// <summary>Ids the gateway makes: a type prefix and a time-ordered GUID (the same shape as the grains' ids).</summary>
internal static class ApiIds
{
    /// <summary>A new id such as <c>bot_0193…</c>.</summary>
    public static string New(string prefix) => $"{prefix}_{Guid.CreateVersion7():N}";
}
