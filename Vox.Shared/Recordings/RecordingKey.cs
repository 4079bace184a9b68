namespace Vox.Grains.Recordings;

/// <summary>
/// The one rule for recording keys, shared by every store so a key valid in one is valid in all: '/'-separated segments of
/// ASCII letters, digits, '.', '_' and '-', each starting with a letter or digit. So no key can hold "..", a root, a drive
/// or a backslash, and names starting with '.' stay free for the local store's own files.
/// </summary>
internal static class RecordingKey
{
    /// <summary>Longest key accepted (S3 allows 1024 bytes).</summary>
    public const int MaxLength = 1024;

    /// <summary>Longest segment accepted (most file systems allow 255 bytes per name).</summary>
    public const int MaxSegmentLength = 200;

    /// <summary>Scheme of the local store's references: <c>local:calls/call_1.wav</c>.</summary>
    public const string LocalScheme = "local:";

    /// <summary>Scheme of the S3 store's references: <c>s3://bucket/prefix/calls/call_1.wav</c>.</summary>
    public const string S3Scheme = "s3://";

    private const string Rule =
        "Keys are '/'-separated segments of letters, digits, '.', '_' and '-', each starting with a letter or digit (e.g. 'calls/call_123.wav').";

    /// <summary>Returns <paramref name="key"/> if it follows the rule, else throws an <see cref="ArgumentException"/> saying why.</summary>
    public static string Validate(string key, string paramName)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        var problem = Problem(key);
        return problem is null ? key : throw new ArgumentException($"Recording key '{Shorten(key)}' is refused: {problem}. {Rule}", paramName);
    }

    /// <summary>What is wrong with <paramref name="key"/>, or null when nothing is.</summary>
    public static string? Problem(string key)
    {
        if (key.Length == 0)
        {
            return "it is empty";
        }

        if (key.Length > MaxLength)
        {
            return $"it is longer than {MaxLength} characters";
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "it has an empty segment (a leading, trailing or doubled '/')";
            }

            if (segment.Length > MaxSegmentLength)
            {
                return $"a segment is longer than {MaxSegmentLength} characters";
            }

            if (!char.IsAsciiLetterOrDigit(segment[0]))
            {
                return $"segment '{Shorten(segment)}' does not start with a letter or digit";
            }

            foreach (var c in segment)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
                {
                    return $"it contains '{(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())}'";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A key prefix in its stored form: empty, or valid segments ending in '/'. A trailing '/' in configuration is optional.
    /// Null when the prefix is invalid (<paramref name="problem"/> says why).
    /// </summary>
    public static string? NormalizePrefix(string? prefix, out string? problem)
    {
        var trimmed = (prefix ?? "").TrimEnd('/');
        if (trimmed.Length == 0)
        {
            problem = null;
            return "";
        }

        problem = Problem(trimmed);
        return problem is null ? trimmed + "/" : null;
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "...";
}
