using System.Buffers.Binary;
using System.Diagnostics;

namespace Vox.FixtureGenerator;

/// <summary>Synthesises text with the <c>espeak-ng</c> command (Debian package espeak-ng), reading its WAV from standard output.</summary>
/// <remarks>The command rather than the library the product P/Invokes: a child process per clip keeps libespeak-ng's global state out of this program, and its WAV carries the rate.</remarks>
internal static class EspeakCli
{
    public static async Task<(double[] Samples, int SampleRate)> SynthesizeAsync(string voice, string text, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("espeak-ng")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-v");
        start.ArgumentList.Add(voice);
        start.ArgumentList.Add("--stdout");
        start.ArgumentList.Add(text);

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("espeak-ng did not start.");
        using var wav = new MemoryStream();
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.BaseStream.CopyToAsync(wav, cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"espeak-ng -v {voice} exited {process.ExitCode}: {(await error).Trim()}");
        }

        return Decode(wav.ToArray(), voice);
    }

    // espeak-ng streams its WAV, so the data chunk's size field is a placeholder: the samples are everything after its header.
    private static (double[] Samples, int SampleRate) Decode(byte[] wav, string voice)
    {
        if (wav.Length < 44 || wav.AsSpan(0, 4).SequenceEqual("RIFF"u8) is false || wav.AsSpan(36, 4).SequenceEqual("data"u8) is false)
        {
            throw new InvalidDataException($"espeak-ng -v {voice} wrote no 44-byte-header WAV ({wav.Length} bytes).");
        }

        int channels = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(22));
        int sampleRate = BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24));
        int bits = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(34));
        if (channels != 1 || bits != 16)
        {
            throw new InvalidDataException($"espeak-ng -v {voice} wrote {channels} channel(s) of {bits} bits; expected mono 16-bit.");
        }

        var samples = new double[(wav.Length - 44) / 2];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(44 + 2 * i));
        }

        return (samples, sampleRate);
    }
}
