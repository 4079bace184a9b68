using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Transports;

namespace Vox.MediaWorker.Rtp;

/// <summary>
/// One SIP call's media on this worker: a UDP port that receives G.711 (PCMU/PCMA) and RFC 4733 telephone-events and
/// sends the bot's audio back in 20 ms packets. RTP is symmetric: packets go to wherever the caller's packets come from
/// (so NAT works), falling back to the SDP address until the first one arrives. A small jitter buffer reorders; silence
/// fills lost packets; no packets for <see cref="RtpOptions.InactivitySeconds"/> (unless on hold) hangs up.
/// </summary>
public sealed partial class RtpSession : ICallMediaChannel, IOutputTransport, IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Channel<TransportInput> _inputs = Channel.CreateBounded<TransportInput>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly JitterBuffer _jitter;
    private readonly RtpOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _sendBuffer = new byte[RtpHeader.Size + 2 * RtpCodec.SamplesPerPacket];
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly uint _ssrc = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
    private IPEndPoint? _remote;
    private bool _latched;
    private ushort _sequence = (ushort)Random.Shared.Next(ushort.MaxValue);
    private uint _timestamp = (uint)Random.Shared.NextInt64(uint.MaxValue);
    private long _lastSentAt = -1;
    private long _lastReceivedAt;
    private uint? _lastDtmfTimestamp;
    private volatile bool _onHold;
    private int _stopped;
    private Task? _receiving;

    /// <summary>Opens the UDP port for <paramref name="callId"/> on <paramref name="localAddress"/> (a free one within the configured range).</summary>
    public RtpSession(string callId, IPAddress localAddress, RtpOptions options, TimeProvider time, ILogger<RtpSession> logger)
    {
        CallId = callId;
        _options = options;
        _time = time;
        _logger = logger;
        _jitter = new JitterBuffer(options.JitterDepth);
        _socket = Bind(localAddress, options);
        _lastReceivedAt = time.GetTimestamp();
    }

    /// <summary>The call.</summary>
    public string CallId { get; }

    /// <summary>Where the session receives RTP.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Payload type sent (0 PCMU or 8 PCMA).</summary>
    public byte PayloadType { get; private set; } = RtpCodec.Pcmu;

    /// <summary>Payload type of telephone-event, or null when not negotiated.</summary>
    public byte? DtmfPayloadType { get; private set; }

    /// <summary>Where packets go now.</summary>
    public IPEndPoint? Remote => _remote;

    /// <summary>Packets received, sent, and DTMF digits received.</summary>
    public (long Received, long Sent, long Digits) Counters => (Interlocked.Read(ref _received), Interlocked.Read(ref _sent), Interlocked.Read(ref _digits));

    private long _received;
    private long _sent;
    private long _digits;

    /// <inheritdoc />
    public int SampleRate => RtpCodec.SampleRate;

    /// <inheritdoc />
    /// <remarks>RTP audio reaches the pipeline decoded to PCM16, so providers are asked for PCM.</remarks>
    public string TransportName => "rtp";

    /// <inheritdoc />
    public IOutputTransport Output => this;

    /// <summary>Sets the far end from the SDP and the negotiated payload types; a symmetric-RTP source seen later wins.</summary>
    public void Configure(IPEndPoint? remote, byte payloadType, byte? dtmfPayloadType)
    {
        if (remote is not null && !_latched)
        {
            _remote = remote;
        }

        PayloadType = payloadType;
        DtmfPayloadType = dtmfPayloadType;
    }

    /// <summary>Puts the call on hold (no inactivity hang-up, nothing sent) or takes it off.</summary>
    public void SetHold(bool onHold)
    {
        _onHold = onHold;
        _lastReceivedAt = _time.GetTimestamp();
    }

    /// <summary>True once the call was claimed to run over this session (answered).</summary>
    public bool IsClaimed => Volatile.Read(ref _claimed) != 0;

    private int _claimed;

    /// <summary>Claims the session for running the call; false when it was claimed already.</summary>
    public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

    /// <summary>Starts receiving (audio and digits queue up for <see cref="ReceiveAsync"/>) without starting the call.</summary>
    public void Listen()
    {
        if (_receiving is not null)
        {
            return;
        }

        _lastReceivedAt = _time.GetTimestamp();
        _receiving = Task.Run(() => ReceiveLoopAsync(_stop.Token));
        _ = Task.Run(() => WatchInactivityAsync(_stop.Token));
    }

    /// <summary>Lets the call begin: the next <see cref="ReceiveAsync"/> returns the start, ahead of anything queued.</summary>
    public void Start()
    {
        Listen();
        Volatile.Write(ref _startPending, 1);
    }

    private int _startPending;

    /// <summary>The far end hung up (BYE, CANCEL): the pipeline sees a stop.</summary>
    public void Hangup(string reason) => _inputs.Writer.TryWrite(new TransportStop(reason));

    /// <inheritdoc />
    public async ValueTask<TransportInput> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _startPending, 0) == 1)
        {
            return new TransportStart(CallId, RtpCodec.SampleRate);
        }

        try
        {
            return await _inputs.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return new TransportStop("closed");
        }
    }

    /// <inheritdoc />
    public async ValueTask SendAudioAsync(ReadOnlyMemory<short> frame, CancellationToken cancellationToken)
    {
        if (_remote is not { } remote || _onHold || Volatile.Read(ref _stopped) != 0)
        {
            return;
        }

        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetTimestamp();
            var marker = false;
            if (_lastSentAt < 0)
            {
                marker = true;
            }
            else
            {
                var gap = _time.GetElapsedTime(_lastSentAt, now);
                if (gap > TimeSpan.FromMilliseconds(60))
                {
                    // A new talkspurt: the timestamp jumps by the silence (RFC 3551 section 4.1), the marker says so.
                    marker = true;
                    _timestamp += (uint)(gap.TotalSeconds * RtpCodec.SampleRate) / RtpCodec.SamplesPerPacket * RtpCodec.SamplesPerPacket;
                }
            }

            _lastSentAt = now;
            for (var offset = 0; offset < frame.Length; offset += RtpCodec.SamplesPerPacket)
            {
                var count = Math.Min(RtpCodec.SamplesPerPacket, frame.Length - offset);
                new RtpHeader(marker, PayloadType, _sequence++, _timestamp, _ssrc).Write(_sendBuffer);
                var length = RtpHeader.Size + RtpCodec.Encode(PayloadType, frame.Span.Slice(offset, count), _sendBuffer.AsSpan(RtpHeader.Size));
                _timestamp += (uint)count;
                marker = false;
                await _socket.SendToAsync(_sendBuffer.AsMemory(0, length), SocketFlags.None, remote, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _sent);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The port closed under us (call ending) or the network refused: audio is best effort.
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Sends DTMF digits as RFC 4733 events: 100 ms each, updates every 20 ms, the end packet three times.</summary>
    public async Task SendDigitsAsync(string digits, CancellationToken cancellationToken)
    {
        if (DtmfPayloadType is not { } pt || _remote is not { } remote)
        {
            return;
        }

        var packet = new byte[RtpHeader.Size + TelephoneEvent.Size];
        foreach (var digit in digits)
        {
            if (TelephoneEvent.EventOf(digit) is not { } code)
            {
                continue;
            }

            await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var start = _timestamp;
                for (var i = 1; i <= 8; i++)
                {
                    var end = i >= 6;
                    var duration = (ushort)(Math.Min(i, 5) * RtpCodec.SamplesPerPacket);
                    new RtpHeader(i == 1, pt, _sequence++, start, _ssrc).Write(packet);
                    new TelephoneEvent(code, end, 10, duration).Write(packet.AsSpan(RtpHeader.Size));
                    await _socket.SendToAsync(packet, SocketFlags.None, remote, cancellationToken).ConfigureAwait(false);
                    if (i < 6)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken).ConfigureAwait(false);
                    }
                }

                _timestamp += 5 * RtpCodec.SamplesPerPacket;
            }
            finally
            {
                _sending.Release();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(60), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask ClearAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask SendEventAsync(TransportEvent transportEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask CloseAsync(string reason) => DisposeAsync();

    /// <inheritdoc />
    public ValueTask FailAsync(WebSocketCloseStatus status, string reason)
    {
        LogFailed(_logger, CallId, reason);
        return DisposeAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _inputs.Writer.TryComplete();
        _socket.Dispose();
        if (_receiving is not null)
        {
            try
            {
                await _receiving.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        LogClosed(_logger, CallId, Counters.Received, Counters.Sent, _jitter.Lost, _jitter.Dropped);
    }

    private async Task ReceiveLoopAsync(CancellationToken token)
    {
        var buffer = new byte[2048];
        var samples = new short[1024];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!token.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, token).ConfigureAwait(false);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                continue;
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var packet = buffer.AsSpan(0, result.ReceivedBytes);
            if (!RtpHeader.TryParse(packet, out var header, out var range))
            {
                continue;
            }

            var payload = packet[range];
            var source = (IPEndPoint)result.RemoteEndPoint;
            if (!_latched || !source.Equals(_remote))
            {
                // Symmetric RTP (RFC 4961): answer to where the media really comes from.
                _remote = source;
                _latched = true;
            }

            _lastReceivedAt = _time.GetTimestamp();
            Interlocked.Increment(ref _received);
            if (header.PayloadType == DtmfPayloadType)
            {
                OnTelephoneEvent(header, payload);
                continue;
            }

            if (!RtpCodec.IsAudio(header.PayloadType) || payload.Length > samples.Length)
            {
                continue;
            }

            _jitter.Push(header.SequenceNumber, payload.ToArray());
            while (_jitter.TryPop(out var ordered))
            {
                var frame = ordered is null
                    ? new short[RtpCodec.SamplesPerPacket]
                    : samples.AsSpan(0, RtpCodec.Decode(header.PayloadType, ordered, samples)).ToArray();
                _inputs.Writer.TryWrite(new TransportAudio(frame));
            }
        }
    }

    private void OnTelephoneEvent(RtpHeader header, ReadOnlySpan<byte> payload)
    {
        // Every packet of one event shares its start timestamp; report the digit once, on the first packet seen.
        if (!TelephoneEvent.TryParse(payload, out var tone) || _lastDtmfTimestamp == header.Timestamp || tone.Digit is not { } digit)
        {
            return;
        }

        _lastDtmfTimestamp = header.Timestamp;
        Interlocked.Increment(ref _digits);
        LogDigit(_logger, CallId, digit);
        _inputs.Writer.TryWrite(new TransportDtmf(digit));
    }

    private async Task WatchInactivityAsync(CancellationToken token)
    {
        var limit = TimeSpan.FromSeconds(_options.InactivitySeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Min(1000, limit.TotalMilliseconds / 4)), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                if (!_onHold && _time.GetElapsedTime(_lastReceivedAt) > limit)
                {
                    LogInactive(_logger, CallId, _options.InactivitySeconds);
                    Hangup("rtp_timeout");
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static Socket Bind(IPAddress address, RtpOptions options)
    {
        if (options.PortMin <= 0 || options.PortMax < options.PortMin)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(address, 0));
            return socket;
        }

        // Even ports, as RTP convention has it (RTCP would take the odd one above).
        var span = (options.PortMax - options.PortMin) / 2 + 1;
        var first = Random.Shared.Next(span);
        for (var i = 0; i < span; i++)
        {
            var port = options.PortMin + ((first + i) % span) * 2;
            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(address, port));
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
        }

        throw new InvalidOperationException($"No free RTP port between {options.PortMin} and {options.PortMax}.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: DTMF {Digit} received over RTP")]
    private static partial void LogDigit(ILogger logger, string callId, char digit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: no RTP for {Seconds} s, hanging up")]
    private static partial void LogInactive(ILogger logger, string callId, int seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: RTP session failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string callId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: RTP closed ({Received} packets in, {Sent} out, {Lost} lost, {Dropped} late or duplicate)")]
    private static partial void LogClosed(ILogger logger, string callId, long received, long sent, long lost, long dropped);
}
