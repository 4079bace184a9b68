namespace Vox.Gateway.Sip.Transport;

/// <summary>A message could not be sent (connection refused, socket closed).</summary>
public sealed class SipTransportException(string message, Exception inner) : Exception(message, inner);
