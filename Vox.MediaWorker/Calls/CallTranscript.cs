using System.Threading.Channels;
using Vox.Grains.Calls;

namespace Vox.MediaWorker.Calls;

/// <summary>The call's transcript as it happens: caller turns as recognised, bot turns as actually played.</summary>
public sealed class CallTranscript
{
    private readonly List<TranscriptTurn> _turns = [];
    private readonly Lock _gate = new();
    private readonly Channel<TranscriptTurn> _added = Channel.CreateUnbounded<TranscriptTurn>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Each turn as it is added, for publishing the live transcript.</summary>
    public ChannelReader<TranscriptTurn> Added => _added.Reader;

    /// <summary>Adds a turn (times in milliseconds from call start); returns it.</summary>
    public TranscriptTurn Add(string role, string text, TimeSpan start, TimeSpan end, bool interrupted = false)
    {
        lock (_gate)
        {
            var turn = new TranscriptTurn(_turns.Count, role, text, (long)start.TotalMilliseconds, (long)end.TotalMilliseconds, interrupted);
            _turns.Add(turn);
            _added.Writer.TryWrite(turn);
            return turn;
        }
    }

    /// <summary>The turns so far.</summary>
    public IReadOnlyList<TranscriptTurn> Turns
    {
        get
        {
            lock (_gate)
            {
                return _turns.ToList();
            }
        }
    }
}
