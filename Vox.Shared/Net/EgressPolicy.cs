using System.Net;
using System.Net.Sockets;

namespace Vox.Grains.Net;

/// <summary>
/// Decides whether a request may connect to an address (<see cref="EgressOptions"/>), and builds HTTP handlers that check
/// every address at connect time, after DNS: a host name that resolves (or re-resolves) to a refused address is refused,
/// so DNS cannot be used to reach what a literal address could not.
/// </summary>
public sealed class EgressPolicy
{
    private static readonly IPNetwork[] AlwaysRefused =
    [
        IPNetwork.Parse("169.254.0.0/16"), // link-local: cloud metadata services
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("224.0.0.0/4"), // multicast
        IPNetwork.Parse("ff00::/8"),
        IPNetwork.Parse("255.255.255.255/32"),
        IPNetwork.Parse("fd00:ec2::254/128"), // AWS metadata over IPv6
    ];

    private static readonly IPNetwork[] Private =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("fc00::/7"),
    ];

    private readonly bool _blockPrivate;
    private readonly IPNetwork[] _allowed;

    /// <summary>Creates the policy; throws <see cref="ArgumentException"/> naming an allowed network that is not a CIDR.</summary>
    public EgressPolicy(EgressOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _blockPrivate = options.BlockPrivateNetworks;
        _allowed = options.AllowedNetworks.Select(n => IPNetwork.TryParse(n.Trim(), out var network)
            ? network
            : throw new ArgumentException($"Egress:AllowedNetworks holds '{n}', which is not a network in CIDR form (e.g. 10.1.2.0/24).", nameof(options))).ToArray();
    }

    /// <summary>The policy of an install that changed nothing: only link-local, unspecified, multicast and broadcast are refused.</summary>
    public static EgressPolicy Default { get; } = new(new EgressOptions());

    /// <summary>Null when a request may connect to <paramref name="address"/>; otherwise why not.</summary>
    public string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (_allowed.Any(n => n.Contains(address)))
        {
            return null;
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || AlwaysRefused.Any(n => n.Contains(address)))
        {
            return $"{address} is a link-local, unspecified, multicast or broadcast address (cloud metadata services live there); add it to Egress:AllowedNetworks if it is really meant";
        }

        return _blockPrivate && Private.Any(n => n.Contains(address))
            ? $"{address} is a loopback or private address and Egress:BlockPrivateNetworks is on; add it to Egress:AllowedNetworks if it is really meant"
            : null;
    }

    /// <summary>How long <see cref="HostRefusalAsync"/> waits for a host name to resolve.</summary>
    public static readonly TimeSpan SaveTimeResolveTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Null when connections to <paramref name="host"/> (a name, an address, or an IPv6 address in brackets) may go ahead
    /// as far as can be told now; otherwise why not. This is for a clear error when a URL or a trunk address is saved,
    /// not a guarantee: a literal address is judged as it stands and a host name by what it resolves to now. A name that
    /// does not resolve within <see cref="SaveTimeResolveTimeout"/> is not refused here (it may resolve later). Every
    /// connection is checked again when it is made.
    /// </summary>
    public async Task<string?> HostRefusalAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(SaveTimeResolveTimeout);
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return null;
            }
        }

        return HostRefusal(host, addresses);
    }

    /// <summary>A handler that resolves the host, refuses it when any address it resolves to is refused, and connects to the others.</summary>
    public SocketsHttpHandler CreateHandler()
    {
        return new SocketsHttpHandler { ConnectCallback = ConnectAsync };
    }

    // One refused address refuses the host: a name that resolves to a public and a private address must not be a way in.
    private string? HostRefusal(string host, IPAddress[] addresses) =>
        addresses.Select(Refusal).FirstOrDefault(why => why is not null) is { } reason ? $"Refused to connect to {host}: {reason}." : null;

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (HostRefusal(host, addresses) is { } refusal)
        {
            throw new EgressRefusedException(refusal);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A request was refused by the egress policy before any connection was made; the message says why and what to change.</summary>
public sealed class EgressRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EgressRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public EgressRefusedException()
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public EgressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
