namespace Vox.MediaWorker.Vad;

/// <summary>The measurements behind a frame's speech score, for diagnostics and tuning.</summary>
/// <param name="EnergyDbfs">Frame energy (RMS) in dBFS; negative infinity for digital silence.</param>
/// <param name="NoiseFloorDbfs">Estimated noise power in the 200-3700 Hz analysis band, in dBFS.</param>
/// <param name="SnrDb">Frame power in the analysis band relative to the noise estimate, in dB.</param>
/// <param name="BandSnrDb">Mean over the critical bands of 200-3700 Hz of each band's SNR, each clipped to [0, 30] dB.</param>
/// <param name="Flatness">Spectral flatness (geometric over arithmetic mean of the power spectrum) over 300-3400 Hz: near 0.5 for noise, lower for voiced speech.</param>
/// <param name="SpeechBandRatio">Share of the frame's power (above 60 Hz) that lies in 300-3400 Hz.</param>
/// <param name="ZeroCrossingRate">Share of adjacent sample pairs whose sign differs.</param>
public readonly record struct VadFeatures(
    double EnergyDbfs,
    double NoiseFloorDbfs,
    double SnrDb,
    double BandSnrDb,
    double Flatness,
    double SpeechBandRatio,
    double ZeroCrossingRate);
