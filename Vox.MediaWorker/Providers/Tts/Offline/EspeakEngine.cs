using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.MediaWorker.Native;

namespace Vox.MediaWorker.Providers.Tts.Offline;

/// <summary>The process's libespeak-ng: initialised once, one synthesis at a time, audio handed over as it is produced.</summary>
/// <remarks>
/// libespeak-ng keeps its voice, parameters and synth callback in globals, so only one engine may be alive in a process
/// (register it as a singleton); a second one throws. Disposing does not call <c>espeak_ng_Terminate</c>, which hangs in
/// 1.51 once the library has been initialised twice; a later engine simply initialises the library again.
/// </remarks>
public sealed partial class EspeakEngine : IDisposable
{
    private const string Packages = "libespeak-ng1 espeak-ng-data";

    // Size of the buffers the synth callback receives; audio reaches the caller at least this often.
    private const int BufferMilliseconds = 50;

    // What every voice needs; a language's own dictionary is checked by espeak-ng when its voice loads.
    private static readonly string[] RequiredDataFiles = ["phontab", "phonindex", "phondata", "intonations"];

    // The live engine. The native library is process-global, so the guard that keeps it to one owner is too.
    private static EspeakEngine? s_live;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger<EspeakEngine> _logger;
    private readonly string _defaultVoice;
    private readonly HashSet<string> _missingVoices = new(StringComparer.Ordinal);

    // Held so the GC keeps the native thunk that espeak-ng calls alive as long as the engine.
    private readonly EspeakNative.SynthCallback _callback;
    private EspeakSynthesis? _active;
    private string? _currentVoice;
    private bool _disposed;

    /// <summary>Loads and initialises libespeak-ng.</summary>
    /// <exception cref="DllNotFoundException">libespeak-ng.so.1 is not installed.</exception>
    /// <exception cref="DirectoryNotFoundException">The espeak-ng-data folder is missing.</exception>
    /// <exception cref="FileNotFoundException">The data folder lacks the phoneme tables.</exception>
    /// <exception cref="InvalidOperationException">Another engine is alive in this process.</exception>
    public EspeakEngine(IOptions<EspeakOptions> options, ILogger<EspeakEngine> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        EspeakOptions settings = options.Value;
        _logger = logger;
        _defaultVoice = string.IsNullOrWhiteSpace(settings.DefaultVoice)
            ? throw new ArgumentException($"{EspeakOptions.Section}:{nameof(EspeakOptions.DefaultVoice)} must name a voice, e.g. en-us.", nameof(options))
            : settings.DefaultVoice;

        NativeLibraryProbe.EnsureAvailable(EspeakNative.Library, Packages, "espeak_ng_Initialize", "espeak_ng_Synthesize", "espeak_SetSynthCallback");

        // Checked before touching the library: espeak-ng would silently fall back to another folder.
        if (settings.DataPath is { } configured)
        {
            CheckDataFolder(configured, $"{EspeakOptions.Section}:{nameof(EspeakOptions.DataPath)}");
        }

        if (Interlocked.CompareExchange(ref s_live, this, null) is not null)
        {
            throw new InvalidOperationException(
                "An EspeakEngine is already alive in this process; libespeak-ng keeps global state, so share that one (register the engine as a singleton).");
        }

        try
        {
            EspeakNative.espeak_ng_InitializePath(settings.DataPath);
            Version = Marshal.PtrToStringUTF8(EspeakNative.espeak_Info(out IntPtr pathData)) ?? "";
            DataPath = Marshal.PtrToStringUTF8(pathData) ?? "";
            CheckDataFolder(DataPath, "the espeak-ng data folder");

            IntPtr context = IntPtr.Zero;
            EspeakStatus status = EspeakNative.espeak_ng_Initialize(ref context);
            if (context != IntPtr.Zero)
            {
                EspeakNative.espeak_ng_ClearErrorContext(ref context);
            }

            ThrowIfFailed(status, "initialise espeak-ng");
            ThrowIfFailed(EspeakNative.espeak_ng_InitializeOutput(EspeakNative.OutputModeSynchronous, BufferMilliseconds, IntPtr.Zero), "set up synchronous output");
            SampleRate = EspeakNative.espeak_ng_GetSampleRate();
            _callback = OnSynth;
            EspeakNative.espeak_SetSynthCallback(Marshal.GetFunctionPointerForDelegate(_callback));
            LogInitialised(_logger, Version, DataPath, SampleRate);
        }
        catch
        {
            Interlocked.CompareExchange(ref s_live, null, this);
            throw;
        }
    }

    /// <summary>Rate of the audio espeak-ng produces (22050 Hz).</summary>
    public int SampleRate { get; }

    /// <summary>The espeak-ng-data folder in use.</summary>
    public string DataPath { get; }

    /// <summary>Library version, e.g. <c>1.51</c>.</summary>
    public string Version { get; }

    /// <summary>Releases the engine once any synthesis in progress has ended, so another may be created.</summary>
    public void Dispose()
    {
        _gate.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            EspeakNative.espeak_SetSynthCallback(IntPtr.Zero);
            Interlocked.CompareExchange(ref s_live, null, this);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Speaks <paramref name="synthesis"/>'s text with the first voice that exists, waiting for its turn.</summary>
    /// <param name="synthesis">Receives the audio on the synthesis thread.</param>
    /// <param name="voices">Voices in order of preference; the configured default is tried last.</param>
    /// <param name="wordsPerMinute">Speaking rate, clamped to espeak-ng's 80..450.</param>
    /// <param name="cancellationToken">Stops the synthesis at the next buffer (within <see cref="BufferMilliseconds"/> of audio).</param>
    internal async Task SynthesizeAsync(EspeakSynthesis synthesis, IReadOnlyList<string?> voices, int wordsPerMinute, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // espeak_ng_Synthesize blocks until the text is spoken: keep it off the caller's thread.
            await Task.Run(() => Synthesize(synthesis, voices, wordsPerMinute, cancellationToken), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Synthesize(EspeakSynthesis synthesis, IReadOnlyList<string?> voices, int wordsPerMinute, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        SelectVoice(voices);
        int rate = Math.Clamp(wordsPerMinute, EspeakNative.RateMinimum, EspeakNative.RateMaximum);
        ThrowIfFailed(EspeakNative.espeak_ng_SetParameter(EspeakNative.ParameterRate, rate, 0), "set the speaking rate");

        byte[] text = Encoding.UTF8.GetBytes(synthesis.Text + "\0");
        EspeakStatus status;
        _active = synthesis;
        try
        {
            status = EspeakNative.espeak_ng_Synthesize(
                text, (nuint)text.Length, 0, EspeakNative.PositionCharacter, 0, EspeakNative.CharsUtf8, IntPtr.Zero, IntPtr.Zero);
        }
        finally
        {
            _active = null;
        }

        if (synthesis.Failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        if (status == EspeakStatus.SpeechStopped)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        ThrowIfFailed(status, "synthesise speech");
        synthesis.Complete();
    }

    private void SelectVoice(IReadOnlyList<string?> preferred)
    {
        foreach (string? voice in preferred.Append(_defaultVoice))
        {
            if (string.IsNullOrWhiteSpace(voice) || _missingVoices.Contains(voice))
            {
                continue;
            }

            if (voice == _currentVoice)
            {
                return;
            }

            _currentVoice = null;
            if (TrySetVoice(voice))
            {
                _currentVoice = voice;
                return;
            }

            _missingVoices.Add(voice);
            LogVoiceMissing(_logger, voice);
        }

        throw new ArgumentException(
            $"espeak-ng has none of the voices {string.Join(", ", preferred.Append(_defaultVoice).Where(v => !string.IsNullOrWhiteSpace(v)))} in {DataPath}.",
            nameof(preferred));
    }

    private static bool TrySetVoice(string voice)
    {
        if (EspeakNative.espeak_ng_SetVoiceByName(voice) == EspeakStatus.Ok)
        {
            return true;
        }

        // Names only match voice files ("en-us", "en-us+f3"). A language such as "en-gb" (file gmw/en) is found by
        // properties, as the espeak-ng command line does, and a "+variant" then goes back on by the file's identifier.
        int plus = voice.IndexOf('+', StringComparison.Ordinal);
        string language = plus < 0 ? voice : voice[..plus];
        if (!LanguageTag().IsMatch(language))
        {
            return false;
        }

        IntPtr languages = Marshal.StringToCoTaskMemUTF8(language);
        try
        {
            var selector = new EspeakVoice { Languages = languages };
            if (EspeakNative.espeak_ng_SetVoiceByProperties(ref selector) != EspeakStatus.Ok)
            {
                return false;
            }
        }
        finally
        {
            Marshal.FreeCoTaskMem(languages);
        }

        if (plus < 0)
        {
            return true;
        }

        IntPtr current = EspeakNative.espeak_GetCurrentVoice();
        string? identifier = current == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(Marshal.PtrToStructure<EspeakVoice>(current).Identifier);
        return identifier is not null && EspeakNative.espeak_ng_SetVoiceByName(identifier + voice[plus..]) == EspeakStatus.Ok;
    }

    private int OnSynth(IntPtr wav, int sampleCount, IntPtr events) => _active?.OnSynth(wav, sampleCount, events) ?? 1;

    private static void CheckDataFolder(string path, string what)
    {
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException(
                $"espeak-ng data not found: {what} '{path}' does not exist. Install it with: apt-get install {Packages}");
        }

        foreach (string file in RequiredDataFiles)
        {
            if (!File.Exists(Path.Combine(path, file)))
            {
                throw new FileNotFoundException(
                    $"espeak-ng data is incomplete: '{file}' is missing from {what} '{path}'. Install it with: apt-get install {Packages}",
                    Path.Combine(path, file));
            }
        }
    }

    private static void ThrowIfFailed(EspeakStatus status, string action)
    {
        if (status == EspeakStatus.Ok)
        {
            return;
        }

        Span<byte> message = stackalloc byte[512];
        message.Clear();
        EspeakNative.espeak_ng_GetStatusCodeMessage(status, message, (nuint)message.Length);
        int end = message.IndexOf((byte)0);
        string text = Encoding.UTF8.GetString(end < 0 ? message : message[..end]);
        throw new InvalidOperationException($"espeak-ng could not {action}: {text} (status 0x{(int)status:X8}).");
    }

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
    private static partial Regex LanguageTag();

    [LoggerMessage(Level = LogLevel.Information, Message = "espeak-ng {Version} ready: data {DataPath}, {SampleRate} Hz")]
    private static partial void LogInitialised(ILogger logger, string version, string dataPath, int sampleRate);

    [LoggerMessage(Level = LogLevel.Warning, Message = "espeak-ng has no voice {Voice}; falling back to the language's or the default voice")]
    private static partial void LogVoiceMissing(ILogger logger, string voice);
}
