using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Vox.Grains;

namespace Vox.Gateway.Api.Http;

/// <summary>
/// The one way request bodies are read (instead of implicit minimal-API binding), so every refusal is a 4xx
/// ProblemDetails that names what is wrong: 415 for a non-JSON content type; 400 for a body over
/// <see cref="RequestBody.MaxBytes"/>, malformed JSON (with line and position), an unknown field, a missing
/// required field or a value of the wrong type, each keyed by the field's path in <c>errors</c>.
/// </summary>
internal static partial class JsonBody
{
    /// <summary>The key under <c>errors</c> for problems with the body as a whole.</summary>
    public const string BodyField = "body";

    /// <summary>Reads and deserializes the body with <see cref="VoxJson.Options"/> (unknown members disallowed).</summary>
    public static async Task<BodyRead<T>> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return BodyRead<T>.Fail(ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType,
                "Send the body as JSON with 'Content-Type: application/json'.", "unsupported_media_type"));
        }

        var body = await RequestBody.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        if (body.TooLarge)
        {
            return BodyRead<T>.Fail(ApiProblems.Validation(BodyField,
                $"The request body is larger than the limit of {RequestBody.MaxBytes / 1024} KiB ({RequestBody.MaxBytes} bytes)."));
        }

        if (body.Bytes.IsEmpty)
        {
            return BodyRead<T>.Fail(ApiProblems.Validation(BodyField, "A JSON body is required."));
        }

        if (SyntaxError(body.Bytes.Span) is { } syntax)
        {
            return BodyRead<T>.Fail(ApiProblems.Validation(BodyField, syntax));
        }

        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(body.Bytes.Span, VoxJson.Options);
        }
        catch (JsonException ex)
        {
            return BodyRead<T>.Fail(ApiProblems.Validation(Describe(ex)));
        }

        return value is null
            ? BodyRead<T>.Fail(ApiProblems.Validation(BodyField, "The body must be a JSON object, not null."))
            : BodyRead<T>.Ok(value);
    }

    /// <summary>Turns a JSON path such as <c>$.tools[0].name</c> into the field key <c>tools[0].name</c>.</summary>
    public static string FieldOf(string? path) =>
        path switch
        {
            null or "" or "$" => BodyField,
            _ when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
            _ when path.StartsWith('$') => path[1..],
            _ => path,
        };

    // A first pass with the reader alone, so syntax errors are told apart from schema errors and reported by position.
    private static string? SyntaxError(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
        try
        {
            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException ex)
        {
            var reason = ex.Message;
            var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            reason = (cut > 0 ? reason[..cut] : reason).TrimEnd(' ', '.', '|');
            return $"Malformed JSON at line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}: {reason}.";
        }
    }

    private static Dictionary<string, string[]> Describe(JsonException ex)
    {
        var message = ex.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) && Quoted().Match(message) is { Success: true } unknown)
        {
            return new() { [Join(ex.Path, unknown.Groups[1].Value)] = ["Unknown field: remove it (field names are camelCase)."] };
        }

        var including = message.IndexOf("missing required properties", StringComparison.Ordinal);
        if (including >= 0)
        {
            var missing = Quoted().Matches(message[including..]).Select(m => Join(ex.Path, m.Groups[1].Value)).Distinct().ToList();
            if (missing.Count > 0)
            {
                return missing.ToDictionary(f => f, _ => new[] { "This field is required." });
            }
        }

        return new() { [FieldOf(ex.Path)] = ["The value has the wrong type or is not allowed here."] };
    }

    // The unknown-member error may carry the path of the object or of the property itself.
    private static string Join(string? path, string name)
    {
        var field = FieldOf(path);
        if (field == BodyField)
        {
            return name;
        }

        return field == name || field.EndsWith("." + name, StringComparison.Ordinal) || field.EndsWith($"['{name}']", StringComparison.Ordinal)
            ? field
            : $"{field}.{name}";
    }

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex Quoted();
}
