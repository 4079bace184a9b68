namespace Vox.MediaWorker.Tools;

/// <summary>What a tool does to the call once the reply has been spoken.</summary>
public enum ToolEffect
{
    /// <summary>Nothing: the result goes back to the model.</summary>
    None,
    /// <summary>Hang up after the goodbye.</summary>
    EndCall,
    /// <summary>Transfer the caller.</summary>
    Transfer,
    /// <summary>A voicemail answered: hang up.</summary>
    Voicemail,
}
