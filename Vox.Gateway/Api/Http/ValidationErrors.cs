using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Vox.Gateway.Api.Http;

/// <summary>Collects what is wrong with a request, field by field, before anything is written.</summary>
internal sealed class ValidationErrors
{
    /// <summary>Longest name of a bot, tenant or key.</summary>
    public const int MaxNameLength = 200;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>True when nothing was reported.</summary>
    public bool IsEmpty => _errors.Count == 0;

    /// <summary>Reports a problem with <paramref name="field"/>.</summary>
    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>A required, non-blank name of at most <see cref="MaxNameLength"/> characters.</summary>
    public void Name(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "Must not be empty.");
        }
        else if (value.Length > MaxNameLength)
        {
            Add(field, $"Must be at most {MaxNameLength} characters (got {value.Length}).");
        }
    }

    /// <summary>An optional text of at most <paramref name="max"/> characters.</summary>
    public void MaxLength(string field, string? value, int max)
    {
        if (value is not null && value.Length > max)
        {
            Add(field, $"Must be at most {max} characters (got {value.Length}).");
        }
    }

    /// <summary>A required, non-blank text of at most <paramref name="max"/> characters.</summary>
    public void Required(string field, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "Must not be empty.");
        }
        else
        {
            MaxLength(field, value, max);
        }
    }

    /// <summary>A number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public void Range(string field, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            Add(field, $"Must be between {min} and {max} (got {value}).");
        }
    }

    /// <summary>A non-null JSON object or array (nulls would otherwise slip past deserialization).</summary>
    public bool Present(string field, [NotNullWhen(true)] object? value)
    {
        if (value is null)
        {
            Add(field, "Must not be null.");
            return false;
        }

        return true;
    }

    /// <summary>The collected errors as a 400 ValidationProblem.</summary>
    public ProblemHttpResult ToProblem() =>
        ApiProblems.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
}
