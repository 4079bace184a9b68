namespace Vox.Gateway.Ingress;

/// <summary>One WebSocket ingress: its route prefix, the worker serializer it is proxied to and the transport name on the call record.</summary>
public sealed record IngressCarrier(string Route, string Serializer, string Transport)
{
    /// <summary>Exotel Voicebot/AgentStream at <c>/exotel/{botId}</c>.</summary>
    public static IngressCarrier Exotel { get; } = new("exotel", "exotel", "exotel");

    /// <summary>Twilio Media Streams at <c>/twilio/{botId}</c>.</summary>
    public static IngressCarrier Twilio { get; } = new("twilio", "twilio", "twilio");

    /// <summary>Vonage Voice API WebSocket at <c>/vonage/{botId}</c>.</summary>
    public static IngressCarrier Vonage { get; } = new("vonage", "vonage", "vonage");

    /// <summary>iCallMate (8 kHz LINEAR16) at <c>/ws/{botId}</c>.</summary>
    public static IngressCarrier ICallMate { get; } = new("ws", "icallmate", "icallmate");

    /// <summary>The browser widget at <c>/widget/{botId}</c>.</summary>
    public static IngressCarrier Widget { get; } = new("widget", "widget", "widget");

    /// <summary>Every ingress.</summary>
    public static IReadOnlyList<IngressCarrier> All { get; } = [Exotel, Twilio, Vonage, ICallMate, Widget];
}
