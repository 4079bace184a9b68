namespace Vox.FixtureGenerator;

/// <summary>xoshiro256** (Blackman and Vigna), seeded through SplitMix64.</summary>
/// <remarks>Written out here rather than taken from <see cref="Random"/>, whose algorithm .NET may change between releases: the fixtures must come out byte for byte the same.</remarks>
internal sealed class Xoshiro256StarStar
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public Xoshiro256StarStar(ulong seed)
    {
        _s0 = SplitMix64(ref seed);
        _s1 = SplitMix64(ref seed);
        _s2 = SplitMix64(ref seed);
        _s3 = SplitMix64(ref seed);
    }

    /// <summary>A seed derived from <paramref name="seed"/> and a name (FNV-1a over its UTF-16 code units), so each clip has a stream of its own that does not move when other clips are added.</summary>
    public static ulong Derive(ulong seed, string name)
    {
        ulong hash = 14695981039346656037UL ^ seed;
        foreach (char c in name)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1), 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal (Box-Muller; the second value of each pair is dropped to keep no state beyond the generator).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        ulong z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
