using System.Globalization;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace Vox.MediaWorker.Transports;

/// <summary>The serializers the worker's <c>/media/{name}</c> endpoint offers, chosen by name and the stream URL's query.</summary>
public static class MediaSerializers
{
    /// <summary>Every serializer name.</summary>
    public static readonly IReadOnlyList<string> Names = ["vox", "widget", "exotel", "twilio", "vonage", "icallmate"];

    /// <summary>
    /// Creates the serializer <paramref name="name"/> for one call; null for an unknown name. Throws
    /// <see cref="MediaProtocolException"/> when the query asks for something it cannot carry (an Exotel rate it lacks).
    /// </summary>
    public static IMediaSerializer? Create(string name, IQueryCollection query) => name switch
    {
        "vox" => new NativeVoxSerializer(),
        "widget" => new NativeVoxSerializer("widget"),
        "exotel" => new ExotelSerializer(ExotelRate(query["sample-rate"].ToString())),
        "twilio" => new TwilioSerializer(),
        "vonage" => new VonageSerializer(),
        "icallmate" => new ICallMateSerializer(),
        _ => null,
    };

    private static int ExotelRate(string raw) =>
        string.IsNullOrEmpty(raw) ? 8000
        : int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var rate) ? rate
        : throw new MediaProtocolException(WebSocketCloseStatus.PolicyViolation, $"Exotel sample-rate '{raw}' is not a number");
}
