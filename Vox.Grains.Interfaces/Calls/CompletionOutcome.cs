namespace Vox.Grains.Calls;

/// <summary>How <see cref="ICallGrain.CompleteAsync"/> treated a result.</summary>
public enum CompletionOutcome
{
    /// <summary>The result was stored and the call ended.</summary>
    Accepted,
    /// <summary>This result id was already stored; nothing changed.</summary>
    Duplicate,
}
