namespace Vox.Gateway.Sip.Messages;

/// <summary>Header names (RFC 3261 section 20), their compact forms (section 7.3.3) and which may hold a comma-separated list.</summary>
public static class SipHeaderNames
{
    /// <summary>Via.</summary>
    public const string Via = "Via";
    /// <summary>From.</summary>
    public const string From = "From";
    /// <summary>To.</summary>
    public const string To = "To";
    /// <summary>Call-ID.</summary>
    public const string CallId = "Call-ID";
    /// <summary>CSeq.</summary>
    public const string CSeq = "CSeq";
    /// <summary>Contact.</summary>
    public const string Contact = "Contact";
    /// <summary>Max-Forwards.</summary>
    public const string MaxForwards = "Max-Forwards";
    /// <summary>Content-Length.</summary>
    public const string ContentLength = "Content-Length";
    /// <summary>Content-Type.</summary>
    public const string ContentType = "Content-Type";
    /// <summary>Route.</summary>
    public const string Route = "Route";
    /// <summary>Record-Route.</summary>
    public const string RecordRoute = "Record-Route";
    /// <summary>Allow.</summary>
    public const string Allow = "Allow";
    /// <summary>Accept.</summary>
    public const string Accept = "Accept";
    /// <summary>Supported.</summary>
    public const string Supported = "Supported";
    /// <summary>User-Agent.</summary>
    public const string UserAgent = "User-Agent";
    /// <summary>Server.</summary>
    public const string Server = "Server";
    /// <summary>Retry-After.</summary>
    public const string RetryAfter = "Retry-After";
    /// <summary>WWW-Authenticate.</summary>
    public const string WwwAuthenticate = "WWW-Authenticate";
    /// <summary>Proxy-Authenticate.</summary>
    public const string ProxyAuthenticate = "Proxy-Authenticate";
    /// <summary>Authorization.</summary>
    public const string Authorization = "Authorization";
    /// <summary>Proxy-Authorization.</summary>
    public const string ProxyAuthorization = "Proxy-Authorization";
    /// <summary>Refer-To.</summary>
    public const string ReferTo = "Refer-To";
    /// <summary>Referred-By.</summary>
    public const string ReferredBy = "Referred-By";
    /// <summary>Event.</summary>
    public const string Event = "Event";
    /// <summary>Subscription-State.</summary>
    public const string SubscriptionState = "Subscription-State";
    /// <summary>Unsupported.</summary>
    public const string Unsupported = "Unsupported";
    /// <summary>Require.</summary>
    public const string Require = "Require";

    private static readonly Dictionary<string, string> Canonical = new(StringComparer.OrdinalIgnoreCase)
    {
        ["i"] = CallId, ["m"] = Contact, ["e"] = "Content-Encoding", ["l"] = ContentLength, ["c"] = ContentType,
        ["f"] = From, ["s"] = "Subject", ["k"] = Supported, ["t"] = To, ["v"] = Via, ["o"] = Event, ["r"] = ReferTo,
        ["b"] = ReferredBy, ["u"] = "Allow-Events", ["x"] = "Session-Expires",
        [Via] = Via, [From] = From, [To] = To, [CallId] = CallId, [CSeq] = CSeq, [Contact] = Contact, [MaxForwards] = MaxForwards,
        [ContentLength] = ContentLength, [ContentType] = ContentType, [Route] = Route, [RecordRoute] = RecordRoute, [Allow] = Allow,
        [Accept] = Accept, [Supported] = Supported, [UserAgent] = UserAgent, [Server] = Server, [RetryAfter] = RetryAfter,
        [WwwAuthenticate] = WwwAuthenticate, [ProxyAuthenticate] = ProxyAuthenticate, [Authorization] = Authorization,
        [ProxyAuthorization] = ProxyAuthorization, [ReferTo] = ReferTo, [ReferredBy] = ReferredBy, [Event] = Event,
        [SubscriptionState] = SubscriptionState, [Unsupported] = Unsupported, [Require] = Require,
    };

    private static readonly HashSet<string> Lists = new(StringComparer.OrdinalIgnoreCase)
    {
        Via, Contact, Route, RecordRoute, Allow, Accept, Supported, Unsupported, Require, "Allow-Events", "Accept-Encoding", "Accept-Language",
    };

    /// <summary>The long form of <paramref name="name"/> (compact forms expanded, known names in their usual case).</summary>
    public static string Canonicalize(string name) => Canonical.TryGetValue(name, out var canonical) ? canonical : name;

    /// <summary>True when a header line of this name may carry several comma-separated values.</summary>
    public static bool IsList(string canonicalName) => Lists.Contains(canonicalName);
}
