namespace Vox.MediaWorker.Tools;

/// <summary>A transfer (or other call control) was refused or is not possible on this call; the message says why.</summary>
public sealed class CallControlException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CallControlException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public CallControlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CallControlException()
    {
    }
}
