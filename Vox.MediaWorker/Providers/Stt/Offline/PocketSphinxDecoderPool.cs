using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.MediaWorker.Native;

namespace Vox.MediaWorker.Providers.Stt.Offline;

/// <summary>Keeps fresh pocketsphinx decoders loaded ahead of calls, so a session starts without loading the model.</summary>
/// <remarks>
/// Loading (<c>ps_init</c>: acoustic model, language model, dictionary) takes about half a second per decoder; it is
/// done one at a time, off the caller's thread. Each session gets a decoder no other call has used, because a decoder
/// carries its cepstral-mean estimate from one utterance to the next (and so from one caller to the next, which makes
/// results depend on the previous call); when a session takes one, a replacement loads in the background. Call
/// <see cref="WarmUpAsync"/> at start-up; a session that finds no decoder ready waits for one to load.
/// </remarks>
public sealed partial class PocketSphinxDecoderPool : IDisposable
{
    private const string Packages = "libpocketsphinx3 libsphinxbase3 pocketsphinx-en-us";

    private readonly PocketSphinxOptions _options;
    private readonly ILogger<PocketSphinxDecoderPool> _logger;
    private readonly string[] _arguments;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Stack<PocketSphinxDecoder> _ready = new();
    private Task? _replenishing;
    private bool _disposed;
    private int _warmRents;

    /// <summary>Checks that the native libraries and the model files are installed; loads nothing yet.</summary>
    /// <exception cref="DllNotFoundException">libpocketsphinx or libsphinxbase is not installed.</exception>
    /// <exception cref="FileNotFoundException">A model file is missing.</exception>
    public PocketSphinxDecoderPool(IOptions<PocketSphinxOptions> options, ILogger<PocketSphinxDecoderPool> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _options.Validate();
        _logger = logger;

        NativeLibraryProbe.EnsureAvailable(SphinxBaseNative.Library, Packages, "cmd_ln_parse_r", "err_set_logfp");
        NativeLibraryProbe.EnsureAvailable(PocketSphinxNative.Library, Packages, "ps_init", "ps_process_raw", "ps_start_stream");

        string acoustic = _options.Resolve(_options.AcousticModel);
        string language = _options.Resolve(_options.LanguageModel);
        string dictionary = _options.Resolve(_options.Dictionary);
        CheckExists(Path.Combine(acoustic, "mdef"), nameof(PocketSphinxOptions.AcousticModel));
        CheckExists(language, nameof(PocketSphinxOptions.LanguageModel));
        CheckExists(dictionary, nameof(PocketSphinxOptions.Dictionary));

        List<string> arguments = ["-hmm", acoustic, "-lm", language, "-dict", dictionary];
        foreach ((string name, string value) in _options.DecoderArguments)
        {
            arguments.Add(name);
            arguments.Add(value);
        }

        _arguments = [.. arguments];

        // pocketsphinx logs every model detail to stderr; its return codes and our checks report what matters.
        SphinxBaseNative.err_set_logfp(IntPtr.Zero);
    }

    /// <summary>How long the last decoder took to load.</summary>
    public TimeSpan LastLoadTime { get; private set; }

    /// <summary>Loads decoders until <see cref="PocketSphinxOptions.WarmDecoders"/> are ready.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                lock (_gate)
                {
                    ObjectDisposedException.ThrowIf(_disposed, this);
                    if (_ready.Count >= _options.WarmDecoders)
                    {
                        return;
                    }
                }

                Add(await LoadAsync(cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                _loading.Release();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            while (_ready.TryPop(out PocketSphinxDecoder? decoder))
            {
                decoder.Dispose();
            }
        }
    }

    /// <summary>Decoders loaded and waiting for a session.</summary>
    internal int ReadyCount
    {
        get
        {
            lock (_gate)
            {
                return _ready.Count;
            }
        }
    }

    /// <summary>Sessions that got a decoder already loaded (they did not wait for a model load).</summary>
    internal int WarmRents => Volatile.Read(ref _warmRents);

    /// <summary>A fresh decoder (waiting for one to load if none is ready); a replacement starts loading in the background.</summary>
    internal async ValueTask<PocketSphinxDecoder> RentAsync(CancellationToken cancellationToken)
    {
        PocketSphinxDecoder? decoder = TryTake();
        if (decoder is not null)
        {
            Interlocked.Increment(ref _warmRents);
        }
        else
        {
            await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // A warm-up may have finished one while this waited.
                decoder = TryTake() ?? await LoadAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _loading.Release();
            }
        }

        Replenish();
        return decoder;
    }

    private PocketSphinxDecoder? TryTake()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _ready.TryPop(out PocketSphinxDecoder? decoder) ? decoder : null;
        }
    }

    private void Replenish()
    {
        lock (_gate)
        {
            if (_disposed || _replenishing is { IsCompleted: false } || _ready.Count >= _options.WarmDecoders)
            {
                return;
            }

            _replenishing = Task.Run(async () =>
            {
                try
                {
                    await WarmUpAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    // The pool closed while the spare was loading; Add freed it.
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // The next session loads its own decoder and reports the failure to its caller.
                    LogReplenishFailed(_logger, ex);
                }
            });
        }
    }

    private void Add(PocketSphinxDecoder decoder)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _ready.Push(decoder);
                return;
            }
        }

        decoder.Dispose();
    }

    // Callers hold _loading: one load at a time keeps start-up from starving a running call of CPU.
    private Task<PocketSphinxDecoder> LoadAsync(CancellationToken cancellationToken) => Task.Run(() =>
    {
        long started = Stopwatch.GetTimestamp();
        PocketSphinxDecoder decoder = PocketSphinxDecoder.Load(_arguments);
        LastLoadTime = Stopwatch.GetElapsedTime(started);
        LogLoaded(_logger, LastLoadTime.TotalMilliseconds);
        return decoder;
    }, cancellationToken);

    private static void CheckExists(string path, string setting)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"pocketsphinx model file '{path}' ({PocketSphinxOptions.Section}:{setting}) is missing. Install the model with: apt-get install {Packages}",
                path);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Loading a spare pocketsphinx decoder failed")]
    private static partial void LogReplenishFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "pocketsphinx decoder loaded in {ElapsedMs:F0} ms")]
    private static partial void LogLoaded(ILogger logger, double elapsedMs);
}
