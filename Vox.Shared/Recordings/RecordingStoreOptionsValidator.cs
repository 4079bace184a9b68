using Microsoft.Extensions.Options;

namespace Vox.Grains.Recordings;

/// <summary>Checks <see cref="RecordingStoreOptions"/> at start-up, naming the configuration key of each bad value. Never echoes a secret.</summary>
public sealed class RecordingStoreOptionsValidator : IValidateOptions<RecordingStoreOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RecordingStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GetErrors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every bad value.</summary>
    public static void ThrowIfInvalid(RecordingStoreOptions options, string paramName)
    {
        ArgumentNullException.ThrowIfNull(options, paramName);
        var errors = GetErrors(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), paramName);
        }
    }

    private static List<string> GetErrors(RecordingStoreOptions options)
    {
        const string Section = RecordingStoreOptions.Section;
        var errors = new List<string>();
        if (!string.Equals(options.Provider, RecordingStoreOptions.LocalProvider, StringComparison.OrdinalIgnoreCase) && !options.IsS3)
        {
            errors.Add($"{Section}:{nameof(RecordingStoreOptions.Provider)} is '{options.Provider}'; it must be 'local' or 's3'.");
            return errors;
        }

        if (!options.IsS3)
        {
            if (string.IsNullOrWhiteSpace(options.RootPath) || options.RootPath.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add($"{Section}:{nameof(RecordingStoreOptions.RootPath)} must name a folder (default 'data/recordings').");
            }

            return errors;
        }

        if (string.IsNullOrWhiteSpace(options.Bucket))
        {
            errors.Add($"{Section}:{nameof(RecordingStoreOptions.Bucket)} is required when {Section}:{nameof(RecordingStoreOptions.Provider)} is 's3'.");
        }
        else if (!IsBucketName(options.Bucket))
        {
            errors.Add($"{Section}:{nameof(RecordingStoreOptions.Bucket)} is '{options.Bucket}'; a bucket name is 3 to 63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            if (string.IsNullOrWhiteSpace(options.Region))
            {
                errors.Add($"{Section}:{nameof(RecordingStoreOptions.Region)} is required when {Section}:{nameof(RecordingStoreOptions.ServiceUrl)} is empty (AWS S3 itself), e.g. 'eu-west-1'.");
            }
        }
        else if (!Uri.TryCreate(options.ServiceUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{Section}:{nameof(RecordingStoreOptions.ServiceUrl)} is '{options.ServiceUrl}'; it must be an absolute http:// or https:// URL, e.g. 'http://127.0.0.1:9000'.");
        }

        foreach (var (key, value) in new[] { (nameof(RecordingStoreOptions.AccessKey), options.AccessKey), (nameof(RecordingStoreOptions.SecretKey), options.SecretKey) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{Section}:{key} is required when {Section}:{nameof(RecordingStoreOptions.Provider)} is 's3'; " +
                           $"set it through the environment (VOX__{Section}__{key}), never in a committed file.");
            }
        }

        if (RecordingKey.NormalizePrefix(options.KeyPrefix, out var problem) is null)
        {
            errors.Add($"{Section}:{nameof(RecordingStoreOptions.KeyPrefix)} is '{options.KeyPrefix}'; {problem}. It must be '/'-separated segments of letters, digits, '.', '_' and '-', each starting with a letter or digit.");
        }

        return errors;
    }

    private static bool IsBucketName(string name) =>
        name.Length is >= 3 and <= 63
        && IsLowerOrDigit(name[0])
        && IsLowerOrDigit(name[^1])
        && name.All(c => IsLowerOrDigit(c) || c is '.' or '-');

    private static bool IsLowerOrDigit(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
