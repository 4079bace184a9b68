namespace Vox.Grains.Store;

/// <summary>Conversions between stored epoch milliseconds and <see cref="DateTimeOffset"/>.</summary>
public static class DbTime
{
    /// <summary>Epoch milliseconds to UTC.</summary>
    public static DateTimeOffset ToTime(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>Nullable epoch milliseconds to UTC.</summary>
    public static DateTimeOffset? ToTime(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    /// <summary>UTC to epoch milliseconds.</summary>
    public static long ToMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();
}
