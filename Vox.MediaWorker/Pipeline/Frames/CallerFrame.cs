namespace Vox.MediaWorker.Pipeline.Frames;

/// <summary>
/// What the caller said or did (audio, speech start and stop, the end of a turn, its transcript, a key): processed in
/// order like data, but not dropped by an interruption, which stops the bot and never loses the caller's words.
/// </summary>
public abstract record CallerFrame : DataFrame;
