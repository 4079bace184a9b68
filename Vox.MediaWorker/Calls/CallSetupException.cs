using System.Reflection;
using Vox.MediaWorker.Transports;

namespace Vox.MediaWorker.Calls;

/// <summary>
/// A call could not be set up on this worker (its bot, its providers, its recogniser or pipeline failed to build). The
/// session closes the carrier's socket with 1011 and <see cref="CloseReason"/>, and ends the call with <see cref="Exception.Message"/>.
/// </summary>
public sealed class CallSetupException : Exception
{
    /// <summary>Wraps what failed in <paramref name="step"/>.</summary>
    public CallSetupException(string step, Exception inner)
        : base($"call set-up failed ({step}): {Unwrap(inner).Message}", Unwrap(inner))
    {
    }

    /// <summary>The message as a close frame can carry it (at most 123 UTF-8 bytes).</summary>
    public string CloseReason => WebSocketCloseReason.Fit(Message);

    // The container reports a failing constructor as itself, or wrapped when reflection invoked it.
    private static Exception Unwrap(Exception exception) =>
        exception is TargetInvocationException { InnerException: { } inner } ? Unwrap(inner) : exception;
}
