namespace Vox.FixtureGenerator;

/// <summary>Offline Kaiser-windowed-sinc sample-rate conversion in double precision, for whole clips.</summary>
/// <remarks>
/// Not the product's <c>Vox.MediaWorker.Audio.Resampler</c>: that one sums floats with SIMD, so its last bit can depend on the
/// vector width of the machine, and the fixtures must be the same bytes everywhere. Here every output sample is a scalar sum in
/// a fixed order. The ratio is rational, so the kernel takes only <c>outputRate / gcd</c> distinct phases, computed once.
/// </remarks>
internal static class SincResampler
{
    private const int ZeroCrossings = 32;
    private const double KaiserBeta = 8.6;

    // Cut-off as a fraction of the lower Nyquist frequency: 0.9 x 4 kHz still keeps the 3.4 kHz telephone band.
    private const double CutoffFraction = 0.9;

    public static double[] Resample(ReadOnlySpan<double> input, int inputRate, int outputRate)
    {
        if (inputRate == outputRate)
        {
            return input.ToArray();
        }

        int divisor = GreatestCommonDivisor(inputRate, outputRate);
        int phases = outputRate / divisor;
        double scale = Math.Min(1.0, (double)outputRate / inputRate);
        double cutoff = CutoffFraction * 0.5 * scale; // cycles per input sample
        int halfWidth = (int)Math.Ceiling(ZeroCrossings / scale);
        int taps = 2 * halfWidth;

        // Phase p: the output falls p * divisor / outputRate of an input sample after input index "base";
        // tap j weighs input index base - halfWidth + 1 + j.
        var kernel = new double[phases * taps];
        for (int p = 0; p < phases; p++)
        {
            double fraction = (double)p * divisor / outputRate;
            double sum = 0;
            for (int j = 0; j < taps; j++)
            {
                double distance = j - halfWidth + 1 - fraction;
                double weight = 2 * cutoff * Sinc(2 * cutoff * distance) * Kaiser(distance / (halfWidth + 1));
                kernel[p * taps + j] = weight;
                sum += weight;
            }

            // Unit gain at DC for every phase, so a constant stays constant.
            for (int j = 0; j < taps; j++)
            {
                kernel[p * taps + j] /= sum;
            }
        }

        int length = (int)((long)input.Length * outputRate / inputRate);
        var output = new double[length];
        for (int n = 0; n < length; n++)
        {
            long position = (long)n * inputRate;
            int baseIndex = (int)(position / outputRate);
            int phase = (int)(position % outputRate) / divisor;
            int first = baseIndex - halfWidth + 1;
            double acc = 0;
            for (int j = 0; j < taps; j++)
            {
                int index = first + j;
                if ((uint)index < (uint)input.Length)
                {
                    acc += input[index] * kernel[phase * taps + j];
                }
            }

            output[n] = acc;
        }

        return output;
    }

    private static int GreatestCommonDivisor(int a, int b) => b == 0 ? a : GreatestCommonDivisor(b, a % b);

    private static double Sinc(double x) => x == 0 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);

    private static double Kaiser(double x) =>
        Math.Abs(x) >= 1 ? 0 : BesselI0(KaiserBeta * Math.Sqrt(1 - x * x)) / BesselI0(KaiserBeta);

    private static double BesselI0(double x)
    {
        double sum = 1;
        double term = 1;
        double quarterSquare = x * x / 4;
        for (int k = 1; k < 64; k++)
        {
            term *= quarterSquare / (k * k);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }
}
