namespace Vox.MediaWorker.Vad;

/// <summary>In-place radix-2 complex FFT of one fixed power-of-two size, with its tables built once so transforms do not allocate.</summary>
internal sealed class Fft
{
    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly int[] _bitReversed;

    public Fft(int size)
    {
        if (size < 2 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The FFT size must be a power of two of at least 2.");
        }

        Size = size;
        _cos = new double[size / 2];
        _sin = new double[size / 2];
        for (int i = 0; i < size / 2; i++)
        {
            double angle = -2 * Math.PI * i / size;
            _cos[i] = Math.Cos(angle);
            _sin[i] = Math.Sin(angle);
        }

        _bitReversed = new int[size];
        int bits = System.Numerics.BitOperations.Log2((uint)size);
        for (int i = 0; i < size; i++)
        {
            int reversed = 0;
            for (int bit = 0; bit < bits; bit++)
            {
                reversed |= ((i >> bit) & 1) << (bits - 1 - bit);
            }

            _bitReversed[i] = reversed;
        }
    }

    public int Size { get; }

    /// <summary>Forward transform (e^-i) of <paramref name="real"/> + i <paramref name="imaginary"/>, unscaled.</summary>
    public void Forward(Span<double> real, Span<double> imaginary)
    {
        int n = Size;
        if (real.Length < n || imaginary.Length < n)
        {
            throw new ArgumentException($"The FFT needs {n} values in each buffer.");
        }

        for (int i = 0; i < n; i++)
        {
            int j = _bitReversed[i];
            if (j > i)
            {
                (real[i], real[j]) = (real[j], real[i]);
                (imaginary[i], imaginary[j]) = (imaginary[j], imaginary[i]);
            }
        }

        for (int length = 2; length <= n; length <<= 1)
        {
            int half = length >> 1;
            int step = n / length;
            for (int start = 0; start < n; start += length)
            {
                for (int k = 0; k < half; k++)
                {
                    double wr = _cos[k * step];
                    double wi = _sin[k * step];
                    int a = start + k;
                    int b = a + half;
                    double tr = (real[b] * wr) - (imaginary[b] * wi);
                    double ti = (real[b] * wi) + (imaginary[b] * wr);
                    real[b] = real[a] - tr;
                    imaginary[b] = imaginary[a] - ti;
                    real[a] += tr;
                    imaginary[a] += ti;
                }
            }
        }
    }
}
