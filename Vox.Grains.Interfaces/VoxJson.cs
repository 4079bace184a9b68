using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vox.Grains;

/// <summary>The JSON conventions shared by the REST API, the internal API and stored documents.</summary>
public static class VoxJson
{
    /// <summary>camelCase properties, snake_case enum strings, unknown members rejected.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Applies Vox conventions to <paramref name="options"/> (used for ASP.NET's own options).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = false;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
