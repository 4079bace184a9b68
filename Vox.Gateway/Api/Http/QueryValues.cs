using System.Globalization;
using System.Text.Json;

namespace Vox.Gateway.Api.Http;

/// <summary>Parses query-string values by the API's rules, reporting bad ones into <see cref="ValidationErrors"/>.</summary>
internal static class QueryValues
{
    /// <summary>Page size when none is given.</summary>
    public const int DefaultLimit = 50;

    /// <summary>Largest page size.</summary>
    public const int MaxLimit = 200;

    /// <summary>A page size in 1..<see cref="MaxLimit"/>, <see cref="DefaultLimit"/> when absent.</summary>
    public static int Limit(string? raw, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return DefaultLimit;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > MaxLimit)
        {
            errors.Add("limit", $"Must be a whole number from 1 to {MaxLimit}.");
            return DefaultLimit;
        }

        return limit;
    }

    /// <summary>An enum by its snake_case wire name (as in JSON), or null when absent.</summary>
    public static TEnum? Enum<TEnum>(string? raw, string field, ValidationErrors errors)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        foreach (var value in System.Enum.GetValues<TEnum>())
        {
            if (string.Equals(WireName(value), raw, StringComparison.Ordinal))
            {
                return value;
            }
        }

        errors.Add(field, $"Must be one of: {string.Join(", ", System.Enum.GetValues<TEnum>().Select(WireName))}.");
        return null;
    }

    /// <summary>An ISO 8601 instant with an offset (e.g. <c>2025-01-31T12:00:00Z</c>), or null when absent.</summary>
    public static DateTimeOffset? Instant(string? raw, string field, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant;
        }

        errors.Add(field, "Must be an ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z.");
        return null;
    }

    private static string WireName<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
