using Microsoft.Extensions.Options;

namespace Vox.MediaWorker.Vad;

/// <summary>Checks <see cref="VadOptions"/> at start-up, naming the configuration key of each bad value.</summary>
public sealed class VadOptionsValidator : IValidateOptions<VadOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, VadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = GetErrors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every bad value.</summary>
    public static void ThrowIfInvalid(VadOptions options, string paramName)
    {
        ArgumentNullException.ThrowIfNull(options, paramName);
        List<string> errors = GetErrors(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), paramName);
        }
    }

    private static List<string> GetErrors(VadOptions options)
    {
        const string Section = VadOptions.SectionName;
        var errors = new List<string>();
        if (!(options.StartThreshold is > 0 and <= 1))
        {
            errors.Add($"{Section}:{nameof(VadOptions.StartThreshold)} is {options.StartThreshold}; it must be in (0, 1].");
        }

        if (!(options.StopThreshold >= 0 && options.StopThreshold <= options.StartThreshold))
        {
            errors.Add($"{Section}:{nameof(VadOptions.StopThreshold)} is {options.StopThreshold}; it must be in [0, {nameof(VadOptions.StartThreshold)} = {options.StartThreshold}].");
        }

        if (options.MinSpeechMs is < 0 or > 10_000)
        {
            errors.Add($"{Section}:{nameof(VadOptions.MinSpeechMs)} is {options.MinSpeechMs}; it must be 0 to 10000 ms.");
        }

        if (options.MinSilenceMs is < 0 or > 10_000)
        {
            errors.Add($"{Section}:{nameof(VadOptions.MinSilenceMs)} is {options.MinSilenceMs}; it must be 0 to 10000 ms.");
        }

        if (options.OnsetLookbackMs is < 0 or > 2_000)
        {
            errors.Add($"{Section}:{nameof(VadOptions.OnsetLookbackMs)} is {options.OnsetLookbackMs}; it must be 0 to 2000 ms.");
        }

        if (!(options.MinSpeechDbfs is >= -120 and <= 0))
        {
            errors.Add($"{Section}:{nameof(VadOptions.MinSpeechDbfs)} is {options.MinSpeechDbfs}; it must be -120 to 0 dBFS.");
        }

        if (options.NoiseFloorWindowMs is < 200 or > 30_000)
        {
            errors.Add($"{Section}:{nameof(VadOptions.NoiseFloorWindowMs)} is {options.NoiseFloorWindowMs}; it must be 200 to 30000 ms.");
        }

        return errors;
    }
}
