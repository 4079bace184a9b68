namespace Vox.Gateway.Ingress;

/// <summary>The cluster token the gateway presents to a worker's media endpoint (the host supplies where it comes from).</summary>
/// <param name="read">Reads the token in force (it may be generated once the host has started).</param>
public sealed class IngressWorkerToken(Func<string> read)
{
    /// <summary>The token in force.</summary>
    public string Value => read();
}
