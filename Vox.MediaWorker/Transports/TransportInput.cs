namespace Vox.MediaWorker.Transports;

/// <summary>What one inbound transport message meant.</summary>
public abstract record TransportInput;

/// <summary>The far end announced the call: its id and the audio rate it sends and expects.</summary>
public sealed record TransportStart(string? CallId, int SampleRate) : TransportInput;

/// <summary>Caller audio, mono PCM16 at the negotiated rate.</summary>
public sealed record TransportAudio(short[] Samples) : TransportInput;

/// <summary>A DTMF digit.</summary>
public sealed record TransportDtmf(char Digit) : TransportInput;

/// <summary>A mark the far end reports as played.</summary>
public sealed record TransportMark(string Name) : TransportInput;

/// <summary>The far end hung up.</summary>
public sealed record TransportStop(string Reason) : TransportInput;

/// <summary>A message with nothing for the pipeline (keep-alive, unknown informational event).</summary>
public sealed record TransportIgnored(string What) : TransportInput;
