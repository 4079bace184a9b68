using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;

namespace Vox.Grains.Workers;

/// <summary>
/// Checks, without starting a call or initialising anything, that the offline voice can run on this host: each native
/// library loads (<see cref="NativeLibrary.TryLoad(string, out IntPtr)"/>) and has the entry points Vox calls, and the
/// pocketsphinx model and espeak-ng data files exist. A media worker runs it at start and registers as not ready when it
/// fails; the silo runs it for its banner, with the same configuration keys as its local workers.
/// </summary>
/// <remarks>
/// A loaded library stays loaded for the process, as P/Invoke would keep it; the probe loads what a call would load
/// anyway. It is here, in the contracts project, because it is the one project both the silo and the worker reference.
/// </remarks>
public static class OfflineVoiceProbe
{
    /// <summary>Where Debian's pocketsphinx-en-us package puts the model (the default of <c>Stt:PocketSphinx:ModelDirectory</c>).</summary>
    public const string DefaultModelDirectory = "/usr/share/pocketsphinx/model/en-us";

    /// <summary>The default acoustic model folder, relative to the model directory.</summary>
    public const string DefaultAcousticModel = "en-us";

    /// <summary>The default language model, relative to the model directory.</summary>
    public const string DefaultLanguageModel = "en-us.lm.bin";

    /// <summary>The default pronunciation dictionary, relative to the model directory.</summary>
    public const string DefaultDictionary = "cmudict-en-us.dict";

    /// <summary>The phoneme tables every espeak-ng voice needs.</summary>
    public static IReadOnlyList<string> RequiredEspeakDataFiles { get; } = ["phontab", "phonindex", "phondata", "intonations"];

    private const string EspeakPackages = "libespeak-ng1 espeak-ng-data";
    private const string SphinxPackages = "libpocketsphinx3 libsphinxbase3 pocketsphinx-en-us";

    /// <summary>Probes with the settings of <paramref name="configuration"/> (<c>Offline</c>, <c>Stt:PocketSphinx</c>, <c>Tts:Espeak</c>).</summary>
    public static OfflineVoiceReadiness Check(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var libraries = configuration.GetSection(OfflineVoiceOptions.Section).Get<OfflineVoiceOptions>() ?? new OfflineVoiceOptions();
        var sphinx = configuration.GetSection("Stt:PocketSphinx");
        var modelDirectory = sphinx["ModelDirectory"] is { Length: > 0 } directory ? directory : DefaultModelDirectory;
        string Model(string key, string fallback) => sphinx[key] is { Length: > 0 } file ? Path.Combine(modelDirectory, file) : Path.Combine(modelDirectory, fallback);

        var problems = new List<string>();
        var packages = new List<string>();
        void Missing(string problem, string needs)
        {
            problems.Add(problem);
            foreach (var package in needs.Split(' '))
            {
                if (!packages.Contains(package))
                {
                    packages.Add(package);
                }
            }
        }

        if (Library(libraries.SphinxBaseLibrary, "Offline:SphinxBaseLibrary", "cmd_ln_parse_r", "err_set_logfp") is { } sphinxBase)
        {
            Missing(sphinxBase, SphinxPackages);
        }

        if (Library(libraries.PocketSphinxLibrary, "Offline:PocketSphinxLibrary", "ps_init", "ps_process_raw", "ps_start_stream") is { } pocketSphinx)
        {
            Missing(pocketSphinx, SphinxPackages);
        }

        foreach (var (path, setting) in new[]
                 {
                     (Path.Combine(Model("AcousticModel", DefaultAcousticModel), "mdef"), "Stt:PocketSphinx:AcousticModel"),
                     (Model("LanguageModel", DefaultLanguageModel), "Stt:PocketSphinx:LanguageModel"),
                     (Model("Dictionary", DefaultDictionary), "Stt:PocketSphinx:Dictionary"),
                 })
        {
            if (!File.Exists(path))
            {
                Missing($"pocketsphinx model file {path} ({setting}) is missing", SphinxPackages);
            }
        }

        if (Library(libraries.EspeakLibrary, "Offline:EspeakLibrary", "espeak_ng_Initialize", "espeak_ng_Synthesize", "espeak_SetSynthCallback") is { } espeak)
        {
            Missing(espeak, EspeakPackages);
        }

        if (EspeakDataProblem(configuration["Tts:Espeak:DataPath"]) is { } data)
        {
            Missing(data, EspeakPackages);
        }

        return problems.Count == 0
            ? OfflineVoiceReadiness.Available
            : new OfflineVoiceReadiness(false, "offline voice not installed: " + string.Join("; ", problems), "sudo apt-get install -y " + string.Join(' ', packages));
    }

    private static string? Library(string library, string setting, params string[] exports)
    {
        if (!NativeLibrary.TryLoad(library, out var handle))
        {
            return $"{library} ({setting}) does not load";
        }

        var absent = exports.Where(e => !NativeLibrary.TryGetExport(handle, e, out _)).ToList();
        return absent.Count == 0 ? null : $"{library} ({setting}) lacks {string.Join(", ", absent)}: not the Debian 12 build";
    }

    // espeak-ng takes its data from the configured folder, else ESPEAK_DATA_PATH, else the folder it was built with (on
    // Debian, under the multiarch library folder); which one it is cannot be asked without initialising the library.
    private static string? EspeakDataProblem(string? configured)
    {
        if (configured is { Length: > 0 })
        {
            return HasEspeakData(configured) ? null : $"espeak-ng data folder {configured} (Tts:Espeak:DataPath) lacks its phoneme tables";
        }

        if (Environment.GetEnvironmentVariable("ESPEAK_DATA_PATH") is { Length: > 0 } fromEnvironment)
        {
            return HasEspeakData(fromEnvironment) || HasEspeakData(Path.Combine(fromEnvironment, "espeak-ng-data"))
                ? null
                : $"espeak-ng data folder {fromEnvironment} (ESPEAK_DATA_PATH) lacks its phoneme tables";
        }

        var triplet = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.Arm64 => "aarch64-linux-gnu",
            Architecture.Arm => "arm-linux-gnueabihf",
            _ => "x86_64-linux-gnu",
        };
        string[] candidates = [$"/usr/lib/{triplet}/espeak-ng-data", "/usr/share/espeak-ng-data", "/usr/local/share/espeak-ng-data", "/usr/lib/espeak-ng-data"];
        return candidates.Any(HasEspeakData) ? null : $"espeak-ng data (phontab) is in none of {string.Join(", ", candidates)}";
    }

    private static bool HasEspeakData(string folder) => RequiredEspeakDataFiles.All(f => File.Exists(Path.Combine(folder, f)));
}
