namespace Vox.FixtureGenerator;

/// <summary>Pink (1/f) noise: white Gaussian noise through Paul Kellet's "refined" three-pole filter, about -3 dB per octave above 10 Hz at 44.1 kHz and close enough at 16 kHz.</summary>
/// <remarks>Pink rather than white because room and line noise has most of its energy low, as the noise of the earlier fixture set had.</remarks>
internal static class PinkNoise
{
    public static double[] Generate(Xoshiro256StarStar random, int length)
    {
        var output = new double[length];
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
        for (int i = 0; i < length; i++)
        {
            double white = random.NextGaussian();
            b0 = 0.99886 * b0 + white * 0.0555179;
            b1 = 0.99332 * b1 + white * 0.0750759;
            b2 = 0.96900 * b2 + white * 0.1538520;
            b3 = 0.86650 * b3 + white * 0.3104856;
            b4 = 0.55000 * b4 + white * 0.5329522;
            b5 = -0.7616 * b5 - white * 0.0168980;
            output[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362;
            b6 = white * 0.115926;
        }

        return output;
    }
}
