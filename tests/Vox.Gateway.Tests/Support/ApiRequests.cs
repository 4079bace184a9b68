using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vox.Grains;

namespace Vox.Gateway.Tests.Support;

/// <summary>Small helpers for talking JSON to the API.</summary>
public static class ApiRequests
{
    /// <summary>A JSON body from an object, serialized by the API's conventions.</summary>
    public static HttpContent Json(object value) => JsonContent.Create(value, value.GetType(), options: VoxJson.Options);

    /// <summary>A JSON body from raw text (for malformed or unusual JSON).</summary>
    public static HttpContent RawJson(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    /// <summary>Reads the body as a JSON element, asserting the status first.</summary>
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The <c>id</c> of a created resource.</summary>
    public static async Task<string> CreatedIdAsync(this HttpResponseMessage response) =>
        (await response.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

    /// <summary>The ids of a page's items, in order.</summary>
    public static IReadOnlyList<string> Ids(this JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
}
