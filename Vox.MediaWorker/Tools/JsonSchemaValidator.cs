using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Vox.MediaWorker.Tools;

/// <summary>
/// Checks tool arguments against the tool's JSON schema (the subset tools use: <c>type</c>, <c>properties</c>,
/// <c>required</c>, <c>additionalProperties: false</c>, <c>enum</c>, <c>items</c>, string length, number range,
/// <c>pattern</c>) and names every violation by its JSON path.
/// </summary>
public static class JsonSchemaValidator
{
    /// <summary>The violations of <paramref name="value"/> against <paramref name="schema"/>; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(JsonElement value, JsonElement schema)
    {
        var errors = new List<string>();
        Check(value, schema, "$", errors);
        return errors;
    }

    private static void Check(JsonElement value, JsonElement schema, string path, List<string> errors)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (schema.TryGetProperty("type", out var type) && !TypeMatches(value, type))
        {
            errors.Add($"{path}: expected {type.ToString()}, got {Kind(value)}");
            return;
        }

        if (schema.TryGetProperty("enum", out var options) && options.ValueKind == JsonValueKind.Array &&
            !options.EnumerateArray().Any(o => JsonElement.DeepEquals(o, value)))
        {
            errors.Add($"{path}: must be one of {options.GetRawText()}");
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
                if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
                {
                    foreach (var name in required.EnumerateArray().Select(r => r.GetString()).OfType<string>())
                    {
                        if (!value.TryGetProperty(name, out _))
                        {
                            errors.Add($"{path}.{name}: required");
                        }
                    }
                }

                var closed = schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False;
                foreach (var property in value.EnumerateObject())
                {
                    if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
                    {
                        Check(property.Value, propertySchema, $"{path}.{property.Name}", errors);
                    }
                    else if (closed)
                    {
                        errors.Add($"{path}.{property.Name}: not allowed");
                    }
                }

                break;
            case JsonValueKind.Array when schema.TryGetProperty("items", out var items):
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Check(item, items, $"{path}[{index++}]", errors);
                }

                break;
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (schema.TryGetProperty("minLength", out var min) && min.TryGetInt32(out var minLength) && text.Length < minLength)
                {
                    errors.Add($"{path}: shorter than {minLength}");
                }

                if (schema.TryGetProperty("maxLength", out var max) && max.TryGetInt32(out var maxLength) && text.Length > maxLength)
                {
                    errors.Add($"{path}: longer than {maxLength}");
                }

                if (schema.TryGetProperty("pattern", out var pattern) && pattern.GetString() is { } regex &&
                    !Regex.IsMatch(text, regex, RegexOptions.None, TimeSpan.FromMilliseconds(100)))
                {
                    errors.Add($"{path}: does not match {regex}");
                }

                break;
            case JsonValueKind.Number:
                var number = value.GetDouble();
                if (schema.TryGetProperty("minimum", out var minimum) && minimum.TryGetDouble(out var lo) && number < lo)
                {
                    errors.Add($"{path}: below {lo.ToString(CultureInfo.InvariantCulture)}");
                }

                if (schema.TryGetProperty("maximum", out var maximum) && maximum.TryGetDouble(out var hi) && number > hi)
                {
                    errors.Add($"{path}: above {hi.ToString(CultureInfo.InvariantCulture)}");
                }

                break;
        }
    }

    private static bool TypeMatches(JsonElement value, JsonElement type) => type.ValueKind switch
    {
        JsonValueKind.String => Is(value, type.GetString()!),
        JsonValueKind.Array => type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && Is(value, t.GetString()!)),
        _ => true,
    };

    private static bool Is(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}
