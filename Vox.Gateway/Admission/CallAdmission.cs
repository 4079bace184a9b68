using System.Collections.Concurrent;
using Vox.Grains.Capacity;

namespace Vox.Gateway.Admission;

/// <summary>
/// Whether this gateway takes new calls, and the calls whose signalling or media it carries now (WebSocket proxies and SIP
/// dialogs). A silo that stops closes admission (new calls are refused with "try again", as when the fleet is full), waits
/// for <see cref="Live"/> to empty, and only then cuts what is left (<see cref="Cut"/>).
/// </summary>
public sealed class CallAdmission
{
    private readonly ConcurrentDictionary<string, string?> _live = new();
    private readonly CancellationTokenSource _cut = new();
    private volatile bool _closed;
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Why a call is refused once admission is closed (said to the caller and put on a refused call's record).</summary>
    public const string ClosedReason = "this silo is shutting down; call again";

    /// <summary>False once the silo is stopping.</summary>
    public bool Accepting => !_closed;

    /// <summary>
    /// Cancelled when the silo gives up waiting for its calls (end of the shutdown grace period); proxies and dialogs run on
    /// this rather than on the host's stopping token, so a stop lets live calls finish.
    /// </summary>
    public CancellationToken Cut => _cut.Token;

    /// <summary>Live calls: call id and the media URL of the worker carrying it (null before one is known).</summary>
    public IReadOnlyDictionary<string, string?> Live => _live;

    /// <summary>Records that this gateway carries <paramref name="callId"/>, on the worker at <paramref name="workerMediaUrl"/>.</summary>
    public void Add(string callId, string? workerMediaUrl)
    {
        _live[callId] = workerMediaUrl;
        Signal();
    }

    /// <summary>Records that this gateway no longer carries <paramref name="callId"/>.</summary>
    public void Remove(string callId)
    {
        if (_live.TryRemove(callId, out _))
        {
            Signal();
        }
    }

    /// <summary>The refusal a reservation gets once admission is closed; callers handle it as they handle a full fleet.</summary>
    public static ReservationResult Refused => new(ReservationOutcome.NoCapacity, null, ClosedReason);

    /// <summary>Stops taking new calls.</summary>
    public void Close() => _closed = true;

    /// <summary>Cuts every call still carried (see <see cref="Cut"/>).</summary>
    public void CutRemaining() => _cut.Cancel();

    /// <summary>Waits until no call is carried, or <paramref name="cancellationToken"/> fires; true when none is left.</summary>
    public async Task<bool> WaitIdleAsync(CancellationToken cancellationToken)
    {
        while (!_live.IsEmpty)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (_live.IsEmpty)
            {
                break;
            }

            try
            {
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return _live.IsEmpty;
            }
        }

        return true;
    }

    private void Signal() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
