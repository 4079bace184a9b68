using System.Collections.Concurrent;

namespace Vox.MediaWorker.Rtp;

/// <summary>The RTP sessions open on this worker, by call id (one at a time, as the worker carries one call).</summary>
public sealed class RtpSessionRegistry
{
    private readonly ConcurrentDictionary<string, RtpSession> _sessions = new();

    /// <summary>Adds a session; false when the call already has one.</summary>
    public bool TryAdd(RtpSession session) => _sessions.TryAdd(session.CallId, session);

    /// <summary>The call's session, if open.</summary>
    public RtpSession? Find(string callId) => _sessions.TryGetValue(callId, out var session) ? session : null;

    /// <summary>Forgets the call's session.</summary>
    public bool Remove(string callId, out RtpSession? session) => _sessions.TryRemove(callId, out session);
}
