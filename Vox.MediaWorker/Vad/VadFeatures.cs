namespace Vox.MediaWorker.Vad;

/// <summary>The measurements behind a frame's speech score, for diagnostics and tuning.</summary>
/// <param name="EnergyDbfs">Frame energy (RMS) in dBFS; negative infinity for digital silence.</param>
/// <param name="NoiseFloorDbfs">Estimated noise power in the 200-3700 Hz analysis band, in dBFS.</param>
/// <param name="SnrDb">Frame power in the analysis band relative to the noise estimate, in dB.</param>
/// <param name="BandSnrDb">Mean over the 15 critical bands of 200-3700 Hz of each band's SNR, each clipped to [0, 30] dB.</param>
/// <param name="Flatness">Spectral flatness over 300-3400 Hz after removing the spectral tilt, in (0, 1]: about 0.57 for
/// white, pink or brown noise, 0.02-0.2 for voiced speech.</param>
public readonly record struct VadFeatures(double EnergyDbfs, double NoiseFloorDbfs, double SnrDb, double BandSnrDb, double Flatness);
