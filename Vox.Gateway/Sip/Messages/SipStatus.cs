namespace Vox.Gateway.Sip.Messages;

/// <summary>Default reason phrases for the status codes Vox sends.</summary>
public static class SipStatus
{
    /// <summary>The RFC 3261 reason phrase of <paramref name="code"/>, or a class-generic one.</summary>
    public static string ReasonPhrase(int code) => code switch
    {
        100 => "Trying",
        180 => "Ringing",
        183 => "Session Progress",
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        415 => "Unsupported Media Type",
        416 => "Unsupported URI Scheme",
        420 => "Bad Extension",
        480 => "Temporarily Unavailable",
        481 => "Call/Transaction Does Not Exist",
        482 => "Loop Detected",
        483 => "Too Many Hops",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        491 => "Request Pending",
        500 => "Server Internal Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "Version Not Supported",
        513 => "Message Too Large",
        603 => "Decline",
        _ => (code / 100) switch { 1 => "Progress", 2 => "OK", 3 => "Redirect", 4 => "Client Error", 5 => "Server Error", _ => "Global Failure" },
    };
}
